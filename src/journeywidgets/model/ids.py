"""Stable, readable ids for entities that were created without one.

Names become snake_case slugs (``"I use and pay"`` -> ``"i_use_and_pay"``, Polish and
Hungarian letters folded to ASCII) so that ids read well in code and in tables; cards, whose
text is long and often edited, get a counter (``card_1``).  Names with no Latin letters
(Arabic, emoji) fall back to the counter form too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

# Letters NFKD does not decompose into ASCII + combining mark.
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 40) -> str:
    """Turn a display name into a snake_case ASCII slug (may be empty).

    Examples
    --------
    >>> slugify("Używam i płacę")
    'uzywam_i_place'
    >>> slugify("Új laptop igénylése!")
    'uj_laptop_igenylese'
    """
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_WORD.sub("_", ascii_text).strip("_")
    return slug[:max_length].rstrip("_")


def new_id(kind: str, name: str | None, taken: Container[str], start: int = 1) -> str:
    """A fresh id for an entity of ``kind`` that is not in ``taken``.

    ``start`` is where counting begins, so that a caller adding thousands of cards can keep
    a running counter instead of probing from 1 each time.

    Examples
    --------
    >>> new_id("stage", "I want electricity", taken={"i_want_electricity"})
    'i_want_electricity_2'
    >>> new_id("card", None, taken={"card_1"})
    'card_2'
    """
    base = slugify(name) if name else ""
    if base and base not in taken:
        return base
    if not base:
        base = kind
    n = max(start, 1 if base == kind else 2)
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"
