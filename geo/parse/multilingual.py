"""Place names in Arabic, Russian and Ukrainian text.

Arabic has no capital letters and attaches conjunctions, prepositions and the article to words
(بتدمر، والرقة); Russian and Ukrainian inflect names (в Пальмире, під Бахмутом). Here a token becomes
lookup keys — clitics stripped for Arabic, dictionary forms from pymorphy3 (ru, uk) for Cyrillic — and
the keys are looked up in the same gazetteer index. Offsets always index the original text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

from geo.gazetteer import Gazetteer, NameHit, norm
from geo.parse.language import detect_language  # noqa: F401 (re-exported for callers)
from geo.parse.lexicon import Lexicon
from geo.text import ARABIC_LETTERS, scripts_in
from geo.text import runs as name_runs
from geo.types import Match, Mention

_CYR_TOKEN = re.compile(r"[А-ЯЁІЇЄҐа-яёіїєґ][А-ЯЁІЇЄҐа-яёіїєґ'’ʼ\-]*")
_AR_TOKEN = re.compile(rf"[{ARABIC_LETTERS}][{ARABIC_LETTERS}\u0640\u064B-\u065F\u0670]*")
_AR_PROCLITICS = ("و", "ف", "ب", "ل", "ك")
_ARABIC_COUNTRIES = frozenset("SY IQ LB JO EG SA YE PS IL LY TN DZ MA SD AE QA KW BH OM MR SO DJ KM TR IR".split())
# Words that follow an adjective to make a region name ("Донецкой области", "Харківської області").
_REGION_NOUNS = frozenset("область области обл районе район района областью губернии провинции провинция "
                          "мухафазы мухафаза області областю району".split())
_AR_STOP = frozenset("""من في على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين بعد قبل عند حتى كما لكن أو او ثم قد
لقد كان كانت يكون تكون غير بين حول خلال ضد منذ أن ان إن لا لم لن ما هو هي هم نحن أنا كل بعض أي اي عام يوم قال
قالت وقال وقالت أمس اليوم الآن جدا أيضا ايضا فقط حيث هناك هنا مدينة بلدة قرية محافظة منطقة ريف شمال جنوب شرق غرب
الجيش القوات قوات الشرطة الحكومة الدولة دولة تنظيم داعش مقاتلي مقاتلو عناصر المعارضة النظام الروسي الروسية
السوري السورية العراقي العراقية مسلحين مسلحون الطائرات طائرات صواريخ قصف هجوم اشتباكات معارك
صيف شتاء ربيع خريف بداية نهاية منتصف أواخر أوائل شهر أسبوع سنة ظل إطار وقت حين أعقاب أثناء""".split())


# Words after which a name is where something is or happens.
_AR_LOCATIVES = frozenset("في إلى الى على من قرب نحو داخل مدينة بلدة قرية ريف محافظة منطقة مدينتي بمدينة وفي "
                          "بلدتي ومدينة".split())


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru"), pymorphy3.MorphAnalyzer(lang="uk")


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str


@lru_cache(maxsize=100_000)
def _cyrillic_forms(word: str) -> tuple[tuple[str, ...], bool]:
    """Dictionary forms of an inflected word, and whether it is only a person's name."""
    ru, uk = _morph()
    forms = [word.lower()]
    person = True
    geo_seen = False
    adjective = True
    any_adjective = False
    for analyzer in ((uk, ru) if any(c in "іїєґІЇЄҐ" for c in word) else (ru, uk)):
        for p in analyzer.parse(word)[:6]:
            tag = str(p.tag)
            if "Geox" in tag:
                geo_seen = True
            if not any(t in tag for t in ("Name", "Surn", "Patr")):
                person = False
            if "ADJF" not in tag:
                adjective = False
            else:
                any_adjective = True
            forms.append(p.normal_form)
            if "ADJF" in tag:  # "Донецкой" → "донецкая" (область), "донецкое", "донецкий"
                for gender in ("femn", "neut", "masc"):
                    inf = p.inflect({gender, "nomn", "sing"}) or p.inflect({gender, "nomn"})
                    if inf:
                        forms.append(inf.word)
                nf = p.normal_form
                if analyzer is uk and nf.endswith("ий"):  # донецький → донецька (область), донецьке
                    forms += [nf[:-2] + "а", nf[:-2] + "е"]
    low = word.lower()
    for ending, repl in (("ы", "а"), ("и", "а"), ("и", "я"), ("е", "а"), ("у", "а"), ("ой", "а"), ("ою", "а"),
                         ("і", "а"), ("ю", "я")):
        if low.endswith(ending) and len(low) > 3:  # names the dictionaries do not know: "Хамы" → "Хама"
            forms.append(low[: -len(ending)] + repl)
    out = tuple(dict.fromkeys(f for f in forms if f))
    # A lone adjective ("Донецкой" without "области") names no place; neither does a person's name.
    # "Українська" делегація: an adjective reading makes a lone word a weak name.
    return out, (person or adjective or (any_adjective and word[:1].isupper() and word.endswith(_ADJ_ENDINGS))) \
        and not geo_seen


_ADJ_ENDINGS = ("ий", "ій", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "а", "і", "е", "ої", "ій", "ого", "ому", "ым", "им")


@lru_cache(maxsize=100_000)
def _is_given_name(word: str) -> bool:
    """"Иван" Петров: a first name (not a one-letter preposition that pymorphy reads as an initial)."""
    if len(word) < 3:
        return False
    ru, uk = _morph()
    return any("Name" in str(p.tag) and "Init" not in str(p.tag) and "plur" not in str(p.tag)
               for an in (ru, uk) for p in an.parse(word)[:1])


# "Куп'янська", "Краматорска": the genitive (or dative, instrumental...) of a town in -ськ/-ск reads like
# an adjective, so the stem itself is looked up too.
_TOWN_CASE = re.compile(r"^(.+(?:ськ|цьк|ск|цк))(?:а|у|ом|ові|е|і)$")
# Countries where news names places in Cyrillic.
_CYRILLIC_COUNTRIES = frozenset("UA RU BY KZ KG TJ UZ TM MD AM AZ GE MN BG RS MK ME BA".split())


def _town_stem(word: str) -> str | None:
    """The -ськ/-ск stem of a rare word in such a case; a common adjective ("Українська") has none."""
    m = _TOWN_CASE.match(word.lower())
    if m is None or max(zipf_frequency(word.lower(), lang) for lang in ("uk", "ru")) >= 3.0:
        return None
    return m.group(1)


@lru_cache(maxsize=100_000)
def _is_common_noun(word: str) -> bool:
    """A sentence opener that reads as an everyday noun ("Сили оборони", "Війська"), not a name."""
    analyzers = _morph()[::-1] if any(c in "іїєґІЇЄҐ" for c in word) else _morph()
    for analyzer in analyzers:  # either language's first reading ("Колона": a column, in Ukrainian)
        top = analyzer.parse(word)[0]
        if top.tag.POS == "NOUN" and not any(t in str(top.tag) for t in ("Geox", "Name", "Surn", "Orgn")):
            return True
    return False


_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "ADVB", "NPRO", "PRED", "INTJ", "VERB", "INFN", "COMP", "NUMR"})


@lru_cache(maxsize=100_000)
def _is_function_word(word: str) -> bool:
    """A capitalised sentence opener that cannot be a name ("Біля", "После")."""
    ru, uk = _morph()
    analyzer = uk if any(c in "іїєґІЇЄҐ" for c in word) else ru
    p = analyzer.parse(word)[0]
    return p.tag.POS in _FUNCTION_POS


def _arabic_variants(word: str) -> list[tuple[int, str]]:
    """(characters stripped at the front, remaining word) for the word and its proclitics removed."""
    out = [(0, word)]
    for i in range(1, 3):
        head, rest = word[:i], word[i:]
        if len(rest) < 3 or not all(c in _AR_PROCLITICS for c in head):
            continue
        out.append((i, rest))
        if head.endswith("ل") and rest.startswith("ل"):
            out.append((i, "ا" + rest))  # "للرقة" = ل + الرقة
    return out


class MultilingualRecognizer:
    """Cyrillic and Arabic place mentions, looked up in the shared gazetteer index."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon | None = None):
        self.gazetteer = gazetteer
        self.lexicon = lexicon

    def find(self, text: str) -> list[Match]:
        scripts = scripts_in(text)
        out: list[Match] = []
        if "cyrillic" in scripts:
            out += self._cyrillic(text)
        if "arabic" in scripts:
            out += self._arabic(text)
        if self.lexicon is not None:  # "قوات سوريا الديمقراطية" names an army, not Syria
            blocked = self.lexicon.not_place_spans(text)
            out = [m for m in out if not any(min(m.mention.end, e) > max(m.mention.start, s) for s, e in blocked)]
        return out

    # ------------------------------------------------------------------------------ Cyrillic
    def _cyrillic(self, text: str) -> list[Match]:
        toks = [_Tok(m.start(), m.end(), m.group()) for m in _CYR_TOKEN.finditer(text)]
        # Capitalised words, and a lower-case region noun after one ("Донецкой области").
        runs = name_runs(len(toks), lambda i, linked: toks[i].text[0].isupper() or (
            linked and toks[i].text.lower() in _REGION_NOUNS), lambda i, j: text[toks[i].end:toks[j].start] == " ")
        forms = {}
        for run in runs:
            for i in run:
                forms[i] = _cyrillic_forms(toks[i].text)
        keys: dict[tuple[int, int], list[str]] = {}
        for run in runs:
            for a in range(len(run)):
                for b in range(a, min(len(run), a + 3)):
                    width = 12 if a == b else 6  # "Часового Яру": the Ukrainian lemma is a 5th form
                    parts = [forms[run[k]][0][:width] for k in range(a, b + 1)]
                    combos = itertools.islice(itertools.product(*parts), 40)
                    keys[(run[a], run[b])] = list(dict.fromkeys(norm(" ".join(c)) for c in combos))
        stems = [norm(st) for run in runs for i in run if (st := _town_stem(toks[i].text))]
        found = self.gazetteer.lookup(itertools.chain((k for ks in keys.values() for k in ks), stems))
        matches = []
        for run in runs:
            pos = 0
            while pos < len(run):
                hit = None
                for end in range(min(len(run), pos + 3) - 1, pos - 1, -1):
                    hits = [h for k in keys[(run[pos], run[end])] for h in found.get(k, [])]
                    if hits:
                        hit = (end, hits)
                        break
                if hit is None:
                    pos += 1
                    continue
                end, hits = hit
                a, b = toks[run[pos]], toks[run[end]]
                single_person = pos == end and forms[run[pos]][1]
                prev = toks[run[pos] - 1] if run[pos] > 0 else None
                after_name = prev is not None and prev.end + 1 == a.start and prev.text[:1].isupper() \
                    and _is_given_name(prev.text)  # pymorphy guesses "поблизу" as a name too
                stem = _town_stem(a.text) if pos == end else None
                if single_person and stem and found.get(norm(stem)):
                    hits, single_person = found[norm(stem)], False
                lead = text[max(0, a.start - 200):a.start].rstrip()
                sentence_start = (not lead and a.start < 200) or (bool(lead) and lead[-1] in ".!?\n«\"")
                strong = any(h.candidate.feature in ("country", "region") for h in hits)
                big = max(h.candidate.population for h in hits) >= 50_000 or strong
                opener = sentence_start and pos == end and not strong and (_is_function_word(a.text) or (
                    _is_common_noun(a.text) and max(h.candidate.population for h in hits) < 200_000
                    and not any(h.candidate.country in _CYRILLIC_COUNTRIES for h in hits)))
                if not (single_person and not big) and not opener and not after_name:
                    matches.append(Match(Mention(a.start, b.end, text[a.start:b.end]), tuple(_dedupe(hits))))
                pos = end + 1
        return matches

    # ------------------------------------------------------------------------------ Arabic
    def _arabic(self, text: str) -> list[Match]:
        toks = [_Tok(m.start(), m.end(), m.group()) for m in _AR_TOKEN.finditer(text)]
        keys: dict[tuple[int, int], list[tuple[int, str]]] = {}
        for a in range(len(toks)):
            for b in range(a, min(len(toks), a + 3)):
                if any(text[toks[k].end:toks[k + 1].start] != " " for k in range(a, b)):
                    break
                tail = " ".join(t.text for t in toks[a + 1:b + 1])
                keys[(a, b)] = [(cut, norm(f"{w} {tail}".strip())) for cut, w in _arabic_variants(toks[a].text)]
        found = self.gazetteer.lookup(k for ks in keys.values() for _, k in ks)
        matches = []
        a = 0
        while a < len(toks):
            best = None
            for b in range(min(len(toks), a + 3) - 1, a - 1, -1):
                for cut, k in keys.get((a, b), []):
                    hits = [h for h in found.get(k, []) if self._arabic_ok(h)]
                    if hits and not (a == b and toks[a].text[cut:] in _AR_STOP):
                        best = (b, cut, hits)
                        break
                if best:
                    break
            if best is None:
                a += 1
                continue
            b, cut, hits = best
            start, end = toks[a].start + cut, toks[b].end
            word = text[start:end]
            strong = any(h.candidate.feature in ("country", "region", "facility") for h in hits)
            z, pop = zipf_frequency(word, "ar"), max(h.candidate.population for h in hits)
            # A frequent word names a place only after a locative ("إلى الطبقة", "مدينة دوما", "بدوما") or
            # joined to a place just found ("دوما والطبقة"); and
            # "وأن" (and that), also how Arabic writes Van, is too frequent to be a place at all.
            locative = (a > 0 and toks[a - 1].text in _AR_LOCATIVES and toks[a - 1].end + 1 == toks[a].start) \
                or "ب" in toks[a].text[:cut] \
                or (cut and toks[a].text[0] == "و" and matches and matches[-1].mention.end + 1 == toks[a].start)
            common = not strong and ((z >= 3.0 and pop < 20_000 and not locative)
                                     or (z >= 4.5 and pop < 200_000 and not locative)
                                     or (z >= 5.3 and pop < 5_000_000))
            if len(word.replace(" ", "")) >= 3 and not common:
                matches.append(Match(Mention(start, end, word), tuple(_dedupe(hits))))
            a = b + 1
        return matches

    @staticmethod
    def _arabic_ok(h: NameHit) -> bool:
        """Arabic names of places where Arabic names are used, or of places that matter everywhere."""
        c = h.candidate
        return h.kind <= 1 and (c.feature in ("country", "region", "continent", "sea", "facility", "river")
                                or c.country in _ARABIC_COUNTRIES or c.population >= 500_000)


def _dedupe(hits: list[NameHit]) -> list[NameHit]:
    best: dict[int, NameHit] = {}
    for h in hits:
        if h.candidate.key not in best or h.kind < best[h.candidate.key].kind:
            best[h.candidate.key] = h
    return list(best.values())
