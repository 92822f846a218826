#!/usr/bin/env bash
# Install the Leaflet/folium web assets under static/vendor/ from the npm registry, so maps work offline.
#
# Why npm: the XStatic wheels do not build here, and the npm registry is reachable where CDNs are not.
# Idempotent: a file already in place is left alone, a package is only packed when something from it is missing.
# Usage: scripts/fetch_assets.sh [static_dir]      (default: ./static next to this script's repo)
# geo/maps/assets.py lists the same destinations; tests/test_assets.py checks the two agree.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="${1:-$root/static}/vendor"
python="${PYTHON:-$root/.venv/bin/python}"
mkdir -p "$vendor"

# npm package@version   path inside the package      destination under static/vendor (file or directory)
manifest='
leaflet@1.9.3                          dist/leaflet.js                   leaflet/leaflet.js
leaflet@1.9.3                          dist/leaflet.css                  leaflet/leaflet.css
leaflet@1.9.3                          dist/images                       leaflet/images
jquery@3.7.1                           dist/jquery.min.js                jquery/jquery.min.js
bootstrap@5.2.2                        dist/js/bootstrap.bundle.min.js   bootstrap/js/bootstrap.bundle.min.js
bootstrap@5.2.2                        dist/css/bootstrap.min.css        bootstrap/css/bootstrap.min.css
bootstrap@3.4.1                        dist/fonts                        glyphicons/fonts
@fortawesome/fontawesome-free@6.2.0    css/all.min.css                   fontawesome-free/css/all.min.css
@fortawesome/fontawesome-free@6.2.0    webfonts                          fontawesome-free/webfonts
drmonty-leaflet-awesome-markers@2.0.2  js/leaflet.awesome-markers.js     awesome-markers/leaflet.awesome-markers.js
drmonty-leaflet-awesome-markers@2.0.2  css/leaflet.awesome-markers.css   awesome-markers/leaflet.awesome-markers.css
drmonty-leaflet-awesome-markers@2.0.2  css/images                        awesome-markers/images
leaflet.markercluster@1.1.0            dist/leaflet.markercluster.js     leaflet.markercluster/leaflet.markercluster.js
leaflet.markercluster@1.1.0            dist/MarkerCluster.css            leaflet.markercluster/MarkerCluster.css
leaflet.markercluster@1.1.0            dist/MarkerCluster.Default.css    leaflet.markercluster/MarkerCluster.Default.css
leaflet.fullscreen@3.0.0               Control.FullScreen.js             leaflet.fullscreen/Control.FullScreen.js
leaflet.fullscreen@3.0.0               Control.FullScreen.css            leaflet.fullscreen/Control.FullScreen.css
leaflet.fullscreen@3.0.0               icon-fullscreen.svg               leaflet.fullscreen/icon-fullscreen.svg
leaflet-minimap@3.6.1                  src/Control.MiniMap.js            leaflet-minimap/Control.MiniMap.js
leaflet-minimap@3.6.1                  src/Control.MiniMap.css           leaflet-minimap/Control.MiniMap.css
leaflet-minimap@3.6.1                  src/images                        leaflet-minimap/images
leaflet-measure@2.1.7                  dist/leaflet-measure.min.js       leaflet-measure/leaflet-measure.min.js
leaflet-measure@2.1.7                  dist/leaflet-measure.css          leaflet-measure/leaflet-measure.css
leaflet-measure@2.1.7                  dist/images                       leaflet-measure/images
leaflet-mouse-position@1.2.0           src/L.Control.MousePosition.js    leaflet-mouse-position/L.Control.MousePosition.js
leaflet-mouse-position@1.2.0           src/L.Control.MousePosition.css   leaflet-mouse-position/L.Control.MousePosition.css
leaflet-draw@1.0.2                     dist/leaflet.draw.js              leaflet-draw/leaflet.draw.js
leaflet-draw@1.0.2                     dist/leaflet.draw.css             leaflet-draw/leaflet.draw.css
leaflet-draw@1.0.2                     dist/images                       leaflet-draw/images
leaflet.heat@0.2.0                     dist/leaflet-heat.js              leaflet.heat/leaflet-heat.js
'

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Unpack package@version once per run; prints the directory holding its files.
unpacked() {
    local spec="$1" dir="$tmp/${1//[\/@]/_}"
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir"
        local tgz
        tgz="$(cd "$dir" && npm pack --silent --loglevel=error "$spec" | tail -n 1)"
        tar -xzf "$dir/$tgz" --warning=no-unknown-keyword -C "$dir"
    fi
    echo "$dir/package"
}

fetched=0
while read -r spec src dest; do
    [ -z "${spec:-}" ] && continue
    [ -e "$vendor/$dest" ] && continue
    if [ "$dest" = "leaflet.heat/leaflet-heat.js" ]; then
        # folium ships the exact (patched) file its HeatMap expects; use it when the venv has folium.
        heat="$("$python" -c 'import folium, os; print(os.path.join(os.path.dirname(folium.__file__), "templates", "leaflet_heat.min.js"))' 2>/dev/null || true)"
        if [ -n "$heat" ] && [ -f "$heat" ]; then
            mkdir -p "$vendor/leaflet.heat" && cp "$heat" "$vendor/$dest" && fetched=$((fetched + 1)) && continue
        fi
    fi
    pkg="$(unpacked "$spec")"
    mkdir -p "$(dirname "$vendor/$dest")"
    cp -R "$pkg/$src" "$vendor/$dest.part"
    mv "$vendor/$dest.part" "$vendor/$dest"
    fetched=$((fetched + 1))
done <<< "$manifest"

# Glyphicons: folium wants Bootstrap 3.0's separate glyphicons sheet, which npm does not carry;
# cut the same @font-face and .glyphicon rules out of Bootstrap 3.4.1 (fonts sit in ../fonts as there).
glyph="$vendor/glyphicons/css/glyphicons.css"
if [ ! -e "$glyph" ]; then
    pkg="$(unpacked bootstrap@3.4.1)"
    mkdir -p "$(dirname "$glyph")"
    sed -n '/^@font-face {/,/^\* {/p' "$pkg/dist/css/bootstrap.css" | sed '$d' > "$glyph.part"
    grep -q 'Glyphicons Halflings' "$glyph.part" || { echo "glyphicons rules not found in bootstrap@3.4.1" >&2; exit 1; }
    mv "$glyph.part" "$glyph"
    fetched=$((fetched + 1))
fi

# folium's rotate sheet is not on npm: it only turns awesome-marker icons by a whole number of degrees.
rotate="$vendor/folium/leaflet.awesome.rotate.css"
if [ ! -e "$rotate" ]; then
    mkdir -p "$(dirname "$rotate")"
    for deg in $(seq 0 359); do
        printf '.fa-rotate-%d{transform:rotate(%ddeg)}\n' "$deg" "$deg"
    done > "$rotate"
    fetched=$((fetched + 1))
fi

# The map plugins as one script (geo/maps/assets.py PLUGIN_BUNDLE): the map frame then waits for one load
# instead of six in a row, which is most of its start-up on a busy two-core machine.
bundle="$vendor/conflictmap/plugins.js"
members="leaflet.fullscreen/Control.FullScreen.js leaflet-measure/leaflet-measure.min.js leaflet-draw/leaflet.draw.js
leaflet-mouse-position/L.Control.MousePosition.js leaflet-minimap/Control.MiniMap.js leaflet.heat/leaflet-heat.js"
stale=0
[ -e "$bundle" ] || stale=1
for m in $members; do [ "$vendor/$m" -nt "$bundle" ] && stale=1; done
if [ "$stale" = 1 ]; then
    mkdir -p "$(dirname "$bundle")"
    for m in $members; do printf '/* %s */\n' "$m"; cat "$vendor/$m"; printf '\n;\n'; done > "$bundle.part"
    mv "$bundle.part" "$bundle"
    fetched=$((fetched + 1))
fi

touch "$vendor/.complete"  # the Makefile's stamp
echo "static/vendor: $fetched item(s) installed in $vendor"
