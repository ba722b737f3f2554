"""Versions of a map: what changed between two (:func:`diff`), and a three-way :func:`merge`.

Maps are compared entity by entity, by id.  An entity is *added*, *removed*, *moved* (to
another stage or cell, or to another place in its own), *edited* (a field changed) or, for
a touchpoint's score, has its *emotion changed*.  The changes are a tidy DataFrame, one row
per entity and field, complete enough that :func:`patch` rebuilds the newer map from the
older one.

:func:`merge` combines two versions made from one base, the way git merges text: a change
made on one side only is taken; the same change on both sides is taken once; different
changes to one field are *conflicts*, listed and left for the user (the result keeps
"ours"), never silently dropped.  ``journeywidgets merge-driver`` runs it for git.

Examples
--------
>>> import journeywidgets as jw
>>> old = jw.templates.energy_utility()
>>> new = old.copy()
>>> _ = new.set_emotion("invoice_arrives", -3)
>>> changes = jw.diff(old, new)
>>> changes.summary()
'1 emotion changed'
>>> changes[["change", "kind", "id", "field", "before", "after"]].iloc[0].tolist()
['emotion changed', 'touchpoint', 'invoice_arrives', 'emotion', -1.0, -3.0]
>>> jw.versions.patch(old, changes) == new
True
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DocumentError
from .model import rules
from .model.entities import (
    KINDS,  # entity kinds in document order (the map itself is "map")
    as_scale,
)
from .model.rules import PLACEMENT, REFERENCES

if TYPE_CHECKING:
    import pandas as pd

    from .model.journey import JourneyMap

#: Change types, in the order a summary lists them.
CHANGES = ("added", "removed", "moved", "edited", "emotion changed")
_COLLECTION = {
    "persona": "personas",
    "stage": "stages",
    "touchpoint": "touchpoints",
    "lane": "lanes",
    "card": "cards",
}
COLUMNS = ["change", "kind", "id", "name", "field", "before", "after", "position"]

Scope = tuple[str, ...]


# ============================================================================ snapshots
@dataclass
class _Snapshot:
    """A map as plain data: its own fields, each entity's fields, and each scope's order."""

    info: dict[str, Any]
    entities: dict[str, dict[str, Any]]
    kinds: dict[str, str]
    scopes: dict[Scope, list[str]]

    def scope_of(self, id: str) -> Scope:
        return _scope(self.kinds[id], self.entities[id])

    def position(self, id: str) -> int:
        return self.scopes[self.scope_of(id)].index(id)


def _scope(kind: str, data: Mapping[str, Any]) -> Scope:
    return (kind, *(str(data[f]) for f in PLACEMENT.get(kind, ())))


def _as_document(value: Any) -> dict[str, Any]:
    from .model.document import load, migrate
    from .model.journey import JourneyMap

    if isinstance(value, JourneyMap):
        return value.to_dict()
    if isinstance(value, str | Path):
        return load(value).to_dict()
    if isinstance(value, Mapping):
        return JourneyMap.from_dict(migrate(dict(value))).to_dict()
    raise TypeError(f"expected a JourneyMap, a document dict or a path, not {type(value).__name__}")


def _snapshot(value: Any) -> _Snapshot:
    if isinstance(value, _Snapshot):
        return value  # diff() only reads it: a base diffed again and again is read once
    doc = _as_document(value)
    entities: dict[str, dict[str, Any]] = {}
    kinds: dict[str, str] = {}
    scopes: dict[Scope, list[str]] = defaultdict(list)
    for kind in KINDS:
        for item in doc.pop(_COLLECTION[kind]):
            entities[item["id"]] = item
            kinds[item["id"]] = kind
            scopes[_scope(kind, item)].append(item["id"])
    doc.pop("schema_version", None)
    return _Snapshot(doc, entities, kinds, dict(scopes))


#: A version of a map held as plain data (see :func:`snapshot`).
Snapshot = _Snapshot


def snapshot(value: Any) -> Snapshot:
    """``value`` (a map, document dict or path) read once as plain data, for diffing many
    later versions against it: :func:`diff` takes it in place of a map without reading it
    again (the widget's diff overlay keeps its base this way).

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.it_laptop()
    >>> base = snapshot(m)
    >>> _ = m.set_emotion("needs_new_laptop", 2)
    >>> jw.diff(base, m).summary()
    '1 emotion changed'
    """
    return _snapshot(value)


def _build(
    info: Mapping[str, Any],
    entities: Mapping[str, dict[str, Any]],
    scopes: Mapping[Scope, list[str]],
) -> JourneyMap:
    """A validated map from plain data (scopes give every order)."""
    from .model.journey import JourneyMap

    doc: dict[str, Any] = dict(info)
    stages = scopes.get(("stage",), [])
    lanes = scopes.get(("lane",), [])
    doc["personas"] = [entities[i] for i in scopes.get(("persona",), [])]
    doc["stages"] = [entities[i] for i in stages]
    doc["lanes"] = [entities[i] for i in lanes]
    # a touchpoint or card whose stage/cell is gone still goes in, so validation names it
    doc["touchpoints"] = [
        entities[i] for key, ids in scopes.items() if key[0] == "touchpoint" for i in ids
    ]
    doc["cards"] = [entities[i] for key, ids in scopes.items() if key[0] == "card" for i in ids]
    order = {s: n for n, s in enumerate(stages)}
    doc["touchpoints"].sort(key=lambda t: order.get(t["stage"], len(order)))
    return JourneyMap.from_dict(doc)


def _name(kind: str, data: Mapping[str, Any] | None) -> str:
    if not data:
        return ""
    return str(data.get("text" if kind == "card" else "name", ""))


# ============================================================================ diff
def _moved_in_place(old: list[str], new: list[str]) -> set[str]:
    """Ids of ``new`` (all also in ``old``) that left their place relative to the others.

    The ids outside the longest run of common order stayed put; the rest moved.  Removing
    a card therefore moves nothing, and moving one card moves that card only.
    """
    if old == new:
        return set()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    stayed = {new[b.b + k] for b in matcher.get_matching_blocks() for k in range(b.size)}
    return set(new) - stayed


def _frame(rows: list[dict[str, Any]], summary: str) -> pd.DataFrame:
    import pandas as pd

    frame = _Changes(rows, columns=COLUMNS)
    # before/after hold values of any type (text, numbers, whole entities): keep them as
    # written instead of letting pandas turn a column of scores into numpy floats
    for column in ("field", "before", "after"):
        frame[column] = pd.Series([r[column] for r in rows], dtype=object, index=frame.index)
    frame["position"] = pd.array(frame["position"].tolist(), dtype="Int64")
    frame.attrs["summary"] = summary
    return frame


def summarize(changes: Iterable[Mapping[str, Any]] | pd.DataFrame) -> str:
    """One line counting changed entities by type, e.g. ``'2 added, 1 moved'``.

    An entity counts once per type however many of its fields changed.
    """
    import pandas as pd

    rows = changes.to_dict("records") if isinstance(changes, pd.DataFrame) else changes
    seen = {(r["change"], r["kind"], r["id"]) for r in rows}
    counts = Counter(change for change, _, _ in seen)
    parts = [f"{counts[c]} {c}" for c in CHANGES if counts[c]]
    return ", ".join(parts) if parts else "no changes"


def _make_changes_class() -> type:
    import pandas as pd

    class Changes(pd.DataFrame):
        """The changes between two maps, one row per entity and field (a DataFrame).

        Columns: ``change`` (added, removed, moved, edited, emotion changed), ``kind``
        (persona, stage, touchpoint, lane, card or map), ``id``, ``name`` (for reading),
        ``field`` (None for a whole entity added or removed), ``before``, ``after`` and
        ``position`` (an added or moved entity's place in its stage, cell or list; a removed
        one's old place).
        """

        @property
        def _constructor(self) -> type[pd.DataFrame]:
            # a slice or a computed frame is a plain DataFrame again
            return pd.DataFrame

        def summary(self) -> str:
            """One line: how many entities were added, removed, moved, edited..."""
            return summarize(self)

        def _repr_html_(self) -> str | None:
            # the summary line above the table in a notebook; pandas escapes the cells
            import html

            table = super()._repr_html_()  # type: ignore[misc]
            if table is None:
                return None
            return f"<p><strong>{html.escape(self.summary())}</strong></p>{table}"

    return Changes


class _LazyChanges:
    cls: type | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.cls is None:
            self.cls = _make_changes_class()
        return self.cls(*args, **kwargs)


_Changes = _LazyChanges()


def diff(old: Any, new: Any) -> pd.DataFrame:
    """What changed from ``old`` to ``new``: a tidy DataFrame, one row per entity and field.

    Parameters
    ----------
    old, new:
        Two versions of a map: :class:`~journeywidgets.JourneyMap` objects, document dicts
        or paths of saved maps.

    Returns
    -------
    pandas.DataFrame
        Columns ``change``, ``kind``, ``id``, ``name``, ``field``, ``before``, ``after``,
        ``position``; ``.summary()`` (also ``.attrs["summary"]``) is one line such as
        ``'1 added, 2 moved, 1 emotion changed'``.  :func:`patch` applies it to ``old``.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> old = jw.templates.energy_utility()
    >>> new = old.copy()
    >>> _ = new.add_card("Too long", touchpoint="invoice_arrives", lane="pain_points", id="note")
    >>> _ = new.update("invoice_arrives", channel="email")
    >>> d = jw.diff(old, new)
    >>> d.summary()
    '1 added, 1 edited'
    >>> d[["change", "id", "field", "before", "after"]].iloc[0].tolist()
    ['edited', 'invoice_arrives', 'channel', 'letter, e-mail', 'email']
    >>> d.iloc[1][["change", "kind", "id", "field"]].tolist()
    ['added', 'card', 'note', None]
    """
    a, b = _snapshot(old), _snapshot(new)
    rows: list[dict[str, Any]] = []

    def row(
        change: str,
        kind: str,
        id: str,
        fld: str | None,
        before: Any,
        after: Any,
        position: int | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        rows.append(
            {
                "change": change,
                "kind": kind,
                "id": id,
                "name": _name(kind, data),
                "field": fld,
                "before": before,
                "after": after,
                "position": position,
            }
        )

    for fld in a.info.keys() | b.info.keys():
        if a.info.get(fld) != b.info.get(fld):
            row(
                "edited",
                "map",
                str(b.info.get("id", "")),
                fld,
                a.info.get(fld),
                b.info.get(fld),
                data={"name": b.info.get("title", "")},
            )
    rows.sort(key=lambda r: list(a.info).index(r["field"]) if r["field"] in a.info else 99)

    moved: set[str] = set()
    for key, ids in b.scopes.items():
        old_ids = a.scopes.get(key, [])
        common = set(ids) & set(old_ids)
        moved |= _moved_in_place(
            [i for i in old_ids if i in common], [i for i in ids if i in common]
        )
    for kind in KINDS:
        for id in (i for i, k in a.kinds.items() if k == kind and i not in b.kinds):
            row("removed", kind, id, None, a.entities[id], None, a.position(id), a.entities[id])
        for id in (i for i, k in b.kinds.items() if k == kind):
            new_item = b.entities[id]
            if id not in a.kinds:
                row("added", kind, id, None, None, new_item, b.position(id), new_item)
                continue
            if a.kinds[id] != kind:
                # an id reused for another kind: the old entity went, a new one came
                row(
                    "removed",
                    a.kinds[id],
                    id,
                    None,
                    a.entities[id],
                    None,
                    a.position(id),
                    a.entities[id],
                )
                row("added", kind, id, None, None, new_item, b.position(id), new_item)
                continue
            old_item = a.entities[id]
            placement = PLACEMENT.get(kind, ())
            relocated = [f for f in placement if old_item[f] != new_item[f]]
            for f in relocated:
                row("moved", kind, id, f, old_item[f], new_item[f], b.position(id), new_item)
            if not relocated and id in moved:
                row(
                    "moved",
                    kind,
                    id,
                    "position",
                    a.position(id),
                    b.position(id),
                    b.position(id),
                    new_item,
                )
            for f in new_item:
                if f in placement or old_item.get(f) == new_item[f]:
                    continue
                change = "emotion changed" if kind == "touchpoint" and f == "emotion" else "edited"
                row(change, kind, id, f, old_item.get(f), new_item[f], None, new_item)
    return _frame(rows, summarize(rows))


def patch(old: Any, changes: pd.DataFrame | Iterable[Mapping[str, Any]]) -> JourneyMap:
    """Apply the changes :func:`diff` found to ``old``; returns a new map (``old`` is kept).

    ``patch(old, diff(old, new)) == new``.  Raises
    :class:`~journeywidgets.errors.DocumentError` when the changes do not fit ``old``.
    """
    import pandas as pd

    snap = _snapshot(old)
    rows = changes.to_dict("records") if isinstance(changes, pd.DataFrame) else list(changes)
    info, entities, kinds = dict(snap.info), dict(snap.entities), dict(snap.kinds)
    placed: dict[str, int] = {}
    for r in rows:
        kind, id, fld, change = r["kind"], r["id"], r["field"], r["change"]
        pos: Any = r.get("position")
        if change in ("added", "moved") and not isinstance(pos, int | float):
            raise DocumentError(f"{kind} {id!r}: the changes give no position", kind=kind, id=id)
        if kind == "map":
            info[fld] = r["after"]
        elif change == "removed":
            if kinds.pop(id, None) is None:
                raise DocumentError(
                    f"{kind} {id!r} is removed by the changes but not in the map", kind=kind, id=id
                )
            del entities[id]
        elif change == "added":
            entities[id], kinds[id] = dict(r["after"]), kind
            placed[id] = int(pos)
        else:
            if id not in entities:
                raise DocumentError(
                    f"{kind} {id!r} is changed by the changes but not in the map",
                    kind=kind,
                    id=id,
                    field=fld,
                )
            entities[id] = dict(entities[id])
            if change == "moved":
                placed[id] = int(pos)
                if fld == "position":
                    continue
            entities[id][fld] = r["after"]
    members: dict[Scope, int] = Counter(_scope(kinds[i], entities[i]) for i in entities)
    scopes: dict[Scope, list[str]] = {}
    for key, size in members.items():
        slots: list[str | None] = [None] * size
        for id in (i for i in placed if _scope(kinds[i], entities[i]) == key):
            if not 0 <= placed[id] < size or slots[placed[id]] is not None:
                raise DocumentError(
                    f"{kinds[id]} {id!r}: position {placed[id]} does not fit",
                    kind=kinds[id],
                    id=id,
                    field="position",
                )
            slots[placed[id]] = id
        stayed = [i for i in snap.scopes.get(key, []) if i in entities and i not in placed]
        if len(stayed) != slots.count(None):
            raise DocumentError(f"the changes do not fit this map's {key[0]}s", kind=key[0])
        rest = iter(stayed)
        scopes[key] = [s if s is not None else next(rest) for s in slots]
    return _build(info, entities, scopes)


# ============================================================================ merge
@dataclass(frozen=True)
class Conflict:
    """Two different changes to one thing; the merged map keeps ``ours`` (an emotion that
    would fall outside the merged scale keeps the first of ours, theirs, base that fits).

    ``field`` is a field name; ``"removed"`` when one side removed the entity and the other
    changed (or still uses) it, which keeps it in the map; ``"order"`` when both sides
    moved ``id`` to different places (``kind``/``id`` then name the entity moved).
    """

    kind: str
    id: str
    field: str
    base: Any
    ours: Any
    theirs: Any

    def __str__(self) -> str:
        where = f"{self.kind} {self.id!r}, field {self.field!r}"
        return f"{where}: ours {self.ours!r}, theirs {self.theirs!r}"


@dataclass
class MergeResult:
    """What :func:`merge` returns: the merged ``map`` and the ``conflicts`` left for you.

    Where the sides disagree the map holds "ours"; each conflict lists both values, so
    ``m.update(c.id, **{c.field: c.theirs})`` takes theirs instead.
    """

    map: JourneyMap
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when nothing conflicted."""
        return not self.conflicts

    def to_dataframe(self) -> pd.DataFrame:
        """The conflicts as a tidy DataFrame (kind, id, field, base, ours, theirs)."""
        import pandas as pd

        rows = [vars(c) for c in self.conflicts]
        return pd.DataFrame(rows, columns=["kind", "id", "field", "base", "ours", "theirs"])

    def __repr__(self) -> str:
        n = len(self.conflicts)
        state = "clean" if not n else f"{n} conflict{'s' if n != 1 else ''}"
        return f"<MergeResult {state}: {self.map!r}>"


_MISSING: Any = object()


def _merge_fields(
    kind: str,
    id: str,
    base: Mapping[str, Any],
    ours: Mapping[str, Any],
    theirs: Mapping[str, Any],
    conflicts: list[Conflict],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in list(ours) + [f for f in theirs if f not in ours]:
        b, o, t = base.get(f, _MISSING), ours.get(f, _MISSING), theirs.get(f, _MISSING)
        if o == t or t == b:
            value = o
        elif o == b:
            value = t
        else:
            conflicts.append(Conflict(kind, id, f, None if b is _MISSING else b, o, t))
            value = o
        if value is not _MISSING:
            out[f] = value
    return out


def _fit_scale(
    info: Mapping[str, Any],
    entities: dict[str, dict[str, Any]],
    kinds: Mapping[str, str],
    sides: tuple[_Snapshot, _Snapshot, _Snapshot],
    conflicts: list[Conflict],
) -> None:
    """Emotions that fall outside the merged scale (one side narrowed it, the other set an
    emotion beyond it) take the first side's value that fits, ours before theirs before the
    base's, or none; each is listed as a conflict, so the merge still gives a valid map."""
    b, o, t = sides
    scale = as_scale(info.get("scale"))
    for id, item in entities.items():
        if kinds[id] != "touchpoint":
            continue
        for fld, _ in rules.scale_issues(item, scale):
            name = "emotion" if fld == "emotion" else "measured"
            before, ours, theirs = (
                (s.entities.get(id) or {}).get(name) if s.kinds.get(id) == "touchpoint" else None
                for s in (b, o, t)
            )
            fits = [
                v
                for v in (ours, theirs, before)
                if v is None or not rules.scale_issues({name: v}, scale)
            ]
            item[name] = fits[0] if fits else None
            conflicts.append(Conflict("touchpoint", id, name, before, ours, theirs))


def _lcs_outsiders(old: list[str], new: list[str]) -> set[str]:
    return _moved_in_place(old, new)


def _merge_order(
    members: set[str],
    base: list[str],
    ours: list[str],
    theirs: list[str],
    kind: str,
    conflicts: list[Conflict],
) -> list[str]:
    """One scope's order: the base order, with each side's moves and additions placed after
    the element they follow on that side.  Two sides inserting at one place are ordered by id,
    so that the merge is the same whichever side is "ours"."""
    in_o, in_t = set(ours), set(theirs)
    common = [x for x in base if x in members and x in in_o and x in in_t]
    cs = set(common)
    ord_o, ord_t = [x for x in ours if x in cs], [x for x in theirs if x in cs]
    moved_o, moved_t = _lcs_outsiders(common, ord_o), _lcs_outsiders(common, ord_t)
    # what each side put somewhere new: moved within the scope, or brought into it
    new_o = moved_o | {x for x in ours if x in members and x not in cs}
    new_t = moved_t | {x for x in theirs if x in members and x not in cs}
    result = [x for x in common if x not in moved_o and x not in moved_t]
    stable = set(result)

    def anchor(seq: list[str], n: int, known: set[str]) -> str | None:
        return next((y for y in reversed(seq[:n]) if y in known), None)

    # both sides put it there: first agree where (after the same element on both sides)
    shared = new_o & new_t
    fixed = stable | shared
    for n, x in enumerate(ours):
        if x in shared:
            after_o, after_t = anchor(ours, n, fixed), anchor(theirs, theirs.index(x), fixed)
            if after_o != after_t:
                where = base.index(x) if x in base else None
                conflicts.append(Conflict(kind, x, "order", where, n, theirs.index(x)))
            after = anchor(ours, n, stable)
            result.insert(0 if after is None else result.index(after) + 1, x)
            stable.add(x)
    placed = set(result)
    side_of: dict[str, int] = {}
    for side, (seq, mine) in enumerate(((ours, new_o), (theirs, new_t), (base, set(base)))):
        for n, x in enumerate(seq):
            if x not in members or x in placed or x not in mine:
                continue  # a common element goes where the side that moved it put it
            # after what it follows on its own side, counting only what is there whichever
            # side goes first (what neither moved, or this side's own insertions)
            after = next(
                (y for y in reversed(seq[:n]) if y in stable or side_of.get(y) == side), None
            )
            pos = 0 if after is None else result.index(after) + 1
            # two sides inserting at one place: ordered by id, the same whichever is "ours"
            while pos < len(result) and side_of.get(result[pos], side) != side and result[pos] < x:
                pos += 1
            result.insert(pos, x)
            placed.add(x)
            side_of[x] = side
    result += sorted(members - placed)  # in a scope none of the sides had (a new cell)
    return result


def _rename(snap: _Snapshot, renames: Mapping[str, str]) -> None:
    """Give entities of one version new ids (``{old: new}``), with every reference to them."""
    if not renames:
        return
    swap = lambda value: renames.get(value, value)  # noqa: E731
    for old, new in renames.items():
        snap.kinds[new] = snap.kinds.pop(old)
        snap.entities[new] = {**snap.entities.pop(old), "id": new}
    for id, item in snap.entities.items():
        fields = [f for f, _ in REFERENCES.get(snap.kinds[id], ()) if item[f] in renames]
        if fields:
            snap.entities[id] = {**item, **{f: renames[item[f]] for f in fields}}
    if snap.info.get("persona") in renames:
        snap.info["persona"] = renames[snap.info["persona"]]
    snap.scopes = {
        (key[0], *map(swap, key[1:])): [swap(i) for i in ids] for key, ids in snap.scopes.items()
    }


def _separate_additions(base: _Snapshot, ours: _Snapshot, theirs: _Snapshot) -> None:
    """Both sides added an entity under the same *generated* id (``card_7``): two people
    added two different cards, not one.  Keep both: the one whose content sorts later gets
    a new id (chosen the same whichever side is "ours").  A named id (``leave``, from the
    stage "Leave") added on both sides is one entity, merged field by field."""
    import json
    import re

    from .model.ids import new_id

    taken = set(base.kinds) | set(ours.kinds) | set(theirs.kinds)
    renames: dict[int, dict[str, str]] = {id(ours): {}, id(theirs): {}}
    counters: dict[str, int] = {}
    for key in sorted((set(ours.kinds) & set(theirs.kinds)) - set(base.kinds)):
        kind = ours.kinds[key]
        mine, other = ours.entities[key], theirs.entities[key]
        if theirs.kinds[key] != kind or mine == other or not re.fullmatch(rf"{kind}_\d+", key):
            continue
        later = max((ours, theirs), key=lambda snap: json.dumps(snap.entities[key], sort_keys=True))
        fresh = new_id(kind, None, taken, start=counters.get(kind, 1))
        counters[kind] = int(fresh.rsplit("_", 1)[1]) + 1  # probe on from here next time
        taken.add(fresh)
        renames[id(later)][key] = fresh
    _rename(ours, renames[id(ours)])
    _rename(theirs, renames[id(theirs)])


def merge(base: Any, ours: Any, theirs: Any) -> MergeResult:
    """Three-way merge of two versions of a map made from one ``base``, entity by entity.

    A change made on one side is taken; the same change on both sides is taken once;
    different changes to one field are listed in ``conflicts`` and the map keeps ``ours``.
    An entity removed on one side but changed (or still used) on the other is kept, with a
    ``"removed"`` conflict: nothing either side did is silently lost.  Two different entities
    both sides added under one generated id (``card_7``) are both kept, one with a new id.

    Parameters
    ----------
    base, ours, theirs:
        Maps, document dicts or paths of saved maps.

    Returns
    -------
    MergeResult
        ``.map`` (a new map), ``.conflicts`` (a list of :class:`Conflict`), ``.clean``.

    Raises
    ------
    DocumentError
        When a version cannot be read.  Combined changes that would not make a valid map
        (one side narrowed the emotion scale, the other set an emotion outside the new one)
        are conflicts: the emotion keeps a value that fits, ours first.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> base = jw.templates.energy_utility()
    >>> ours, theirs = base.copy(), base.copy()
    >>> _ = ours.set_emotion("invoice_arrives", -3)
    >>> _ = theirs.update("invoice_arrives", owner="Billing")
    >>> result = jw.merge(base, ours, theirs)
    >>> result.clean, result.map["invoice_arrives"].emotion, result.map["invoice_arrives"].owner
    (True, -3.0, 'Billing')
    >>> _ = theirs.set_emotion("invoice_arrives", 1)
    >>> [str(c) for c in jw.merge(base, ours, theirs).conflicts]
    ["touchpoint 'invoice_arrives', field 'emotion': ours -3.0, theirs 1.0"]
    """
    b, o, t = _snapshot(base), _snapshot(ours), _snapshot(theirs)
    _separate_additions(b, o, t)
    conflicts: list[Conflict] = []
    info = _merge_fields("map", str(o.info.get("id", "")), b.info, o.info, t.info, conflicts)
    entities: dict[str, dict[str, Any]] = {}
    kinds: dict[str, str] = {}
    ids = list(o.kinds) + [i for i in t.kinds if i not in o.kinds]
    ids += [i for i in b.kinds if i not in o.kinds and i not in t.kinds]
    for id in ids:
        be, oe, te = b.entities.get(id), o.entities.get(id), t.entities.get(id)
        kind = o.kinds.get(id) or t.kinds.get(id) or b.kinds[id]
        if oe is not None and te is not None:
            entities[id] = _merge_fields(kind, id, be or {}, oe, te, conflicts)
        elif be is None:
            entities[id] = dict(oe or te or {})  # added on one side
        elif oe is None and te is None:
            continue  # removed on both sides
        else:
            kept = oe if oe is not None else te
            assert kept is not None
            if kept == be:
                continue  # removed on one side, untouched on the other
            conflicts.append(Conflict(kind, id, "removed", be, oe, te))
            entities[id] = dict(kept)
        kinds[id] = kind
    # a reference to an entity one side removed brings it back (and says so)
    pending = True
    while pending:
        pending = False
        wanted = [
            (ref, want)
            for i, item in entities.items()
            for fld, want in REFERENCES.get(kinds[i], ())
            for ref in [item[fld]]
        ]
        if info.get("persona"):
            wanted.append((info["persona"], "persona"))
        for ref, want in wanted:
            if ref in entities:
                continue
            for snap in (o, t, b):
                if snap.kinds.get(ref) == want:
                    entities[ref], kinds[ref] = dict(snap.entities[ref]), want
                    conflicts.append(
                        Conflict(
                            want,
                            ref,
                            "removed",
                            b.entities.get(ref),
                            o.entities.get(ref),
                            t.entities.get(ref),
                        )
                    )
                    pending = True
                    break
    _fit_scale(info, entities, kinds, (b, o, t), conflicts)
    members: dict[Scope, set[str]] = defaultdict(set)
    for id, item in entities.items():
        members[_scope(kinds[id], item)].add(id)
    scopes = {
        key: _merge_order(
            ids_,
            b.scopes.get(key, []),
            o.scopes.get(key, []),
            t.scopes.get(key, []),
            key[0],
            conflicts,
        )
        for key, ids_ in members.items()
    }
    return MergeResult(_build(info, entities, scopes), conflicts)
