"""The JSON document a map is saved as, its schema and its versions.

A document is one JSON object: the map's own fields, ``schema_version``, and one list per
entity kind (``personas``, ``stages``, ``touchpoints``, ``lanes``, ``cards``) in map order.
Documents from older versions are migrated on load; a document from a newer version is
refused with a message that says to upgrade.

Version history
---------------
1. The first draft format: the emotion scale as a ``[min, max]`` pair named ``emotion_scale``
   and lane colours spelled ``color``.
2. ``scale`` is an object (``min``, ``max``, ``neutral``, ``step``, ``labels``); lanes have
   ``colour``; touchpoints may carry a survey ``measured`` value.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from .entities import Card, Lane, MapInfo, Persona, Stage, Touchpoint
from .errors import DocumentError, Problem, SchemaVersionError
from .store import Store

if TYPE_CHECKING:
    from .journey import JourneyMap

SCHEMA_VERSION = 2
SCHEMA_ID = "https://journeywidgets.dev/schema/journeymap-2.schema.json"


class Document(MapInfo):
    """A whole journey map as saved: its fields plus every entity, in order."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        title="JourneyMap",
        json_schema_extra={"$id": SCHEMA_ID},
    )

    schema_version: int = Field(default=SCHEMA_VERSION, ge=1)
    personas: list[Persona] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    lanes: list[Lane] = Field(default_factory=list)
    cards: list[Card] = Field(default_factory=list)


# ------------------------------------------------------------------------ migrations
def _from_1(doc: dict[str, Any]) -> dict[str, Any]:
    doc = dict(doc)
    pair = doc.pop("emotion_scale", None)
    if pair is not None:
        low, high = pair
        doc["scale"] = {"min": low, "max": high, "neutral": 0 if low <= 0 <= high else low}
    doc["lanes"] = [
        {("colour" if k == "color" else k): v for k, v in lane.items()}
        for lane in doc.get("lanes", [])
    ]
    return doc


#: ``MIGRATIONS[n]`` turns a version-n document into a version n+1 one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_1}


def migrate(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring a document of any known version up to :data:`SCHEMA_VERSION`."""
    version = doc.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DocumentError(
            f"field 'schema_version': {version!r} is not a version number", field="schema_version"
        )
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"this map was saved with schema version {version}, but this journeywidgets reads "
            f"versions up to {SCHEMA_VERSION}; upgrade journeywidgets to open it",
            field="schema_version",
        )
    while version < SCHEMA_VERSION:
        doc = MIGRATIONS[version](doc)
        version += 1
    doc["schema_version"] = SCHEMA_VERSION
    return doc


# ------------------------------------------------------------------------ dict <-> store
def to_document(store: Store) -> Document:
    """The store as a document (no copying or validation: entities are immutable)."""
    ents = store.entities
    return Document.model_construct(
        **dict(store.info),
        schema_version=SCHEMA_VERSION,
        personas=[ents[i] for i in store.personas],
        stages=[ents[i] for i in store.stages],
        touchpoints=[ents[i] for i in store.journey()],
        lanes=[ents[i] for i in store.lanes],
        cards=[ents[i] for i in store.card_ids()],
    )


def _problems(error: PydanticError, doc: dict[str, Any]) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = list(err["loc"])
        where, field = "map", ".".join(str(p) for p in loc) or None
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            items = doc.get(loc[0])
            item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
            ident = item.get("id") if isinstance(item, dict) else None
            where = f"{loc[0][:-1]} #{loc[1]}" + (f" ({ident!r})" if ident else "")
            field = ".".join(str(p) for p in loc[2:]) or None
        problems.append(Problem(where, field, err["msg"]))
    return problems


def to_store(data: Any) -> Store:
    """Validate a document (dict) completely and build a store from it.

    Every problem is collected (bad fields, duplicate ids, dangling references, emotions off
    the scale) and reported at once in one :class:`DocumentError`.
    """
    if not isinstance(data, dict):
        raise DocumentError(f"a journey map document is a JSON object, not {type(data).__name__}")
    data = migrate(data)
    try:
        doc = Document.model_validate(data)
    except PydanticError as exc:
        raise DocumentError.from_problems("invalid journey map", _problems(exc, data)) from None

    store = Store()
    store.info = MapInfo.model_validate({k: getattr(doc, k) for k in MapInfo.model_fields})
    problems: list[Problem] = []
    collections: list[tuple[str, list[Any]]] = [
        ("persona", doc.personas),
        ("stage", doc.stages),
        ("touchpoint", doc.touchpoints),
        ("lane", doc.lanes),
        ("card", doc.cards),
    ]
    for kind, items in collections:
        for n, entity in enumerate(items):
            where = f"{kind} #{n} ({entity.id!r})"
            if entity.id in store.entities:
                problems.append(
                    Problem(where, "id", f"already used by a {store.kinds[entity.id]}")
                )
                continue
            refs: list[tuple[str, str, str]] = []
            if isinstance(entity, Touchpoint):
                refs = [("stage", entity.stage, "stage")]
            elif isinstance(entity, Card):
                refs = [("touchpoint", entity.touchpoint, "touchpoint"), ("lane", entity.lane, "lane")]
            bad = False
            for field, ref, want in refs:
                if store.kinds.get(ref) != want:
                    problems.append(Problem(where, field, f"{ref!r} is not a {want} of this map"))
                    bad = True
            if isinstance(entity, Touchpoint) and entity.emotion is not None:
                scale = store.scale
                if not scale.contains(entity.emotion):
                    problems.append(
                        Problem(
                            where,
                            "emotion",
                            f"{entity.emotion:g} is outside the scale "
                            f"[{scale.min:g}, {scale.max:g}]",
                        )
                    )
            if not bad:
                store.insert(kind, entity, None)
    if store.info.persona is not None and store.kinds.get(store.info.persona) != "persona":
        problems.append(Problem("map", "persona", f"{store.info.persona!r} is not a persona"))
    if problems:
        raise DocumentError.from_problems("invalid journey map", problems)
    return store


# ------------------------------------------------------------------------ text and files
def parse_json(text: str | bytes, *, source: str = "JSON text") -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None


def loads(text: str | bytes) -> JourneyMap:
    """Read a map from JSON text.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> jw.loads('{"title": "Empty", "schema_version": 2}').title
    'Empty'
    """
    from .journey import JourneyMap

    return JourneyMap.from_dict(parse_json(text))


def load(path: str | Path) -> JourneyMap:
    """Read a map from a JSON file written by :meth:`JourneyMap.save`."""
    from .journey import JourneyMap

    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror}") from None
    return JourneyMap.from_dict(parse_json(text, source=str(path)))


@cache
def _schema_text() -> str:
    return resources.files("journeywidgets").joinpath("schema/journeymap.schema.json").read_text(
        encoding="utf-8"
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a saved journey map.

    The same schema ships as ``journeywidgets/schema/journeymap.schema.json``.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> jw.json_schema()["title"]
    'JourneyMap'
    """
    return json.loads(_schema_text())


def generate_schema() -> dict[str, Any]:
    """Build the schema from the model (what the packaged file is generated from)."""
    schema = Document.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
