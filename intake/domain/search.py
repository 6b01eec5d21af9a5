"""Search keys: a name, reading or case number folded the way staff type it, so any spelling finds it.

高橋 健太 and 高橋健太, タカハシ, ﾀｶﾊｼ and たかはし, Ｒ８－１２０１ and r8-1201 fold to the same key:
Unicode NFKC (full-width letters and digits, half-width katakana), lower case, katakana as hiragana
(jaconv), and no spaces or hyphens. A long-vowel mark between Latin letters or digits is a hyphen
typed with a Japanese input method (Ｒ８ー１２０１); inside a kana word it stays (ターナー).
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

# Hyphens, dashes and minus signs as NFKC leaves them, and every kind of space.
_IGNORED = re.compile(r"[\s\-‐‑‒–—―−﹣・･]+")
_LONG_VOWEL_AS_HYPHEN = re.compile(r"(?<=[0-9a-z])[ーｰ〜～](?=[0-9a-z])")
# Keys of several fields are stored joined by this: no key holds it, so no match spans two fields.
FIELD_SEPARATOR = "\n"


def search_key(text: str | None) -> str:
    """The folded form of one field or one query."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    folded = _LONG_VOWEL_AS_HYPHEN.sub("", folded)
    folded = jaconv.kata2hira(folded)
    return _IGNORED.sub("", folded)


def case_search_key(*fields: str | None) -> str:
    """The stored key of a case: each field folded, joined so a query matches within one field."""
    return FIELD_SEPARATOR.join(search_key(field) for field in fields)
