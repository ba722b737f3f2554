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

import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, Field
from pydantic import ValidationError as PydanticError

from ..errors import DocumentError, Problem, SchemaVersionError
from . import explain, rules
from .entities import Card, Lane, MapInfo, Persona, Scale, Stage, Touchpoint, as_scale
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
    personas: list[Persona] = Field(default_factory=list, json_schema_extra={"default": []})
    stages: list[Stage] = Field(default_factory=list, json_schema_extra={"default": []})
    touchpoints: list[Touchpoint] = Field(default_factory=list, json_schema_extra={"default": []})
    lanes: list[Lane] = Field(default_factory=list, json_schema_extra={"default": []})
    cards: list[Card] = Field(default_factory=list, json_schema_extra={"default": []})


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a big document is read.

    Reading builds tens of thousands of dicts and entities, none of them in reference cycles,
    and each burst of allocations makes the collector scan everything alive: more than half
    of the time of loading a 20,000-card map went there.  Plain reference counting still frees
    everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ------------------------------------------------------------------------ migrations
def _from_1(doc: dict[str, Any]) -> dict[str, Any]:
    doc = dict(doc)
    pair = doc.pop("emotion_scale", None)
    if pair is not None:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
        ):
            raise DocumentError(
                f"map, field 'emotion_scale': expected a [min, max] pair of numbers, not {pair!r}",
                kind="map",
                field="emotion_scale",
            )
        low, high = pair
        doc["scale"] = {"min": low, "max": high, "neutral": 0 if low <= 0 <= high else low}
    lanes = doc.get("lanes", [])
    if isinstance(lanes, list):
        # anything malformed is left as it is for validation to report with the rest
        doc["lanes"] = [
            {("colour" if k == "color" else k): v for k, v in lane.items()}
            if isinstance(lane, dict)
            else lane
            for lane in lanes
        ]
    return doc


#: ``MIGRATIONS[n]`` turns a version-n document into a version n+1 one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_1}


def migrate(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring a document of any known version up to :data:`SCHEMA_VERSION` (a new dict: the
    caller's document is left as it was)."""
    doc = dict(doc)
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
    ents: dict[str, Any] = store.entities
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
        msg = explain.message(err)  # says which key when a dict key is bad
        if len(loc) >= 2 and loc[-1] == "[key]":  # a bad dict key: report it at the dict
            loc = loc[:-2]
        where, field = "map", ".".join(str(p) for p in loc) or None
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            items = doc.get(loc[0])
            item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
            ident = item.get("id") if isinstance(item, dict) else None
            where = f"{loc[0][:-1]} #{loc[1]}" + (f" ({ident!r})" if ident else "")
            field = ".".join(str(p) for p in loc[2:]) or None
        problems.append(Problem(where, field, msg))
    return problems


_COLLECTIONS = (
    ("persona", "personas"),
    ("stage", "stages"),
    ("touchpoint", "touchpoints"),
    ("lane", "lanes"),
    ("card", "cards"),
)


def _integrity(data: dict[str, Any], scale: Scale | None) -> tuple[dict[str, str], list[Problem]]:
    """Check ids and references on the raw document with the map's rules: unique ids, no
    dangling references, emotions on the scale.  Runs even when fields fail validation, so
    that one error lists every problem.  Returns the kind of each usable id and the
    problems."""
    kinds: dict[str, str] = {}
    problems: list[Problem] = []
    for kind, key in _COLLECTIONS:
        items = data.get(key)
        if not isinstance(items, list):
            continue  # validation reports it
        for n, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str):
                continue  # validation reports it
            where = f"{kind} #{n} ({ident!r})"
            if ident in kinds:
                problems.append(Problem(where, "id", f"already used by a {kinds[ident]}"))
                continue
            issues = rules.reference_issues(kind, item, kinds.get)
            usable = not issues
            if kind == "touchpoint" and scale is not None:
                issues += rules.scale_issues(item, scale)
            problems += [Problem(where, field, message) for field, message in issues]
            if usable:
                kinds[ident] = kind
    problems += [
        Problem("map", field, message)
        for field, message in rules.persona_issues(data.get("persona"), kinds.get)
    ]
    return kinds, problems


def to_store(data: Any) -> Store:
    """Validate a document (dict) completely and build a store from it.

    Every problem is collected (bad fields, duplicate ids, dangling references, emotions off
    the scale) and reported at once in one :class:`DocumentError`.
    """
    if not isinstance(data, dict):
        raise DocumentError(f"a journey map document is a JSON object, not {type(data).__name__}")
    with paused_gc():
        return _to_store(migrate(data))


def _to_store(data: dict[str, Any]) -> Store:
    try:
        doc = Document.model_validate(data)
    except PydanticError as exc:
        problems = _problems(exc, data)
        try:
            scale: Scale | None = as_scale(data.get("scale"))
        except (ValueError, TypeError):
            scale = None
        problems += _integrity(data, scale)[1]
        raise DocumentError.from_problems("invalid journey map", problems) from None

    _, problems = _integrity(data, doc.scale)
    if problems:
        raise DocumentError.from_problems("invalid journey map", problems)
    store = Store()
    # already validated as part of the document
    store.info = MapInfo.model_construct(**{k: getattr(doc, k) for k in MapInfo.model_fields})
    for kind, key in _COLLECTIONS:
        for entity in getattr(doc, key):
            store.insert(kind, entity, None)
    return store


# ------------------------------------------------------------------------ text and files
def parse_json(text: str | bytes, *, source: str = "JSON text") -> Any:
    """Parse JSON text, raising :class:`DocumentError` naming ``source`` for anything that
    is not JSON: bad syntax, bytes that are not UTF-8, nesting too deep for the reader, an
    integer too long to convert."""
    try:
        with paused_gc():
            return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{source} is not UTF-8 text: byte {exc.object[exc.start]:#04x} at offset "
            f"{exc.start} cannot be decoded"
        ) from None
    except RecursionError:
        raise DocumentError(
            f"{source} nests too deeply to read (a map's free-form data nests at most "
            f"{rules.MAX_DEPTH} levels)"
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise DocumentError(f"{source} is not valid JSON: {exc}") from None
    except TypeError:
        raise DocumentError(
            f"{source}: JSON text is a str or bytes, not {type(text).__name__}"
        ) from None


def loads(text: str | bytes) -> JourneyMap:
    """Read a map from JSON text: an alias of :meth:`JourneyMap.from_json`.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> jw.loads('{"title": "Empty", "schema_version": 2}').title
    'Empty'
    """
    from .journey import JourneyMap

    return JourneyMap.from_dict(parse_json(text))


def read_json(path: str | Path) -> JourneyMap:
    """Read a map from a JSON file written by :meth:`JourneyMap.to_json` (or ``save``).

    Raises :class:`DocumentError` naming the file when it cannot be read or is not a map.

    Examples
    --------
    >>> import journeywidgets as jw, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "map.json"
    >>> _ = jw.JourneyMap("Saved").to_json(path)
    >>> jw.read_json(path).title
    'Saved'
    """
    from .journey import JourneyMap

    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror}") from None
    data = parse_json(text, source=str(path))
    try:
        return JourneyMap.from_dict(data)
    except DocumentError as exc:
        # JSON that parses but is not a valid map: say which file, keep the problems listed.
        raise type(exc)(
            f"{path}: {exc}", kind=exc.kind, id=exc.id, field=exc.field, problems=exc.problems
        ) from None


def load(path: str | Path) -> JourneyMap:
    """Read a map from a JSON file: an alias of :func:`read_json`, kept for the familiar
    ``jw.load`` / ``m.save`` pair."""
    return read_json(path)


@cache
def _schema_text() -> str:
    from importlib import resources  # only needed here; slow to import

    return (
        resources.files("journeywidgets")
        .joinpath("schema/journeymap.schema.json")
        .read_text(encoding="utf-8")
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
