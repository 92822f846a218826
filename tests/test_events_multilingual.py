"""Events in Russian, Ukrainian and Arabic: the annotated sentences, modality, actors and places."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geo.events.extract import ACLED_TYPES, EVENTS_DIR, EventExtractor, load_event_lexicon
from tests.conftest import load_script

GOLD = Path(__file__).parent / "data" / "events_gold_multilingual.jsonl"
LANGS = ("ru", "uk", "ar")


@pytest.fixture(scope="module")
def extract(geoparser):
    ex = EventExtractor()
    return lambda text: ex.extract(text, geoparser.parse(text))


@pytest.fixture(scope="module")
def evaluator():
    return load_script("eval_events")


def test_gold_covers_every_type_negation_modality_and_several_places_per_language():
    rows = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    for lang in LANGS:
        mine = [r for r in rows if r["lang"] == lang]
        assert len(mine) >= 15, lang
        events = [e for r in mine for e in r["events"]]
        assert {e["type"] for e in events} == ACLED_TYPES, lang
        assert {"fact", "negated", "threat", "intent", "possibility"} <= {e["modality"] for e in events}, lang
        assert sum(len({e["place"] for e in r["events"]}) >= 2 for r in mine) >= 2, lang
        assert any(not r["events"] for r in mine), lang  # a sentence with a place and no event
        for r in mine:
            for e in r["events"]:
                assert e["place"] in r["text"], r["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_precision_and_recall_per_language(evaluator, lang):
    scores = evaluator.evaluate(GOLD, lang=lang)
    assert scores["type_precision"] >= 0.9 and scores["type_recall"] >= 0.9, (lang, scores)
    assert scores["location_precision"] >= 0.85 and scores["location_recall"] >= 0.85, (lang, scores)


def test_english_gold_is_unchanged_by_the_other_lexicons(evaluator):
    scores = evaluator.evaluate(Path(__file__).parent / "data" / "events_gold.jsonl")
    assert scores["type_precision"] >= 1.0 and scores["type_recall"] >= 0.98, scores
    assert scores["location_precision"] >= 0.96 and scores["location_recall"] >= 0.95, scores


def test_russian_air_strike_with_demonym_led_actor_and_near_precision(extract):
    [ev] = extract("Российские самолёты нанесли авиаудар по складам ИГИЛ в районе Пальмиры.")
    assert (ev.type, ev.subtype, ev.modality) == ("Explosions/Remote violence", "Air/drone strike", "fact")
    assert (ev.actor1, ev.actor2) == ("Military Forces of Russia", "Islamic State (ISIS)")
    assert ev.place == "Tadmur" and ev.precision == 2  # "в районе" is near, not in


@pytest.mark.parametrize(
    "text, modality",
    [
        ("Российская авиация не наносила ударов по Алеппо.", "negated"),
        ("Минобороны опровергло сообщения об ударе по Идлибу.", "negated"),
        ("Боевики угрожают атаковать Дамаск.", "threat"),
        ("Командование планирует наступление на Ракку.", "intent"),
        ("Россия может нанести ракетный удар по Одессе.", "possibility"),
        ("ЗСУ не обстрілювали Донецьк.", "negated"),
        ("Росія погрожує завдати удару по Києву.", "threat"),
        ("Ворог має намір атакувати Запоріжжя.", "intent"),
        ("Можливо, противник атакуватиме позиції біля Покровська.", "possibility"),
        ("نفى الجيش الروسي قصف مستشفى في إدلب.", "negated"),
        ("لم تقصف الطائرات التركية مدينة منبج.", "negated"),
        ("هدد التنظيم بمهاجمة دمشق.", "threat"),
        ("تعتزم القوات شن هجوم على الرقة.", "intent"),
        ("ستقصف القوات الإسرائيلية مواقع في جنوب لبنان.", "intent"),  # the future prefix on the verb
        ("قد تشن فصائل المعارضة هجوما على حلب.", "possibility"),
        ("لا يزال القتال مستمرا في محيط حلب.", "fact"),  # "still", not "not"
        ("وقد تم قصف مواقع في حماة أمس.", "fact"),  # "قد" + past: it has happened
        ("قد يتم قصف مواقع في حماة.", "possibility"),  # "قد" + present: it may happen
        ("В Харькове не менее пяти взрывов прогремели ночью.", "fact"),  # "no fewer than"
        ("تمكنت قوات سوريا الديمقراطية من طرد داعش من مدينة الميادين.", "fact"),  # "managed to" happened
    ],
)
def test_modality(extract, text, modality):
    events = extract(text)
    assert len(events) == 1 and events[0].place is not None, events
    assert events[0].modality == modality


def test_inflected_actor_names_and_arabic_clitics(extract):
    [ev] = extract("Позиции боевиков ИГИЛ под Хомсом были обстреляны российскими войсками.")
    assert ev.actor1 == "Military Forces of Russia" or ev.actor2 == "Military Forces of Russia"
    [ev] = extract("Збройні сили України звільнили Куп'янськ.")
    assert ev.actor1 == "Military Forces of Ukraine" and ev.place == "Kupyansk"  # not "України"
    assert ev.subtype == "Government regains territory"
    [ev] = extract("قصفت قوات النظام أحياء في مدينة درعا بالمدفعية.")  # verb first: the subject follows it
    assert ev.actor1 == "Military Forces of Syria" and ev.place == "Dar‘ā"
    [ev] = extract("وشنت الطائرات الروسية غارات جوية على مواقع لتنظيم داعش قرب تدمر.")
    assert (ev.actor1, ev.actor2, ev.precision) == ("Military Forces of Russia", "Islamic State (ISIS)", 2)


def test_longest_name_wins_over_army_and_demonym(extract):
    [ev] = extract("اشتباكات بين الجيش السوري الحر والقوات الكردية في ريف حلب.")
    assert ev.actor1 == "Syrian opposition armed groups" and ev.actor2 == "SDF: Syrian Democratic Forces"
    [ev] = extract("Сирийские демократические силы атаковали позиции ИГИЛ возле Ракки.")
    assert ev.actor1 == "SDF: Syrian Democratic Forces" and ev.type == "Battles"


def test_drone_named_with_its_owner_is_a_drone_strike_not_a_battle(extract):
    for text in ("Украинские дроны атаковали аэродром под Курском.", "Російські дрони атакували Одесу вночі."):
        [ev] = extract(text)
        assert (ev.type, ev.subtype) == ("Explosions/Remote violence", "Air/drone strike"), text


def test_several_places_in_one_sentence(extract):
    events = extract("Ночью российские войска обстреляли Херсон, а в Николаеве прогремели взрывы.")
    assert [(e.type, e.place) for e in events] == [("Explosions/Remote violence", "Kherson"),
                                                  ("Explosions/Remote violence", "Mykolayiv")]
    events = extract("Вночі вибухи пролунали в Полтаві та Кременчуці.")  # one trigger, two places
    assert [e.place for e in events] == ["Poltava", "Kremenchuk"]
    events = extract("استهدفت طائرة مسيرة سيارة في عدن، بينما تواصل القتال في تعز.")
    assert [(e.type, e.place) for e in events] == [("Explosions/Remote violence", "Aden"), ("Battles", "Taiz")]


def test_a_place_mentioned_without_an_event_has_none(extract):
    assert extract("В Дамаске открылась международная книжная ярмарка.") == []
    assert extract("У Черкасах відкрили новий міст.") == []
    assert extract("افتتح متحف جديد في حلب.") == []


def test_police_detaining_protesters_is_an_arrest_as_in_english(extract):
    assert [e.subtype for e in extract("В Минске полиция задержала десятки участников акции протеста.")] == ["Arrests"]
    assert [e.subtype for e in extract("Тысячи человек вышли на митинг в Тбилиси.")] == ["Peaceful protest"]


def test_a_broken_trigger_row_is_reported(tmp_path):
    for f in EVENTS_DIR.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    with open(tmp_path / "triggers.ru.csv", "a", encoding="utf-8") as f:
        f.write("бо(?:й){1,2},Battles,Armed clash\n")  # an unquoted comma shifts the columns
    with pytest.raises(ValueError, match="triggers.ru.csv"):
        load_event_lexicon(tmp_path)


def test_passive_voice_puts_the_agent_first_and_the_subject_as_the_place(extract):
    [ev] = extract("Позиции боевиков ИГИЛ под Хомсом были обстреляны российскими войсками.")
    assert (ev.actor1, ev.actor2, ev.place) == ("Military Forces of Russia", "Islamic State (ISIS)", "Homs")
    [ev] = extract("Херсон обстріляно російською артилерією.")
    assert (ev.actor1, ev.place, ev.precision) == ("Military Forces of Russia", "Kherson", 1)


def test_arabic_places_introduced_by_verbs_and_civilians_are_not_actor_one(extract):
    [ev] = extract("تعرضت مدينة حمص لهجوم بطائرة مسيرة.")  # "Homs was subjected to a drone attack"
    assert ev.place == "Homs" and ev.subtype == "Air/drone strike"
    [ev] = extract("فر آلاف المدنيين من الفلوجة خلال المعارك.")  # civilians fled the fighting
    assert ev.type == "Battles" and ev.actor1 is None


def test_an_english_sentence_with_an_arabic_name_keeps_the_english_lexicon(extract):
    events = extract("Clashes broke out near دير الزور on Monday.")
    assert [(e.type, e.modality, e.place, e.precision) for e in events] == [("Battles", "fact", "Deir ez-Zor", 2)]


def test_a_weapon_named_after_the_place_makes_a_drone_strike_at_that_place(extract):
    [ev] = extract("Зранку росіяни атакували Херсон дронами.")
    assert (ev.subtype, ev.place, ev.actor1) == ("Air/drone strike", "Kherson", "Military Forces of Russia")
    [ev] = extract("أرسلت روسيا سفنا حربية إلى طرطوس.")  # the object inside the trigger is not where it happened
    assert (ev.subtype, ev.place) == ("Headquarters or base established", "Ţarţūs")
