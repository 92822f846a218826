// The briefing page's own plugins (geo/exports/browser.py), loaded after the map's library (geo/maps/js):
// place labels that never collide, the locator inset, and the fitting of the page before the capture.
(function () {
  var CM = window.CM;

  function rectOf(r) { return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }
  function clash(r, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var k = boxes[i];
      if (r.left < k.right && r.right > k.left && r.top < k.bottom && r.bottom > k.top) return true;
    }
    return false;
  }
  function inside(r, box) { return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom; }
  function padded(r, p) { return {left: r.left - p, right: r.right + p, top: r.top - p, bottom: r.bottom + p}; }

  // The symbols a label must leave visible: places (circles, cluster bubbles) and events, apart; airfields and
  // town dots are small and many, and a label may cover them as the dashboard's labels do.
  function symbolBoxes(map) {
    var box = map.getContainer().getBoundingClientRect(), out = {places: [], events: []}, minor = [];
    var layers = CM.layers || {}, events = layers.events && layers.events.group;
    ["air_base", "airport", "city"].forEach(function (k) { if (layers[k]) minor.push(layers[k].group); });
    map.eachLayer(function (l) {
      if (!(l instanceof L.CircleMarker) || !l._map) return;
      if (minor.some(function (g) { return g.hasLayer(l); })) return;
      var p = map.latLngToContainerPoint(l.getLatLng()), r = l.getRadius() + 1;
      if (p.x + r < 0 || p.y + r < 0 || p.x - r > box.width || p.y - r > box.height) return;
      (events && events.hasLayer(l) ? out.events : out.places).push(
        {left: box.left + p.x - r, right: box.left + p.x + r, top: box.top + p.y - r, bottom: box.top + p.y + r});
    });
    document.querySelectorAll(".cm-cluster").forEach(function (el) { out.places.push(rectOf(el.getBoundingClientRect())); });
    return out;
  }

  // PlaceLabels: names beside their circles, most mentioned first, each at the first spot around its circle
  // where it overlaps no other label, symbol or map furniture and stays inside the map; where events crowd
  // every spot, the first that covers only event symbols; else hidden.
  CM.plugins.placeLabels = function (map, o) {
    var pane = map.createPane("cmLabels");
    pane.style.zIndex = 650;
    pane.style.pointerEvents = "none";
    o.labels.forEach(function (p) {
      var span = document.createElement("span");
      span.className = "cm-place-label";
      span.dataset.gap = p.gap;
      span.textContent = p.text;
      L.marker([p.lat, p.lon], {
        pane: "cmLabels", interactive: false, keyboard: false,
        icon: L.divIcon({className: "cm-place-label-anchor", html: span, iconSize: null})
      }).addTo(map);
    });
    // o.spots (geo/exports/labels.py): [x, y, gx, gy, extra] — the label's offset as a share of its own size,
    // the direction of the gap from the circle, and extra pixels of gap; tried in order.
    var spots = o.spots;
    CM.placeLabels = function () {
      var box = map.getContainer().getBoundingClientRect(), symbols = symbolBoxes(map), kept = symbols.places;
      document.querySelectorAll(".cm-north, .cm-locator, .leaflet-control-scale").forEach(function (el) {
        kept.push(rectOf(el.getBoundingClientRect()));
      });
      var shown = 0;
      document.querySelectorAll(".cm-place-label").forEach(function (el) {
        var gap = parseFloat(el.dataset.gap), w = el.offsetWidth, h = el.offsetHeight;
        function tryAt(s, clear) {
          var x = s[0] * w + s[2] * (gap + s[4]), y = s[1] * h + s[3] * (gap + s[4]);
          el.style.transform = "translate(" + x + "px," + y + "px)";
          var r = padded(el.getBoundingClientRect(), o.pad);
          if (inside(el.getBoundingClientRect(), box) && !clash(r, kept) && !(clear && clash(r, symbols.events))) {
            kept.push(r); return true;
          }
          return false;
        }
        var placed = spots.some(function (s) { return tryAt(s, true); }) ||
                     spots.some(function (s) { return tryAt(s, false); });
        el.style.display = placed ? "" : "none";
        if (placed) shown += 1;
      });
      kept = kept.concat(symbols.events);
      // The map's other names (towns, big cities, roads, countries) give way to the places' and to each other.
      [".cm-town-label span", ".cm-city-label span", ".cm-road-label span", ".cm-country-label span"].forEach(function (sel) {
        document.querySelectorAll(sel).forEach(function (el) {
          var r = el.getBoundingClientRect();
          if (!r.width || getComputedStyle(el).visibility === "hidden") return;
          if (!inside(r, box) || clash(padded(r, o.pad), kept)) { el.style.visibility = "hidden"; }
          else { kept.push(padded(r, o.pad)); }
        });
      });
      CM.stats.placeLabels = shown;
    };
  };

  // LocatorInset: a small map of the surroundings (the basemap's country outlines) with the briefing's view
  // outlined on it, in the map's lower-right corner; zoom: the view's zoom minus o.offset, within o.zooms.
  CM.plugins.locatorInset = function (map, o) {
    var Inset = L.Control.extend({
      options: {position: "bottomright"},
      onAdd: function () {
        var div = L.DomUtil.create("div", "cm-locator");
        div.style.width = o.width + "px"; div.style.height = o.height + "px";
        return div;
      }
    });
    var control = new Inset().addTo(map);
    CM.drawLocator = function () {
      var zoom = Math.round(map.getZoom());
      if (zoom < o.min_view_zoom) { control.remove(); return; }
      var div = control.getContainer(), z = Math.max(o.zooms[0], Math.min(o.zooms[1], zoom - o.offset));
      var mini = L.map(div, {attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false,
                             doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false,
                             zoomAnimation: false, fadeAnimation: false, inertia: false, zoomSnap: 0});
      mini.setView(map.getCenter(), z, {animate: false});
      L.geoJSON(CM.countries, {interactive: false, renderer: L.canvas({padding: 0}),
                               style: o.countries}).addTo(mini);
      var b = map.getBounds(), nw = mini.latLngToContainerPoint(b.getNorthWest()),
          se = mini.latLngToContainerPoint(b.getSouthEast());
      if (se.x - nw.x < 8 || se.y - nw.y < 8) {  // the view too small to see as a box: a ring around it
        L.circleMarker(b.getCenter(), {radius: 6, color: o.colour, weight: 2, fill: false, interactive: false}).addTo(mini);
      } else {
        L.rectangle(b, {color: o.colour, weight: 2, fill: true, fillOpacity: 0.12, interactive: false}).addTo(mini);
      }
      CM.locator = {zoom: z, view: [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]],
                    shown: [[mini.getBounds().getSouth(), mini.getBounds().getWest()],
                            [mini.getBounds().getNorth(), mini.getBounds().getEast()]]};
    };
  };

  // BriefingReady: fit the title, the key and the numbered sources to the page (never dropping a source:
  // a slide's side panel grows and its type shrinks; a PDF continues the list on further pages), place the
  // labels, then say window.cmReady (the screenshot or the PDF is taken then).
  CM.plugins.briefingReady = function (map, o) {
    var page = document.querySelector(".cm-page");
    function q(sel) { return document.querySelector(sel); }
    function overflows(el) { return el && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1); }
    function fitTitle() {
      var h1 = q(".cm-head h1"), size = 29;
      while (h1 && h1.scrollWidth > h1.clientWidth && size > 20) { size -= 1; h1.style.fontSize = size + "px"; }
      if (h1 && h1.scrollWidth > h1.clientWidth) h1.classList.add("cm-wrap");  // two lines rather than a cut
    }
    function apply(step) {
      page.style.setProperty("--k", step[0]);
      page.style.setProperty("--src-cols", step[1]);
      page.style.setProperty("--panel", step[2] + "px");
      map.invalidateSize({animate: false, pan: false});
    }
    function fitSources() {
      var side = q(".cm-side"), steps = o.mode === "pdf" ? o.steps.slice(0, o.pdf_steps) : o.steps;
      for (var i = 0; i < steps.length; i++) {
        apply(steps[i]);
        if (!overflows(side)) return;
      }
      if (o.mode === "pdf") continueOnPages(side);
    }
    function refit() {  // the map's box changed with the panel: fit the places again, as the first view did
      if (o.fit) map.fitBounds(o.fit, {padding: [30, 30], maxZoom: o.max_zoom, animate: false});
    }
    // The sources that do not fit page one go on as many further pages as they need, two columns each.
    function continueOnPages(side) {
      var list = q(".cm-side .cm-articles"), moved = [];
      while (list.children.length > 1 && overflows(side)) { moved.unshift(list.lastElementChild); list.removeChild(list.lastElementChild); }
      q(".cm-side .cm-more").insertAdjacentText("afterbegin", "continued overleaf (" + moved.length + " more) ");
      var template = q("#cm-cont-template"), pageNo = 1, col = null;
      function newPage() {
        var node = template.content.firstElementChild.cloneNode(true);
        pageNo += 1;
        node.querySelector(".cm-cont-no").textContent = String(pageNo);
        template.parentNode.insertBefore(node, template);
        return node;
      }
      var cols = [];
      moved.forEach(function (li) {
        if (!col) { cols = Array.prototype.slice.call(newPage().querySelectorAll(".cm-cont-col")); col = cols.shift(); }
        col.appendChild(li);
        if (overflows(col) && col.children.length > 1) {
          col.removeChild(li);
          col = cols.shift();
          if (!col) { cols = Array.prototype.slice.call(newPage().querySelectorAll(".cm-cont-col")); col = cols.shift(); }
          col.appendChild(li);
        }
      });
      CM.stats.pages = pageNo;
    }
    var done = function () {
      fitTitle();
      fitSources();
      refit();
      if (CM.drawLocator) CM.drawLocator();
      if (CM.placeLabels) CM.placeLabels();
      requestAnimationFrame(function () { requestAnimationFrame(function () { window.cmReady = true; }); });
    };
    (document.fonts ? document.fonts.ready : Promise.resolve()).then(done, done);
  };
})();
