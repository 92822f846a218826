"""The input edge: bytes, files, pages and feeds -> checked Articles (and batches of them)."""
