"""Name normalisation shared by index building and lookup, so both sides agree on keys.

Folds case, diacritics, apostrophes and hyphens, and the assimilated Arabic article
(al-/ar-/as-/ad-/az-/ash-/el-/ez-/es-/ed-/an-/at-), so that "Deir ez-Zor", "Deir Ez Zor"
and "Deir al-Zor" share one key.
"""

from __future__ import annotations

import re
import unicodedata

_APOS = re.compile(r"[’‘ʼʻ`´'ʹʾʿ]")
_DASH = re.compile(r"[\-‐‑‒–—_/.,]")
_SPACES = re.compile(r"\s+")
# Assimilated forms of the Arabic article, as a separate word after hyphen folding.
_ARTICLE = re.compile(r"\b(?:al|ar|as|ad|az|ash|at|an|ath|adh|el|er|es|ed|ez|esh|et|en|ul)\s(?=\w)")


def strip_diacritics(s: str) -> str:
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Arabic spelling variants folded to one letter: alef forms, taa marbuta, alef maqsura; tatweel dropped.
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None, "ؤ": "و", "ئ": "ي"})


def norm(name: str) -> str:
    """The lookup key of a name."""
    s = strip_diacritics(name).casefold().translate(_ARABIC)
    s = _APOS.sub("", s)
    s = _DASH.sub(" ", s)
    s = _SPACES.sub(" ", s).strip()
    s = _ARTICLE.sub("al ", s)
    return s
