"""The event layer and the time tool in the real dashboard, in headless Chromium (offline): one symbol per event on
its own date, a popup whose article text stays text, the time player's steps and cursor, the timeline's brush
through the URL into every layer."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.exports.browser import LOCAL_HOSTS, block_outside
from geo.store import Store
from geo.types import Article, Event, ResolvedMention
from tests.test_browser import (  # noqa: F401 (the browser fixture; pytestmark: the same skips)
    ROOT,
    _map_frame,
    browser,
    pytestmark,
)

EVIL_ACTOR = '<img src=x onerror="window.__pwned=1">'
FRAME = "iframe[title='pages._mapframe.map']"


def _mention(text: str, name: str, lat: float, lon: float) -> ResolvedMention:
    start = text.index(name)
    return ResolvedMention(start, start + len(name), name, name, lat, lon, "city", "SY", None, 0.9)


def _event(text: str, sentence: str, place: str, kind: str, modality: str, date: str, actor1=None, fatalities=None):
    start, place_start = text.index(sentence), text.index(place)
    return Event(type=kind, subtype="Armed clash" if kind == "Battles" else "Shelling/artillery/missile attack",
                 actor1=actor1, actor2=None, place_mention_start=place_start, place=place, precision=1,
                 evidence_start=start, evidence_end=start + len(sentence), modality=modality, trigger="x",
                 trigger_start=start, date=date, fatalities=fatalities)


def _fill(url: str) -> None:
    """Three events in March 2024 (Homs twice, Aleppo once), reported later, and a mention in April."""
    store = Store(url)
    s1 = "Fighters clashed with the army in Homs on 2 March."
    s2 = "The ministry denied shelling Homs on 5 March."
    a = f"{s1} {s2}"
    store.add(Article(text=a, title="Homs report", source="Wire", url="https://example.org/homs", published="2024-03-10"),
              [_mention(a, "Homs", 34.72405, 36.72559)],
              [_event(a, s1, "Homs", "Battles", "fact", "2024-03-02", "Military Forces of Syria", 2)])
    b = s2 + " Talks began."
    store.add(Article(text=b, title="Denial", source="Desk", published="2024-03-11"),
              [_mention(b, "Homs", 34.72405, 36.72559)],
              [_event(b, s2, "Homs", "Explosions/Remote violence", "negated", "2024-03-05")])
    s3 = 'Gunmen attacked a market in Aleppo <script>window.__pwned=2</script> on 20 March.'
    store.add(Article(text=s3, title="Aleppo <b>attack</b>", source="Desk", url="javascript:alert(1)",
                      published="2024-03-22"),
              [_mention(s3, "Aleppo", 36.20278, 37.15861)],
              [_event(s3, s3, "Aleppo", "Battles", "fact", "2024-03-20", EVIL_ACTOR, 0)])
    d = "Aid reached Palmyra."
    store.add(Article(text=d, title="Aid", source="Wire", published="2024-04-15"),
              [_mention(d, "Palmyra", 34.5624, 38.28402)])


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    db = tmp_path_factory.mktemp("timetool") / "events.sqlite"
    url = f"sqlite:///{db}"
    _fill(url)
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench_map  # the benchmarks' start-and-wait, as the sessions and origin tests use it
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    proc, base = bench_map.start(url, db.with_suffix(".log"), script="dashboard.py")
    try:
        yield base
    finally:
        bench_map.stop(proc)


@contextmanager
def _map(browser, url: str):  # noqa: F811
    """A 1,600 x 1,000 page of a fresh offline context on `url`, once its event layer is drawn; on leaving,
    nothing must have been asked of any other machine."""
    outside: list[str] = []
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    block_outside(context, outside, hosts=LOCAL_HOSTS)
    try:
        page = context.new_page()
        page.goto(url)
        frame = _map_frame(page)
        frame.wait_for_function("window.CM && CM.layers && CM.layers.events && CM.map && CM.map._loaded",
                                timeout=30000)
        yield page, frame
    finally:
        context.close()
    assert outside == [], outside[:5]


def _days(frame) -> list[str]:
    """The drawn events' dates, as the layer holds them (day numbers since 1970)."""
    return frame.evaluate("CM.layers.events.data.day.map(d => new Date(d * 864e5).toISOString().slice(0, 10))")


def _click_event(page, frame, day: str) -> None:
    """A real click on the symbol of the event of that day (on the canvas: found by its position)."""
    point = frame.evaluate("""(day) => { const L = CM.layers.events, d = L.data;
        const m = L.group.getLayers().find(m => new Date(d.day[m.cmIndex] * 864e5).toISOString().slice(0, 10) === day);
        const p = CM.map.latLngToContainerPoint(m.getLatLng()); return [p.x, p.y]; }""", day)
    box = page.locator(FRAME).bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def test_one_symbol_per_event_on_its_own_date_with_an_inert_popup(dashboard, browser):  # noqa: F811
    with _map(browser, f"{dashboard}/?layers=places|events&center=35.4,37.3&zoom=8") as (page, frame):
        assert sorted(_days(frame)) == ["2024-03-02", "2024-03-05", "2024-03-20"]  # not the articles' days
        assert frame.evaluate("CM.stats.events") == 3
        _click_event(page, frame, "2024-03-20")
        frame.wait_for_selector(".cm-event", timeout=5000)
        card = frame.locator(".cm-event")
        text = card.inner_text()
        assert EVIL_ACTOR in text and "<script>window.__pwned=2</script>" in text  # shown as text ...
        assert card.locator("img, script").count() == 0 and "Aleppo <b>attack</b>" in text  # ... never as markup
        assert "20 Mar 2024" in text and "Fatalities: 0" in text and "Aleppo" in text
        assert card.locator("a").count() == 0  # a javascript: link is no link
        assert frame.evaluate("window.__pwned === undefined")
        page.wait_for_url("**selected=Aleppo**", timeout=10000)  # and the place is selected, as a click on it does
        frame.evaluate("void CM.map.closePopup()")
        _click_event(page, frame, "2024-03-02")
        frame.wait_for_function("document.querySelector('.cm-event') && "
                                "document.querySelector('.cm-event').innerText.includes('2 Mar 2024')", timeout=5000)
        card = frame.locator(".cm-event")
        assert "Military Forces of Syria" in card.inner_text() and "Fatalities: 2" in card.inner_text()
        assert card.locator("a").get_attribute("href") == "https://example.org/homs"
        assert card.locator("a").get_attribute("rel") == "noopener noreferrer"


def test_time_player_steps_show_their_own_items_under_a_cursor(dashboard, browser):  # noqa: F811
    with _map(browser, f"{dashboard}/?layers=places|events|time&center=35.4,37.3&zoom=7") as (_page, frame):
        frame.wait_for_function("window.CM.time && document.querySelector('svg.cm-timeline')", timeout=15000)
        svg = frame.locator("svg.cm-timeline")
        assert svg.get_attribute("data-step") == "day" and svg.get_attribute("data-first") == "2024-03-02"
        assert frame.evaluate("CM.time.bins.length") == 45  # 2 March to 15 April, a bar a day
        frame.evaluate("CM.time.draw(CM.time.bins.indexOf('2024-03-05'))")
        assert frame.evaluate("CM.stats.eventsShown") == 1  # the denied shelling of that day, nothing else
        assert frame.evaluate("!CM.layers.place.group._map")  # the places step aside: not one circle over another
        cursor = frame.evaluate("(() => { const c = document.querySelector('svg.cm-timeline .cm-cursor'); "
                                "return [c.getAttribute('visibility'), +c.getAttribute('x')]; })()")
        x0, bw = float(svg.get_attribute("data-x0")), float(svg.get_attribute("data-bw"))
        assert cursor[0] == "visible" and cursor[1] == pytest.approx(x0 + 3 * bw, abs=0.2)  # the fourth day
        # A rerun sets the timeline's markup anew (a selection's own bars): the cursor comes back on it.
        frame.evaluate("(() => { const b = document.querySelector('svg.cm-timeline').parentNode; "
                       "b.innerHTML = b.innerHTML.replace(/<rect class=\"cm-cursor\"[^>]*><\\/rect>/, ''); })()")
        frame.wait_for_function("document.querySelector('svg.cm-timeline .cm-cursor') && document.querySelector("
                                "'svg.cm-timeline .cm-cursor').getAttribute('visibility') === 'visible'", timeout=5000)
        frame.evaluate("CM.time.all()")
        assert frame.evaluate("CM.stats.eventsShown") == 3 and frame.evaluate("!!CM.layers.place.group._map")
        assert frame.evaluate("document.querySelector('svg.cm-timeline .cm-cursor').getAttribute('visibility')") \
            == "hidden"


def test_brush_on_the_timeline_filters_every_layer_through_the_url(dashboard, browser):  # noqa: F811
    with _map(browser, f"{dashboard}/?layers=places|events&center=35.4,37.3&zoom=7") as (page, frame):
        frame.wait_for_selector("svg.cm-timeline", timeout=15000)
        ends = frame.evaluate("""() => { const s = document.querySelector('svg.cm-timeline'), r = s.getBoundingClientRect();
            const k = r.width / s.viewBox.baseVal.width, x0 = +s.dataset.x0, bw = +s.dataset.bw;
            const at = i => r.left + (x0 + (i + 0.5) * bw) * k; return [at(0), at(9), r.top + r.height / 2]; }""")
        box = page.locator(FRAME).bounding_box()
        page.mouse.move(box["x"] + ends[0], box["y"] + ends[2])
        page.mouse.down()
        page.mouse.move(box["x"] + (ends[0] + ends[1]) / 2, box["y"] + ends[2], steps=4)
        page.mouse.move(box["x"] + ends[1], box["y"] + ends[2], steps=4)
        page.mouse.up()
        page.wait_for_url("**time_to=**", timeout=15000)
        query = parse_qs(urlsplit(page.url).query)
        assert query["time_from"] == ["2024-03-02"] and query["time_to"] == ["2024-03-11"]
        frame.wait_for_function("CM.stats.events === 2 && document.querySelector('svg.cm-timeline .cm-window')",
                                timeout=15000)
        assert frame.evaluate("CM.stats.place") == 1  # Homs only: Aleppo's event and Palmyra's mention are later
        assert frame.evaluate("document.querySelector('svg.cm-timeline').dataset.n") == "45"  # still all time
        page.get_by_text("The map shows 2024-03-02 to 2024-03-11 only").wait_for(timeout=10000)
        frame.locator("svg.cm-timeline").dblclick()  # shows all time again
        page.wait_for_function("!location.search.includes('time_from')", timeout=15000)
        frame.wait_for_function("CM.stats.events === 3 && !document.querySelector('svg.cm-timeline .cm-window')",
                                timeout=15000)
