"""Place-name recognition: capitalised phrases looked up in the gazetteer, filtered by context.

No statistical model: capitalisation, sentence starts, title-case headlines, titles and given names,
organisation words and curated outlet names decide what is a place mention. Offsets always index
the text as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.gazetteer import Gazetteer, NameHit, norm
from geo.gazetteer.index import ALTERNATE, NAME
from geo.parse.lexicon import Lexicon, zipf
from geo.parse.spans import inside, overlaps
from geo.text import is_dateline, runs
from geo.types import Match, Mention

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_](?:\w|['’](?=\w))*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# Lower-case words allowed inside a capitalised place name ("Deir ez-Zor", "Rio de Janeiro").
_CONNECTORS = frozenset(
    "al el ez az as ad ar ash at an ath ed es er et en de del della di da do dos das du des la le les "
    "of der den van von bin ibn bint".split()
)
# Connectors that join a name only inside hyphens ("Rostov-on-Don", "Frankfurt am Main" aside).
_HYPHEN_CONNECTORS = frozenset("on upon sur sous au aux am im en y e i".split())
# Capitalised words that end a name rather than continue it ("Raqqa on Sunday").
_CALENDAR = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July "
    "August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
_ABBREV = frozenset({"St", "Ste", "Ft", "Mt", "Pt"})
# Capitalised only because they open a sentence: never the start of a place name.
_OPENERS = frozenset(
    "The A An In At On Of For From To By With As But And Or If When While After Before During Since This That "
    "These Those Its His Her Their Our We They He She It I There Here Then Now Meanwhile However Yet So Some "
    "Many Most All Both Each Every Such Other Another More Few According Despite Although Though Because "
    "Last Next Earlier Later Today Yesterday Tomorrow Over Under Near Outside Inside Around About Across".split()
)
_MAX_WORDS = 6
# How far along a capitalised run the words around a match are read (titles, given names, organisation words).
# A name's context is a few words; reading the whole run made a long run of capitalised words quadratic.
_CONTEXT_WORDS = 2 * _MAX_WORDS
_TOWN_BY_NAME = 20_000  # a town this big is meant by its own name even where a group shares it
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")
_FEATURE_STRONG = frozenset({"country", "region", "sea", "river", "facility", "continent"})
_NAMED_AFTER = re.compile(r"^[\s\-]+(?:\w*virus|\w*viruses|fever|flu|disease|syndrome|encephalitis|strain|variant)\b",
                          re.IGNORECASE)
_DOTTED = re.compile(r"(?:[A-Z]\.){2,3}")
# "Fano militia", "Janjaweed militiamen": a single name before these words is the group's, not a town's.
_GROUP_AFTER = re.compile(r"^\s+(?:militia|militias|militiamen)\b", re.IGNORECASE)
_SPEECH_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|explained|noted|wrote|argued|warned|asked|replied)\b")
# "said Mather", "Mather, 22,": a speaker or an age makes a single name a person.
_SPEECH_BEFORE = re.compile(r"\b(?:said|says|told|added|explained|noted|wrote|asked|replied)\s+$")
_AGE_AFTER = re.compile(r"^,\s*\d{1,3}\s*,")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    cap: bool
    sentence_start: bool


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    prev_end = 0
    for m in _TOKEN.finditer(text):
        s, e = m.start(), m.end()
        word = m.group()
        pm = _POSSESSIVE.search(word)
        if pm and len(word) > 3:
            e -= 2
            word = word[:-2]
        gap = text[prev_end:s]
        starts = not tokens or bool(_SENTENCE_END.search(gap)) or "\n" in gap
        if tokens and _abbreviation(tokens[-1].text) and gap.startswith("."):
            starts = False  # "St. Louis", "C. Africa": an abbreviation's point ends no sentence
        first = word[0]
        cap = first.isupper() or (first.isdigit() and any(c.isupper() for c in word))
        if cap and not ("A" <= first <= "Z" or "\u00c0" <= first <= "\u024f" or first.isdigit()):
            cap = False  # Cyrillic and other scripts: geo.parse.multilingual handles them
        if (starts and word in _OPENERS) or word in _CALENDAR:
            cap = False
        tokens.append(Token(s, e, word, cap, starts))
        prev_end = m.end()
    return tokens


def _abbreviation(word: str) -> bool:
    """St, Mt, or the wire's N., S., C. ("C. Africa", "N. Korea", "S. Sudan"; other initials are people's:
    "George W. Bush")."""
    return word in _ABBREV or word in ("N", "S", "C")


def _joined(text: str, a: Token, b: Token) -> bool:
    """Whether two tokens can belong to one name: separated by one space or a hyphen."""
    gap = text[a.end:b.start]
    if gap in (" ", "-", "‐", "–", "'", "’"):
        return True
    if _abbreviation(a.text) and gap in (". ", "."):
        return True
    return False


def _is_connector(text: str, tokens: list[Token], i: int) -> bool:
    t = tokens[i]
    if i + 1 >= len(tokens) or not tokens[i + 1].cap or not _joined(text, t, tokens[i + 1]):
        return False
    low = t.text.lower()
    if low in _CONNECTORS:
        return True
    return low in _HYPHEN_CONNECTORS and text[t.end:t.end + 1] == "-" and text[t.start - 1:t.start] == "-"


def _title_case_lines(text: str, tokens: list[Token]) -> set[int]:
    """Indices of tokens on headline-like lines where most words are capitalised."""
    out: set[int] = set()
    line_start = 0
    idx = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        members = []
        while idx < len(tokens) and tokens[idx].start < line_end:
            if tokens[idx].start >= line_start:
                members.append(idx)
            idx += 1
        words = [tokens[i] for i in members if len(tokens[i].text) > 3]
        if len(words) >= 4 and sum(t.cap for t in words) / len(words) >= 0.75:
            out.update(members)
        line_start = line_end + 1
    return out


def _sequences(text: str, tokens: list[Token]) -> list[list[int]]:
    """Runs of capitalised tokens (with connectors inside) that could hold place names."""
    # A connector ("al-Bab", "as-Suwayda") may also open a name: the article comes first.
    seqs = runs(len(tokens), lambda i, _: tokens[i].cap or _is_connector(text, tokens, i),
                lambda i, j: _joined(text, tokens[i], tokens[j]) and not tokens[j].sentence_start)
    # A run may not end with a connector.
    out = []
    for seq in seqs:
        while seq and not tokens[seq[-1]].cap:
            seq = seq[:-1]
        if seq:
            out.append(seq)
    return out


class Recognizer:
    """Finds place mentions; the gazetteer and word lists are passed in."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon):
        self.gazetteer = gazetteer
        self.lexicon = lexicon

    def find(self, text: str) -> list[Match]:
        tokens = tokenize(text)
        if not tokens:
            return []
        seqs = self._join_possessives(text, tokens, _sequences(text, tokens))
        headline = _title_case_lines(text, tokens)
        blocked = sorted(self.lexicon.not_place_spans(text))
        organisations = sorted(self.lexicon.organisation_spans(text))

        keys: dict[tuple[int, int], str] = {}
        for seq in seqs:
            for a in range(len(seq)):
                for b in range(a, min(len(seq), a + _MAX_WORDS)):
                    if tokens[seq[b]].cap:
                        s, e = tokens[seq[a]].start, tokens[seq[b]].end
                        keys[(seq[a], seq[b])] = norm(text[s:e])
        found = self.gazetteer.lookup(keys.values())
        people = self._person_names(tokens, seqs) | self._unlisted_people(text, tokens, seqs, keys, found, headline)

        matches: list[Match] = []
        for seq in seqs:
            where = {tok: pos for pos, tok in enumerate(seq)}
            spans = self._cover(seq, keys, found)
            covered = {i for a, b in spans for i in range(a, b + 1)}
            if spans and tokens[spans[0][0]].sentence_start and spans[0][0] == spans[0][1] \
                    and zipf(tokens[spans[0][0]].text) >= 3.0 and len(spans) > 1:
                spans = spans[1:]  # "One Edmonton resident": the opener is not a place
            if seq[0] not in headline and self._split_name(where, spans, keys, found):
                continue  # "Ain Issa" read as "Ain" + "Issa": one name the gazetteer lacks
            for a, b in spans:
                hits = found[keys[(a, b)]]
                s, e = tokens[a].start, tokens[b].end
                if overlaps(blocked, s, e):
                    continue
                hits = self._outside_organisations(organisations, s, e, hits)
                if not hits:
                    continue
                if self._armed_unit(tokens, seq, where, b, hits):
                    continue
                if a == b and tokens[a].text in people and not self._qualified(text, tokens, b, keys, found):
                    hits = [h for h in hits if h.candidate.feature in ("country", "continent")]
                hits = self._filter(tokens, seq, where, a, b, hits, covered, text, a in headline)
                if hits:
                    matches.append(Match(Mention(s, e, text[s:e]), tuple(hits)))
        return matches

    @staticmethod
    def _outside_organisations(organisations: list[tuple[int, int, str]], s: int, e: int,
                               hits: list[NameHit]) -> list[NameHit]:
        """The senses left to a name inside a group's name: none ("Haram" in "Boko Haram"), or the actor's own
        country ("Pakistan" in "Pakistan Army"). A group named by one word that is also a town's own name is the
        town when the town is big enough to be written about by name ("Fano" the port, not the Fano militia;
        the Taliban are no town's own name)."""
        group = inside(organisations, s, e)
        if group is None:
            return hits
        if group[:2] == (s, e) and any(h.kind == NAME and h.candidate.population >= _TOWN_BY_NAME for h in hits):
            return hits
        return [h for h in hits if h.candidate.feature == "country" and group[2] and h.candidate.country == group[2]]

    def _armed_unit(self, tokens: list[Token], seq: list[int], where: dict[int, int], b: int,
                    hits: list[NameHit]) -> bool:
        """A place opening an armed group's, party's or unit's name ("Jenin Brigade", "Kachin Independence
        Army") is part of the name. A country is kept: "Pakistan Army" still says which country."""
        heads = self.lexicon.armed_heads
        nxt = seq[where[b] + 1:where[b] + 4]
        if not heads or not any(tokens[i].text in heads for i in nxt):
            return False
        return not any(h.candidate.feature in ("country", "continent") for h in hits)

    def _person_names(self, tokens: list[Token], seqs: list[list[int]]) -> set[str]:
        """Surnames of the people the article names ("Ivan Konovalov" makes "Konovalov" a person
        wherever it appears), so a surname that is also a town is not mapped later in the text."""
        lex = self.lexicon
        names: set[str] = set()
        for seq in seqs:
            caps = [i for i in seq if tokens[i].cap]
            if len(caps) < 2:
                first = caps[0] if caps else None
                if first is not None and first > 0 and tokens[first - 1].text in lex.titles:
                    names.add(tokens[first].text)
                continue
            lead = tokens[caps[0]].text
            prev = tokens[caps[0] - 1].text if caps[0] > 0 else ""
            if lead in lex.first_names or prev in lex.titles or lead in lex.titles:
                names.update(tokens[i].text for i in caps[1:] if tokens[i].text not in lex.place_heads)
        return names

    def _join_possessives(self, text: str, tokens: list[Token], seqs: list[list[int]]) -> list[list[int]]:
        """Rejoin runs split at a possessive when the whole is one name ("People's Republic of China",
        "Queen Anne's County"); "Syria's Palmyra" stays two runs."""
        pairs = [(i, tokens[s1[0]].start, tokens[s2[-1]].end) for i, (s1, s2) in enumerate(zip(seqs, seqs[1:]))
                 if text[tokens[s1[-1]].end:tokens[s2[0]].start] in ("'s ", "’s ") and len(s1) + len(s2) <= _MAX_WORDS]
        if not pairs:
            return seqs
        found = self.gazetteer.lookup(norm(text[s:e]) for _, s, e in pairs)
        merge = {i for i, s, e in pairs if any(h.kind <= 1 for h in found.get(norm(text[s:e]), []))}
        out: list[list[int]] = []
        for i, seq in enumerate(seqs):
            if i - 1 in merge and out:
                out[-1] = out[-1] + seq
            else:
                out.append(list(seq))
        return out

    @staticmethod
    def _qualified(text: str, tokens: list[Token], b: int, keys: dict, found: dict) -> bool:
        """Whether a country or region follows after a comma ("Reston, Virginia"): a place, not a person."""
        if b + 1 >= len(tokens) or text[tokens[b].end:tokens[b + 1].start] != ", ":
            return False
        hits = found.get(keys.get((b + 1, b + 1), ""), [])
        return any(h.candidate.feature in ("country", "region") and h.kind <= 1 for h in hits)

    def _unlisted_people(self, text: str, tokens: list[Token], seqs: list[list[int]], keys: dict, found: dict,
                         headline: set[int]) -> set[str]:
        """Surnames after given names that no list holds ("Kati Mather", "Arlene Boon"): a two-word name
        whose first word is no place, no common word and no known head word, and which as a whole is
        no place, is a person's; the second word is then a surname wherever it appears."""
        lex = self.lexicon
        names: set[str] = set()
        for seq in seqs:
            if len(seq) != 2 or seq[0] in headline or not all(tokens[i].cap for i in seq):
                continue
            first, last = tokens[seq[0]], tokens[seq[1]]
            if text[first.end:last.start] != " " or last.text.isupper():
                continue  # "Vest-Agder", "Danube FM": not a given name and a surname
            if keys.get((seq[0], seq[1])) in found or keys.get((seq[0], seq[0])) in found:
                continue
            if not first.text[1:].islower() or zipf(first.text) >= 4.0 or first.sentence_start and zipf(first.text) >= 2.0:
                continue
            if {first.text, last.text} & (lex.org_heads | lex.place_heads | lex.titles | lex.demonyms):
                continue
            names.add(last.text)
        return names

    @staticmethod
    def _split_name(where: dict[int, int], spans: list[tuple[int, int]], keys: dict, found: dict) -> bool:
        """Two weak matches side by side in one capitalised run are more likely one unknown name."""
        def strong(sp):
            return any(h.candidate.feature in _FEATURE_STRONG and h.kind <= 1 for h in found[keys[sp]])

        for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
            if where[a2] == where[b1] + 1 and not strong((a1, b1)) and not strong((a2, b2)):
                return True
        return False

    @staticmethod
    def _cover(seq: list[int], keys: dict, found: dict) -> list[tuple[int, int]]:
        """Leftmost-longest matches within one capitalised run."""
        spans = []
        pos = 0
        while pos < len(seq):
            best = None
            for end in range(min(len(seq), pos + _MAX_WORDS) - 1, pos - 1, -1):
                k = keys.get((seq[pos], seq[end]))
                if k is not None and k in found:
                    best = (seq[pos], seq[end])
                    pos = end + 1
                    break
            if best:
                spans.append(best)
            else:
                pos += 1
        return spans

    def _opens_an_institution(self, tokens: list[Token], seq: list[int], a: int, before: list[int],
                              after: list[int], hits: list[NameHit]) -> bool:
        """A country, first-level region or county opening a capitalised phrase names where the institution is
        ("U.S. Centers for Disease Control", "California Department of Public Health"); a given name or
        title first makes it a person ("Jordan Henderson")."""
        if before or not after or tokens[a].text in self.lexicon.first_names:
            return False
        return any(h.candidate.feature in ("country", "region", "county") and h.kind <= 1 for h in hits)

    def _filter(self, tokens: list[Token], seq: list[int], where: dict[int, int], a: int, b: int,
                hits: list[NameHit], covered: set[int], text: str, headline: bool) -> list[NameHit]:
        lex = self.lexicon
        if not hits:
            return []
        words = [tokens[i].text for i in range(a, b + 1)]
        surface = text[tokens[a].start:tokens[b].end]
        single = a == b
        if single and words[0] in lex.demonyms:
            return []
        # "Edmonton, Ky." / "Paris, TX": a region abbreviation right after a place and a comma.
        qualifier = text[max(0, tokens[a].start - 2):tokens[a].start] == ", " and a > 0 and tokens[a - 1].cap
        if qualifier and (surface.isupper() or text[tokens[b].end:tokens[b].end + 1] == ".") and len(surface) <= 5:
            hits = [h for h in hits if h.candidate.feature in ("country", "region")]
            return hits
        # All-caps short tokens are acronyms (ISIS, SAA) unless they name a country, an airfield code or,
        # from three letters on, a region's usual abbreviation (NSW, QLD; two-letter state codes collide).
        # A dateline ("ADEN (Reuters) —", "GOMA, Congo (AP) —") is a place in capitals, not an acronym.
        if surface.isupper() and len(surface.replace(" ", "")) <= 5 and not is_dateline(text, tokens[a].start,
                                                                                         tokens[b].end):
            # Dotted initials ("B.C.", "N.Y.") are written abbreviations, not an organisation's acronym.
            dotted = bool(_DOTTED.fullmatch(surface + ("." if text[tokens[b].end:tokens[b].end + 1] == "." else "")))
            hits = [h for h in hits if (h.candidate.feature in ("country", "air base") and h.kind <= 2)
                    or (h.candidate.feature == "region" and (dotted or len(surface) >= 3 and surface.isalpha()))]
            if not hits:
                return []
        if len(surface) <= 2 and not surface.isupper():
            return []
        if len(surface) <= 3 and not surface.isupper():
            # A three-letter short form is an acronym ("CAR", "DRC"): written "Car" it is the word ("Car bomb
            # kills 9"), so only a place's own name of that length ("Hue", "Ufa") stands.
            hits = [h for h in hits if norm(h.candidate.name) == norm(surface)]
            if not hits:
                return []
        after_text = text[tokens[b].end:tokens[b].end + 40]
        if _NAMED_AFTER.search(after_text):
            return []  # "Marburg virus", "Lassa fever": named after a place, not about it
        if single and zipf(words[0]) >= 4.0:
            hits = [h for h in hits if not (h.kind >= 2 and h.candidate.feature == "region")]  # "South" region
            if not hits:
                return []

        # The rest of the capitalised run: titles, given names, organisation words or unknown names.
        # Only the words near the match are read, so a long run of capitalised words stays linear.
        pos, end = where[a], where[b] + 1
        before = [i for i in seq[max(0, pos - _CONTEXT_WORDS):pos] if i not in covered]
        after = [i for i in seq[end:end + _CONTEXT_WORDS] if i not in covered]
        if before and tokens[before[0]].sentence_start and zipf(tokens[before[0]].text) >= 2.0 and tokens[before[0]].text not in lex.first_names:
            before = before[1:]  # "Recapturing Palmyra": a capitalised sentence opener is not part of the name
        prev_word = tokens[a - 1].text if a > 0 else ""
        prev_gap = text[tokens[a - 1].end:tokens[a].start] if a > 0 else ""
        if prev_word in lex.titles and prev_gap.strip() in ("", "."):
            return []
        if not headline:
            if before and (tokens[before[-1]].text in lex.first_names or tokens[before[-1]].text in lex.titles):
                return []
            rest = [tokens[i].text for i in before + after]
            # "Kentucky State Police", "Damascus University": the place inside an organisation's name still
            # says where it is; outlets and armies named as a whole are in the not-places list instead.
            org = after and tokens[after[0]].text in lex.org_heads
            unknown = [w for w in rest if w not in lex.place_heads and w not in lex.demonyms
                       and w.lower() not in _CONNECTORS and not (org and w in lex.org_heads)]
            big_by_name = max((h.candidate.population for h in hits if h.kind <= 1), default=0) >= 100_000
            if unknown and not (big_by_name and before and not after) \
                    and not self._opens_an_institution(tokens, seq, a, before, after, hits):
                return []  # "CTV Edmonton" keeps Edmonton; "Omar Sanadiki" is a person
            if single and words[0] in lex.first_names and after:
                return []
        # Common words: need to be a big or strong place to count where capitals are unreliable.
        strong = any(h.candidate.feature in _FEATURE_STRONG and h.kind <= 1 for h in hits)
        biggest = max(h.candidate.population for h in hits)
        if single and not strong and _GROUP_AFTER.search(after_text):
            return []
        if single and _SPEECH_AFTER.search(after_text) and not strong and biggest < 100_000:
            return []  # "Dunn said": a person
        if single and not strong and biggest < 100_000 and (_AGE_AFTER.search(after_text) or words[0] in lex.titles
                                      or _SPEECH_BEFORE.search(text[max(0, tokens[a].start - 12):tokens[a].start])):
            return []  # "said Mather", "Mather, 22,", "the Pope"
        if single:
            z = zipf(words[0])
            if z >= 5.5 and not (surface.isupper() and strong):
                return []  # function words ("For", "Has", "No") in headlines
            at_start = tokens[a].sentence_start or headline
            if at_start and z >= 4.0 and not strong and biggest < 1_000_000:
                return []
            if at_start and z >= 3.0 and not strong and biggest < 100_000:
                return []  # "Parachute drops ...": an ordinary word opening a sentence
            if not at_start and z >= 4.6 and not strong and biggest < 100_000:
                return []
            if z >= 4.0 and not strong and all(h.kind >= ALTERNATE for h in hits):
                return []  # "Act": a common word that is only some town's alternate name (a code, a translation)
            if single and words[0] in lex.first_names and not strong and biggest < 200_000:
                nxt = tokens[b + 1] if b + 1 < len(tokens) else None
                if nxt is not None and nxt.cap and _joined(text, tokens[b], nxt):
                    return []
        return hits
