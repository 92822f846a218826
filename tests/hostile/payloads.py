"""Hostile strings used across the suite: markup and script in every field an article can carry."""

SCRIPT = "<script>window.__pwned = 1; alert('xss')</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
SVG = "<svg onload=window.__pwned=1>"
JS_URL = "javascript:window.__pwned=1"
TEMPLATE = "${window.__pwned=1}`; window.__pwned=1; `"
SQL = "'; DROP TABLE articles; --"
ZERO_WIDTH = "Pal\u200bmyra and Ho\u200dms and \ufeffAleppo"
RTL = "\u202eHoms\u202c near \u2067Palmyra\u2069"

MARKUP = [SCRIPT, IMG, SVG, TEMPLATE, "</textarea><script>window.__pwned=1</script>", '"><b onmouseover=alert(1)>x</b>']
