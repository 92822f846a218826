"""Stage 6: one map renderer (folium) for the dashboard and the exports; its JavaScript and CSS live in js/ and css/."""
