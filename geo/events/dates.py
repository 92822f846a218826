"""The date of an event, as ACLED's event_date and time_precision.

An explicit date in the event's sentence ("On 4 May 2020", "May 4", "le 12 mars 2021", "2020-05-04") comes
first; else a date relative to the article's publication date ("on Monday", "yesterday", "overnight", "last
week", "hier", "в понедельник", "أمس"); else an explicit or relative date elsewhere in the article (ACLED notes
and news leads say it once); else the publication date. Precision: 1 a day, 2 a week or a few days, 3 a month.
Year-less dates take the publication year, or the year before when that would put them after publication.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
           "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
           "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
           "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
           "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
           "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
           "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
           "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7, "серпня": 8,
           "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12}
_VERBS = {"may", "march", "mar", "jan", "sept"}  # "they may 4...", "march 5 km": months only capitalised
_MONTH = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
# "4 May 2020", "May 4, 2020", "4th of May", "le 1er mars", "2020-05-04", "04/05/2020" (day first, as ACLED)
_EXPLICIT = [
    re.compile(rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    # "between 4 and 6 May 2020", "on 4-5 May", "from 4 to 6 May": the first day
    re.compile(rf"\b(?:between\s+|from\s+|on\s+)?{_DAY}\s*(?:-|–|and|to|&)\s*[0-3]?\d(?:st|nd|rd|th)?\s+"
               rf"(?P<mon>{_MONTH})\.?(?:,?\s+{_YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?(?P<mon>{_MONTH})\.?(?:,?\s+{_YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b(?P<mon>{_MONTH})\.?\s+{_DAY}\b(?:,?\s+{_YEAR})?", re.IGNORECASE),
    re.compile(rf"\b(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/{_YEAR}\b"),
]
# "in May 2020", "en mars 2021": a month (precision 3)
_MONTH_YEAR = re.compile(rf"\b(?:in|during|en|early|late|mid-?)\s+(?P<mon>{_MONTH})\s+{_YEAR}\b", re.IGNORECASE)

_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
             "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
             "понедельник": 0, "вторник": 1, "среду": 2, "четверг": 3, "пятницу": 4, "субботу": 5, "воскресенье": 6,
             "понеділок": 0, "вівторок": 1, "середу": 2, "четвер": 3, "п'ятницю": 4, "суботу": 5, "неділю": 6,
             "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4,
             "السبت": 5, "الأحد": 6, "الاحد": 6}
_WEEKDAY = re.compile(r"(?<!\w)(?P<w>" + "|".join(sorted(map(re.escape, _WEEKDAYS), key=len, reverse=True))
                      + r")(?!\w)", re.IGNORECASE)
# offset in days from publication, precision
_RELATIVE = [
    (re.compile(r"\b(?:the day before yesterday|avant-hier)\b|позавчера|позавчора", re.IGNORECASE), -2, 1),
    # "overnight" ("cette nuit", "ночью") in a report is the night that ends on its publication day
    (re.compile(r"\b(?:overnight|cette nuit)\b|(?<!\w)(?:ночью|вночі)(?!\w)", re.IGNORECASE), 0, 1),
    (re.compile(r"\b(?:yesterday|last night|hier|la nuit dernière)\b|вчера|вчора|"
                r"(?<!\w)(?:أمس|امس|البارحة)(?!\w)", re.IGNORECASE), -1, 1),
    (re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight|earlier today|aujourd'hui|ce matin)\b|"
                r"сегодня|сьогодні|(?<!\w)اليوم(?!\w)", re.IGNORECASE), 0, 1),
    (re.compile(r"\b(?:two|2) days ago\b|\bil y a deux jours\b", re.IGNORECASE), -2, 1),
    (re.compile(r"\b(?:three|3) days ago\b", re.IGNORECASE), -3, 1),
    (re.compile(r"\b(?:last week|the previous week|la semaine dernière)\b|на прошлой неделе|минулого тижня",
                re.IGNORECASE), -7, 2),
    (re.compile(r"\b(?:earlier this week|this week|cette semaine)\b", re.IGNORECASE), -2, 2),
    (re.compile(r"\b(?:last month|le mois dernier)\b|в прошлом месяце|минулого місяця", re.IGNORECASE), -30, 3),
]


def _year_for(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    try:
        if dt.date(year, month, day) > published + dt.timedelta(days=2):
            year -= 1
    except ValueError:
        return None
    return year


def explicit_date(text: str, published: dt.date | None = None) -> tuple[dt.date, int] | None:
    """The first explicit calendar date in a text, with precision 1 (a month alone: 3)."""
    found = []
    for rx in _EXPLICIT:
        for m in rx.finditer(text):
            g = m.groupdict()
            month = int(g["m"]) if g.get("m") else _MONTHS.get((g.get("mon") or "").lower().rstrip("."))
            if not month:
                continue
            # "may" as a month needs a day beside it and a capital ("may 4" in "they may 4..." is not a date)
            if (g.get("mon") or "").lower() in _VERBS and not g["mon"][0].isupper():
                continue
            day = int(g["d"])
            year = int(g["y"]) if g.get("y") else _year_for(month, day, published)
            if year is None:
                continue
            try:
                found.append((m.start(), dt.date(year, month, day), 1))
            except ValueError:
                continue
    if not found:
        m = _MONTH_YEAR.search(text)
        if m and (m.group("mon").lower() not in _VERBS or m.group("mon")[0].isupper()):
            return dt.date(int(m.group("y")), _MONTHS[m.group("mon").lower()], 1), 3
        return None
    _, date, precision = min(found, key=lambda f: f[0])
    return date, precision


def relative_date(text: str, published: dt.date | None) -> tuple[dt.date, int] | None:
    """A date said relative to the publication date ("on Monday": the last Monday on or before it)."""
    if published is None:
        return None
    hits = []
    m = _WEEKDAY.search(text)
    if m:
        back = (published.weekday() - _WEEKDAYS[m.group("w").lower()]) % 7
        hits.append((m.start(), published - dt.timedelta(days=back), 1))
    for rx, offset, precision in _RELATIVE:
        r = rx.search(text)
        if r:
            hits.append((r.start(), published + dt.timedelta(days=offset), precision))
    if not hits:
        return None
    _, date, precision = min(hits, key=lambda h: h[0])
    return date, precision


def parse_published(value) -> dt.date | None:
    """A publication date given as YYYY-MM-DD (or a date/datetime); None when absent or unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if not m:
        return None
    try:
        return dt.date(*map(int, m.groups()))
    except ValueError:
        return None


def event_date(sentence: str, document: str, published: dt.date | None) -> tuple[str | None, int | None]:
    """(YYYY-MM-DD, precision) of an event told in `sentence` of `document`; (None, None) when nothing dates it."""
    for text in (sentence, document):
        found = explicit_date(text, published) or relative_date(text, published)
        if found:
            return found[0].isoformat(), found[1]
    if published is not None:
        return published.isoformat(), 1
    return None, None


def document_date(text: str, events: list, published) -> str | None:
    """The date of what an article reports: its first factual event's, else one its text gives, else its
    publication date (YYYY-MM-DD or None)."""
    first = next((ev for ev in events if ev.modality == "fact" and ev.date), None)
    if first is not None:
        return first.date
    return event_date(text, text, parse_published(published))[0]
