"""pydantic's validation errors, told in the map's words: which field, what is wrong.

Shared by edits, the map's own fields and documents, so that every entry point names a
field the same way (``measured.n``, ``labels``) and says what is wrong without pydantic's
prefixes.

Examples
--------
>>> from pydantic import ValidationError
>>> from journeywidgets.model.entities import Card
>>> try:
...     Card(id="c", touchpoint="t", lane="l", text="x", impact=9)
... except ValidationError as exc:
...     print(describe(exc))
field 'impact': Input should be less than or equal to 5
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

#: The edits' ``op`` tags: pydantic puts them in error locations, but they are not fields.
EDIT_OPS = frozenset({"add", "update", "move", "remove", "set_emotion", "batch"})


def location(loc: tuple[Any, ...], skip: frozenset[str] = frozenset()) -> str:
    """A pydantic error location as ``"measured.n"`` (names in ``skip`` left out).

    A bad dict key (pydantic's ``(..., key, "[key]")``) is located at the dict itself.

    Examples
    --------
    >>> location(("measured", "n"))
    'measured.n'
    >>> location(("labels", "x" * 40, "[key]"))
    'labels'
    """
    parts = [p for p in loc if p not in skip]
    if parts and parts[-1] == "[key]":
        parts = parts[:-2]
    return ".".join(str(p) for p in parts)


def message(err: Any) -> str:
    """What one pydantic error says, without its ``Value error, `` prefix; a bad dict key
    is named."""
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == r"\S":
        msg = "must not be empty or only spaces"
    loc = err["loc"]
    if len(loc) >= 2 and loc[-1] == "[key]":
        msg = f"key {loc[-2]!r}: {msg}"
    return msg


def field_of(err: Any, skip: frozenset[str] = frozenset()) -> str:
    """The field a pydantic error is about; a missing or unknown edit ``op`` is its own."""
    field = location(err["loc"], skip)
    if err["type"] in ("union_tag_not_found", "union_tag_invalid"):
        field = f"{field}.op" if field else "op"
    return field


def describe(exc: ValidationError, skip: frozenset[str] = frozenset()) -> str:
    """Every error of ``exc`` as ``field 'x': what is wrong``, joined by ``; ``."""
    parts = []
    for err in exc.errors():
        field = field_of(err, skip)
        msg = message(err)
        if err["type"] == "union_tag_not_found":
            msg = f"missing; it is one of {', '.join(sorted(EDIT_OPS))}"
        elif err["type"] == "union_tag_invalid":
            msg = f"{err['ctx']['tag']!r} is not one of {', '.join(sorted(EDIT_OPS))}"
        if len(field) > 120:  # a hostile nesting: show both ends of the path
            field = f"{field[:60]}...{field[-40:]}"
        parts.append(f"field {field!r}: {msg}" if field else msg)
    return "; ".join(parts)
