"""Pinyin initials for search-as-you-type (张三丰 → zsf)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Common surnames whose reading as a surname differs from the everyday one.
_SURNAME_INITIAL = {"单": "s", "曾": "z", "解": "x", "仇": "q", "朴": "p", "查": "z", "区": "o", "盖": "g",
                    "尉": "y", "乐": "y", "翟": "z", "缪": "m", "任": "r", "秘": "b", "繁": "p"}


@lru_cache(maxsize=65536)
def initials(name: str) -> str:
    """Lower-case pinyin initials of a Chinese name; other characters kept as they are (lower-cased)."""
    name = (name or "").strip()
    if not name:
        return ""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    text = "".join(letters).lower()
    if name[0] in _SURNAME_INITIAL:
        text = _SURNAME_INITIAL[name[0]] + text[1:]
    return text
