"""Conflict Map library: article → mentions → resolved places → joined locations → map layers.

Nothing in this package imports streamlit; the UI lives in dashboard.py and pages/.
"""

from geo.types import Article, Candidate, Mention, ResolvedMention

__all__ = ["Article", "Candidate", "Mention", "ResolvedMention"]
