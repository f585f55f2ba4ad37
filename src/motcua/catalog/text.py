"""Text folding for search: "Đăng ký Thường trú" and "dang ky thuong tru" fold to the same string.

NFD splits "ư" into "u" + a combining horn, and so on, but has no decomposition for "đ"/"Đ"
(a separate letter, not d + a mark), so those are mapped by hand first.
"""

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})
_MARKS = re.compile(r"[\u0300-\u036f]")
_NON_WORD = re.compile(r"[^0-9a-z.]+")


def fold(text: str) -> str:
    """Lower-case ASCII letters, digits, dots and single spaces."""
    if not text:
        return ""
    text = _MARKS.sub("", unicodedata.normalize("NFD", text.translate(_D))).lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def search_terms(query: str) -> list[str]:
    """The folded words of a search box entry, without duplicates, at most 8."""
    seen: list[str] = []
    for word in fold(query).split():
        word = word.strip(".")
        if word and word not in seen:
            seen.append(word)
    return seen[:8]
