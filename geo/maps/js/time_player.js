// TimePlayer (geo/maps/elements.py): Plays mentions in time order: a slider over days or weeks with play/pause, each step drawing the places mentioned in it (sized by count) and, fainter, those of the two steps before.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.timePlayer = function (parent, o) {
    var d = o.data, colour = o.colour;
    var n = d.bins.length, start = new Array(n + 1).fill(0), maxCount = 1;
    for (var k = 0; k < d.bin.length; k++) { start[d.bin[k] + 1]++; if (d.count[k] > maxCount) maxCount = d.count[k]; }
    for (var b = 0; b < n; b++) start[b + 1] += start[b];
    var layer = L.layerGroup(), renderer = window.CM.renderer, current = 0, timer = null;
    function draw(bin) {
        current = bin;
        layer.clearLayers();
        for (var back = 2; back >= 0; back--) {
            var b = bin - back;
            if (b < 0) continue;
            for (var k = start[b]; k < start[b + 1]; k++) {
                var p = d.place[k];
                L.circleMarker([d.lat[p], d.lon[p]], {
                    renderer: renderer, interactive: false, radius: 3 + 14 * Math.sqrt(d.count[k] / maxCount),
                    color: colour, weight: back ? 0 : 1, fillColor: colour,
                    fillOpacity: back ? 0.25 / back : 0.75
                }).addTo(layer);
            }
        }
        if (slider) { slider.value = bin; label.textContent = n ? d.bins[bin] + " · " + (start[bin + 1] - start[bin]) + " places" : "no dates"; }
        window.CM.stats.timeBin = bin;
    }
    var slider, label, button;
    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
        var div = L.DomUtil.create("div", "cm-time");
        button = L.DomUtil.create("button", "cm-time-play", div);
        button.type = "button"; button.textContent = "▶"; button.title = "Play / pause";
        slider = L.DomUtil.create("input", "cm-time-slider", div);
        slider.type = "range"; slider.min = 0; slider.max = Math.max(0, n - 1); slider.value = current;
        label = L.DomUtil.create("span", "cm-time-label", div);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        L.DomEvent.on(slider, "input", function () { stop(); draw(+slider.value); });
        L.DomEvent.on(button, "click", function () { timer ? stop() : play(); });
        return div;
    };
    function play() {
        if (!n) return;
        if (current >= n - 1) draw(0);
        button.textContent = "❚❚";
        timer = setInterval(function () { current < n - 1 ? draw(current + 1) : stop(); }, o.interval_ms);
    }
    function stop() { if (timer) clearInterval(timer); timer = null; if (button) button.textContent = "▶"; }
    var Player = L.Layer.extend({
        onAdd: function (map) { control.addTo(map); layer.addTo(map); draw(current); },
        onRemove: function (map) { stop(); map.removeControl(control); layer.remove(); }
    });
    window.CM.time = {play: function () { play(); }, stop: stop, draw: draw, bins: d.bins};
    parent.addLayer(new Player());
};
