// TimePlayer (geo/maps/elements.py): plays mentions in time order, one bin of the timeline (day, week or
// month) at a time. Each step shows that step's items only: the places layer steps aside and the player draws
// the places mentioned in the step (sized by its count; clickable as they are), with those of the two steps
// before that are not in it faintly, never one circle over another; the event layer keeps only the step's
// events (the "cm:timestep" event on the map); the timeline's cursor marks the step (geo/maps/js/timeline.js).
// Until it plays or its slider moves, everything is shown.
// o: {data: geo.view.timebins.player_cells plus the places' "lat", "lon", "key", "name" (escaped), colour,
// interval_ms}.
window.CM.plugins.timePlayer = function (parent, o) {
    var CM = window.CM, d = o.data, colour = o.colour, DAY = 864e5;
    var n = d.bins.length, start = new Array(n + 1).fill(0), maxCount = 1;
    for (var k = 0; k < d.bin.length; k++) { start[d.bin[k] + 1]++; if (d.count[k] > maxCount) maxCount = d.count[k]; }
    for (var b = 0; b < n; b++) start[b + 1] += start[b];
    var binDays = d.bins.map(function (iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); });
    function lastDay(bin) {  // the bin's last day: the next one's first, less a day
        if (bin + 1 < n) return binDays[bin + 1] - 1;
        var s = binDays[bin];
        if (d.step === "week") return s + 6;
        if (d.step === "month") { var t = new Date(s * DAY); return Math.round(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1) / DAY) - 1; }
        return s;
    }
    function words(bin) {
        var t = new Date(binDays[bin] * DAY), month = t.toLocaleString("en-GB", {month: "short", timeZone: "UTC"});
        if (d.step === "month") return month + " " + t.getUTCFullYear();
        return (d.step === "week" ? "week of " : "") + t.getUTCDate() + " " + month + " " + t.getUTCFullYear();
    }
    var layer = L.featureGroup(), renderer = CM.renderer, current = -1, timer = null, hidden = [];
    layer.on("click", function (e) {
        var m = e.propagatedFrom || e.sourceTarget || e.layer, p = m && m.cmPlace;
        if (p === undefined) return;
        CM.clicked({kind: "place", key: d.key[p], lat: d.lat[p], lon: d.lon[p]});
        CM.ring(d.lat[p], d.lon[p], m.getRadius());
    });
    layer.bindTooltip(function (m) { return m.cmLabel || ""; }, {direction: "top"});
    function stepAside() {  // the places (or their clusters) leave while the player shows one step
        if (hidden.length) return;
        ["place", "cluster"].forEach(function (name) {
            var l = (CM.layers || {})[name];
            if (l && l.group && l.group._map) { hidden.push(l.group); l.group._map.removeLayer(l.group); }
        });
    }
    function comeBack() {
        var map = CM.map;
        hidden.forEach(function (g) { if (map) map.addLayer(g); });
        hidden = [];
    }
    function draw(bin) {
        current = bin;
        layer.clearLayers();
        stepAside();
        var now = {};
        for (var k = start[bin]; k < start[bin + 1]; k++) now[d.place[k]] = true;
        for (var back = 2; back >= 0; back--) {
            var s = bin - back;
            if (s < 0) continue;
            for (k = start[s]; k < start[s + 1]; k++) {
                var p = d.place[k];
                if (back && now[p]) continue;  // in this step: drawn once, as this step's
                var m = L.circleMarker([d.lat[p], d.lon[p]], {
                    renderer: renderer, interactive: !back, bubblingMouseEvents: false,
                    radius: 3 + 14 * Math.sqrt(d.count[k] / maxCount),
                    color: back ? colour : "#222222", weight: back ? 0 : 1, fillColor: colour,
                    fillOpacity: back ? 0.3 / back : 0.8
                });
                if (!back) {
                    m.cmPlace = p;
                    m.cmLabel = "<b>" + d.name[p] + "</b> · " + d.count[k] + " mention" + (d.count[k] === 1 ? "" : "s") +
                                " in " + words(bin);
                }
                m.addTo(layer);
            }
        }
        if (slider) {
            slider.value = bin;
            label.textContent = words(bin) + " · " + (start[bin + 1] - start[bin]) + " places";
        }
        CM.stats.timeBin = bin;
        CM.stats.timeShown = layer.getLayers().length;
        CM.timeStep = {from: binDays[bin], to: lastDay(bin)};
        if (CM.map) CM.map.fire("cm:timestep", CM.timeStep);
        if (CM.timeline) CM.timeline.cursor(binDays[bin]);
    }
    function showAll() {
        stop();
        current = -1;
        layer.clearLayers();
        comeBack();
        if (slider) { slider.value = 0; label.textContent = n ? n + " " + d.step + "s: ▶ plays them" : "no dates"; }
        CM.stats.timeBin = -1;
        CM.stats.timeShown = 0;
        CM.timeStep = null;
        if (CM.map) CM.map.fire("cm:timestep", {from: null, to: null});
        if (CM.timeline) CM.timeline.cursor(null);
    }
    var slider, label, button;
    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
        var div = L.DomUtil.create("div", "cm-time");
        button = L.DomUtil.create("button", "cm-time-play", div);
        button.type = "button"; button.textContent = "▶"; button.title = "Play / pause";
        slider = L.DomUtil.create("input", "cm-time-slider", div);
        slider.type = "range"; slider.min = 0; slider.max = Math.max(0, n - 1); slider.value = Math.max(current, 0);
        label = L.DomUtil.create("span", "cm-time-label", div);
        var all = L.DomUtil.create("button", "cm-time-all", div);
        all.type = "button"; all.textContent = "All"; all.title = "Show every step again";
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        L.DomEvent.on(slider, "input", function () { stop(); if (n) draw(+slider.value); });
        L.DomEvent.on(button, "click", function () { timer ? stop() : play(); });
        L.DomEvent.on(all, "click", showAll);
        return div;
    };
    function play() {
        if (!n) return;
        draw(current < 0 || current >= n - 1 ? 0 : current + 1);
        button.textContent = "❚❚";
        timer = setInterval(function () { current < n - 1 ? draw(current + 1) : stop(); }, o.interval_ms);
    }
    function stop() { if (timer) clearInterval(timer); timer = null; if (button) button.textContent = "▶"; }
    var Player = L.Layer.extend({
        onAdd: function (map) { control.addTo(map); layer.addTo(map); showAll(); },
        onRemove: function (map) { showAll(); map.removeControl(control); layer.remove(); }
    });
    CM.time = {play: play, stop: stop, draw: draw, all: showAll, bins: d.bins, step: d.step};
    parent.addLayer(new Player());
};
