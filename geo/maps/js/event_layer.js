// EventLayer (geo/maps/events.py): one symbol per event, shaped and coloured by its ACLED type, filled when it
// happened and hollow when it was denied, threatened, planned or only possible. Events at one place are spread
// on a spiral around it (in screen pixels, so at every zoom) so that each stays visible and clickable. Hover
// tells what, where and when; a click opens who, how many died, the evidence sentence and its source (and
// selects the place, as a click on it does). It keeps only the time player's step (the "cm:timestep" event).
// o: {data: column arrays, "text" the strings they index (escaped by the server), styles, note}. Every string
// put in the page here comes from `text` or `note`, escaped by geo.maps.html.esc (links by safe_href).
// `note`: when the server drew only the most relevant events (geo.maps.events.capped), how many of how many;
// shown in the map's lower left corner while the layer is on.
window.CM.shapeMarker = function () {
    // Symbols by shape as well as colour (style.shape), drawn on the shared canvas; clicks hit-test the
    // circle of the same radius. geo.maps.style.SHAPE_POINTS holds the same corners.
    var CM = window.CM;
    if (CM.ShapeMarker) return CM.ShapeMarker;
    var corners = {
        triangle: [[0, -1.2], [1.05, 0.75], [-1.05, 0.75]],
        square: [[-0.88, -0.88], [0.88, -0.88], [0.88, 0.88], [-0.88, 0.88]],
        diamond: [[0, -1.25], [1.1, 0], [0, 1.25], [-1.1, 0]],
        "triangle-down": [[0, 1.2], [1.05, -0.75], [-1.05, -0.75]],
        hexagon: [[1, 0], [0.5, 0.87], [-0.5, 0.87], [-1, 0], [-0.5, -0.87], [0.5, -0.87]]
    };
    CM.ShapeMarker = L.CircleMarker.extend({
        _updatePath: function () {
            var c = corners[this.options.shape], r = this._renderer;
            if (!c || !r._ctx) return L.CircleMarker.prototype._updatePath.call(this);
            if (!r._drawing || this._empty()) return;
            var ctx = r._ctx, p = this._point, size = this._radius;
            ctx.beginPath();
            c.forEach(function (xy, k) {
                var x = p.x + xy[0] * size, y = p.y + xy[1] * size;
                if (k) { ctx.lineTo(x, y); } else { ctx.moveTo(x, y); }
            });
            ctx.closePath();
            r._fillStroke(ctx, this);
        }
    });
    return CM.ShapeMarker;
};

window.CM.plugins.eventLayer = function (parent, o) {
    var CM = window.CM, d = o.data, text = d.text, styles = o.styles, DAY = 864e5;
    var Shape = CM.shapeMarker(), group = L.featureGroup(), renderer = CM.renderer, markers = [];
    function t(i) { return i >= 0 ? text[i] : ""; }
    function date(i) {
        var day = new Date(d.day[i] * DAY);
        return day.getUTCDate() + " " + day.toLocaleString("en-GB", {month: "short", timeZone: "UTC"}) + " " +
               day.getUTCFullYear();
    }
    function head(i) {  // what, where, when, and how it was reported when it did not simply happen
        var mod = t(d.mod[i]);
        return "<b>" + t(d.type[i]) + "</b>" + (d.sub[i] >= 0 ? " · " + t(d.sub[i]) : "") + "<br>" + t(d.name[i]) +
               " · " + date(i) + (d.dated[i] ? "" : " (article's date)") + (mod ? " · <i>" + mod + "</i>" : "");
    }
    function who(i) {
        var a1 = t(d.a1[i]), a2 = t(d.a2[i]);
        if (!a1 && !a2) return "";
        return "<br>" + (a1 ? (a2 ? a1 + " against " + a2 : "By " + a1) : "Against " + a2);
    }
    function card(i) {  // the popup: everything the map knows about the event
        var dead = d.fat[i] < 0 ? "" : "<br>Fatalities: " + d.fat[i];
        var said = d.ev[i] >= 0 ? '<blockquote class="cm-evidence" style="margin:.45em 0;padding:0 0 0 .6em;' +
            'border-left:3px solid #ccc;color:#333">“' + t(d.ev[i]) + "”</blockquote>" :
            (d.ev[i] === -2 ? '<div class="cm-evidence-note" style="margin:.45em 0;color:#666">Too many events shown ' +
             "to send every sentence: narrow the time range, or open the place.</div>" : "");
        var from = t(d.title[i]) || "(untitled)", src = t(d.source[i]);
        var link = d.href[i] >= 0 ? '<a href="' + t(d.href[i]) + '" target="_blank" rel="noopener noreferrer">' + from +
                   "</a>" : from;
        return '<div class="cm-event" style="font:13px/1.4 sans-serif">' + head(i) + who(i) + dead + said + "<div>" + link + (src ? " · " + src : "") +
               "</div></div>";
    }
    for (var i = 0; i < d.lat.length; i++) {
        var m = new Shape([d.lat[i], d.lon[i]], Object.assign({renderer: renderer, bubblingMouseEvents: false},
                                                            styles[d.style[i]]));
        m.cmIndex = i;
        markers.push(m);
        group.addLayer(m);
    }
    group.bindTooltip(function (layer) { return head(layer.cmIndex) + who(layer.cmIndex); }, {direction: "top"});
    group.on("click", function (e) {
        var i = (e.propagatedFrom || e.sourceTarget || e.layer).cmIndex;
        if (i === undefined) return;
        group.closeTooltip();
        L.popup({maxWidth: 360, className: "cm-event-popup"}).setLatLng(markers[i].getLatLng())
            .setContent(card(i)).openOn(group._map);
        CM.clicked({kind: "place", key: d.key[i], lat: d.lat[i], lon: d.lon[i]});
    });
    // A Fermat spiral (even spacing, no overlap: geo.maps.style.spread_offset), starting just outside the
    // place's circle where the places layer draws one (r0, its radius), else on the place itself.
    function offset(slot, r0) {
        if (!slot && !r0) return [0, 0];
        var a = (slot + 1) * 2.39996, r = (r0 ? r0 + 6 : 0) + o.spread_px * Math.sqrt(slot);
        return [r * Math.cos(a), r * Math.sin(a)];
    }
    function spread() {
        var map = group._map;
        if (!map) return;
        for (var i = 0; i < markers.length; i++) {
            var p = map.latLngToLayerPoint([d.lat[i], d.lon[i]]), off = offset(d.slot[i], d.r0[i]);
            markers[i].setLatLng(map.layerPointToLatLng(p.add(L.point(off[0], off[1]))));
        }
    }
    // The time player's step: only the events that happened in it (from/to: day numbers; null: all).
    var shown = null;
    function step(e) {
        var from = e && e.from, to = e && e.to;
        var all = from === null || from === undefined;
        if (all && shown === null) return;
        shown = all ? null : [from, to];
        group.clearLayers();
        var n = 0;
        for (var i = 0; i < markers.length; i++) {
            if (all || (d.day[i] >= from && d.day[i] <= to)) { group.addLayer(markers[i]); n++; }
        }
        CM.stats.eventsShown = n;
    }
    var note = null;
    if (o.note) {
        note = L.control({position: "bottomleft"});
        note.onAdd = function () {
            var div = L.DomUtil.create("div", "cm-event-note");
            div.setAttribute("role", "status");
            div.style.cssText = "background:rgba(255,255,255,.9);padding:2px 7px;border-radius:4px;" +
                "font:12px/1.4 sans-serif;color:#333;box-shadow:0 1px 3px rgba(0,0,0,.25);max-width:340px";
            div.innerHTML = o.note;  // escaped by the server (geo.maps.events.cap_note)
            return div;
        };
    }
    group.on("add", function () {
        if (note) note.addTo(group._map);
        group._map.on("zoomend", spread);
        group._map.on("cm:timestep", step);
        spread();
        if (CM.timeStep) step(CM.timeStep);  // drawn anew while the time player shows a step
    });
    group.on("remove", function (e) {
        var map = e.target._map || CM.map;
        if (map) { map.off("zoomend", spread); map.off("cm:timestep", step); }
        if (note) note.remove();
    });
    CM.stats.events = d.lat.length;
    CM.stats.eventsTotal = o.total;  // in the view, drawn or not
    CM.stats.eventsShown = d.lat.length;
    CM.layers = CM.layers || {};
    CM.layers.events = {group: group, data: d};
    parent.addLayer(group);
    return group;
};
