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


# Transliteration families of conflict reporting folded to one spelling: Tal/Tell, Ein/Ain/Ayn, Kh/H, ou/u,
# q/k, ei/ai, e/a (Hama/Hameh), -ah/-a/-eh, doubled letters; the article (al-/el-/ash-...) is dropped and the
# words run together ("Al-Bab", "Albab"). A coarse key: used only where a name is clearly a place
# (geo/parse/spelling.py), never to read an arbitrary capitalised word as a place.
_SKELETON_WORDS = {"tell": "tal", "tel": "tal", "tall": "tal", "ein": "ain", "ayn": "ain", "ayin": "ain",
                   "el": "", "al": "", "ul": ""}
_SKELETON_LETTERS = [("dj", "j"), ("kh", "h"), ("gh", "g"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("q", "k"),
                     ("ck", "k"), ("c", "k"), ("y", "i"), ("ei", "ai"), ("e", "a"), ("w", "u"), ("ph", "f")]
_DOUBLE = re.compile(r"(.)\1+")
_ASCII_WORD = re.compile(r"^[a-z ]+$")


def skeleton(name: str) -> str:
    """The transliteration-folded key of a name ("Tell Abyad" and "Tal Abiad" share "talabiad"); "" when the
    name is not in Latin letters or too short to fold safely."""
    s = norm(name)
    if not _ASCII_WORD.match(s):
        return ""
    words = [_SKELETON_WORDS.get(w, w) for w in s.split()]
    out = []
    for w in words:
        if not w:
            continue
        for a, b in _SKELETON_LETTERS:
            w = w.replace(a, b)
        w = _DOUBLE.sub(r"\1", w)
        if len(w) > 3 and w.endswith("ah"):
            w = w[:-1]
        out.append(w)
    key = "".join(out)
    return key if len(key) >= 4 else ""
