"""Edits: the only way a map changes.

A widget gesture, a Python call and an undo all become one of six small, JSON-serializable
edits: ``add``, ``update``, ``move``, ``remove``, ``set_emotion`` and ``batch``.  Applying an
edit first validates it completely, then changes the store, and returns

- the edit *as applied* (generated ids and resolved positions filled in, so that replaying the
  history reproduces the map exactly), and
- its *inverse*, the edit that undoes it.

A rejected edit raises :class:`~journeywidgets.errors.EditError` and changes nothing; a batch
whose n-th edit fails undoes the first n-1 before raising.

Examples
--------
>>> from journeywidgets.model.edits import parse_edit
>>> parse_edit({"op": "move", "id": "card_1", "touchpoint": "invoice", "index": 0})
Move(op='move', id='card_1', index=0, stage=None, touchpoint='invoice', lane=None)
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic import ValidationError as PydanticError
from pydantic_core import PydanticSerializationError

from ..errors import EditError
from . import rules
from .entities import ENTITY_TYPES, Entity, MapInfo, Stage, Touchpoint, as_scale
from .explain import EDIT_OPS, describe, field_of, location
from .rules import StrictFlag, StrictInteger, StrictNumber, Text
from .store import Store

EntityKind = Literal["persona", "stage", "touchpoint", "lane", "card"]


class _Edit(BaseModel):
    # built on first use, like the entities, to keep ``import journeywidgets`` fast
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def to_dict(self) -> dict[str, Any]:
        """The edit as plain JSON-able data (what travels to and from the widget)."""
        return self.model_dump(mode="json")


class Add(_Edit):
    """Add an entity (``item`` holds its fields; an id is generated when missing)."""

    op: Literal["add"] = "add"
    kind: EntityKind
    item: dict[str, Any]
    index: StrictInteger | None = Field(default=None, ge=0)


class Update(_Edit):
    """Change fields of an entity, or of the map itself when ``kind="map"``."""

    op: Literal["update"] = "update"
    id: Text | None = None
    kind: Literal["map"] | None = None
    changes: dict[str, Any]


class Move(_Edit):
    """Reorder an entity within its scope, or move it to another stage / cell."""

    op: Literal["move"] = "move"
    id: Text
    index: StrictInteger | None = Field(default=None, ge=0)
    stage: Text | None = None
    touchpoint: Text | None = None
    lane: Text | None = None


class Remove(_Edit):
    """Remove an entity.  One that holds content needs ``cascade`` or ``rehome``."""

    op: Literal["remove"] = "remove"
    id: Text
    cascade: StrictFlag = False
    rehome: Text | None = None


class SetEmotion(_Edit):
    """Set (or clear, with ``None``) a touchpoint's emotion score."""

    op: Literal["set_emotion"] = "set_emotion"
    id: Text
    value: StrictNumber | None


class Batch(_Edit):
    """Several edits applied as one: all of them, or none."""

    op: Literal["batch"] = "batch"
    edits: tuple[Edit, ...]
    label: Text = ""


Edit = Annotated[Add | Update | Move | Remove | SetEmotion | Batch, Field(discriminator="op")]


@cache
def _edit_adapter() -> TypeAdapter[Edit]:
    return TypeAdapter(Edit)


def parse_edit(data: Any) -> Edit:
    """Validate a plain dict (or an edit) as an edit, with a clear error when it is not one.

    The error names the edit's target id (when it has one) and the field at fault.

    Examples
    --------
    >>> try:
    ...     parse_edit({"op": "move", "id": "card_1", "index": -1})
    ... except EditError as error:
    ...     print(error.id, error.field)
    card_1 index
    """
    if isinstance(data, _Edit):
        return data  # type: ignore[return-value]
    try:
        return _edit_adapter().validate_python(data)
    except PydanticError as exc:
        raise _edit_error(exc, data) from None


def make(cls: type[_Edit], **fields: Any) -> Edit:
    """Build an edit of type ``cls`` from keyword arguments, as :func:`parse_edit` would."""
    try:
        return cls(**fields)  # type: ignore[return-value]
    except PydanticError as exc:
        raise _edit_error(exc, {"op": cls.model_fields["op"].default, **fields}) from None


def _edit_error(exc: PydanticError, data: Any) -> EditError:
    op = data.get("op") if isinstance(data, dict) else None
    target = data.get("id") if isinstance(data, dict) else None
    if target is None and isinstance(data, dict) and isinstance(data.get("item"), dict):
        target = data["item"].get("id")
    field = field_of(exc.errors()[0], EDIT_OPS) or None
    kind = data.get("kind") if isinstance(data, dict) else None
    if op and isinstance(target, str):
        what = f"{op} {target!r}"
    elif op and isinstance(kind, str):
        what = f"{op} {kind}"
    else:
        what = "not a valid edit"
    return EditError(
        f"{what}: {describe(exc, skip=EDIT_OPS)}",
        id=target if isinstance(target, str) else None,
        field=field,
    )


def apply(store: Store, edit: Edit) -> tuple[Edit, Edit]:
    """Validate and apply ``edit``; return ``(applied, inverse)``.  Raises :class:`EditError`."""
    if isinstance(edit, Add):
        return _add(store, edit)
    if isinstance(edit, Update):
        return _update(store, edit)
    if isinstance(edit, Move):
        return _move(store, edit)
    if isinstance(edit, Remove):
        return _remove(store, edit)
    if isinstance(edit, SetEmotion):
        return _set_emotion(store, edit)
    return _batch(store, edit)


# --------------------------------------------------------------------------- helpers
def _build(kind: str, data: dict[str, Any], id: str) -> Entity:
    try:
        return ENTITY_TYPES[kind].model_validate(data)
    except PydanticError as exc:
        field = location(exc.errors()[0]["loc"]) or None
        raise EditError(f"{kind} {id!r}: {describe(exc)}", kind=kind, id=id, field=field) from None


def _entity(store: Store, id: str) -> Entity:
    entity = store.get(id)
    if entity is None:
        raise EditError(
            f"field 'id': there is no entity with id {id!r} in this map", id=id, field="id"
        )
    return entity


def _kind(entity: Entity) -> str:
    return type(entity).__name__.lower()


def _refuse(issues: list[rules.Issue], kind: str, id: str | None) -> None:
    """Raise one EditError naming every broken rule (the first one's field is the error's)."""
    if not issues:
        return
    where = f"{kind} {id!r}" if id is not None else kind
    told = "; ".join(f"field {field!r}: {message}" for field, message in issues)
    raise EditError(f"{where}: {told}", kind=kind, id=id, field=issues[0].field)


def _check_entity(store: Store, kind: str, entity: Entity) -> None:
    """The rules an entity must keep with the rest of the map: its references and, for a
    touchpoint, its emotions on the scale."""
    fields = rules.fields_of(entity)
    issues = rules.reference_issues(kind, fields, store.kind)
    if kind == "touchpoint":
        issues += rules.scale_issues(fields, store.scale)
    _refuse(issues, kind, entity.id)


def _check_index(index: int | None, size: int, kind: str, id: str) -> int:
    """``index`` may be 0..size: size (or None) means the end.  Returns the resolved index."""
    if index is None:
        return size
    if index > size:
        raise EditError(
            f"{kind} {id!r}: field 'index': {index} is past the end (it can be 0 to {size})",
            kind=kind,
            id=id,
            field="index",
        )
    return index


def _dump(entity: Entity | MapInfo, kind: str, id: str | None) -> dict[str, Any]:
    """The entity as JSON data: what the edit as applied, its inverse, the history and the
    widget carry.  Serialising it here, before the store changes, means nothing an edit
    produces can fail to save after the map has changed; the edits built from these dumps
    hold only JSON data (and ids and positions besides)."""
    try:
        return entity.model_dump(mode="json")
    except (PydanticSerializationError, ValueError, RecursionError, OverflowError) as exc:
        where = f"{kind} {id!r}" if id is not None else kind
        raise EditError(
            f"{where}: the change cannot be saved as JSON ({exc}); the map is unchanged",
            kind=kind,
            id=id,
        ) from None


# --------------------------------------------------------------------------- the edits
# Each edit checks everything, builds the edit as applied and its inverse from JSON dumps
# of the entities, and only then changes the store: a refused edit leaves nothing behind.
def _add(store: Store, edit: Add) -> tuple[Edit, Edit]:
    item = dict(edit.item)
    if item.get("id") is None:
        name = item.get("name")
        # a name of the wrong type gets no slug; validation below names the field
        item["id"] = store.fresh_id(edit.kind, name if isinstance(name, str) else None)
    id = item["id"]
    if not isinstance(id, str):
        _build(edit.kind, item, repr(id))  # raises, naming the id field's type
    if store.get(id) is not None:
        raise EditError(
            f"{edit.kind} {id!r}: field 'id': already used by a {store.kind(id)}",
            kind=edit.kind,
            id=id,
            field="id",
        )
    entity = _build(edit.kind, item, id)
    _check_entity(store, edit.kind, entity)
    index = _check_index(edit.index, len(store.peek(entity)), edit.kind, id)
    applied = Add(kind=edit.kind, item=_dump(entity, edit.kind, id), index=index)
    inverse = Remove(id=id)
    store.insert(edit.kind, entity, index)
    return applied, inverse


def _update(store: Store, edit: Update) -> tuple[Edit, Edit]:
    if edit.kind == "map":
        return _update_map(store, edit)
    if edit.id is None:
        raise EditError(
            "an update needs an 'id' (or kind='map' for the map's own fields)", field="id"
        )
    old = _entity(store, edit.id)
    kind = _kind(old)
    for field in edit.changes:
        if field == "id":
            raise EditError(
                f"{kind} {old.id!r}: field 'id': ids cannot change",
                kind=kind,
                id=old.id,
                field="id",
            )
        if field in rules.PLACEMENT.get(kind, ()):
            raise EditError(
                f"{kind} {old.id!r}: field {field!r}: use a move edit to change it",
                kind=kind,
                id=old.id,
                field=field,
            )
    new = _build(kind, {**old.model_dump(), **edit.changes}, old.id)
    if isinstance(new, Touchpoint):
        _refuse(rules.scale_issues(rules.fields_of(new), store.scale), kind, new.id)
    old_json, new_json = _dump(old, kind, old.id), _dump(new, kind, old.id)
    applied = Update(id=old.id, changes={k: new_json[k] for k in edit.changes})
    inverse = Update(id=old.id, changes={k: old_json[k] for k in edit.changes})
    store.replace(new)
    return applied, inverse


def _update_map(store: Store, edit: Update) -> tuple[Edit, Edit]:
    old = store.info
    if edit.id is not None:
        raise EditError(
            f"update {edit.id!r}: field 'kind': kind='map' changes the map's own fields; "
            "leave out the id, or leave out kind to change an entity",
            id=edit.id,
            field="kind",
        )
    if "id" in edit.changes:
        raise EditError("map: field 'id': a map's id cannot change", kind="map", field="id")
    changes = dict(edit.changes)
    if isinstance(changes.get("scale"), tuple | list):
        # a (min, max) pair, as JourneyMap(scale=...) takes it
        try:
            changes["scale"] = as_scale(changes["scale"]).model_dump()
        except (ValueError, TypeError) as exc:
            raise EditError(f"map: field 'scale': {exc}", kind="map", field="scale") from None
    try:
        new = MapInfo.model_validate({**old.model_dump(), **changes})
    except PydanticError as exc:
        field = location(exc.errors()[0]["loc"]) or None
        raise EditError(f"map: {describe(exc)}", kind="map", field=field) from None
    _refuse(rules.persona_issues(new.persona, store.kind), "map", None)
    if new.scale != old.scale:
        outside = []
        for id in store.journey():
            fields = rules.fields_of(store.entities[id])
            for field, _ in rules.scale_issues(fields, new.scale):
                if field == "emotion":
                    outside.append(f"{id!r} ({rules.number_text(fields['emotion'])})")
                else:
                    value = fields["measured"]["emotion"]
                    outside.append(f"{id!r} (measured {rules.number_text(value)})")
        if outside:
            more = f" and {len(outside) - 10} more" if len(outside) > 10 else ""
            raise EditError(
                f"map: field 'scale': emotions of touchpoints {', '.join(outside[:10])}{more} "
                f"fall outside {rules.span(new.scale)}; change them first",
                kind="map",
                field="scale",
            )
    old_json, new_json = _dump(old, "map", None), _dump(new, "map", None)
    applied = Update(kind="map", changes={k: new_json[k] for k in changes})
    inverse = Update(kind="map", changes={k: old_json[k] for k in changes})
    store.info = new
    return applied, inverse


def _move(store: Store, edit: Move) -> tuple[Edit, Edit]:
    old = _entity(store, edit.id)
    kind = _kind(old)
    owner = f"{kind} {old.id!r}"
    allowed = rules.PLACEMENT.get(kind, ())
    for field in ("stage", "touchpoint", "lane"):
        if getattr(edit, field) is not None and field not in allowed:
            where = f"to another {', '.join(allowed)}" if allowed else "only within its list"
            raise EditError(
                f"{owner}: field {field!r}: a {kind} moves {where}",
                kind=kind,
                id=old.id,
                field=field,
            )
    changes = {f: getattr(edit, f) for f in allowed if getattr(edit, f) is not None}
    _refuse(rules.reference_issues(kind, changes, store.kind), kind, old.id)
    new = old.model_copy(update=changes) if changes else old
    old_pos = store.position(old)
    target = [i for i in store.peek(new) if i != old.id]
    new_pos = _check_index(edit.index, len(target), kind, old.id)
    placement = {f: getattr(new, f) for f in allowed}
    old_placement = {f: getattr(old, f) for f in allowed}
    applied = Move(id=old.id, index=new_pos, **placement)
    inverse = Move(id=old.id, index=old_pos, **old_placement)
    store.relocate(old, new, new_pos)
    return applied, inverse


def _contents(store: Store, entity: Entity) -> tuple[str, list[str]]:
    if isinstance(entity, Stage):
        return "touchpoint", list(store.touchpoints.get(entity.id, ()))
    if isinstance(entity, Touchpoint):
        return "card", store.cards_of_touchpoint(entity.id)
    if _kind(entity) == "lane":
        return "card", store.cards_of_lane(entity.id)
    return "", []


def _remove(store: Store, edit: Remove) -> tuple[Edit, Edit]:
    entity = _entity(store, edit.id)
    kind = _kind(entity)
    owner = f"{kind} {entity.id!r}"
    child_kind, children = _contents(store, entity)
    if edit.rehome is not None:
        where: dict[str, Any] = {"kind": kind, "id": entity.id, "field": "rehome"}
        if edit.cascade:
            raise EditError(
                f"{owner}: field 'rehome': pass cascade=True or rehome, not both", **where
            )
        if kind not in ("stage", "touchpoint", "lane"):
            raise EditError(f"{owner}: field 'rehome': a {kind} holds nothing to rehome", **where)
        if edit.rehome == entity.id:
            raise EditError(f"{owner}: field 'rehome': cannot rehome into itself", **where)
        problem = rules.reference_problem(edit.rehome, kind, store.kind)
        if problem:
            raise EditError(f"{owner}: field 'rehome': {problem}", **where)
    steps: list[Edit] = []
    if children:
        if edit.rehome is not None:
            steps = [Move(id=c, **{kind: edit.rehome}) for c in children]
        elif edit.cascade:
            steps = [Remove(id=c, cascade=True) for c in children]
        else:
            raise EditError(
                f"{owner} still holds {len(children)} {child_kind}"
                f"{'s' if len(children) != 1 else ''}; pass cascade=True to remove them too "
                f"or rehome=<another {kind}'s id> to move them there",
                kind=kind,
                id=entity.id,
            )
    if store.info.persona == entity.id:
        steps.append(Update(kind="map", changes={"persona": None}))
    # the entity was checked when it was added; its position does not change with its
    # contents, so the inverse is known (and serialisable) before anything moves
    restore = Add(kind=kind, item=_dump(entity, kind, entity.id), index=store.position(entity))
    if steps:
        _, undo_steps = _batch(store, Batch(edits=tuple(steps)))
        store.delete(entity.id)
        return edit, Batch(edits=(restore, undo_steps))
    store.delete(entity.id)
    return edit, restore


def _set_emotion(store: Store, edit: SetEmotion) -> tuple[Edit, Edit]:
    old = _entity(store, edit.id)
    if not isinstance(old, Touchpoint):
        raise EditError(
            f"{_kind(old)} {old.id!r}: field 'emotion': only touchpoints have an emotion",
            kind=_kind(old),
            id=old.id,
            field="emotion",
        )
    problem = rules.emotion_problem(edit.value, store.scale)
    if problem:
        raise EditError(
            f"touchpoint {old.id!r}: field 'emotion': {problem}",
            kind="touchpoint",
            id=old.id,
            field="emotion",
        )
    store.replace(old.model_copy(update={"emotion": edit.value}))
    return edit, SetEmotion(id=old.id, value=old.emotion)


def _batch(store: Store, edit: Batch) -> tuple[Edit, Edit]:
    applied: list[Edit] = []
    inverses: list[Edit] = []
    try:
        for step in edit.edits:
            done, undo = apply(store, step)
            applied.append(done)
            inverses.append(undo)
    except BaseException:
        # whatever went wrong, the steps already applied are taken back: all or nothing
        for undo in reversed(inverses):
            apply(store, undo)
        raise
    return (
        Batch(edits=tuple(applied), label=edit.label),
        Batch(edits=tuple(reversed(inverses)), label=edit.label),
    )
