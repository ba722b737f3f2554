"""The entities a journey map is made of.

Entities are small immutable pydantic models.  A map never mutates one in place: an update
replaces it with a validated copy, which keeps undo cheap (the old object *is* the undo data)
and makes a rejected edit unable to leave half-changed state behind.

References between entities are ids (strings): a touchpoint names its ``stage``, a card its
``touchpoint`` and ``lane``.  Order is the order of the map's collections.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Id = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^\S(.*\S)?$")]
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

Labels = dict[Annotated[str, Field(min_length=1, max_length=35)], str]
"""Translations of an entity's name, keyed by language code (``{"pl": "Chcę prądu"}``)."""


class Entity(BaseModel):
    """Common base: frozen, unknown fields rejected, whitespace kept as typed."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)

    id: Id

    def label(self, language: str | None = None) -> str:
        """The entity's display name in ``language``, falling back to its name/text."""
        labels: dict[str, str] = getattr(self, "labels", {})
        if language and language in labels:
            return labels[language]
        return str(getattr(self, "name", getattr(self, "text", self.id)))


class Scale(BaseModel):
    """The emotion scale a map declares, e.g. ``Scale(min=-3, max=3)``.

    ``neutral`` is the line between positive and negative emotion; ``step`` is what the
    widget snaps a dragged emotion point to.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    min: float = -3
    max: float = 3
    neutral: float = 0
    step: float = 1
    labels: dict[str, str] = Field(default_factory=dict)

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


class Persona(Entity):
    """Whose journey it is: a named archetype with goals, expectations and frustrations."""

    name: str = Field(min_length=1)
    role: str = ""
    description: str = ""
    segment: str = ""
    goals: tuple[str, ...] = ()
    expectations: tuple[str, ...] = ()
    frustrations: tuple[str, ...] = ()
    quote: str = ""
    labels: Labels = Field(default_factory=dict)


class Stage(Entity):
    """A phase of the journey (the energy utility's "baskets")."""

    name: str = Field(min_length=1)
    description: str = ""
    labels: Labels = Field(default_factory=dict)


class Measurement(BaseModel):
    """What a survey measured at a touchpoint, on the map's emotion scale.

    It sits beside the workshop's hypothesised ``emotion`` and never overwrites it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    emotion: float
    low: float | None = None
    high: float | None = None
    n: int = Field(ge=0)
    metric: str = ""
    source: str = ""


class Touchpoint(Entity):
    """A moment where the customer meets the organisation, within one stage."""

    stage: Id
    name: str = Field(min_length=1)
    description: str = ""
    channel: str = ""
    owner: str = ""
    emotion: float | None = None
    moment_of_truth: bool = False
    metrics: dict[str, float | int | str] = Field(default_factory=dict)
    measured: Measurement | None = None
    labels: Labels = Field(default_factory=dict)

    @field_validator("emotion")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("emotion must be a finite number")
        return value


class Lane(Entity):
    """A row of the map: actions, thoughts, emotions, expectations, pain points..."""

    name: str = Field(min_length=1)
    kind: LaneKind = "custom"
    colour: str = Field(default="", pattern=r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|)$")
    description: str = ""
    labels: Labels = Field(default_factory=dict)

    @property
    def display_colour(self) -> str:
        """The lane's colour, or the default colour of its kind."""
        return self.colour or LANE_COLOURS[self.kind]


class Card(Entity):
    """A sticky note in one cell: one touchpoint x one lane."""

    touchpoint: Id
    lane: Id
    text: str
    tags: tuple[str, ...] = ()
    source: Source = "workshop"
    owner: str = ""
    impact: int | None = Field(default=None, ge=1, le=5)
    effort: int | None = Field(default=None, ge=1, le=5)
    labels: Labels = Field(default_factory=dict)

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

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Id = "journey"
    title: str = ""
    description: str = ""
    scenario: str = ""
    kind: MapKind = "customer"
    state: MapState = "current"
    language: str = Field(default="en", min_length=1, max_length=35)
    persona: Id | None = None
    scale: Scale = Field(default_factory=Scale)
    labels: Labels = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)


#: Entity class by kind name, the vocabulary edits use.
ENTITY_TYPES: dict[str, type[Entity]] = {
    "persona": Persona,
    "stage": Stage,
    "touchpoint": Touchpoint,
    "lane": Lane,
    "card": Card,
}
KINDS: tuple[str, ...] = tuple(ENTITY_TYPES)


def entity_fields(kind: str) -> dict[str, Any]:
    """The field names of an entity kind, mapped to their pydantic field info."""
    return dict(ENTITY_TYPES[kind].model_fields)
