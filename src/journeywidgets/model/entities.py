"""The entities a journey map is made of.

Entities are small immutable pydantic models.  A map never mutates one in place: an update
replaces it with a validated copy, which keeps undo cheap (the old object *is* the undo data)
and makes a rejected edit unable to leave half-changed state behind.

References between entities are ids (strings): a touchpoint names its ``stage``, a card its
``touchpoint`` and ``lane``.  Order is the order of the map's collections.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal, NoReturn, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)

from ..errors import ReadOnlyError
from .rules import (
    Scalar,
    StrictFlag,
    StrictInteger,
    StrictNumber,
    Text,
    check_json,
    check_text,
    number_problem,
)

Id = Annotated[
    str,
    Strict(),
    Field(min_length=1, max_length=200, pattern=r"^\S(.*\S)?$"),
    BeforeValidator(check_text),
]
"""Ids are non-empty strings without leading or trailing whitespace."""

LaneKind = Literal[
    "actions",
    "thoughts",
    "emotions",
    "expectations",
    "pain_points",
    "opportunities",
    "channels",
    "frontstage",
    "backstage",
    "support",
    "custom",
]
LANE_KINDS: tuple[str, ...] = LaneKind.__args__  # type: ignore[attr-defined]

Source = Literal["workshop", "interview", "survey", "data", "assumption"]
SOURCES: tuple[str, ...] = Source.__args__  # type: ignore[attr-defined]

MapKind = Literal["customer", "employee"]
MapState = Literal["current", "future"]

#: Default sticky-note colours per lane kind.  The first three follow the energy utility's
#: workshop (green = what the customer does, pink = feels, orange = expects).
LANE_COLOURS: dict[str, str] = {
    "actions": "#8bc34a",
    "thoughts": "#90caf9",
    "emotions": "#f48fb1",
    "expectations": "#ffb74d",
    "pain_points": "#e57373",
    "opportunities": "#fff176",
    "channels": "#b0bec5",
    "frontstage": "#80cbc4",
    "backstage": "#9fa8da",
    "support": "#bcaaa4",
    "custom": "#e0e0e0",
}

_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenDict(dict[_K, _V]):
    """A dict that cannot be changed in place: the dict fields of entities (``labels``,
    ``metrics``, ``metadata``...).

    Entities are immutable so that every change goes through an edit (undo, history, change
    events for the widget).  A plain dict field would let ``tp.metrics["csat"] = 4`` change
    the map behind the edits' back.  It is still a ``dict``: ``json.dumps``, ``dict(...)``,
    ``{**d}`` and ``d | other`` work as usual.

    Examples
    --------
    >>> labels = FrozenDict({"pl": "Chcę prądu"})
    >>> labels["hu"] = "Áramot akarok"
    Traceback (most recent call last):
    ...
    journeywidgets.errors.ReadOnlyError: entity fields are read-only; change them with m.update(...
    >>> {**labels, "hu": "Áramot akarok"}
    {'pl': 'Chcę prądu', 'hu': 'Áramot akarok'}
    """

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ReadOnlyError(
            "entity fields are read-only; change them with m.update(id, field=...) and re-read "
            "the entity with m.get(id)"
        )

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __hash__(self) -> int:  # type: ignore[override]
        # hashable like the frozen entity holding it, so that ``set(m.cards)`` works; a
        # value that is itself unhashable (a list in metadata) makes the hash raise
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        # copy and pickle rebuild it from a plain dict, not item by item
        return (type(self), (dict(self),))


#: The one empty dict every entity without labels (metrics, metadata) shares: a 20,000-card
#: map then holds no 20,000 empty dicts for memory and the garbage collector to carry.
#: Sharing is safe because it cannot change.
_EMPTY: FrozenDict[Any, Any] = FrozenDict()


def _frozen(value: dict[Any, Any]) -> FrozenDict[Any, Any]:
    return FrozenDict(value) if value else _EMPTY


def _empty() -> FrozenDict[Any, Any]:
    return _EMPTY


#: The field of a dict that starts empty; the schema says so (a factory has no default there).
_NO_ENTRIES: Any = Field(default_factory=_empty, json_schema_extra={"default": {}})


Labels = Annotated[
    dict[
        Annotated[str, Strict(), Field(min_length=1, max_length=35), BeforeValidator(check_text)],
        Text,
    ],
    AfterValidator(_frozen),
]
"""Translations of an entity's name, keyed by language code (``{"pl": "Chcę prądu"}``)."""

Name = Annotated[Text, Field(min_length=1, pattern=r"\S")]
"""A display name: not empty and not only spaces (it would show as a blank header)."""

#: Building a pydantic model's validator costs milliseconds, and ``import journeywidgets``
#: must stay fast; ``defer_build`` builds each one on first use instead.
_CONFIG = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def _finite_number(value: Any, what: str) -> Any:
    problem = number_problem(value)
    if problem is not None:
        raise ValueError(f"{what}: {problem}")
    return value


class Entity(BaseModel):
    """Common base: frozen, unknown fields rejected, whitespace kept as typed."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=False, defer_build=True
    )

    id: Id

    def __setattr__(self, name: str, value: Any) -> None:
        # pydantic's own refusal ("Instance is frozen") does not say what to do instead
        kind = type(self).__name__.lower()
        raise ReadOnlyError(
            f"{kind} {self.id!r}: field {name!r}: an entity is a snapshot and cannot change; "
            f"change the map with m.update({self.id!r}, {name}=...) and read the new "
            f"version with m.get({self.id!r})"
        )

    def label(self, language: str | None = None) -> str:
        """The entity's display name in ``language``, falling back to its name/text."""
        labels: dict[str, str] = getattr(self, "labels", {})
        if language and language in labels:
            return labels[language]
        return str(getattr(self, "name", getattr(self, "text", self.id)))


def _refuse_change(what: str, how: str) -> NoReturn:
    raise ReadOnlyError(
        f"{what} is a snapshot and cannot change; change the map with {how} and read it again"
    )


class Scale(BaseModel):
    """The emotion scale a map declares, e.g. ``Scale(min=-3, max=3)``.

    ``neutral`` is the line between positive and negative emotion; ``step`` is what the
    widget snaps a dragged emotion point to.
    """

    model_config = _CONFIG

    def __setattr__(self, name: str, value: Any) -> None:
        _refuse_change(f"the scale's field {name!r}", "m.set(scale=...)")

    min: StrictNumber = -3.0
    max: StrictNumber = 3.0
    neutral: StrictNumber = 0.0
    step: StrictNumber = 1.0
    labels: Annotated[dict[Text, Text], AfterValidator(_frozen)] = _NO_ENTRIES

    @model_validator(mode="after")
    def _check(self) -> Scale:
        for name in ("min", "max", "neutral", "step"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be a finite number")
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        if not self.min <= self.neutral <= self.max:
            raise ValueError(f"neutral ({self.neutral}) must lie within [{self.min}, {self.max}]")
        if self.step <= 0:
            raise ValueError("step must be positive")
        return self

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies on the scale (ends included)."""
        return self.min <= value <= self.max

    def snap(self, value: float) -> float:
        """Round ``value`` to the nearest step and clamp it onto the scale."""
        snapped = self.min + round((value - self.min) / self.step) * self.step
        return min(self.max, max(self.min, round(snapped, 10)))

    def holds(self, value: float) -> bool:
        """Like :meth:`contains`, forgiving float rounding at the ends.

        A survey mean mapped onto the scale (``-3 + 6 * (mean - 1) / 4``) can land a hair
        outside it; that is still the end of the scale, not a wrong value.
        """
        slack = 1e-9 * (self.max - self.min)
        return self.min - slack <= value <= self.max + slack


def as_scale(value: Scale | Mapping[str, Any] | tuple[float, float] | list[float] | None) -> Scale:
    """A :class:`Scale` from a Scale, a ``(min, max)`` pair, a dict, or None (the default).

    A pair's neutral point is 0 when the scale spans it, else its minimum.

    Examples
    --------
    >>> as_scale((1, 5))
    Scale(min=1.0, max=5.0, neutral=1.0, step=1.0, labels={})
    """
    if value is None:
        return Scale()
    if isinstance(value, Scale):
        return value
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(f"a scale pair is (min, max), not {len(value)} values")
        low, high = value
        neutral = 0 if isinstance(low, int | float) and low <= 0 <= high else low
        return Scale(min=low, max=high, neutral=neutral)
    return Scale.model_validate(value)


class Persona(Entity):
    """Whose journey it is: a named archetype with goals, expectations and frustrations."""

    name: Name
    role: Text = ""
    description: Text = ""
    segment: Text = ""
    goals: tuple[Text, ...] = ()
    expectations: tuple[Text, ...] = ()
    frustrations: tuple[Text, ...] = ()
    quote: Text = ""
    labels: Labels = _NO_ENTRIES


class Stage(Entity):
    """A phase of the journey (the energy utility's "baskets")."""

    name: Name
    description: Text = ""
    labels: Labels = _NO_ENTRIES


class Measurement(BaseModel):
    """What a survey measured at a touchpoint, on the map's emotion scale.

    It sits beside the workshop's hypothesised ``emotion`` and never overwrites it.
    """

    model_config = _CONFIG

    def __setattr__(self, name: str, value: Any) -> None:
        _refuse_change(f"the measurement's field {name!r}", "m.update(touchpoint, measured=...)")

    emotion: StrictNumber
    low: StrictNumber | None = None
    high: StrictNumber | None = None
    n: StrictInteger = Field(ge=0)
    metric: Text = ""
    source: Text = ""

    @field_validator("emotion", "low", "high")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        return _finite_number(value, "a measured value")


class Touchpoint(Entity):
    """A moment where the customer meets the organisation, within one stage."""

    stage: Id
    name: Name
    description: Text = ""
    channel: Text = ""
    owner: Text = ""
    emotion: StrictNumber | None = None
    moment_of_truth: StrictFlag = False
    metrics: Annotated[dict[Text, Scalar], AfterValidator(_frozen)] = _NO_ENTRIES
    measured: Measurement | None = None
    labels: Labels = _NO_ENTRIES

    @field_validator("emotion")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("emotion must be a finite number")
        return value


class Lane(Entity):
    """A row of the map: actions, thoughts, emotions, expectations, pain points..."""

    name: Name
    kind: LaneKind = "custom"
    colour: Text = Field(default="", pattern=r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|)$")
    description: Text = ""
    labels: Labels = _NO_ENTRIES

    @property
    def display_colour(self) -> str:
        """The lane's colour, or the default colour of its kind."""
        return self.colour or LANE_COLOURS[self.kind]


class Card(Entity):
    """A sticky note in one cell: one touchpoint x one lane."""

    touchpoint: Id
    lane: Id
    text: Text
    tags: tuple[Text, ...] = ()
    source: Source = "workshop"
    owner: Text = ""
    impact: StrictInteger | None = Field(default=None, ge=1, le=5)
    effort: StrictInteger | None = Field(default=None, ge=1, le=5)
    labels: Labels = _NO_ENTRIES

    @property
    def quick_win(self) -> bool:
        """High impact (4-5) for low effort (1-2): worth doing first."""
        return (
            self.impact is not None
            and self.effort is not None
            and self.impact >= 4
            and self.effort <= 2
        )


class MapInfo(BaseModel):
    """The map's own fields: what it is about, whose view, which state, on what scale."""

    model_config = _CONFIG

    def __setattr__(self, name: str, value: Any) -> None:
        _refuse_change(f"map: field {name!r}", f"m.set({name}=...)")

    id: Id = "journey"
    title: Text = ""
    description: Text = ""
    scenario: Text = ""
    kind: MapKind = "customer"
    state: MapState = "current"
    language: Text = Field(default="en", min_length=1, max_length=35)
    persona: Id | None = None
    scale: Scale = Field(default_factory=Scale)
    labels: Labels = _NO_ENTRIES
    metadata: Annotated[dict[str, Any], AfterValidator(check_json), AfterValidator(_frozen)] = (
        _NO_ENTRIES
    )


#: Entity class by kind name, the vocabulary edits use.
ENTITY_TYPES: dict[str, type[Entity]] = {
    "persona": Persona,
    "stage": Stage,
    "touchpoint": Touchpoint,
    "lane": Lane,
    "card": Card,
}
KINDS: tuple[str, ...] = tuple(ENTITY_TYPES)
