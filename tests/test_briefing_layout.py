"""Briefings draw what the screen draws (#19): every layer, every cited article listed, names that never
collide, the events, a locator inset, the whole attribution, nothing cut. Both renderers; the browser's
tests need Debian's chromium."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from geo.config import ROOT
from geo.events.extract import extract_events
from geo.exports import Briefing, build_layout, render
from geo.exports.command import ExportArgsError, layer_names
from geo.exports.labels import overlaps
from geo.exports.layout import attribution, citation, drawn_layers, mercator
from geo.exports.static import render_figures
from geo.store import Store
from geo.types import Article, ResolvedMention
from geo.view.state import MapState

CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")

PLACES = {  # name: (lat, lon)
    "Aleppo": (36.2021, 37.1343), "Idlib": (35.9306, 36.6339), "Hama": (35.1318, 36.7578),
    "Homs": (34.7268, 36.7234), "Damascus": (33.5102, 36.2913), "Raqqa": (35.9528, 39.0079),
    "Deir ez-Zor": (35.3359, 40.1408), "Palmyra": (34.5624, 38.2840), "Latakia": (35.5317, 35.7901),
    "Qusayr": (34.5090, 36.5797), "Tabqa": (35.8367, 38.5481), "Manbij": (36.5281, 37.9549),
}
SENTENCES = ("Government troops clashed with rebels near {}.", "Shelling hit {} overnight, killing three civilians.",
             "Turkey denied shelling {} on Tuesday.", "Protesters gathered in {}.")
N_ARTICLES = 60  # more than page one of a PDF holds, in either renderer
LONG_TITLE = ("A very long headline about the fighting around the northern towns that goes on and on well past what "
              "one line of the side panel holds, so that it must wrap rather than be cut")


def _mention(text: str, start: int, name: str) -> ResolvedMention:
    lat, lon = PLACES[name]
    return ResolvedMention(start, start + len(name), name, name, lat, lon, "city", "SY", None, 0.9)


def _article(i: int) -> tuple[Article, list[ResolvedMention]]:
    names = list(PLACES)
    chosen = [names[i % len(names)], names[(i * 5 + 3) % len(names)]]
    parts, mentions = [f"Update {i}."], []  # every text differs: the store keeps an article once
    at = len(parts[0]) + 1
    for j, name in enumerate(chosen):
        sentence = SENTENCES[(i + j) % len(SENTENCES)].format(name)
        mentions.append(_mention(sentence, at + sentence.index(name), name))
        parts.append(sentence)
        at += len(sentence) + 1
    title = LONG_TITLE if i == 0 else f"Report {i:02d} from {chosen[0]} and {chosen[1]}"
    day = f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}"
    return Article(text=" ".join(parts), title=title, source=f"Wire {i % 3}", published=day,
                   url=f"https://example.org/{i}"), mentions


@pytest.fixture(scope="module")
def frame(tmp_path_factory) -> pd.DataFrame:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('briefing') / 'b.sqlite'}")
    for i in range(N_ARTICLES):
        article, mentions = _article(i)
        store.add(article, mentions, extract_events(article.text, mentions))
    return store.mention_frame()


@pytest.fixture(scope="module")
def towns() -> pd.DataFrame:
    rows = [("Aleppo", 36.2021, 37.1343, 2_000_000), ("Damascus", 33.5102, 36.2913, 2_500_000),
            ("Homs", 34.7268, 36.7234, 800_000), ("Salamiyah", 35.0113, 37.0532, 70_000),
            ("Tartus", 34.8890, 35.8866, 115_000), ("Beirut", 33.8933, 35.5016, 1_900_000)]
    return pd.DataFrame(rows, columns=["name", "lat", "lon", "population"]).assign(country="SY")


STATE = MapState(layers=("places", "events", "cities"))


def _cited(label: str) -> set[int]:
    """The article numbers a label cites: "Homs [1–3,5 +2]" -> {1, 2, 3, 5} (the +N are listed, unnamed)."""
    m = re.search(r"\[([^\]]+)\]$", label)
    if not m:
        return set()
    out: set[int] = set()
    for part in m.group(1).split(" +")[0].split(","):
        lo, _, hi = part.partition("–")
        out |= set(range(int(lo), int(hi or lo) + 1))
    return out


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]


# ---------------------------------------------------------------------------------------- layout, CLI


def test_citations_run_and_attribution_names_every_source():
    assert citation([]) == "" and citation([3]) == " [3]"
    assert citation([1, 2, 3, 5, 7, 8]) == " [1–3,5,7,8]"
    assert citation(range(1, 30, 2)) == " [1,3,5,7,9,11 +9]"  # every cited article is still listed
    full = attribution({"roads"}, roads_source="OSM roads", detail="Shorelines: GSHHG (LGPL-3.0+)", tiles="© OSM")
    for part in ("GeoNames (CC BY 4.0)", "OurAirports", "Natural Earth", "GSHHG (LGPL-3.0+)", "Roads: OSM roads",
                 "Tiles: © OSM"):
        assert part in full
    assert "Roads" not in attribution(set(), roads_source="OSM roads")
    assert drawn_layers(MapState(layers=("places", "time", "cities"))) == {"places"}  # no towns given; time is a control


def test_layer_flag_takes_every_dashboard_layer():
    assert layer_names(["events", "towns,air bases", "heatmap"]) == ("events", "cities", "air bases", "heatmap")
    assert layer_names(["Places", " clusters ", "countries"]) == ("places", "clusters", "countries")
    with pytest.raises(ExportArgsError, match="unknown roadz"):
        layer_names(["roadz"])


def test_layout_numbers_all_it_lists(frame):
    png = build_layout(frame, STATE, Briefing(), fmt="png")
    pdf = build_layout(frame, STATE, Briefing(), fmt="pdf")
    assert len(png.articles) == 12 and png.more_articles == N_ARTICLES - 12
    assert len(pdf.articles) == N_ARTICLES and pdf.more_articles == 0
    listed = {a.number for a in png.articles}
    assert set().union(*png.place_articles.values()) <= listed  # labels cite only listed articles
    assert png.articles[0].title == LONG_TITLE  # never cut


def _export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "export", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


def test_cli_exports_events_and_towns(tmp_path, frame):
    db = tmp_path / "cli.sqlite"
    store = Store(f"sqlite:///{db}")
    for i in range(4):
        article, mentions = _article(i)
        store.add(article, mentions, extract_events(article.text, mentions))
    out = tmp_path / "b.png"
    res = _export("--db", store.url, "--renderer", "static", "--layer", "places,events", "--layer", "towns",
                  "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = _export("--db", store.url, "--layer", "tanks", "-o", str(tmp_path / "x.png"))
    assert bad.returncode == 2 and "--layer: unknown tanks" in bad.stderr


# ---------------------------------------------------------------------------------------- static


@pytest.fixture(scope="module")
def static_png(frame, towns):
    layout = build_layout(frame, STATE, Briefing(title="Fighting in the north", max_articles=20), towns=towns,
                          fmt="png")
    return layout, render_figures(STATE, layout, "png")


def test_static_lists_every_numbered_article(static_png):
    layout, (fig, *rest) = static_png
    assert rest == []  # a slide has one page: the panel made room for all 20
    texts = _texts(fig)
    for a in layout.articles:
        assert str(a.number) in texts, f"article {a.number} is not listed"
        first = " ".join(a.title.split()[:4])
        assert any(t.startswith(first) for t in texts), f"title of {a.number} missing"
    body = " ".join(texts)
    assert " ".join(LONG_TITLE.split()[-6:]) in " ".join(" ".join(texts).split())  # wrapped, not cut
    assert "…" not in body
    cited = set().union(*(_cited(text) for kind, text, _ in fig.cm_labels.written if kind == "place"))
    assert cited and cited <= {a.number for a in layout.articles}
    assert f"and {layout.more_articles} more articles" in body


def test_static_labels_do_not_overlap(static_png):
    _, (fig, *_) = static_png
    labels = fig.cm_labels
    boxes = [b for _, _, b in labels.written]
    assert sum(kind == "place" for kind, _, _ in labels.written) >= 6
    assert any(kind in ("town", "city") for kind, _, _ in labels.written)
    for i, (kind, _, a) in enumerate(labels.written):
        for b in boxes[i + 1:]:
            assert not overlaps(a, b), (a, b)
        # A place's name may cover event symbols where they crowd every spot around it; nothing else may.
        for s in labels.symbols + labels.furniture + (labels.events if kind != "place" else []):
            assert not overlaps(a, s), (a, s)
    clear = sum(not any(overlaps(b, e) for e in labels.events) for kind, _, b in labels.written if kind == "place")
    assert clear >= 4  # most names find room clear of the events too


def test_static_draws_every_event_and_the_locator(static_png):
    layout, (fig, *_) = static_png
    symbols = [c for c in fig.findobj(lambda o: o.get_gid() == "event")]
    assert len(layout.events) > 10 and len(symbols) == len(layout.events)
    inset = [ax for ax in fig.axes if ax.get_label() == "locator"]
    assert len(inset) == 1
    view = [p for p in inset[0].patches if p.get_gid() == "view"]
    assert len(view) == 1
    (x0, x1), (y0, y1) = inset[0].get_xlim(), inset[0].get_ylim()
    cx, cy = mercator(35.0, 38.0)
    assert x0 < cx < x1 and y0 < cy < y1  # the inset shows the region around Syria


def test_static_attribution_is_whole(static_png):
    _, (fig, *_) = static_png
    page = " ".join(" ".join(_texts(fig)).split())
    for part in ("GeoNames (CC BY 4.0)", "OurAirports (public domain)", "Natural Earth (public domain)"):
        assert part in page


def test_static_pdf_continues_the_sources_overleaf(frame):
    pypdf = pytest.importorskip("pypdf")
    out = render(frame, STATE, Briefing(size="A4"), "pdf", renderer="static")
    reader = pypdf.PdfReader(io.BytesIO(out.data))
    assert len(reader.pages) >= 2
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for i in range(1, N_ARTICLES):
        article, _ = _article(i)
        assert article.title in text, f"article {i + 1} is missing from the PDF"
    assert "Sources, continued" in text


# ---------------------------------------------------------------------------------------- browser


@needs_chromium
def test_browser_pdf_continues_the_sources_overleaf(frame):  # before the module's browser opens (one loop)
    pypdf = pytest.importorskip("pypdf")
    out = render(frame, STATE, Briefing(size="A4"), "pdf", renderer="browser")
    reader = pypdf.PdfReader(io.BytesIO(out.data))
    assert len(reader.pages) >= 2
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for i in range(1, N_ARTICLES):
        article, _ = _article(i)
        assert article.title in text, f"article {i + 1} is missing from the PDF"
    assert "Sources, continued" in text
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes == {(842, 595)}


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from geo.exports.browser import CHROMIUM_ARGS

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, frame, towns, layout, tmp_path, mode="png"):
    from geo.exports.browser import briefing_page

    html = briefing_page(frame, STATE, layout, cities=towns, mode=mode)
    path = tmp_path / "briefing.html"
    path.write_text(html, encoding="utf-8")
    w, h = layout.briefing.page.css_px
    context = browser.new_context(viewport={"width": w, "height": h})
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("window.cmReady === true", timeout=30000)
    return context, page


BOXES = """sel => Array.from(document.querySelectorAll(sel)).filter(el => {
    const s = getComputedStyle(el); return s.display !== 'none' && s.visibility !== 'hidden' && el.offsetWidth;
}).map(el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, el.textContent]; })"""


@needs_chromium
def test_browser_briefing_lists_labels_and_locates(browser, frame, towns, tmp_path):
    layout = build_layout(frame, STATE, Briefing(title="Fighting in the north", max_articles=20), towns=towns, fmt="png")
    context, page = _open(browser, frame, towns, layout, tmp_path)
    try:
        items = page.locator(".cm-side .cm-articles li")
        assert items.count() == 20  # every numbered article, on the one page
        listed = {int(n) for n in page.locator(".cm-side .cm-articles .n").all_inner_texts()}
        assert listed == set(range(1, 21))
        side_overflow = page.evaluate("() => { const s = document.querySelector('.cm-side');"
                                      " return s.scrollHeight - s.clientHeight; }")
        assert side_overflow <= 1, "the sources run off the panel"
        for sel in (".cm-head h1", ".cm-head .sub", ".cm-foot span"):
            cut = page.evaluate(f"() => Array.from(document.querySelectorAll('{sel}'))"
                                ".some(el => el.scrollWidth > el.clientWidth + 1)")
            assert not cut, f"{sel} is cut"
        assert LONG_TITLE in page.locator(".cm-side .cm-articles").inner_text().replace("\n", " ")
        # Names: none overlaps another, nor a place's circle (a place's may cover events that crowd it).
        places = page.evaluate(BOXES, ".cm-place-label")
        others = page.evaluate(BOXES, ".cm-town-label span, .cm-city-label span, .cm-road-label span, "
                                      ".cm-country-label span")
        assert len(places) >= 6 and others
        boxes = places + others
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not overlaps(a[:4], b[:4]), (a, b)
        circles = page.evaluate("""() => { const out = [], map = CM.map, box = map.getContainer().getBoundingClientRect();
            map.eachLayer(l => { if (!(l instanceof L.CircleMarker) || !l._map) return;
                const minor = ['air_base', 'airport', 'city', 'events'].some(k => CM.layers[k] && CM.layers[k].group.hasLayer(l));
                if (minor) return;
                const p = map.latLngToContainerPoint(l.getLatLng()), r = l.getRadius();
                out.push([box.left + p.x - r, box.top + p.y - r, box.left + p.x + r, box.top + p.y + r]); });
            return out; }""")
        for a in places:
            for c in circles:
                assert not overlaps(a[:4], c), (a, c)
        cited = set().union(*(_cited(a[4]) for a in places))
        assert cited and cited <= listed
        # The events, one symbol each, as the dashboard draws them.
        n_events = page.evaluate("CM.stats.events")
        assert n_events == len(layout.events) > 10
        # The locator: a small map whose outline holds the briefing's view.
        assert page.locator(".cm-locator").is_visible()
        loc = page.evaluate("CM.locator")
        (vs, vw), (vn, ve) = loc["view"]
        (ss, sw), (sn, se) = loc["shown"]
        assert sw < vw and se > ve and ss < vs and sn > vn
        foot = page.locator(".cm-foot").inner_text()
        for part in ("GeoNames (CC BY 4.0)", "OurAirports (public domain)", "Natural Earth (public domain)"):
            assert part in foot
    finally:
        context.close()


def test_fixture_places_are_spread(frame):
    assert frame["name"].nunique() == len(PLACES)
    assert np.isfinite(frame[["lat", "lon"]].to_numpy(float)).all()
