"""The map's rules, written once.

Every entry point that lets data into a map (edits from Python or the widget, JSON documents,
tables) asks this module whether the data is acceptable.  Each check returns the problems it
finds as :class:`Issue` values (a field and a message); the caller adds its own location (an
edit's target, a document's ``card #3``, a table's row and column) and raises the error of its
kind, so one document or table reports every problem at once.

The rules:

- **Text** is valid Unicode: a lone surrogate (``"\\ud83d"``, an emoji cut in half by a
  spreadsheet) cannot be saved as UTF-8, so it is refused wherever text enters, naming the
  field.  Refusing is simpler and more honest than replacing: the user sees what was cut.
- **Free-form JSON data** (``metadata``) is plain JSON: strings, finite numbers, booleans,
  null, lists and objects with string keys, nested at most :data:`MAX_DEPTH` levels (the same
  limit on load and on save, so a document that loads can always be saved).
- **Integers** in free-form data lie within :data:`SAFE_INTEGER` (RFC 7493, I-JSON), so a
  browser reads back the same number.
- **References** name an entity of the right kind: a touchpoint's ``stage``, a card's
  ``touchpoint`` and ``lane``, the map's ``persona``.
- **Emotions** lie on the map's scale; a survey's ``measured.emotion`` may miss its ends by
  float rounding.

Examples
--------
>>> text_problem("Chcę prądu") is None
True
>>> print(text_problem("cut \\ud83d").split(":")[0])
contains a lone surrogate (U+D83D) at character 4
>>> reference_issues("card", {"touchpoint": "t", "lane": "nowhere"}, {"t": "touchpoint"}.get)
[Issue(field='lane', message="'nowhere' is not a lane of this map")]
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

from pydantic import BeforeValidator, Strict, WithJsonSchema

if TYPE_CHECKING:
    from .entities import Scale

#: How deeply free-form JSON data (``metadata``) may nest: deep enough for any real use,
#: far below what the JSON reader and pydantic's serializer can handle.
MAX_DEPTH = 32

#: The largest integer every JSON reader (a browser's included) reads back exactly.
SAFE_INTEGER = 2**53 - 1

_SURROGATE = re.compile("[\ud800-\udfff]")


class Issue(NamedTuple):
    """One broken rule: the field at fault (dotted, e.g. ``"measured.emotion"``) and why."""

    field: str
    message: str


KindOf = Callable[[str], "str | None"]
"""Looks up the kind of an id (``"stage"``, ``"card"``...), None when the map has no such id."""


# =============================================================================== text
def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be map text, or None when it can."""
    if value.isascii():  # the common case, at C speed
        return None
    bad = _SURROGATE.search(value)
    if bad is None:
        return None
    return (
        f"contains a lone surrogate (U+{ord(bad.group()):04X}) at character {bad.start()}: "
        "text must be valid Unicode (an emoji cut in half?)"
    )


def check_text(value: Any) -> Any:
    """Return ``value``, or raise ValueError when it is text that is not valid Unicode (a
    pydantic validator, run before pydantic reads the string: pydantic adds the field's
    location).  Values that are not text pass on, for the field's type check to report."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            raise ValueError(problem)
    return value


Text = Annotated[str, Strict(), BeforeValidator(check_text)]
"""A text field: a real ``str`` (not bytes or a number) of valid Unicode."""

StrictNumber = Annotated[float, Strict()]
"""A number: an int or a float, never a bool or a numeric string (what the schema says)."""

StrictInteger = Annotated[int, Strict()]
"""An integer, never a bool, a float or a numeric string."""

StrictFlag = Annotated[bool, Strict()]
"""True or False, never ``"yes"`` or 1."""


def check_scalar(value: Any) -> Any:
    """Return ``value`` when it is a number the map can hold or valid text, else raise
    ValueError saying so (one message, not one per alternative as a union would)."""
    if isinstance(value, str):
        return check_text(value)
    if not is_number(value):
        # a container's repr can be huge or nested past the recursion limit: name its type
        shown = repr(value) if value is None or isinstance(value, bool) else type(value).__name__
        raise ValueError(f"must be a number or text, not {shown}")
    problem = number_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Scalar = Annotated[
    int | float | str,
    BeforeValidator(check_scalar),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "integer"}, {"type": "string"}]}),
]
"""A number or text (a touchpoint's metric): never a bool, NaN or an unsafe integer."""


# =============================================================================== numbers
def number_text(value: float) -> str:
    """A number for a message, never raising (``f"{10**400:g}"`` raises OverflowError)."""
    try:
        return f"{value:g}"
    except (OverflowError, ValueError, TypeError):
        text = repr(value)
        return text if len(text) <= 24 else f"{text[:10]}...({len(text)} digits)"


def is_number(value: Any) -> bool:
    """An int or float, not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_problem(value: Any) -> str | None:
    """Why ``value`` is not a number the map can hold (finite, and an int within
    :data:`SAFE_INTEGER`), or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, not {value}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > SAFE_INTEGER:
        return (
            f"{number_text(value)} is too large: whole numbers must lie within "
            f"±{SAFE_INTEGER} (2**53 - 1) to read back the same everywhere"
        )
    return None


# =============================================================================== JSON data
def json_issues(value: Any, field: str, *, depth: int = 0) -> list[Issue]:
    """Why ``value`` is not plain JSON data a saved map can hold unchanged (first problem).

    Examples
    --------
    >>> json_issues({"a": [1, "x"]}, "metadata")
    []
    >>> json_issues({"a": {1: "x"}}, "metadata")
    [Issue(field="metadata['a']", message='keys must be text, not 1')]
    """
    # iterative, so that hostile nesting cannot exhaust Python's stack
    stack: list[tuple[Any, str, int]] = [(value, field, depth)]
    while stack:
        item, path, level = stack.pop()
        if item is None or isinstance(item, bool):
            continue
        if isinstance(item, str):
            problem = text_problem(item)
        elif isinstance(item, int | float):
            problem = number_problem(item)
        elif isinstance(item, list | tuple | Mapping):
            if level >= MAX_DEPTH:
                shown = path if len(path) <= 80 else f"{path[:60]}...{path[-12:]}"
                return [Issue(shown, f"nested deeper than {MAX_DEPTH} levels")]
            problem = None
            if isinstance(item, Mapping):
                for key, child in reversed(list(item.items())):
                    if not isinstance(key, str):
                        return [Issue(path, f"keys must be text, not {key!r}")]
                    key_problem = text_problem(key)
                    if key_problem:
                        return [Issue(path, f"key {key!r}: {key_problem}")]
                    stack.append((child, f"{path}[{key!r}]", level + 1))
            else:
                for n in range(len(item) - 1, -1, -1):
                    stack.append((item[n], f"{path}[{n}]", level + 1))
        else:
            problem = f"{type(item).__name__} is not JSON data"
        if problem:
            return [Issue(path, problem)]
    return []


def check_json(value: Any) -> Any:
    """Return ``value``, or raise ValueError when it is not plain JSON data (a validator)."""
    issues = json_issues(value, "")
    if issues:
        where, message = issues[0]
        raise ValueError(f"{where}: {message}" if where else message)
    return value


# =============================================================================== references
#: What each kind refers to: (field, kind it must name).
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "touchpoint": (("stage", "stage"),),
    "card": (("touchpoint", "touchpoint"), ("lane", "lane")),
}

#: Fields that place an entity in a scope (a stage, a cell): its references.  A ``move``
#: changes them, never an ``update``; a diff reports a change there as a move.
PLACEMENT: dict[str, tuple[str, ...]] = {
    kind: tuple(field for field, _ in refs) for kind, refs in REFERENCES.items()
}


def reference_problem(ref: Any, want: str, kind_of: KindOf) -> str | None:
    """Why ``ref`` does not name a ``want`` of the map, or None."""
    if not isinstance(ref, str):
        return None  # the field's type check reports it
    found = kind_of(ref)
    if found == want:
        return None
    if found is None:
        return f"{ref!r} is not a {want} of this map"
    return f"{ref!r} is not a {want} of this map (it is a {found})"


def reference_issues(
    kind: str,
    fields: Mapping[str, Any],
    kind_of: KindOf,
    *,
    only: Iterable[str] | None = None,
) -> list[Issue]:
    """Every reference of an entity of ``kind`` (its fields) that names no entity of the
    right kind; ``only`` limits the check to some fields."""
    issues = []
    for field, want in REFERENCES.get(kind, ()):
        if only is not None and field not in only:
            continue
        if field in fields:
            problem = reference_problem(fields[field], want, kind_of)
            if problem:
                issues.append(Issue(field, problem))
    return issues


def persona_issues(persona: Any, kind_of: KindOf) -> list[Issue]:
    """The map's ``persona`` must be None or the id of one of its personas."""
    if persona is None:
        return []
    problem = reference_problem(persona, "persona", kind_of)
    return [Issue("persona", problem)] if problem else []


# =============================================================================== scale
def span(scale: Scale) -> str:
    """``[min, max]`` of a scale, as messages show it."""
    return f"[{scale.min:g}, {scale.max:g}]"


def emotion_problem(value: Any, scale: Scale) -> str | None:
    """Why a touchpoint's ``emotion`` does not lie on ``scale``, or None (None is allowed;
    a value that is not a number is the type check's to report)."""
    if not is_number(value) or scale.contains(value):
        return None
    return f"{number_text(value)} is outside the map's scale {span(scale)}"


def measured_problem(value: Any, scale: Scale) -> str | None:
    """Like :func:`emotion_problem` for a survey's measured emotion, which may miss the
    scale's ends by float rounding."""
    if not is_number(value) or scale.holds(value):
        return None
    return f"{number_text(value)} is outside the map's scale {span(scale)}"


def scale_issues(fields: Mapping[str, Any], scale: Scale) -> list[Issue]:
    """A touchpoint's emotions (its fields, entity or raw dict) against the map's scale."""
    issues = []
    problem = emotion_problem(fields.get("emotion"), scale)
    if problem:
        issues.append(Issue("emotion", problem))
    measured = fields.get("measured")
    value = measured.get("emotion") if isinstance(measured, Mapping) else None
    problem = measured_problem(value, scale)
    if problem:
        issues.append(Issue("measured.emotion", problem))
    return issues


def fields_of(entity: Any) -> Mapping[str, Any]:
    """An entity's fields as a mapping (what the checks above read), without copying."""
    if isinstance(entity, Mapping):
        return entity
    fields: Mapping[str, Any] = entity.__dict__
    measured = fields.get("measured")
    if measured is not None and not isinstance(measured, Mapping):
        return {**fields, "measured": measured.__dict__}
    return fields
