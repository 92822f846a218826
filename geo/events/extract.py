"""Events: who did what where, per sentence, in ACLED's terms (event type, sub-event type, actors).

A lexicon of trigger patterns (data/events/triggers.csv, and triggers.ru.csv / triggers.uk.csv /
triggers.ar.csv for Russian, Ukrainian and Arabic) and an editable actor dictionary (data/events/actors.csv,
with names in other languages in actor_names.csv and "российские войска"-style phrases in forces.csv) — no
statistical model. Each event keeps its evidence sentence, the place mention its trigger attaches to ("near
Palmyra", "под Бахмутом", "قرب تدمر"), a location precision, and a modality, so that intent, plans and
possibilities ("would be able to", "планирует", "تعتزم") are kept apart from what happened.

What differs between languages besides the lexicon — how a place is introduced, the words of negation and
modality, where the subject stands — is one `_Grammar` per script (Latin, Cyrillic, Arabic).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from geo.events.actors import event_country, fill_name, inter_code, interaction, load_national
from geo.events.dates import parse_published
from geo.events.lexicon import (  # noqa: F401  (ACLED_TYPES, EVENTS_DIR, LANGUAGES: re-exported)
    ACLED_TYPES, EVENTS_DIR, LANGUAGES, NAME_CHAR, ActorMention, EventLexicon, Trigger, load_event_lexicon,
)
from geo.events.place import narrowed
from geo.events.record import complete
from geo.events.types import passive_kill, retype
from geo.text import ARABIC as _ARABIC, CYRILLIC as _CYRILLIC, sentence_spans
from geo.types import Event, ResolvedMention

# Scripts: a text without Cyrillic or Arabic letters (geo.text) takes the English path unchanged (and fast).
_UK_LETTERS = re.compile(r"[ІіЇїЄєҐґ]")
_RU_LETTERS = re.compile(r"[ЫыЭэЪъЁё]")



@dataclass(frozen=True)
class _Grammar:
    """What differs by script besides the lexicon: locatives, the direct object, modality words."""

    locative: re.Pattern  # groups "exact" / "near" before a place, ending at the place
    direct_object: re.Pattern  # the gap between a trigger and a place it governs ("shelled Homs")
    object_first: bool  # try the direct object before locatives (English word order)
    negation: re.Pattern
    threat: re.Pattern
    intent: re.Pattern
    possible: re.Pattern
    passive_by: re.Pattern  # "shelled by", "со стороны", "من قبل": the actor after it is actor 1
    verb_first: bool  # the subject may follow the verb ("قصفت قوات النظام", "ударили российские войска")
    clause_marks: str


_LOC_EXACT = r"in|at|inside|into|on|to|of|across|throughout|à|au|aux|dans|en|sur"  # French reports of the Sahel
_LOC_NEAR = (r"near|outside|around|close to|outskirts of|edge of|north of|south of|east of|west of|"
             r"north-east of|north-west of|south-east of|south-west of|northeast of|northwest of|southeast of|"
             r"southwest of|towards|toward|km from|kilometres from|kilometers from|miles from|from|près de|non loin de|"
             r"aux environs de|autour de|à proximité de|dans les environs de|vers")

_ENGLISH = _Grammar(
    locative=re.compile(rf"(?:\b(?P<exact>{_LOC_EXACT})|\b(?P<near>{_LOC_NEAR}))\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,3}}$",
                        re.IGNORECASE),
    direct_object=re.compile(r"^\s+(?:[a-z]+\s+){0,1}$"),
    object_first=True,
    negation=re.compile(r"\b(?:did not|didn't|does not|doesn't|do not|don't|never|no|denied|denies|deny|"
                        r"without|not)\b[^.;,]{0,30}$", re.IGNORECASE),
    threat=re.compile(r"\bthreat(?:en(?:s|ed|ing)?)? to\b[^.;]{0,40}$", re.IGNORECASE),
    intent=re.compile(r"\b(?:plan(?:s|ned|ning)? to|intend(?:s|ed)? to|intends|aim(?:s|ed)? to|want(?:s|ed)? to|"
                      r"seek(?:s|ing)? to|determined to|prepar(?:es|ing|ed) to|(?-i:will)|is going to|are going to|"
                      r"vow(?:s|ed)? to|pledged to|promised to|planning to use|ready to)\b[^.;]{0,60}$", re.IGNORECASE),
    # "would-be" (a would-be bomber) describes a person, and "feared dead" hedges the toll, not the event.
    possible=re.compile(r"\b(?:would(?!-be)|could|might|(?-i:may)(?!\s*\d)|can|cannot|can't|likely to|able to|if|unless|"
                        r"risk of|fears? of|feared(?! (?:dead|killed|drowned|missing))|expected to|allow)\b[^.;]{0,60}$",
                        re.IGNORECASE),
    passive_by=re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE),
    verb_first=False,
    clause_marks=";",
)

# Russian and Ukrainian share one grammar: their prepositions and modal words differ but do not collide.
# "в районе", "на окраине" are tried before "в", "на" (near before exact); the locative nearest the place wins.
_CYR_NEAR = (r"возле|около|под|подо|близ|вблизи|недалеко от|неподал[её]ку от|в районе|в окрестностях|окрестност\w*|"
             r"на подступах к|к (?:северу|югу|востоку|западу|северо-востоку|северо-западу|юго-востоку|юго-западу) от|"
             r"севернее|южнее|восточнее|западнее|км от|километрах от|в направлении|в сторону|к|из|от|со стороны|"
             r"біля|поблизу|неподалік(?: від)?|поруч (?:з|із)|під|в районі|у районі|на підступах до|"
             r"на (?:північ|південь|схід|захід|північний схід|північний захід|південний схід|південний захід) від|"
             r"північніше|південніше|східніше|західніше|в напрямку|у напрямку|км від|кілометрах від|з|із|зі|від|"
             r"окраин\w*|пригород\w*|околиц\w*|передмісті?\w*")
_CYR_EXACT = r"в|во|на|у|по|за|над|внутри|всередині|до|через|вглубь|углиб|жител\w*|мешканц\w*"  # "жители Алеппо"
_CYRILLIC_GRAMMAR = _Grammar(
    locative=re.compile(rf"^(?s:.*)(?<!\w)(?:(?P<near>{_CYR_NEAR})|(?P<exact>{_CYR_EXACT}))\s+(?:{NAME_CHAR}+\s+){{0,3}}$",
                        re.IGNORECASE),
    direct_object=re.compile(r"^\s+(?:(?:город|города|село|села|посёлок|поселок|посёлка|поселка|місто|міста|селище|"
                             r"селища|станицу|станиці|районы|район)\s+)?$", re.IGNORECASE),
    object_first=False,
    negation=re.compile(r"(?<!\w)(?:не(?!\s+(?:только|лише|тільки|менее|меньше|менше|раз)\b)|"
                        r"ни|нет|ні|никогда|ніколи|опроверг\w*|отрица\w*|спростува\w*|спростову\w*|заперечи\w*|"
                        r"заперечу\w*|без)(?!\w)[^.;,]{0,30}$", re.IGNORECASE),
    threat=re.compile(r"(?<!\w)(?:угрож\w*|угроз\w*|пригрози\w*|грозит\w*|грозя\w*|погрож\w*|погрози\w*|загроз\w*|"
                      r"загрожу\w*)(?!\w)[^.;]{0,40}$", re.IGNORECASE),
    intent=re.compile(r"(?<!\w)(?:план\w*|намерен\w*|намерева\w*|намір\w*|собира\w*ся|збира\w*ся|готов\w*ся|готу\w*ся|"
                      r"готов[аыі]?|хочет|хотят|хоче|хочуть|стрем\w*ся|прагн\w*|пообеща\w*|обеща\w*|пообіця\w*|"
                      r"обіця\w*|покля\w*|будет|будут|буде|будуть|решил\w*|вирішил\w*|задума\w*)(?!\w)[^.;]{0,60}$",
                      re.IGNORECASE),
    possible=re.compile(r"(?<!\w)(?:может|могут|мог(?:ли|ла|ло)?|смож\w*|возможн\w*|вероятн\w*|не исключ\w*|если|бы|б|"
                        r"способн\w*|риск\w*|опаса\w*ся|ожида\w*ся|може|можуть|міг|могли|змож\w*|можлив\w*|ймовірн\w*|"
                        r"імовірн\w*|якщо|би|здатн\w*|ризик\w*|побою\w*ся|очіку\w*ся|прогноз\w*)(?!\w)[^.;]{0,60}$",
                        re.IGNORECASE),
    passive_by=re.compile(r"(?<!\w)(?:со стороны|силами|з боку|силами)\s+$", re.IGNORECASE),
    verb_first=True,
    clause_marks=";",
)

# Arabic: "قرب تدمر", "بالقرب من", "في ريف حماة", "بتدمر" (ب attached to the name), "في بيروت وطرابلس" (و attached).
_AR_NEAR = (r"(?:ب|في\s+)?(?:القرب من|قرب|مقربة من|محيط|أطراف|اطراف|ضواحي|ريف|(?:شمال|جنوب)(?:\s*(?:شرق|غرب))?ي?|"
            r"شرقي?|غربي?|اتجاه|نحو)|على بعد .{1,20}? من|من|حول")
_AR_PLACE_NOUNS = r"(?:ال)?(?:مدينة|بلدة|قرية|محافظة|منطقة|مخيم|حي|سوق|شارع|ريف)"
_ARABIC_GRAMMAR = _Grammar(
    locative=re.compile(rf"^(?s:.*)(?<!\w)[وف]?(?:(?P<near>{_AR_NEAR})\s+(?:\w+\s+){{0,3}}|"
                        rf"(?P<exact>في|داخل|على|إلى|الى|عند|سكان|أهالي|اهالي|شهد\w*|تعرض\w*)\s+(?:\w+\s+){{0,3}}|"
                        rf"(?P<bexact>ب)(?:{_AR_PLACE_NOUNS}\s+(?:\w+\s+)?)?)[وف]?$"),
    direct_object=re.compile(r"^\s+(?:\w+\s+){0,3}$"),
    object_first=False,
    negation=re.compile(r"(?<!\w)[وف]?(?:لم|لا(?!\s+(?:يزال|تزال|زال|سيما))|لن|ليس|ليست|نفى|نفت|نفي|[يت]نفي|دون|بدون|"
                        r"عدم)(?!\w)[^.;,،؛]{0,30}$"),
    threat=re.compile(r"(?<!\w)[وف]?(?:هدد\w*|[يت]هدد\w*|تهديد\w*|توعد\w*|[يت]توعد\w*)(?!\w)[^.;،؛]{0,40}$"),
    intent=re.compile(r"(?<!\w)[وف]?(?:[يت]عتزم\w*|اعتزم\w*|عازم\w*|اعتزام|[يت]خطط\w*|خطط\w*|خطة|[يت]نوي|نية|"
                      r"[يت]سعى|سعيا?|[يت]ستعد\w*|استعد\w*|سوف|[يت]ريد\w*|تعهد\w*|[يت]تعهد\w*|قرر\w*)(?!\w)[^.;؛]{0,60}$"),
    possible=re.compile(r"(?<!\w)[وف]?(?:قد(?=\s+[يتنأ])(?!\s+تم)|يمكن\w*|[يت]تمكن\w*|بإمكان\w*|ربما|المحتمل|محتمل\w*|احتمال\w*|إذا|اذا|لو|"
                        r"قادر\w*|[يت]توقع\w*|متوقع\w*|خشية|مخاوف|[يت]خشى)(?!\w)[^.;؛]{0,60}$"),
    passive_by=re.compile(r"(?<!\w)(?:من قبل|على يد|بواسطة)\s+$"),
    verb_first=True,
    clause_marks=";؛",
)

_PASSIVE_PARTICIPLE = re.compile(r"(?:[аяеё]н|[аяеё]ны|[аяеё]на|[аяеё]но|[аяеё]ні)$", re.IGNORECASE)
_COORDINATION = re.compile(r"\s*(?:,|и|і|й|та|а также|و|,\s*و)?\s*(?:و)?$")
_DISPUTED = re.compile(r"\b(?:a claim|claims?|reports?|which|but|though|although|while)\b[^.;]{0,60}?\b(?:denied|denies|"
                       r"deny|rejected|rejects|disputed|disputes|dismissed)\b|\b(?:denied|denies|rejected) "
                       r"(?:the |this |that )?(?:claim|report|account)", re.IGNORECASE)
_POSSIBLE_AFTER = re.compile(r"^\w*\s+[^.;,]{0,40}?\b(?:would(?!-be)|could|might|(?-i:may)(?!\s*\d))\b", re.IGNORECASE)



def _languages(text: str) -> frozenset[str]:
    """The lexicons to use on a text: English always; Russian or Ukrainian (by their own letters) and Arabic
    when the text has those scripts. A Cyrillic text with neither's own letters gets both."""
    langs = {"en"}
    if _CYRILLIC.search(text):
        uk, ru = len(_UK_LETTERS.findall(text)), len(_RU_LETTERS.findall(text))
        langs |= {"uk"} if uk > ru else {"ru"} if ru > uk else {"ru", "uk"}
    if _ARABIC.search(text):
        langs.add("ar")
    return frozenset(langs)


_LATIN = re.compile(r"[A-Za-z]")


def _grammar_of(text: str, s: int, e: int) -> _Grammar:
    """The grammar of the script most of the sentence is written in ("Clashes in دير الزور" is English)."""
    ar, cyr = _ARABIC.search(text, s, e), _CYRILLIC.search(text, s, e)
    if not (ar or cyr):
        return _ENGLISH
    if not (ar and cyr) and not _LATIN.search(text, s, e):
        return _ARABIC_GRAMMAR if ar else _CYRILLIC_GRAMMAR
    counts = {g: len(rx.findall(text, s, e)) for g, rx in
              ((_ARABIC_GRAMMAR, _ARABIC), (_CYRILLIC_GRAMMAR, _CYRILLIC), (_ENGLISH, _LATIN))}
    return max(counts, key=counts.get)


def _modality(text: str, sent_start: int, trig_start: int, trig_end: int, g: _Grammar = _ENGLISH,
              future: bool = False) -> str:
    clause_start = max([sent_start] + [text.rfind(c, sent_start, trig_start) + 1 for c in g.clause_marks])
    before = text[clause_start:trig_start]
    if g.negation.search(before[-60:]):
        return "negated"
    if g.threat.search(before):
        return "threat"
    if future or g.intent.search(before):  # future: Arabic "ستقصف" (will shell)
        return "intent"
    if g.possible.search(before):
        return "possibility"
    if g is _ENGLISH and trig_start - sent_start < 3 and _POSSIBLE_AFTER.search(text[trig_end:trig_end + 60]):
        return "possibility"  # "Recapturing Palmyra would ...": a gerund subject of a conditional
    end = text.find(".", trig_end)
    if g is _ENGLISH and _DISPUTED.search(text, trig_end, len(text) if end < 0 else end):
        return "disputed"  # "Russia said it captured X, a claim Kyiv denied"
    return "fact"


_WEAPON_VERB = re.compile(r"\b(?P<weapon>drones?|jets|warplanes|aircraft|bombers|helicopters|missiles|rockets|artillery|"
                          r"mortars)\s+(?:\w+\s+)?(?:struck|hit|attacked|pounded|targeted|bombed|shelled|fired)\b",
                          re.IGNORECASE)
_AIR_WEAPONS = ("drone", "jets", "warplanes", "aircraft", "bombers", "helicopters")


_AREAS = ("region", "country", "continent", "sea", "river")
# "Cabo Delgado's port of Mocimboa da Praia", "Borno State's town of Gwoza", "Idlib province, in the town of X"
_NARROWER = re.compile(r"^(?:['’]s)?,?\s+(?:(?:in\s+)?(?:the\s+)?(?:\w+\s+)?(?:port|town|city|village|district|capital|"
                       r"locality|commune|area|suburb|neighbou?rhood|camp)\s+(?:of\s+)?)$", re.IGNORECASE)


def _location(text: str, sent: tuple[int, int], trig_start: int, places: list[ResolvedMention], trig_end: int = -1,
              g: _Grammar = _ENGLISH):
    """The place the trigger attaches to, and how precisely: the most specific one ("a province's town of X")."""
    place, precision = _location1(text, sent, trig_start, places, trig_end, g)
    if place is not None and place.feature in _AREAS:
        nxt = next((q for q in places if q.start >= place.end), None)
        if nxt is not None and nxt.feature not in _AREAS and _NARROWER.match(text[place.end:nxt.start]):
            return nxt, 1
    return place, precision


def _location1(text: str, sent: tuple[int, int], trig_start: int, places: list[ResolvedMention], trig_end: int = -1,
               g: _Grammar = _ENGLISH):
    """The place the trigger attaches to, and how precisely: after the trigger first, then before it."""
    after = [p for p in places if p.start >= trig_start]
    # A place right before the trigger is its subject ("Russia struck"), not where it happened; not so where
    # the noun comes last ("في بيروت وطرابلس احتجاجا": a locative still has to introduce it).
    before = [p for p in places if p.end <= trig_start and (text[p.end:trig_start].strip() or not g.object_first or
                                                            g.locative.search(text[max(sent[0], p.start - 60):p.start]))][::-1]
    if g.object_first:
        for p in after[:1]:
            if trig_end > 0 and g.direct_object.match(text[trig_end:p.start]):
                return p, 3 if p.feature in ("region", "country", "continent") else 1  # "Shelling hit Homs"
    for group in (after, before):
        origin = None
        for p in group:
            lo, hi = sorted((trig_start, p.start))
            if text.count("(", lo, hi) > text.count(")", lo, hi):
                continue  # a place inside a parenthesis ("banned in Russia") is an aside
            window = text[max(sent[0], p.start - 60):p.start]
            m = g.locative.search(window)
            if m and abs(p.start - trig_start) < 260:
                precision = 2 if m.group("near") else 1
                if p.feature in ("region", "country", "continent", "sea", "river"):
                    precision = 3
                if g is _ENGLISH and m.group(0).lower().startswith("from") and origin is None:
                    # "a rocket fired from southern Lebanon slammed into a house in Kiryat Shmona": where it
                    # came from, unless no place says where it landed
                    origin = (p, precision)
                    continue
                return p, precision
            if not g.object_first and after and p is after[0] and trig_end > 0 and p.start >= trig_end \
                    and g.direct_object.match(text[trig_end:p.start]):
                return p, 3 if p.feature in ("region", "country", "continent") else 1  # "обстреляли Херсон"
        if origin is not None:
            return origin
    if not g.object_first:
        for p in after[:1]:
            if p.start < trig_end:  # "атакували Херсон дронами": the object inside a trigger that spans it
                return p, 3 if p.feature in ("region", "country", "continent") else 1
    return None, None


class EventExtractor:
    def __init__(self, lexicon: EventLexicon | None = None):
        self.lexicon = lexicon or load_event_lexicon()

    def extract(self, text: str, places: list[ResolvedMention], published=None) -> list[Event]:
        """The events of a text over its resolved places; `published` (a date or YYYY-MM-DD) dates
        "on Monday", and dates events whose text gives no date."""
        spans = sentence_spans(text)
        ordered = sorted(places, key=lambda p: p.start)
        return complete(narrowed(self._extract(text, places), text, ordered, spans), text, ordered,
                        parse_published(published), spans)

    def _extract(self, text: str, places: list[ResolvedMention]) -> list[Event]:
        foreign = _CYRILLIC.search(text) is not None or _ARABIC.search(text) is not None
        langs = _languages(text) if foreign else frozenset({"en"})
        actors = self.lexicon.actor_mentions(text, langs)
        places = sorted(places, key=lambda p: p.start)
        place_starts = [p.start for p in places]
        actor_starts = [a.start for a in actors]
        foreign_triggers = [t for lang in sorted(langs - {"en"}) for t in (self.lexicon.foreign_triggers or {}).get(lang, ())]
        events: list[Event] = []
        for s, e in sentence_spans(text):
            g = _grammar_of(text, s, e) if foreign else _ENGLISH
            triggers = self.lexicon.triggers if g is _ENGLISH else foreign_triggers
            sent_actors = actors[bisect.bisect_left(actor_starts, s):bisect.bisect_left(actor_starts, e)]
            # A place inside an actor's name ("US forces", "Wagner fighters") is not where it happened.
            sent_places = [p for p in places[bisect.bisect_left(place_starts, s):bisect.bisect_left(place_starts, e)]
                           if not any(a.start <= p.start < a.end for a in sent_actors)]
            hits = []
            if g is _ENGLISH:
                for m in _WEAPON_VERB.finditer(text, s, e):  # "Russian missiles struck", "Turkish drones hit"
                    air = m.group("weapon").lower().startswith(_AIR_WEAPONS)
                    hits.append((m, Trigger(m.re, "Explosions/Remote violence",
                                            "Air/drone strike" if air else "Shelling/artillery/missile attack", -1)))
            for trig in triggers:
                for m in trig.pattern.finditer(text, s, e):
                    # "Syrian Democratic Forces", "Hezbollah fighters": names, not triggers; a trigger that only
                    # starts inside a name ("российские дроны атаковали") is the name's deed.
                    inside = [a for a in sent_actors if a.start <= m.start() < a.end
                              and (g is _ENGLISH or m.end() <= a.end)]
                    if inside and not (inside[0].actor.type, trig.type) in (("protesters", "Protests"), ("rioters", "Riots")):
                        continue
                    if any(h.start() <= m.start() < h.end() for h, _ in hits):
                        continue
                    if any(p.start <= m.start() < p.end for p in sent_places):
                        continue
                    hits.append((m, trig))
            chosen: dict[tuple, Event] = {}
            generic: dict[int, bool] = {}  # id(event) -> read from one of the last, catch-all triggers
            taken: list[tuple[int, int]] = []
            for m, trig in sorted(hits, key=lambda h: (h[1].rank, any(a.start <= h[0].start() < a.end for a in sent_actors),
                                                       h[0].start())):
                if g is _ENGLISH and any(a <= m.start() < b for a, b in taken):
                    continue  # "defused a car bomb": the bomb is part of a more specific trigger's event
                taken.append(m.span())
                place, precision = _location(text, (s, e), m.start(), sent_places, m.end(), g)
                if place is None and g is _CYRILLIC_GRAMMAR and _PASSIVE_PARTICIPLE.search(text, m.start(), m.end()):
                    # "Херсон обстріляно", "Пальмира освобождена": the passive subject is the place.
                    subject = [p for p in sent_places if p.end <= m.start() and not re.search(r"[,;:]", text[p.end:m.start()])]
                    if subject:
                        place, precision = subject[-1], 3 if subject[-1].feature in ("region", "country") else 1
                a1, a2 = self._actors(text, sent_actors, m.start(), m.end(), g)
                subtype, etype = trig.subtype, trig.type
                if g is _ENGLISH:
                    a1 = _gerund_subject(text, sent_actors, s, m.start(), a1)
                    a2 = _joint_subject(text, sent_actors, s, m.start(), a1, a2)
                    a1, a2 = _passive_actors(text, sent_actors, s, m.start(), m.end(), a1, a2)
                    etype, subtype = retype(etype, subtype, m.group(0), text[s:e], m.start() - s, a1, a2)
                if etype == "Battles" and subtype not in ("Armed clash", "Attack"):
                    subtype = "Government regains territory" if a1 and a1.type == "state force" else \
                        "Non-state actor overtakes territory" if a1 else subtype
                key = (etype, place.start if place else None)
                future = g is _ARABIC_GRAMMAR and (m.groupdict().get("pre") or "").endswith("س")
                if key in chosen and (chosen[key].modality == "fact" or _modality(
                        text, s, m.start(), m.end(), g, future) != "fact"):
                    continue  # "RSF attacks villages in X, raise fears of clashes": the factual reading wins
                cc = event_country(text, place, sent_places, places, (s, e), [(a.start, a.end) for a in sent_actors],
                                   actor_countries=[a.actor.country for a in sent_actors
                                                    if a.actor.type not in ("state force", "external force")])
                a1, a2 = self._national(a1, cc), self._national(a2, cc)
                a1, a2 = self._crowd(etype, a1, a2)
                chosen[key] = Event(
                    type=etype, subtype=subtype, actor1=fill_name(a1.name, cc) if a1 else None,
                    actor2=fill_name(a2.name, cc) if a2 else None, country=cc,
                    interaction=interaction(inter_code(a1 and a1.type, a1 and a1.country, cc),
                                            inter_code(a2 and a2.type, a2 and a2.country, cc)),
                    place_mention_start=place.start if place else None, place=place.name if place else None,
                    precision=precision, evidence_start=s, evidence_end=e,
                    modality=_modality(text, s, m.start(), m.end(), g, future), trigger=m.group(0),
                    trigger_start=m.start())
                generic[id(chosen[key])] = trig.rank >= self.lexicon.catch_all_rank
            found = list(chosen.values())
            # "Car bomb in Baghdad kills 10", "airstrikes kill 8": the killing is the specific event's outcome
            if any(generic.get(id(ev)) is False and ev.type in _VIOLENT and ev.modality == "fact" for ev in found):
                placed = next((ev for ev in found if generic.get(id(ev)) and ev.place_mention_start is not None), None)
                found = [ev if generic.get(id(ev)) is not False or ev.place_mention_start is not None or placed is None
                         else replace(ev, place_mention_start=placed.place_mention_start, place=placed.place,
                                      precision=placed.precision, country=placed.country)
                         for ev in found if not generic.get(id(ev))]
            # "protesters gathered in X" is a protest; "police detained protesters" is what the police did.
            weak = [ev for ev in found if ev.type == "Protests" and any(
                a.start <= ev.trigger_start < a.end for a in sent_actors)]
            if weak and len(found) > len(weak):
                found = [ev for ev in found if ev not in weak]
            # "обстріляли Херсон з артилерії", "captured Avdiivka after months of fighting", "pounded Stepanakert on
            # the first day of the offensive": beside an event with a place, a placeless trigger is the same
            # event told twice or its background.
            if any(ev.place_mention_start is not None for ev in found):
                found = [ev for ev in found if ev.place_mention_start is not None]
            # "attacked Gwoza in Borno State, killing 12": the region that holds the event's town is not another
            found = _drop_containers(found, sent_places)
            if g is not _ENGLISH:
                found += self._coordinated(text, found, sent_places, g)
            events.extend(self._one_per_place(found))
        return events

    def _crowd(self, etype: str, a1, a2):
        """ACLED codes every protest with Protesters as actor 1 and every riot with Rioters (or the mob's own
        name); the police that broke it up, or the people a mob attacked, are actor 2."""
        own = {"Protests": ("protesters",), "Riots": ("rioters", "political militia", "identity militia")}.get(etype)
        if own is None or (a1 is not None and a1.type in own):
            return a1, a2
        crowd = self.lexicon.actors.get("protesters" if etype == "Protests" else "rioters")
        if crowd is None:
            return a1, a2
        crowds = ("protesters", "rioters", "civilians")
        if a1 is not None and a1.type not in crowds:
            return crowd, a1  # "police fired tear gas at protesters": the police are the other side
        if a2 is not None and (a2.type in ("protesters", "rioters") or a2.type == "civilians" and etype == "Protests"):
            a2 = None
        return crowd, a2

    def _national(self, actor, cc: str | None):
        """A generic actor that is a known one in this country ("peacekeepers" in the CAR: MINUSCA)."""
        known = load_national().get((actor.id, cc)) if actor is not None and cc else None
        return self.lexicon.actors.get(known, actor) if known else actor

    @staticmethod
    def _coordinated(text: str, found: list[Event], places: list[ResolvedMention], g: _Grammar) -> list[Event]:
        """"вибухи пролунали в Полтаві та Кременчуці", "في بيروت وطرابلس": one event per place (ACLED's unit),
        for places joined to an event's place by "и / і / та / و" or a comma."""
        taken = {ev.place_mention_start for ev in found}
        extra = []
        for ev in found:
            i = next((k for k, p in enumerate(places) if p.start == ev.place_mention_start), None)
            while i is not None and i + 1 < len(places) and places[i + 1].start not in taken \
                    and _COORDINATION.match(text, places[i].end, places[i + 1].start):
                i += 1
                q = places[i]
                taken.add(q.start)
                extra.append(replace(ev, place_mention_start=q.start, place=q.name))
        return extra

    @staticmethod
    def _one_per_place(candidates) -> list[Event]:
        """Within a sentence, a place gets one event: the most specific trigger (lowest rank) wins,
        except that a violent event outranks a strategic development at the same place."""
        by_place: dict[object, Event] = {}
        for ev in candidates:
            cur = by_place.get(ev.place_mention_start)
            if cur is None or (cur.type == "Strategic developments" and ev.type != "Strategic developments"):
                by_place[ev.place_mention_start] = ev
        return sorted(by_place.values(), key=lambda ev: ev.trigger_start)

    @staticmethod
    def _actors(text: str, actors: list[ActorMention], t0: int, t1: int, g: _Grammar = _ENGLISH):
        # "Russian missiles struck": the owner of the weapon; "Protesters gathered": the trigger is the actor
        before = [a for a in actors if a.start < t0 or (a.start == t0 and a.end >= t1)]
        after = [a for a in actors if a.start >= t1 or t0 < a.start < t1]  # "killed four civilians" spans them
        if g.verb_first:
            # A long trigger may span its actors ("قتل مسلحون مجهولون خمسة مدنيين", "تقصف الطائرات التركية").
            after = [a for a in actors if a.start > t0]
            t1 = min([t1] + [a.start for a in after])
            # "قصفت قوات النظام ...", "по Херсону ударили российские войска": with no subject before the verb,
            # the actor right after it is the subject.
            clause = max([text.rfind(c, 0, t0) for c in ",;،؛"] + [-1])
            before = [a for a in before if a.start > clause]
            if not before and after and len(text[t1:after[0].start].split()) <= 2:
                before, after = after[:1], after[1:]
            elif _PASSIVE_PARTICIPLE.search(text, t0, t1) and after and not text[t1:after[0].start].strip():
                # "позиции ИГИЛ обстреляны российскими войсками": the agent follows a passive participle.
                return after[0].actor, (before[-1].actor if before and before[-1].actor != after[0].actor else None)
        # "Civilians fleeing X said shelling ...", "فر آلاف المدنيين ... خلال المعارك": civilians suffer an
        # event (ACLED's actor 2), they are not its actor 1.
        victims = [a for a in before if a.actor.type == "civilians"]
        before = [a for a in before if a.actor.type != "civilians"]
        actor1 = before[-1].actor if before else None
        actor2 = None
        for a in after:
            gap = text[t1:a.start]
            if g.passive_by.search(gap):
                actor1, actor2 = a.actor, actor2 or (before[-1].actor if before else None)
                break
            if actor2 is None and a.actor != actor1 and len(gap) < 80:
                actor2 = a.actor
        if actor2 is not None and actor1 is not None and actor2.id == actor1.id:
            actor2 = None
        if actor2 is None and victims:
            actor2 = victims[-1].actor
        return actor1, actor2


def _drop_containers(found: list[Event], places: list[ResolvedMention]) -> list[Event]:
    """Events of one sentence at a region or country dropped when one of the same type has a narrower place."""
    area = {p.start for p in places if p.feature in _AREAS}
    narrow = {ev.type for ev in found if ev.place_mention_start is not None and ev.place_mention_start not in area}
    return [ev for ev in found if not (ev.place_mention_start in area and ev.type in narrow)]


_VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots")
_GERUND = re.compile(r",\s*(?:\w+ly\s+)?$")


def _joint_subject(text: str, actors: list[ActorMention], s: int, t0: int, a1, a2):
    """"Karen rebels, government troops clash", "MNDAA and government forces clashed": two sides named before
    the verb; the one next to the verb stays actor 1, the other is actor 2."""
    if a2 is not None or a1 is None:
        return a2
    before = [a for a in actors if s <= a.start < t0]
    if len(before) >= 2 and before[-1].actor == a1 and re.fullmatch(r"\s*(?:,|and|&|with|et)\s*",
                                                                    text[before[-2].end:before[-1].start]):
        return before[-2].actor
    return a2


def _gerund_subject(text: str, actors: list[ActorMention], s: int, t0: int, a1):
    """"Militants attacked a police post, killing 3 civilians": who kills is the clause's subject (the first
    actor of the sentence), not the police of "police post"."""
    if not text[t0:t0 + 40].split(" ")[0].lower().endswith("ing") or not _GERUND.search(text[s:t0]):
        return a1
    subject = next((a for a in actors if s <= a.start < t0 and a.actor.type not in ("civilians",)), None)
    return subject.actor if subject is not None else a1


def _passive_actors(text: str, actors: list[ActorMention], s: int, t0: int, t1: int, a1, a2):
    """"Nine Taliban killed in clashes with security forces": the actor before a passive "killed" suffered it, so
    it is actor 2 and the other side, if named, actor 1."""
    if a1 is None:
        return a1, a2
    before = [a for a in actors if a.start < t0 and a.actor == a1]
    if not before:
        return a1, a2
    for k in _PASSIVE_WORD.finditer(text, before[-1].end, max(t1, before[-1].end)):
        if passive_kill(text, k.start(), k.end()) and len(text[before[-1].end:k.start()].split()) <= 4:
            return (a2, a1) if a2 is not None and a2 != a1 else (None, a1)
    return a1, a2


_PASSIVE_WORD = re.compile(r"\b(?:killed|shot dead|gunned down|slain|dead|died|tués?|tuées?|abattus?|morts)\b",
                           re.IGNORECASE)


@lru_cache(maxsize=1)
def default_extractor() -> EventExtractor:
    """The extractor over the lexicon in data/events (loaded once per process)."""
    return EventExtractor()


def extract_events(text: str, places: list[ResolvedMention], published=None) -> list[Event]:
    """The events of one article over its resolved places: what ingest stores with the article."""
    return default_extractor().extract(text, list(places), published)
