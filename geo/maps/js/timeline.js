// The timeline under the map (geo/maps/timeline.py): a cursor at the time player's step, and a brush: drag
// across the bars to show only that time on every layer (the page makes it the map state's time_from /
// time_to, so it lands in the URL), double-click to show all again. The chart is markup the page sets
// after the map is drawn (no script runs in it), so its pointer handling is delegated from the document,
// installed once when this library loads; a page without a timeline (an exported map) never triggers it.
(function () {
    var CM = window.CM;
    if (CM.timeline) return;
    var NS = "http://www.w3.org/2000/svg", DAY = 864e5;

    function chart() { return document.querySelector("svg.cm-timeline"); }
    function dayOf(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); }  // days since 1970-01-01
    function iso(n) { return new Date(n * DAY).toISOString().slice(0, 10); }
    function geometry(svg) {
        var d = svg.dataset;
        return {svg: svg, step: d.step, first: dayOf(d.first), n: +d.n, x0: +d.x0, bw: +d.bw, top: +d.top,
                bottom: +d.bottom};
    }
    // Bins as geo/view/timebins.py cuts them: days, weeks from a Monday, calendar months.
    function binStart(g, i) {
        if (g.step !== "month") return g.first + i * (g.step === "week" ? 7 : 1);
        var d = new Date(g.first * DAY);
        return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i, 1) / DAY);
    }
    function binOf(g, day) {
        if (g.step !== "month") return Math.floor((day - g.first) / (g.step === "week" ? 7 : 1));
        var a = new Date(g.first * DAY), b = new Date(day * DAY);
        return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
    }
    function svgX(svg, clientX) {
        var r = svg.getBoundingClientRect();
        return (clientX - r.left) * svg.viewBox.baseVal.width / r.width;
    }
    function binAt(g, x) { return Math.max(0, Math.min(g.n - 1, Math.floor((x - g.x0) / g.bw))); }
    function mark(svg, cls, tag) {
        var el = svg.querySelector("." + cls);
        if (!el) {
            el = document.createElementNS(NS, tag || "rect");
            el.setAttribute("class", cls);
            el.setAttribute("pointer-events", "none");
            svg.appendChild(el);
        }
        return el;
    }
    function place(el, g, lo, hi) {  // a rect over bins lo..hi, the plot's full height
        el.setAttribute("x", (g.x0 + lo * g.bw).toFixed(1));
        el.setAttribute("width", Math.max((hi - lo + 1) * g.bw, 1.5).toFixed(1));
        el.setAttribute("y", g.top);
        el.setAttribute("height", g.bottom - g.top);
        el.setAttribute("visibility", "visible");
    }
    function say(g, lo, hi) {  // the range in words, over the plot's top right
        var text = mark(g.svg, "cm-brush-label", "text");
        text.setAttribute("x", g.x0 + g.n * g.bw);
        text.setAttribute("y", g.top + 10);
        text.setAttribute("text-anchor", "end");
        text.setAttribute("font-size", "11");
        text.setAttribute("fill", "#111");
        text.textContent = iso(binStart(g, lo)) + " to " + iso(binStart(g, hi + 1) - 1);
        text.setAttribute("visibility", "visible");
    }

    // The cursor: where the time player is (a day number, or null for none). Kept in CM.timeNow, and drawn
    // again on a new chart (a rerun replaces the timeline's markup): the chart's container is watched from the
    // first cursor on (not before: nothing is watched while the map is first drawn).
    var cursorDay = null, drawnOn = null, watched = null;
    var watcher = new MutationObserver(function () { if (chart() !== drawnOn) drawCursor(); });
    function drawCursor() {
        var svg = chart();
        drawnOn = svg;
        if (!svg) return;
        if (svg.parentNode !== watched) {
            watched = svg.parentNode;
            watcher.disconnect();
            watcher.observe(watched, {childList: true});
        }
        var el = svg.querySelector(".cm-cursor");
        if (cursorDay === null) { if (el) el.setAttribute("visibility", "hidden"); return; }
        var g = geometry(svg), i = binOf(g, cursorDay);
        el = mark(svg, "cm-cursor");
        el.setAttribute("fill", "#111111");
        el.setAttribute("fill-opacity", "0.16");
        el.setAttribute("stroke", "#111111");
        el.setAttribute("stroke-width", "1.5");
        if (i < 0 || i >= g.n) { el.setAttribute("visibility", "hidden"); return; }
        place(el, g, i, i);
    }
    function cursor(day) {
        cursorDay = day === undefined ? null : day;
        CM.timeNow = cursorDay;
        drawCursor();
    }

    // The brush. What it sends rides on the frame's value (geo.maps.elements.ViewSync adds the view);
    // the page turns it into the next map state (geo/view/brush.py).
    function send(from, to) {
        CM.brushed = {from: from, to: to, t: Date.now()};
        var S = window.Streamlit;
        if (S && S.setComponentValue) S.setComponentValue({cm_brush: CM.brushed});
    }
    var drag = null;
    function target(e) { return e.target && e.target.closest ? e.target.closest("svg.cm-timeline") : null; }
    document.addEventListener("pointerdown", function (e) {
        var svg = target(e);
        if (!svg || e.button !== 0) return;
        var g = geometry(svg), x = svgX(svg, e.clientX);
        if (x < g.x0) return;
        drag = {g: g, from: binAt(g, x), to: binAt(g, x), x: e.clientX, moved: false};
        if (svg.setPointerCapture) svg.setPointerCapture(e.pointerId);
        e.preventDefault();
    });
    document.addEventListener("pointermove", function (e) {
        if (!drag) return;
        drag.to = binAt(drag.g, svgX(drag.g.svg, e.clientX));
        if (Math.abs(e.clientX - drag.x) > 3) drag.moved = true;
        if (!drag.moved) return;
        var lo = Math.min(drag.from, drag.to), hi = Math.max(drag.from, drag.to), el = mark(drag.g.svg, "cm-brush");
        el.setAttribute("fill", "#1f77b4");
        el.setAttribute("fill-opacity", "0.18");
        el.setAttribute("stroke", "#1f77b4");
        place(el, drag.g, lo, hi);
        say(drag.g, lo, hi);
    });
    function end(e) {
        if (!drag) return;
        var d = drag;
        drag = null;
        if (!d.moved || e.type === "pointercancel") return;
        var lo = Math.min(d.from, d.to), hi = Math.max(d.from, d.to);
        send(iso(binStart(d.g, lo)), iso(binStart(d.g, hi + 1) - 1));
    }
    document.addEventListener("pointerup", end);
    document.addEventListener("pointercancel", end);
    document.addEventListener("dblclick", function (e) {
        var svg = target(e);
        if (svg && svg.querySelector(".cm-window, .cm-brush")) send(null, null);
    });

    CM.timeline = {cursor: cursor, brush: send, binStart: binStart, dayOf: dayOf, iso: iso};
})();
