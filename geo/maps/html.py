"""Article text as inert HTML: escaping, safe links, highlighted mentions, popups and the places table.

Everything that comes from an article is escaped here, once, before any markup is added. folium pastes
popup and tooltip HTML into JavaScript template literals and Streamlit renders Markdown, so backticks,
`$`, backslashes and Markdown's characters are escaped as well as the usual HTML ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from geo.maps.elements import stylesheet

MAX_ARTICLES_IN_POPUP = 12
MAX_SENTENCES_PER_ARTICLE = 2

# One pass over the raw text, so no entity is escaped twice. Beyond HTML: ` $ \ { } would be live inside
# folium's JS template literals, and [ ] * _ ~ # | would be Markdown when Streamlit renders the text.
_ENTITIES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        "`": "&#96;",
        "$": "&#36;",
        "\\": "&#92;",
        "{": "&#123;",
        "}": "&#125;",
        "[": "&#91;",
        "]": "&#93;",
        "*": "&#42;",
        "_": "&#95;",
        "~": "&#126;",
        "#": "&#35;",
        "|": "&#124;",
    }
)


def esc(value: object) -> str:
    """Text as inert HTML: safe in attributes, in folium's JS template literals and in st.markdown."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).translate(_ENTITIES)


def safe_href(url: object) -> str | None:
    """The URL escaped for an href attribute, or None unless it is plain http(s)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    return esc(url)


def highlight(sentence: str, needle: str, width: int = 320) -> str:
    """Escaped sentence with the first occurrence of needle in <mark>, trimmed to about width characters."""
    sentence = sentence or ""
    pos = sentence.find(needle) if needle else -1
    if pos < 0 and needle:
        pos = sentence.casefold().find(needle.casefold())
        if len(sentence.casefold()) != len(sentence):
            pos = -1  # case folding changed offsets; don't guess
    if pos < 0:
        return esc(sentence if len(sentence) <= width else sentence[:width].rstrip() + "…")
    end = pos + len(needle)
    lo = max(0, min(pos - (width - len(needle)) // 2, len(sentence) - width))
    hi = max(end, lo + width)
    before = ("…" if lo > 0 else "") + sentence[lo:pos]
    after = sentence[end:hi] + ("…" if hi < len(sentence) else "")
    return f"{esc(before)}<mark>{esc(sentence[pos:end])}</mark>{esc(after)}"


def mark_spans(text: str, spans: Iterable[tuple[int, int, str | None]]) -> str:
    """The whole text escaped, each (start, end, label) span in <mark>, on one line.

    Paragraph breaks become <br>, so the result is a single HTML block that Markdown leaves alone;
    overlapping spans keep the first.
    """
    out: list[str] = []
    pos = 0
    for start, end, label in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos or not 0 <= start < end <= len(text):
            continue
        title = f' title="{esc(label)}"' if label else ""
        out += [esc(text[pos:start]), f"<mark{title}>{esc(text[start:end])}</mark>"]
        pos = end
    out.append(esc(text[pos:]))
    body = "".join(out).replace("\r\n", "\n").replace("\n", "<br>")
    return f'<div class="cm-article" dir="auto">{body}</div>'  # dir=auto: Arabic reads right to left


def gazetteer_aka(name: object, gazetteer_name: object) -> str:
    """The gazetteer's name after a display name, escaped (" (Tadmur)" after Palmyra); "" where they agree."""
    if not isinstance(gazetteer_name, str) or not gazetteer_name or gazetteer_name == name:
        return ""
    return f' <small class="cm-aka" title="the gazetteer&#39;s name">({esc(gazetteer_name)})</small>'


def popup_html(rows: pd.DataFrame) -> str:
    """The articles that mention one place: linked headline, source and date, highlighted sentences.

    Styled by geo/maps/css/map.css (.cm-popup)."""
    first = rows.iloc[0]
    country = f" · {esc(first['country'])}" if isinstance(first["country"], str) else ""
    name, feature = esc(first["name"]), esc(first["feature"])
    aka = gazetteer_aka(first["name"], first.get("gazetteer_name"))
    parts = [f'<div class="cm-popup"><b>{name}</b>{aka} <small>{feature}{country}</small>']
    # Group only the articles shown: a place named in 10,000 articles must not build 10,000 groups.
    ids = rows["article_id"].drop_duplicates()
    shown = rows[rows["article_id"].isin(ids.iloc[:MAX_ARTICLES_IN_POPUP])]
    for _, mentions in shown.groupby("article_id", sort=False):
        a = mentions.iloc[0]
        title = esc(a["title"]) or "(untitled)"
        href = safe_href(a["url"])
        headline = f'<a href="{href}" target="_blank" rel="noopener noreferrer">{title}</a>' if href else title
        meta = " · ".join(s for s in (esc(a["source"]), esc(a["published"])) if s)
        sentences = list(dict.fromkeys(zip(mentions["sentence"], mentions["text"])))[:MAX_SENTENCES_PER_ARTICLE]
        quotes = "".join(f'<div class="cm-quote">{highlight(s, t)}</div>' for s, t in sentences if s)
        parts.append(f"<hr><div>{headline}<br><small>{meta}</small>{quotes}</div>")
    if len(ids) > MAX_ARTICLES_IN_POPUP:
        parts.append(f"<hr><small>and {len(ids) - MAX_ARTICLES_IN_POPUP} more articles</small>")
    parts.append("</div>")
    return "".join(parts)


_TABLE_COLUMNS = ["Place", "Type", "Country", "Mentions", "Articles", "Best score", "Last mention"]
_COMPACT = (0, 1, 3, 4)  # the columns a narrow table keeps


def places_html(places: pd.DataFrame, limit: int = 100, *, compact: bool = False) -> str:
    """The most mentioned places (geo.store.frames.places rows) as a plain HTML table, every cell escaped.

    Plain markup on purpose: the map page's first paint stays fast without a data-grid component.
    Styled by geo/maps/css/places_table.css, sent with it.
    """
    keep = [i for i in range(len(_TABLE_COLUMNS)) if not compact or i in _COMPACT]
    rows = []
    for p in places.head(limit).itertuples(index=False):
        last = getattr(p, "last_day", None)
        last = last.date().isoformat() if isinstance(last, pd.Timestamp) and not pd.isna(last) else ""
        name = esc(p.name) + gazetteer_aka(p.name, getattr(p, "gazetteer_name", None))  # Palmyra (Tadmur)
        cells = [name, esc(p.feature), esc(p.country), f"{int(p.mentions):,}", f"{int(p.articles):,}",
                 f"{float(p.score):.2f}", last]
        rows.append("<tr>" + "".join(f'<td class="n">{cells[i]}</td>' if 3 <= i <= 5 else f"<td>{cells[i]}</td>"
                                     for i in keep) + "</tr>")
    head = "<tr>" + "".join(f"<th>{_TABLE_COLUMNS[i]}</th>" for i in keep) + "</tr>"
    return (f'<div class="cm-places"><table><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'
            f"<style>{stylesheet('places_table.css')}</style>")
