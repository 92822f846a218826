"""The event lexicon: the actor dictionary (data/events/actors.csv, names in other languages in
actor_names.csv, "российские войска"-style phrases in forces.csv) and the trigger patterns (triggers.csv and
triggers.<lang>.csv), loaded once, and the actor mentions of a text.

Split from geo/events/extract.py, which finds events with it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from geo.events.actors import fill_name, load_countries
from geo.config import EVENTS_DIR

LANGUAGES = ("en", "ru", "uk", "ar")

# Demonym + military noun ("Russian frigate", "Turkish jets"): the state forces of that country.
_FORCE_NOUNS = (r"forces|troops|army|soldiers|jets|warplanes|aircraft|frigate|warships?|navy|military|artillery|"
                r"drones|missiles|helicopters|bombers|units|police|militias?|gunboats?|submarine|positions|servicemen|"
                r"border guards|personnel|military personnel|defen[cs]es|air defen[cs]es|warship")
_DEMONYM_COUNTRY = {
    "Syrian": "SY", "Russian": "RU", "American": "US", "US": "US", "U.S.": "US", "Turkish": "TR", "Iraqi": "IQ",
    "Israeli": "IL", "Iranian": "IR", "Ukrainian": "UA", "Lebanese": "LB", "Jordanian": "JO", "British": "GB",
    "French": "FR", "Saudi": "SA", "Emirati": "AE", "Egyptian": "EG", "Libyan": "LY", "Yemeni": "YE",
    "Belarusian": "BY", "German": "DE", "Chinese": "CN", "Qatari": "QA",
}
_DEMONYM_COUNTRY = {**load_countries().demonyms, **_DEMONYM_COUNTRY}
_DEMONYM_FORCE = re.compile(r"\b(" + "|".join(re.escape(d) for d in _DEMONYM_COUNTRY) + r")\s+(?:[\w-]+\s+)?(?:"
                            + _FORCE_NOUNS + r")\b")


# Arabic attaches conjunctions (و ف), prepositions (ب ل ك), the future (س) and the article (ال; ل + ال → لل).
_AR_CLITICS = r"(?<!\w)(?P<pre>[وف]?[بلكس]?)(?:ال|(?<=ل)ل)?"
_AR_ARTICLE_AFTER_SPACE = re.compile(r" (?=[\u0621-\u064A])")
NAME_CHAR = r"[\w'’ʼ-]"  # a word character in a Cyrillic name ("Куп'янськ", "Дейр-эз-Зор")


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    country: str | None


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    actor: Actor


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern
    type: str
    subtype: str
    rank: int  # lower = listed earlier = more specific


_WORD = re.compile(r"\w+")


def _fold(s: str) -> str:
    """Lower case with '-' as ' ' and ’ as ', keeping every offset ("al-Shabaab" = "Al Shabaab")."""
    low = s.lower()
    if len(low) != len(s):  # "İ" lowers to two characters
        low = "".join(c.lower()[0] for c in s)
    return low.replace("-", " ").replace("’", "'")
_AR_CLITIC_LETTERS = frozenset("وفبلكاس")


@dataclass(frozen=True)
class _Names:
    """Actor names of one language. One regex per name, tried only at words that begin like the name (by its
    first two letters): a single alternation of hundreds of names is tried at every character and is slow."""

    by_key: dict[str, tuple[tuple[re.Pattern, str], ...]]  # first two letters → (name, actor id)
    arabic: bool

    @staticmethod
    def key(word: str, arabic: bool) -> str:
        word = word.lower().strip('«»"„“”')
        if arabic and word.startswith("ال"):
            word = word[2:]
        return word[:2]

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, actor id) of the longest name at each word, left to right, without overlaps."""
        out: list[tuple[int, int, str]] = []
        last_end = -1
        for w in _WORD.finditer(text):
            if w.start() < last_end:
                continue
            word = w.group().lower()
            keys = {word[:2]}
            if self.arabic:  # "وللجيش": try the word without its clitics and article
                for k in range(1, min(5, len(word) - 1)):
                    if word[k - 1] not in _AR_CLITIC_LETTERS:
                        break
                    keys.add(word[k:k + 2])
            best = None
            for key in keys:
                for pattern, actor_id in self.by_key.get(key, ()):
                    m = pattern.match(text, w.start())
                    if m and (best is None or m.end() > best[1]):
                        best = (m.start(), m.end(), actor_id)
            if best:
                out.append(best)
                last_end = best[1]
        return out


@dataclass(frozen=True)
class EventLexicon:
    actors: dict[str, Actor]
    aliases: ahocorasick.Automaton
    triggers: tuple[Trigger, ...]  # English
    foreign_triggers: dict[str, tuple[Trigger, ...]] | None = None  # "ru", "uk", "ar"
    foreign_names: dict[str, _Names] | None = None  # per language
    # Per language: demonym-led phrases and the country of each demonym group.
    foreign_forces: dict[str, tuple[re.Pattern, dict[str, str]]] | None = None
    # Rank of the first catch-all English trigger ("kill", "strike", "attack"; triggers.csv marks them with a
    # "# catch-all" line): beside a specific event of the sentence, what they read is its outcome.
    catch_all_rank: int = 10 ** 6

    def actor_mentions(self, text: str, langs: frozenset[str] = frozenset({"en"})) -> list[ActorMention]:
        found: list[ActorMention] = []
        lower = _fold(text)
        for end, (alias, actor_id, case_sensitive) in self.aliases.iter_long(lower):
            start = end - len(alias) + 1
            if (start > 0 and lower[start - 1].isalnum()) or (end + 1 < len(lower) and lower[end + 1].isalnum()):
                continue
            if case_sensitive and text[start:end + 1] != case_sensitive:
                continue
            found.append(ActorMention(start, end + 1, self.actors[actor_id]))
        for lang in langs & (self.foreign_names or {}).keys():
            for start, end, actor_id in self.foreign_names[lang].find(text):
                if not any(a.start < end and start < a.end for a in found):
                    found.append(ActorMention(start, end, self.actors[actor_id]))
        for m in _DEMONYM_FORCE.finditer(text):
            if any(a.start <= m.start() < a.end for a in found):
                continue
            found.append(ActorMention(m.start(), m.end(), self._state_force(_DEMONYM_COUNTRY[m.group(1)])))
        for lang in langs & (self.foreign_forces or {}).keys():
            pattern, group_country = self.foreign_forces[lang]
            for m in pattern.finditer(text):
                if any(a.start < m.end() and m.start() < a.end for a in found):
                    continue  # "Сирийские демократические силы" is a name, not Syria's forces
                country = next(group_country[g] for g, v in m.groupdict().items() if v and g in group_country)
                found.append(ActorMention(m.start(), m.end(), self._state_force(country)))
        found.sort(key=lambda a: a.start)
        # "Syrian army troops", "Boko Haram fighters": a generic head noun right after a name is that name.
        return [a for i, a in enumerate(found) if not (i and "{country}" in a.actor.name and "{country}" not in
                found[i - 1].actor.name and not text[found[i - 1].end:a.start].strip())]

    def _state_force(self, cc: str) -> Actor:
        """The dictionary's state force of a country, or a generic one named like ACLED's."""
        known = next((a for a in self.actors.values() if a.country == cc and a.type == "state force"), None)
        return known or Actor(f"forces:{cc}", fill_name("Military Forces of {country}", cc) if load_countries().name(cc)
                              else f"Military Forces of {cc}", "state force", cc)


ACLED_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                         "Strategic developments"})


def _rows(path: Path):
    """CSV rows, skipping the '#' comment lines that document a file's format."""
    with open(path, encoding="utf-8") as f:
        yield from csv.DictReader(line for line in f if not line.startswith("#"))


def _trigger_rows(path: Path):
    """Trigger rows; a pattern with an unquoted comma shifts the columns, which is reported, not ignored."""
    for row in _rows(path):
        if row["type"] not in ACLED_TYPES:
            raise ValueError(f"{path.name}: {row['type']!r} is not an ACLED event type (quote a pattern with commas)")
        yield row


def _foreign_trigger_regex(pattern: str, lang: str) -> re.Pattern:
    """A trigger pattern as written in triggers.<lang>.csv, compiled with the language's word boundaries.

    Arabic patterns accept attached clitics in front (و ف ب ل ك, the future س, the article ال) and an
    optional article after each space ("غارات جوية" also matches "بالغارات الجوية"); the clitics are in
    the group "pre" so that "ستقصف" (will shell) can be told from "قصفت" (shelled)."""
    if lang == "ar":
        return re.compile(_AR_CLITICS + "(?:" + _AR_ARTICLE_AFTER_SPACE.sub(" (?:ال)?", pattern) + r")(?!\w)")
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


_NAME_GAP = r"(?:\s+[«\"„“]?|[«\"„“])"  # "боевики «Исламского государства»", "ЧВК Вагнер"


def _name_regex(alias: str, lang: str) -> str:
    """An actor name with '*' for any ending ("российск* войск*"); all-capital names keep their case (ВСУ)."""
    words = []
    for i, word in enumerate(alias.split()):
        word = word.strip('«»"„“”')
        stem = word.rstrip("*")
        rx = re.escape(stem) + (rf"{NAME_CHAR}*" if word.endswith("*") else "")
        if lang == "ar" and i > 0 and not stem.startswith("ال"):
            rx = "(?:ال)?" + rx
        words.append(rx)
    body = _NAME_GAP.join(words)
    if lang == "ar":
        first = alias.split()[0]
        if first.startswith("ال"):  # "للجيش السوري" = ل + الجيش السوري
            body = "(?:ال|(?<=ل)ل)" + body[len(re.escape("ال")):]
        return r"(?<!\w)[وف]?[بلك]?" + body + r"(?!\w)"
    if alias.replace("*", "").isupper():
        body = f"(?-i:{body})"
    return rf"(?<!\w){body}(?!\w)"


def _load_foreign_names(directory: Path, actors: dict[str, Actor]) -> dict[str, _Names]:
    by_lang: dict[str, list[tuple[str, str]]] = {}
    path = directory / "actor_names.csv"
    if not path.exists():
        return {}
    for row in _rows(path):
        if row["id"] not in actors:
            raise ValueError(f"{path.name}: unknown actor id {row['id']!r} (add it to actors.csv)")
        for alias in row["aliases"].split("|"):
            if alias.strip():
                by_lang.setdefault(row["lang"], []).append((alias.strip(), row["id"]))
    out = {}
    for lang, names in by_lang.items():
        by_key: dict[str, list[tuple[re.Pattern, str]]] = {}
        for alias, actor_id in names:
            key = _Names.key(alias.split()[0].rstrip("*"), lang == "ar")
            if len(key) < 2:
                raise ValueError(f"{path.name}: {alias!r} is too short to be a name")
            by_key.setdefault(key, []).append((re.compile(_name_regex(alias, lang), re.IGNORECASE), actor_id))
        out[lang] = _Names({k: tuple(v) for k, v in by_key.items()}, lang == "ar")
    return out


def _load_foreign_forces(directory: Path) -> dict[str, tuple[re.Pattern, dict[str, str]]]:
    """Demonym + military noun ("российские самолёты"; in Arabic noun first: "الطائرات الروسية")."""
    path = directory / "forces.csv"
    if not path.exists():
        return {}
    demonyms: dict[str, list[tuple[str, str]]] = {}
    nouns: dict[str, list[str]] = {}
    for row in _rows(path):
        words = [w.strip() for w in row["words"].split("|") if w.strip()]
        if row["kind"] == "demonym":
            demonyms.setdefault(row["lang"], []).extend((w, row["country"]) for w in words)
        else:
            nouns.setdefault(row["lang"], []).extend(words)
    out = {}
    for lang, dems in demonyms.items():
        groups = {f"d{i}": cc for i, (_, cc) in enumerate(dems)}
        dem = "|".join(f"(?P<d{i}>{_stem(w)})" for i, (w, _) in enumerate(dems))
        noun = "|".join(_stem(w) for w in sorted(nouns.get(lang, []), key=len, reverse=True))
        if lang == "ar":  # "الطائرات الحربية الروسية", "لقوات روسية"
            rx = rf"(?<!\w)[وف]?[بلك]?(?:ال|(?<=ل)ل)?(?:{noun})(?:\s+\w+)?\s+(?:ال)?(?:{dem})(?!\w)"
        else:  # "российские военные самолёты"
            rx = rf"(?<!\w)(?:{dem})\s+(?:\w+\s+)?(?:{noun})(?!\w)"
        out[lang] = (re.compile(rx, re.IGNORECASE), groups)
    return out


def _stem(word: str) -> str:
    return re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else "")


@lru_cache(maxsize=2)
def load_event_lexicon(directory: Path = EVENTS_DIR) -> EventLexicon:
    actors: dict[str, Actor] = {}
    automaton = ahocorasick.Automaton()
    for row in _rows(directory / "actors.csv"):
        actor = Actor(row["id"], row["name"], row["type"], row["country"] or None)
        actors[actor.id] = actor
        for alias in row["aliases"].split("|"):
            alias = alias.strip()
            if alias:
                # Acronyms (SAA, SDF, HTS) must match in capitals: "has" is not HAS.
                automaton.add_word(_fold(alias), (_fold(alias), actor.id, alias if alias.isupper() else ""))
    automaton.make_automaton()
    triggers = [Trigger(re.compile(rf"\b(?:{row['pattern']})\b", re.IGNORECASE), row["type"], row["subtype"], rank)
                for rank, row in enumerate(_trigger_rows(directory / "triggers.csv"))]
    foreign: dict[str, tuple[Trigger, ...]] = {}
    for lang in LANGUAGES[1:]:
        path = directory / f"triggers.{lang}.csv"
        if path.exists():
            foreign[lang] = tuple(Trigger(_foreign_trigger_regex(row["pattern"], lang), row["type"], row["subtype"], rank)
                                  for rank, row in enumerate(_trigger_rows(path)))
    return EventLexicon(actors, automaton, tuple(triggers), foreign, _load_foreign_names(directory, actors),
                        _load_foreign_forces(directory), _catch_all_rank(directory / "triggers.csv"))


def _catch_all_rank(path: Path) -> int:
    """How many trigger rows come before the "# catch-all" line of a triggers file (none: all are specific)."""
    n = -1  # the header
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# catch-all"):
            return max(n, 0)
        if line.strip() and not line.startswith("#"):
            n += 1
    return 10 ** 6
