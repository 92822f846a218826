"""Stage 3: sentences -> ACLED-style events (type, actors, date, fatalities, place)."""
