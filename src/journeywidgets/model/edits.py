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

from ..errors import EditError
from .entities import ENTITY_TYPES, Card, Entity, MapInfo, Stage, Touchpoint, as_scale
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
    index: int | None = Field(default=None, ge=0)


class Update(_Edit):
    """Change fields of an entity, or of the map itself when ``kind="map"``."""

    op: Literal["update"] = "update"
    id: str | None = None
    kind: Literal["map"] | None = None
    changes: dict[str, Any]


class Move(_Edit):
    """Reorder an entity within its scope, or move it to another stage / cell."""

    op: Literal["move"] = "move"
    id: str
    index: int | None = Field(default=None, ge=0)
    stage: str | None = None
    touchpoint: str | None = None
    lane: str | None = None


class Remove(_Edit):
    """Remove an entity.  One that holds content needs ``cascade`` or ``rehome``."""

    op: Literal["remove"] = "remove"
    id: str
    cascade: bool = False
    rehome: str | None = None


class SetEmotion(_Edit):
    """Set (or clear, with ``None``) a touchpoint's emotion score."""

    op: Literal["set_emotion"] = "set_emotion"
    id: str
    value: float | None


class Batch(_Edit):
    """Several edits applied as one: all of them, or none."""

    op: Literal["batch"] = "batch"
    edits: tuple[Edit, ...]
    label: str = ""


Edit = Annotated[Add | Update | Move | Remove | SetEmotion | Batch, Field(discriminator="op")]


@cache
def _edit_adapter() -> TypeAdapter[Edit]:
    return TypeAdapter(Edit)


#: Fields that place an entity in a scope: changed by ``move``, never by ``update``.
_PLACEMENT = {"touchpoint": ("stage",), "card": ("touchpoint", "lane")}


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
    field = _field(exc.errors()[0], _OPS) or None
    kind = data.get("kind") if isinstance(data, dict) else None
    if op and isinstance(target, str):
        what = f"{op} {target!r}"
    elif op and isinstance(kind, str):
        what = f"{op} {kind}"
    else:
        what = "not a valid edit"
    return EditError(
        f"{what}: {_describe(exc, skip=_OPS)}",
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
#: The edits' ``op`` tags: pydantic puts them in error locations, but they are not fields.
_OPS = frozenset({"add", "update", "move", "remove", "set_emotion", "batch"})


def _location(loc: tuple[Any, ...], skip: frozenset[str] = frozenset()) -> str:
    """A pydantic error location as ``"measured.n"`` (names in ``skip`` left out).

    A bad dict key (pydantic's ``(..., key, "[key]")``) is located at the dict itself.
    """
    parts = [p for p in loc if p not in skip]
    if parts and parts[-1] == "[key]":
        parts = parts[:-2]
    return ".".join(str(p) for p in parts)


def _message(err: Any) -> str:
    # pydantic prefixes our own ValueErrors with "Value error, "; the field name says enough
    msg = str(err["msg"]).removeprefix("Value error, ")
    loc = err["loc"]
    if len(loc) >= 2 and loc[-1] == "[key]":
        msg = f"key {loc[-2]!r}: {msg}"
    return msg


def _field(err: Any, skip: frozenset[str] = frozenset()) -> str:
    """The field a pydantic error is about; a missing or unknown edit ``op`` is its own."""
    field = _location(err["loc"], skip)
    if err["type"] in ("union_tag_not_found", "union_tag_invalid"):
        field = f"{field}.op" if field else "op"
    return field


def _describe(exc: PydanticError, skip: frozenset[str] = frozenset()) -> str:
    parts = []
    for err in exc.errors():
        field = _field(err, skip)
        msg = _message(err)
        if err["type"] == "union_tag_not_found":
            msg = f"missing; it is one of {', '.join(sorted(_OPS))}"
        elif err["type"] == "union_tag_invalid":
            msg = f"{err['ctx']['tag']!r} is not one of {', '.join(sorted(_OPS))}"
        parts.append(f"field {field!r}: {msg}" if field else msg)
    return "; ".join(parts)


def _build(kind: str, data: dict[str, Any], id: str) -> Entity:
    try:
        return ENTITY_TYPES[kind].model_validate(data)
    except PydanticError as exc:
        field = _location(exc.errors()[0]["loc"]) or None
        raise EditError(f"{kind} {id!r}: {_describe(exc)}", kind=kind, id=id, field=field) from None


def _entity(store: Store, id: str) -> Entity:
    entity = store.get(id)
    if entity is None:
        raise EditError(
            f"field 'id': there is no entity with id {id!r} in this map", id=id, field="id"
        )
    return entity


def _kind(entity: Entity) -> str:
    return type(entity).__name__.lower()


def _expect(store: Store, ref: str, kind: str, *, owner: Entity | None, field: str) -> None:
    """Check that ``ref`` (named by ``owner.field``) is the id of a ``kind``."""
    found = store.kind(ref)
    if found != kind:
        what = f"a {found}" if found else "nothing"
        where = f"{_kind(owner)} {owner.id!r}" if owner is not None else "map"
        raise EditError(
            f"{where}: field {field!r}: {ref!r} is {what}, expected a {kind}",
            kind=_kind(owner) if owner is not None else "map",
            id=owner.id if owner is not None else None,
            field=field,
        )


def _check_references(store: Store, entity: Entity) -> None:
    if isinstance(entity, Touchpoint):
        _expect(store, entity.stage, "stage", owner=entity, field="stage")
        _check_emotion(store, entity.id, entity.emotion)
        _check_measured(store, entity)
    elif isinstance(entity, Card):
        _expect(store, entity.touchpoint, "touchpoint", owner=entity, field="touchpoint")
        _expect(store, entity.lane, "lane", owner=entity, field="lane")


def _check_emotion(store: Store, id: str, value: float | None) -> None:
    scale = store.scale
    if value is not None and not scale.contains(value):
        raise EditError(
            f"touchpoint {id!r}: field 'emotion': {value:g} is outside the map's scale "
            f"[{scale.min:g}, {scale.max:g}]",
            kind="touchpoint",
            id=id,
            field="emotion",
        )


def _check_measured(store: Store, tp: Touchpoint) -> None:
    scale = store.scale
    if tp.measured is not None and not scale.holds(tp.measured.emotion):
        raise EditError(
            f"touchpoint {tp.id!r}: field 'measured.emotion': {tp.measured.emotion:g} is outside "
            f"the map's scale [{scale.min:g}, {scale.max:g}]",
            kind="touchpoint",
            id=tp.id,
            field="measured.emotion",
        )


def _check_index(index: int | None, size: int, kind: str, id: str) -> None:
    """``index`` may be 0..size: size (or None) means the end."""
    if index is not None and index > size:
        raise EditError(
            f"{kind} {id!r}: field 'index': {index} is past the end (it can be 0 to {size})",
            kind=kind,
            id=id,
            field="index",
        )


def _dump(entity: Entity) -> dict[str, Any]:
    return entity.model_dump(mode="json")


# --------------------------------------------------------------------------- the edits
def _add(store: Store, edit: Add) -> tuple[Edit, Edit]:
    item = dict(edit.item)
    if item.get("id") is None:
        item["id"] = store.fresh_id(edit.kind, item.get("name"))
    id = str(item["id"])
    if store.get(id) is not None:
        raise EditError(
            f"{edit.kind} {id!r}: field 'id': already used by a {store.kind(id)}",
            kind=edit.kind,
            id=id,
            field="id",
        )
    entity = _build(edit.kind, item, id)
    _check_references(store, entity)
    _check_index(edit.index, len(store.peek(entity)), edit.kind, id)
    store.insert(edit.kind, entity, edit.index)
    applied = Add(kind=edit.kind, item=_dump(entity), index=store.position(entity))
    return applied, Remove(id=id)


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
        if field in _PLACEMENT.get(kind, ()):
            raise EditError(
                f"{kind} {old.id!r}: field {field!r}: use a move edit to change it",
                kind=kind,
                id=old.id,
                field=field,
            )
    before = old.model_dump()
    new = _build(kind, {**before, **edit.changes}, old.id)
    if isinstance(new, Touchpoint):
        _check_emotion(store, new.id, new.emotion)
        _check_measured(store, new)
    store.replace(new)
    old_json, new_json = _dump(old), _dump(new)
    inverse = Update(id=old.id, changes={k: old_json[k] for k in edit.changes})
    return Update(id=old.id, changes={k: new_json[k] for k in edit.changes}), inverse


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
        except ValueError as exc:
            raise EditError(f"map: field 'scale': {exc}", kind="map", field="scale") from None
    try:
        new = MapInfo.model_validate({**old.model_dump(), **changes})
    except PydanticError as exc:
        field = _location(exc.errors()[0]["loc"]) or None
        raise EditError(f"map: {_describe(exc)}", kind="map", field=field) from None
    if new.persona is not None:
        _expect(store, new.persona, "persona", owner=None, field="persona")
    if new.scale != old.scale:
        outside = []
        for id in store.journey():
            tp = store.entities[id]
            assert isinstance(tp, Touchpoint)
            if tp.emotion is not None and not new.scale.contains(tp.emotion):
                outside.append(f"{tp.id!r} ({tp.emotion:g})")
            if tp.measured is not None and not new.scale.holds(tp.measured.emotion):
                outside.append(f"{tp.id!r} (measured {tp.measured.emotion:g})")
        if outside:
            more = f" and {len(outside) - 10} more" if len(outside) > 10 else ""
            raise EditError(
                f"map: field 'scale': emotions of touchpoints {', '.join(outside[:10])}{more} "
                f"fall outside [{new.scale.min:g}, {new.scale.max:g}]; change them first",
                kind="map",
                field="scale",
            )
    store.info = new
    old_json, new_json = old.model_dump(mode="json"), new.model_dump(mode="json")
    return (
        Update(kind="map", changes={k: new_json[k] for k in changes}),
        Update(kind="map", changes={k: old_json[k] for k in changes}),
    )


def _move(store: Store, edit: Move) -> tuple[Edit, Edit]:
    old = _entity(store, edit.id)
    kind = _kind(old)
    owner = f"{kind} {old.id!r}"
    allowed = _PLACEMENT.get(kind, ())
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
    for field, target in changes.items():
        _expect(store, target, field, owner=old, field=field)
    new = old.model_copy(update=changes) if changes else old
    old_pos = store.position(old)
    target = [i for i in store.peek(new) if i != old.id]
    _check_index(edit.index, len(target), kind, old.id)
    store.relocate(old, new, edit.index)
    new_pos = store.position(new)
    placement = {f: getattr(new, f) for f in allowed}
    old_placement = {f: getattr(old, f) for f in allowed}
    return (
        Move(id=old.id, index=new_pos, **placement),
        Move(id=old.id, index=old_pos, **old_placement),
    )


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
        _expect(store, edit.rehome, kind, owner=entity, field="rehome")
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
    if steps:
        _, undo_steps = _batch(store, Batch(edits=tuple(steps)))
        pos = store.delete(entity.id)
        inverse_steps = (Add(kind=kind, item=_dump(entity), index=pos), undo_steps)
        return edit, Batch(edits=inverse_steps)
    pos = store.delete(entity.id)
    return edit, Add(kind=kind, item=_dump(entity), index=pos)


def _set_emotion(store: Store, edit: SetEmotion) -> tuple[Edit, Edit]:
    old = _entity(store, edit.id)
    if not isinstance(old, Touchpoint):
        raise EditError(
            f"{_kind(old)} {old.id!r}: field 'emotion': only touchpoints have an emotion",
            kind=_kind(old),
            id=old.id,
            field="emotion",
        )
    if edit.value is not None:
        _check_emotion(store, old.id, edit.value)
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
    except Exception:
        # whatever went wrong, the steps already applied are taken back: all or nothing
        for undo in reversed(inverses):
            apply(store, undo)
        raise
    return (
        Batch(edits=tuple(applied), label=edit.label),
        Batch(edits=tuple(reversed(inverses)), label=edit.label),
    )
