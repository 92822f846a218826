"""Stage 5: what a map shows: its state (filters, view, selection) and the aggregates computed from it."""
