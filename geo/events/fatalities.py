"""Fatalities of an event as ACLED counts them: the number of dead the text reports.

"killing at least 12", "two civilians were killed", "NATO soldier, 6 militants killed" (7: ACLED adds up
every side), "death toll rises to 30", "12 morts", "tuant 5 personnes". Zero when the text says nobody died
("no casualties were reported", "no one was hurt") or reports only wounded; None when it says nothing (see
`fatalities`). Vague counts take the lowest number the words allow: "several" 3, "dozens" 12, "hundreds" 100.
"""

from __future__ import annotations

import re

_UNITS = {"one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
          "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
          "dozen": 12, "a dozen": 12, "dozens": 12, "scores": 20, "several": 3, "a few": 3, "few": 3,
          "hundreds": 100, "thousands": 1000, "a couple": 2, "couple": 2, "both": 2,
          # French
          "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
          "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "quarante": 40,
          "cinquante": 50, "cent": 100, "plusieurs": 3, "dizaines": 12, "une dizaine": 10, "une vingtaine": 20,
          "une trentaine": 30, "centaines": 100, "des dizaines": 12, "des centaines": 100}
_WORDS = "|".join(sorted((re.escape(w) for w in _UNITS), key=len, reverse=True))
_QUAL = (r"(?:(?:at least|about|around|some|more than|over|nearly|almost|up to|as many as|an estimated|approximately|"
         r"roughly|at least another|another|a further|further|au moins|environ|près de|plus de|une)\s+)?")
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_WORDS})(?:[\s-](?:{_WORDS}))?)"
_NUM_RX = re.compile(rf"^{_QUAL}(?P<n>{NUM})\b", re.IGNORECASE)

_DIE_AFTER = (r"killed|dead|died|die|dies|perished|slain|lost their lives|lost his life|lost her life|shot dead|"
              r"massacred|executed|beheaded|murdered|were killed|have been killed|has been killed|had been killed|"
              r"hacked to death|stabbed to death|beaten to death|burnt alive|burned alive|lynched|"
              r"tué|tuée|abattu|abattue|abattus|assassiné|assassinée|assassinés|exécuté|exécutés|"
              r"was killed|are killed|bodies|corpses|tués|morts|tuées|décédés|ont péri|ont été tués|a été tué|"
              r"ont trouvé la mort|ont perdu la vie")
_KILL_BEFORE = (r"killing|killed|kills|kill|claimed the lives of|claiming the lives of|massacred|massacring|"
                r"executed|executing|beheaded|beheading|shot dead|shooting dead|gunned down|murdered|murdering|lynched|lynching|"
                r"tuant|ont tué|a tué|tué|causé la mort de|coûté la vie à")
_PERSON = (r"(?:[\w'’-]+\s+){0,3}?")  # "two [Somali] soldiers", "12 [suspected IS] militants"

# "12 killed", "two civilians were killed", "12 morts", "NATO soldier, 6 militants killed"
_BEFORE_DIE = re.compile(rf"(?P<list>(?:[^,;:.]*?,\s*)*[^,;:.]*?)\b(?:were|was|have been|has been|had been|are|is|"
                         rf"ont été|a été)?\s*(?:{_DIE_AFTER})\b", re.IGNORECASE)
_AFTER_KILL = re.compile(rf"\b(?:{_KILL_BEFORE})\s+(?P<list>{_QUAL}{NUM}\b[^;:.]*)", re.IGNORECASE)
_LEFT_DEAD = re.compile(rf"\b(?:left|leaving|leaves|fait|faisant|a fait)\s+{_QUAL}(?P<n>{NUM})\s+(?:[\w'’-]+\s+){{0,2}}?"
                        r"(?:dead|morts|tués|victimes)\b", re.IGNORECASE)
_TOLL = re.compile(rf"\b(?:death toll|toll|bilan)\b[^.;:\d]{{0,40}}?(?:to|at|of|reached|hits?|is|de|à)\s+{_QUAL}"
                   rf"(?P<n>{NUM})\b", re.IGNORECASE)
_NONE = re.compile(r"\b(?:no (?:one|body|people|person|civilians?|soldiers?|deaths?|fatalit(?:y|ies)|casualt(?:y|ies)|"
                   r"injur(?:y|ies)|victims?|lives|loss of life|reports? of (?:casualties|fatalities|injuries|deaths))|"
                   r"no-one|nobody|none (?:were|was) (?:killed|hurt|injured)|without (?:causing )?(?:casualties|"
                   r"fatalities|injuries|deaths|loss of life)|casualties were not|no immediate reports? of "
                   r"(?:casualties|deaths)|aucune? (?:victime|perte|blessé|mort)|sans faire de victimes?|pas de "
                   r"victimes?)\b", re.IGNORECASE)
_HURT_ONLY = re.compile(r"\b(?:wounded|wounding|injured|injuring|hurt|blessés?|blessant)\b", re.IGNORECASE)
_ANY_DEATH = re.compile(rf"\b(?:{_DIE_AFTER}|{_KILL_BEFORE}|death toll|deaths?|fatalities|lethal|deadly|"
                        r"meurtri\w*)\b", re.IGNORECASE)
_SINGULAR = re.compile(r"^(?:a|an|one|the)?\s*(?:[\w'’-]+\s+){0,3}?(?:soldier|policeman|police officer|officer|"
                       r"civilian|child|boy|girl|man|woman|farmer|student|teacher|journalist|militant|fighter|"
                       r"commander|leader|member|guard|worker|resident|villager|trader|driver|herder|priest|imam|"
                       r"chief|official|peacekeeper|gunman|rebel|insurgent|jihadist|person|protester|demonstrator|"
                       r"soldat|civil|policier|militaire|gendarme|enfant|femme|homme|suspect|casque bleu|général|chef|convert|"
                       r"hindu|christian|pilot|bomber|shopkeeper|monk|nun|doctor|nurse|photographer|reporter)\s*$",
                       re.IGNORECASE)
# "a UN peacekeeper", "un casque bleu de la Minusca": one person, however many words follow
_ONE = re.compile(r"^(?:a|an|one|un|une)\s+(?:[\w'’-]+\s+){0,6}?[\w'’-]+\s*$", re.IGNORECASE)
# "police kill suspect", "killed a shopkeeper"
_AFTER_KILL_ONE = re.compile(rf"\b(?:{_KILL_BEFORE})\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}?(?:suspect|commander|leader|"
                             r"soldier|policeman|civilian|man|woman|boy|girl|child|journalist|priest|imam|chief|"
                             r"official|farmer|trader|student|teacher)\b(?!s)", re.IGNORECASE)


def number(phrase: str) -> int | None:
    """The number a phrase opens with ("at least 12", "twenty-five", "1,200", "dozens"), or None."""
    m = _NUM_RX.match(phrase.strip())
    if not m:
        return None
    words = re.split(r"[\s-]+", m.group("n").lower().replace(",", ""))
    if words[0].isdigit():
        n = int(words[0])
        return n if n < 100000 and not (1900 <= n <= 2100 and len(words[0]) == 4) else None
    if " ".join(words) in _UNITS:
        return _UNITS[" ".join(words)]
    total = 0
    for w in words:
        v = _UNITS.get(w)
        if v is None:
            return None
        total = total * v if v == 100 and total else total + v
    return total


def _items(text: str) -> list[str]:
    return [i for i in re.split(r"\s*(?:,|\band\b|\bet\b|&)\s*", text) if i.strip()]


def _list_total(text: str, leading: bool) -> int | None:
    """"3 soldiers and 5 militants" -> 8. After a verb ("killing ...") the items open with their number and the
    list stops at the first that does not ("2 and wounding 5"); before one ("NATO soldier, 6 militants killed")
    each item ends in its noun, read back from the verb, and a singular noun alone counts 1."""
    items = _items(text)
    total, found = 0, False
    for item in (items if leading else items[::-1]):
        item = item.strip()
        if leading:
            n = number(item)
        else:
            m = _LAST_NUM.search(item)
            n = number(m.group(1)) if m else (1 if _SINGULAR.match(item) or _ONE.match(item) else None)
        if n is None:
            break
        total += n
        found = True
    return total if found else None


_LAST_NUM = re.compile(rf"(?:^|\s)({_QUAL}{NUM})(?:\s+[\w'’-]+){{0,3}}\s*$", re.IGNORECASE)


# Russian, Ukrainian, Arabic: figures in digits ("погибли 5 человек", "загинули 3 цивільних", "مقتل 5 مدنيين")
_DIE_OTHER = r"погиб\w*|убит\w*|убил\w*|загину\w*|загибл\w*|вбит\w*|вбил\w*|уничтож\w*|знищ\w*|жертв\w*|" \
             r"[وف]?(?:مقتل|قتلى|استشهاد|شهداء|مصرع\w*|[يت]?قتل\w*)"
_OTHER_AFTER = re.compile(rf"(?<!\w)(?:{_DIE_OTHER})(?!\w)\s+(?:\S+\s+){{0,2}}?(?P<n>\d+)(?!\d)")
_OTHER_BEFORE = re.compile(rf"(?<!\d)(?P<n>\d+)\s+(?:\S+\s+){{0,3}}?(?:{_DIE_OTHER})(?!\w)")
_OTHER_NONE = re.compile(r"без жертв|жертв нет|жертв немає|обош\w* без|обійш\w* без|никто не пострадал|ніхто не "
                         r"постраждав|دون (?:وقوع )?(?:إصابات|ضحايا|خسائر بشرية)|لا (?:إصابات|ضحايا)|لم ترد أنباء عن (?:إصابات|ضحايا)")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def _count_other(sentence: str) -> int | None:
    text = sentence.translate(_ARABIC_DIGITS)
    for rx in (_OTHER_AFTER, _OTHER_BEFORE):
        m = rx.search(text)
        if m and int(m.group("n")) < 100000 and not 1900 <= int(m.group("n")) <= 2100:
            return int(m.group("n"))
    return 0 if _OTHER_NONE.search(text) else None


def count_deaths(sentence: str) -> int | None:
    """Deaths the sentence reports: a number, 0 when it says none died or reports only wounded, else None."""
    sentence = sentence.replace("#", "")
    if re.search(r"[А-Яа-яІіЇїЄє\u0621-\u064A]", sentence):
        return _count_other(sentence)
    best = None
    for m in _TOLL.finditer(sentence):
        n = number(m.group("n"))
        if n is not None:
            best = max(best or 0, n)
    for m in _LEFT_DEAD.finditer(sentence):
        n = number(m.group("n"))
        if n is not None:
            best = max(best or 0, n)
    counted = 0
    found = False
    for m in _AFTER_KILL.finditer(sentence):
        n = _list_total(m.group("list"), leading=True)
        if n is not None:
            counted += n
            found = True
    if not found:
        for m in _BEFORE_DIE.finditer(sentence):
            chunks = [c for c in re.split(r"\b(?:in|at|after|as|when|near|during|while|by|on)\b", m.group("list"))
                      if c.strip()] or [m.group("list")]
            n = _list_total(chunks[-1], leading=False)
            if n is None and len(chunks) > 1:  # "Hindu priest in Bangladesh hacked to death"
                n = _list_total(chunks[0], leading=False)
            if n is not None:
                counted += n
                found = True
    if not found:
        m = _AFTER_KILL_ONE.search(sentence)
        if m:
            counted, found = 1, True
    if found:
        best = max(best or 0, counted)
    if best is not None:
        return best
    if _NONE.search(sentence):
        return 0
    if _HURT_ONLY.search(sentence) and not _ANY_DEATH.search(sentence):
        return 0
    return None


_NOT_LETHAL = {"Protests", "Riots", "Strategic developments"}
_NOT_LETHAL_SUBTYPES = {"Abduction/forced disappearance", "Sexual violence"}
_UNKNOWN = re.compile(r"\b(?:fatalities|casualties|deaths?|death toll) (?:were |are |was |is )?(?:unknown|not known|"
                      r"unclear|not (?:yet )?(?:reported|clear|confirmed))|\bbilan (?:inconnu|non connu)", re.IGNORECASE)


def fatalities(sentences: list[str], event_type: str, subtype: str = "") -> int | None:
    """The event's fatalities from its sentence, else from the sentences that follow it ("On 4 May, militants
    attacked X. Three soldiers were killed."). A text silent about deaths: 0 for an event that does not kill by
    its nature (protest, riot, strategic development, abduction: ACLED's events without deaths reported), None
    for violence (unknown), and None when the text says the toll is unknown."""
    for s in sentences:
        if _UNKNOWN.search(s):
            return None
        n = count_deaths(s)
        if n is not None:
            return n
    if event_type in _NOT_LETHAL or subtype in _NOT_LETHAL_SUBTYPES:
        return 0
    return None
