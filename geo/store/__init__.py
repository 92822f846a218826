"""Stage 4: the only owner of the schema: tables, writes, spatial queries and the frames the map reads."""
