"""ACLED's type boundaries, applied once a trigger, its actors and its sentence are known.

A trigger alone does not fix the type: "attacked" is a battle when the other side is armed and violence
against civilians when it is not; "killed" is either; a demonstration with stones, barricades or burning is a
riot; "10 killed in clashes" has its victims before the verb (they are actor 2, not actor 1). The rules follow
ACLED's codebook:
  * an armed actor attacking unarmed people is Violence against civilians, not Battles;
  * violence against armed people (soldiers, police, militants, a base, a checkpoint) is a Battle;
  * remote violence (bombs, shelling, air strikes) keeps its type whoever it hits;
  * a demonstration that turns violent (stones, barricades, burning, looting, clashes with police) is a Riot;
    a mob attacking someone is a Riot (mob violence).
"""

from __future__ import annotations

import re

_ARMED_TYPES = {"state force", "rebel group", "political militia", "identity militia", "external force",
                "non-state armed group"}
ARMED_WORDS = re.compile(
    r"\b(?:soldiers?|troops|servicem[ae]n|army|armed forces|military|police(?:m[ae]n| officers?| stations?| posts?)?|"
    r"gendarmes?|gendarmerie|security (?:forces|personnel|agents|guards|post|posts)|militants?|rebels?|insurgents?|"
    r"fighters?|jihadists?|islamists|militiam[ae]n|militias?|guards?|peacekeepers?|casques? bleus?|checkpoints?|"
    r"barracks|bases?|outposts?|military posts?|patrols?|convoys?|positions|garrisons?|commanders?|officers?|"
    r"taliban|taleban|terrorists?|gunm[ae]n|bandits|attackers|assailants|combatants|paramilitar(?:y|ies)|"
    r"soldats?|militaires|policiers|djihadistes|jihadistes|terroristes|assaillants|rebelles|miliciens|"
    r"hideouts?|camps? of|strongholds?|warlords?|dissidents|guerrillas?|separatists|prisons?|jails?)\b", re.IGNORECASE)
CIVIL_WORDS = re.compile(
    r"\b(?:civilians?|villagers?|residents?|worshipp?ers?|students?|pupils?|schoolchildren|children|child|women|"
    r"woman|girls?|boys?|farmers?|herders?|herdsmen|shepherds?|fishermen|traders?|passengers?|drivers?|pilgrims?|"
    r"journalists?|priests?|imams?|pastors?|teachers?|doctors?|nurses?|patients?|aid workers?|displaced|refugees?|"
    r"migrants?|family|families|people|persons|mourners|shoppers|wedding|funeral|mosques?|church(?:es)?|"
    r"schools?|college|dorm(?:itory|itories)?|markets?|hospitals?|homes?|houses?|bus(?:es)?|shrines?|cafes?|"
    r"restaurants?|hotels?|villages?|worshippers|christians?|muslims?|shiites?|shi'ites?|yazidis?|hindus?|"
    r"elderly|convert|civils?|villageois|habitants|femmes|enfants|éleveurs?|peul|fidèles|personnes|"
    r"man|men)\b", re.IGNORECASE)
_VIOLENT_DEMO = re.compile(
    r"\b(?:threw|throwing|hurled|hurling) (?:stones|rocks|bricks|petrol bombs|molotov|projectiles)|\b(?:stones|"
    r"rocks|petrol bombs|molotov cocktails|barricades?|burn(?:ed|t|ing) tyres|burning tyres|set fire|torched|"
    r"looted|looting|vandali[sz]ed|smashed|clash(?:ed|es)? with (?:the )?police|clash(?:ed|es)? with security|"
    r"violent (?:protest|demonstration)s?|turned violent|pneus brûlés|jets de pierres|barricad\w+)\b",
    re.IGNORECASE)
_PROTEST_DEATHS = re.compile(r"\b(?:protesters?|demonstrators?|marchers?)\b[^.;]{0,30}\b(?:killed|shot dead|died)\b|"
                             r"\b(?:killed|shot dead)\b[^.;]{0,30}\b(?:protests?|demonstrations?|protesters?|rall(?:y|ies))\b",
                             re.IGNORECASE)
# triggers that say both sides fought: never violence against civilians
_TWO_SIDED = re.compile(r"\b(?:clash|fight|fought|battle|firefight|gun ?battle|gunfight|shoot-?out|exchange|"
                        r"skirmish|engag|encounter|affront|combat|accrochage|repuls|repel|offensive)", re.IGNORECASE)
# "30 Taliban killed in ...", "two soldiers were killed": the deed's victims stand before it
PASSIVE = re.compile(r"^(?:killed|shot dead|gunned down|slain|dead|died|dies|hacked to death|stabbed to death|"
                     r"beaten to death|assassinated|murdered|executed|beheaded|tués?|tuées?|abattus?|morts|"
                     r"assassinée?s?)\b", re.IGNORECASE)
_BE_BEFORE = re.compile(r"\b(?:were|was|been|are|is|get|got|ont été|a été)\s+$", re.IGNORECASE)


def passive_kill(text: str, t0: int, t1: int) -> bool:
    """"10 killed in ...", "were killed", "Four dead": the trigger tells what was done to who stands before it."""
    m = PASSIVE.match(text[t0:t1])
    if not m or text[t0 + m.end():t1].strip():  # "killed two traders": the object is in the trigger
        return False
    word = m.group().lower()
    if word in ("dead", "died", "dies", "morts"):
        return True
    if _BE_BEFORE.search(text[max(0, t0 - 12):t0]):
        return True
    return bool(re.match(r"\s*(?:$|[-,.;:(]|(?:in|on|at|as|after|during|when|while|near|by|amid|since|over|across|"
                         r"following|dans|à|au|lors|par)\b)", text[t1:t1 + 15], re.IGNORECASE))


def _armed(actor) -> bool:
    return actor is not None and actor.type in _ARMED_TYPES


def retype(etype: str, subtype: str, trigger: str, sentence: str, t_rel: int, a1, a2) -> tuple[str, str]:
    """The ACLED type and sub-type of a trigger in its sentence (t_rel: where the trigger starts in it)."""
    verb = re.match(r"\S+", trigger)
    after = sentence[t_rel + (verb.end() if verb else 0):t_rel + len(trigger) + 80]
    if etype == "Protests" and subtype == "Peaceful protest" and _PROTEST_DEATHS.search(sentence):
        return "Protests", "Excessive force against protesters"  # "protester killed in a demonstration"
    if etype == "Protests" and subtype == "Peaceful protest" and _VIOLENT_DEMO.search(sentence):
        return "Riots", "Violent demonstration"
    if etype == "Riots" and a1 is not None and a1.type in ("protesters", "rioters") and re.search(
            r"\b(?:kill|beat|lynch|attack|stabb|hack)", sentence, re.IGNORECASE) and not _VIOLENT_DEMO.search(sentence):
        return "Riots", "Mob violence"
    if (etype, subtype) == ("Strategic developments", "Looting/property destruction"):
        # "angry residents torched a police station": people, not an armed group, destroying property
        subject = re.split(r"[,;]", sentence[:t_rel])[-1]
        crowd = a1.type in ("civilians", "protesters", "rioters") if a1 is not None else bool(
            re.search(r"\b(?:crowds?|mobs?|youths?|residents|villagers|protesters|demonstrators|rioters|locals)\b",
                      subject, re.IGNORECASE))
        if crowd:
            return "Riots", "Violent demonstration" if re.search(r"protest|demonstrat", sentence, re.I) else "Mob violence"
    if etype not in ("Battles", "Violence against civilians") or subtype not in ("Armed clash", "Attack"):
        return etype, subtype
    if a1 is not None and a1.type in ("protesters", "rioters"):  # "crowds attacked government offices"
        return "Riots", "Mob violence" if CIVIL_WORDS.search(after) else "Violent demonstration"
    if _TWO_SIDED.match(trigger):
        return "Battles", "Armed clash"
    passive = passive_kill(sentence, t_rel, t_rel + len(trigger))
    before = sentence[max(0, t_rel - 80):t_rel]
    # the first word that says who was hit, up to the clause's end ("abducted 40 pupils ..., police said")
    obj = re.split(r"[,;]|\b(?:said|by|par)\b", after)[0]  # "hacked to death by Islamists": the agent, not the victim
    armed_after, civil_after = ARMED_WORDS.search(obj), CIVIL_WORDS.search(obj)
    victims_armed = bool(armed_after and not (civil_after and civil_after.start() < armed_after.start()))
    victims_civil = (a2 is not None and a2.type == "civilians") or bool(civil_after and not victims_armed)
    if not (victims_armed or victims_civil) and _armed(a2):
        victims_armed = True
    if passive:  # "two soldiers killed", "six villagers killed", "25 killed in market attack"
        subj = re.split(r"[,;:]\s*(?=[^,;:]*$)", before)[-1] if before else ""
        victims_armed = bool(ARMED_WORDS.search(subj)) or _armed(a1) and not CIVIL_WORDS.search(subj)
        victims_civil = bool(CIVIL_WORDS.search(subj)) and not victims_armed
        if not victims_armed and not victims_civil:  # "Two killed after army attack on a hideout"
            rest = sentence[t_rel:]
            victims_armed = bool(re.search(r"\b(?:clash|fight|battle|raid|ambush|offensive|operation)", sentence,
                                           re.IGNORECASE)) or bool(ARMED_WORDS.search(rest) and not CIVIL_WORDS.search(rest))
            victims_civil = not victims_armed and bool(CIVIL_WORDS.search(sentence))
    if victims_armed and not victims_civil:
        return "Battles", "Armed clash"
    if victims_civil:
        if a1 is not None and a1.type in ("protesters", "rioters"):
            return "Riots", "Mob violence"
        return "Violence against civilians", "Attack"
    return etype, subtype
