// BasemapDetail (geo/maps/basemap_detail.py): the detailed offline basemap. Land, lakes, shorelines, rivers and
// borders are drawn into canvas tiles; towns and first-level names into one canvas over the view. Data comes in
// chunks per level of detail (geo/layers/basemap_chunks.py), asked for only where the view is, or given inline.
// Names are drawn with fillText: they are never parsed as HTML.
window.CM.plugins.basemapDetail = function (parent, o) {
    var CM = window.CM, s = o.style, preload = o.chunks || {}, cache = {};
    CM.stats = CM.stats || {};
    var levels = o.levels.map(function (l) {
        var bin = atob(l.cells), bits = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) bits[i] = bin.charCodeAt(i);
        return {name: l.name, min: l.min_zoom, max: l.max_zoom, cell: l.cell, q: l.quantum,
                cols: Math.ceil(360 / l.cell), rows: Math.ceil(180 / l.cell), bits: bits};
    });
    function levelFor(z) {
        for (var i = 0; i < levels.length; i++) if (z >= levels[i].min && z <= levels[i].max) return levels[i];
        return null;
    }
    function has(l, c, r) {
        if (c < 0 || r < 0 || c >= l.cols || r >= l.rows) return false;
        var i = r * l.cols + c;
        return (l.bits[i >> 3] >> (i & 7)) & 1;
    }
    function cellsIn(l, w, so, e, n) {  // [col, row] of the cells a lon/lat box touches
        var out = [], c0 = Math.floor((Math.max(w, -180) + 180) / l.cell), c1 = Math.floor((Math.min(e, 180) + 180) / l.cell),
            r0 = Math.floor((Math.max(so, -90) + 90) / l.cell), r1 = Math.floor((Math.min(n, 90) + 90) / l.cell);
        for (var c = c0; c <= Math.min(c1, l.cols - 1); c++)
            for (var r = r0; r <= Math.min(r1, l.rows - 1); r++) out.push([c, r]);
        return out;
    }
    function decode(d, l, c, r) {  // integer steps from the cell's corner -> lon/lat pairs with a bounding box
        var x0 = -180 + c * l.cell, y0 = -90 + r * l.cell, q = l.q, out = {};
        function path(a) {
            var pts = new Float64Array(a.length), x = 0, y = 0, b = [Infinity, Infinity, -Infinity, -Infinity];
            for (var i = 0; i < a.length; i += 2) {
                x += a[i]; y += a[i + 1];
                var lon = x0 + x / q, lat = y0 + y / q;
                pts[i] = lon; pts[i + 1] = lat;
                if (lon < b[0]) b[0] = lon; if (lat < b[1]) b[1] = lat; if (lon > b[2]) b[2] = lon; if (lat > b[3]) b[3] = lat;
            }
            return {p: pts, b: b};
        }
        ["land", "lake", "isle"].forEach(function (k) {
            out[k] = (d[k] || []).map(function (poly) { var rings = poly.map(path); return {rings: rings, b: rings[0].b}; });
        });
        ["coast", "river", "admin1", "border"].forEach(function (k) { out[k] = (d[k] || []).map(path); });
        ["towns", "regions"].forEach(function (k) {
            var t = d[k] || {x: [], y: [], n: []};
            out[k] = t.n.map(function (name, i) {
                return {lon: x0 + t.x[i] / q, lat: y0 + t.y[i] / q, name: String(name), z: t.z ? t.z[i] : 0, i: i};
            });
        });
        return out;
    }
    // A promise of a cell's chunk: null where the cell is empty (sea), undefined where it could not be had.
    function chunk(l, c, r) {
        if (!has(l, c, r)) return Promise.resolve(null);
        var key = l.name + "/" + c + "_" + r;
        if (!cache[key]) {
            var got = preload[key] ? Promise.resolve(preload[key]) : !o.url ? Promise.resolve(undefined)
                : fetch(o.url + "/" + key + ".json?v=" + encodeURIComponent(o.version || ""))
                    .then(function (res) { return res.ok ? res.json() : undefined; });
            cache[key] = got.then(function (d) {
                if (d === undefined) { delete cache[key]; return undefined; }
                CM.stats.basemapChunks = (CM.stats.basemapChunks || 0) + 1;
                return decode(d, l, c, r);
            }, function () { delete cache[key]; return undefined; });
        }
        return cache[key];
    }
    function pane(map, name, z) {
        if (!map.getPane(name)) { var p = map.createPane(name); p.style.zIndex = z; p.style.pointerEvents = "none"; }
        return name;
    }
    // Web Mercator pixels at zoom z (Leaflet's EPSG:3857), without allocating a point per vertex.
    function px(lon, z) { return 256 * Math.pow(2, z) * (lon + 180) / 360; }
    function py(lat, z) {
        var phi = Math.max(Math.min(lat, 85.0511287798), -85.0511287798) * Math.PI / 180;
        return 256 * Math.pow(2, z) * (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI));
    }
    function trace(ctx, p, z, ox, oy, ratio, close) {
        ctx.moveTo((px(p[0], z) - ox) * ratio, (py(p[1], z) - oy) * ratio);
        for (var i = 2; i < p.length; i += 2) ctx.lineTo((px(p[i], z) - ox) * ratio, (py(p[i + 1], z) - oy) * ratio);
        if (close) ctx.closePath();
    }
    function meets(b, box) { return b[0] <= box[2] && b[2] >= box[0] && b[1] <= box[3] && b[3] >= box[1]; }

    var Tiles = L.GridLayer.extend({
        createTile: function (coords, done) {
            var tile = L.DomUtil.create("canvas", "cm-detail-tile"), size = this.getTileSize(),
                ratio = window.devicePixelRatio || 1, l = levelFor(coords.z), map = this._map;
            tile.width = size.x * ratio; tile.height = size.y * ratio;
            if (!l) { setTimeout(function () { done(null, tile); }, 0); return tile; }
            var ox = coords.x * size.x, oy = coords.y * size.y, z = coords.z,
                nw = map.unproject([ox, oy], z), se = map.unproject([ox + size.x, oy + size.y], z),
                pad = (se.lng - nw.lng) * 0.02, box = [nw.lng - pad, se.lat - pad, se.lng + pad, nw.lat + pad];
            Promise.all(cellsIn(l, box[0], box[1], box[2], box[3]).map(function (cr) { return chunk(l, cr[0], cr[1]); }))
                .then(function (chunks) {
                    // A cell that could not be loaded leaves the tile clear: the coarse basemap shows, not a false sea.
                    if (chunks.some(function (c) { return c === undefined; })) { done(null, tile); return; }
                    draw(tile.getContext("2d"), chunks.filter(Boolean), z, ox, oy, ratio, box, size);
                    done(null, tile);
                });
            return tile;
        }
    });
    function draw(ctx, chunks, z, ox, oy, ratio, box, size) {
        ctx.fillStyle = s.sea;
        ctx.fillRect(0, 0, size.x * ratio, size.y * ratio);
        function fill(key, colour) {
            ctx.beginPath();
            chunks.forEach(function (ch) {
                ch[key].forEach(function (poly) {
                    if (meets(poly.b, box)) poly.rings.forEach(function (r) { trace(ctx, r.p, z, ox, oy, ratio, true); });
                });
            });
            ctx.fillStyle = colour; ctx.fill("evenodd");
        }
        function stroke(key, colour, width, dash) {
            ctx.beginPath();
            chunks.forEach(function (ch) {
                ch[key].forEach(function (line) { if (meets(line.b, box)) trace(ctx, line.p, z, ox, oy, ratio, false); });
            });
            ctx.setLineDash(dash ? dash.map(function (d) { return d * ratio; }) : []);
            ctx.strokeStyle = colour; ctx.lineWidth = width * ratio; ctx.lineJoin = ctx.lineCap = "round"; ctx.stroke();
        }
        fill("land", s.land); fill("lake", s.lake); fill("isle", s.land);
        stroke("coast", s.coast, 0.8);
        stroke("river", s.river, z >= 9 ? 1.4 : 1);
        stroke("admin1", s.admin1, 1, [4, 3]);
        stroke("border", s.border, z >= 7 ? 1.4 : 1.1);
    }

    var Labels = L.Layer.extend({
        onAdd: function (map) {
            this._map = map; this._seq = 0;
            this._canvas = L.DomUtil.create("canvas", "cm-detail-labels leaflet-zoom-hide");
            map.getPane(pane(map, "cm-detail-labels", 165)).appendChild(this._canvas);
            // cmplacenames: the place labels were laid out again (geo/maps/js/place_names.js); give way to them.
            map.on("moveend resize cmplacenames", this._update, this);
            this._update();
        },
        onRemove: function (map) {
            map.off("moveend resize cmplacenames", this._update, this); L.DomUtil.remove(this._canvas);
        },
        _update: function () {
            var self = this, map = this._map, z = Math.round(map.getZoom()), l = levelFor(z), seq = ++this._seq,
                b = map.getBounds(), cells = l ? cellsIn(l, b.getWest(), b.getSouth(), b.getEast(), b.getNorth()) : [];
            Promise.all(cells.map(function (cr) { return chunk(l, cr[0], cr[1]); })).then(function (chunks) {
                if (seq === self._seq && self._map) self._draw(chunks.filter(Boolean), z);
            });
        },
        _draw: function (chunks, z) {
            var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1, canvas = this._canvas;
            L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
            canvas.width = size.x * ratio; canvas.height = size.y * ratio;
            canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
            var ctx = canvas.getContext("2d"), placed = [], shown = 0;
            ctx.scale(ratio, ratio); ctx.textBaseline = "middle";
            function free(r) {
                for (var i = 0; i < placed.length; i++) {
                    var p = placed[i];
                    if (r[0] < p[2] && r[2] > p[0] && r[1] < p[3] && r[3] > p[1]) return false;
                }
                return true;
            }
            function label(t, font, colour, dot, centred) {
                var pt = map.latLngToContainerPoint([t.lat, t.lon]);
                if (pt.x < 0 || pt.y < 0 || pt.x > size.x || pt.y > size.y) return;
                ctx.font = font;
                var w = ctx.measureText(t.name).width, x = centred ? pt.x - w / 2 : pt.x + dot + 3,
                    r = [Math.min(x, pt.x - dot) - 2, pt.y - 8, x + w + 2, pt.y + 8];
                if (!free(r)) return;
                // A place of the articles there is named by the place labels (place_names.js): no second name.
                if (window.CM.clashesWithPlaces &&
                    window.CM.clashesWithPlaces(pt, {x: r[0], y: r[1], w: r[2] - r[0], h: r[3] - r[1]}, t.name)) return;
                placed.push(r); shown++;
                if (dot) {
                    ctx.beginPath(); ctx.arc(pt.x, pt.y, dot, 0, 2 * Math.PI);
                    ctx.fillStyle = s.town; ctx.strokeStyle = s.halo; ctx.lineWidth = 1; ctx.fill(); ctx.stroke();
                }
                ctx.lineWidth = 3; ctx.strokeStyle = s.halo; ctx.lineJoin = "round";
                ctx.strokeText(t.name, x, pt.y); ctx.fillStyle = colour; ctx.fillText(t.name, x, pt.y);
            }
            function town(t) {
                var big = z - t.z;
                label(t, big >= 3 ? "bold 13px sans-serif" : big >= 1 ? "12px sans-serif" : "11px sans-serif",
                      s.label, big >= 3 ? 3.5 : big >= 1 ? 2.8 : 2.2, false);
            }
            var towns = [];
            chunks.forEach(function (ch) { ch.towns.forEach(function (t) { if (t.z <= z) towns.push(t); }); });
            towns.sort(function (a, b) { return a.z - b.z || a.i - b.i; });
            // Towns first, most important first; the first-level names (at their centres) where room is left.
            towns.forEach(function (t) { if (shown < o.limit) town(t); });
            if (z >= o.region_zoom[0] && z <= o.region_zoom[1]) {
                chunks.forEach(function (ch) {
                    ch.regions.forEach(function (t) { label(t, "italic 12px sans-serif", s.region, 0, true); });
                });
            }
            CM.stats.basemapLabels = shown;
        }
    });

    var group = L.layerGroup();
    var tiles = new Tiles({pane: "cm-detail", minZoom: levels[0].min, maxZoom: 24, updateWhenZooming: false,
                           keepBuffer: 1, className: "cm-detail-tiles"});
    var labels = new Labels();
    group.onAdd = function (map) {
        pane(map, "cm-detail", 155);
        if (o.attribution && map.attributionControl) map.attributionControl.addAttribution(o.attribution);
        L.LayerGroup.prototype.onAdd.call(this, map);
    };
    group.addLayer(tiles).addLayer(labels);
    parent.addLayer(group);
    CM.basemapDetail = group;
    return group;
};
