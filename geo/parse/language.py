"""Language of an article, offline (py3langid ships its model in the package)."""

from __future__ import annotations


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None for empty text."""
    if not text or not text.strip():
        return None
    import py3langid

    lang, _ = py3langid.classify(text[:5000])
    return lang
