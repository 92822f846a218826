"""Stage 1-2: article text -> mentions -> resolved places (recognize, resolve, the Geoparser pipeline)."""
