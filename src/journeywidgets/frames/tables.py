"""Map <-> tidy tables: one table per entity kind (see :mod:`journeywidgets.frames`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticError

from ..errors import Problem, TableError
from ..model import rules
from ..model.document import paused_gc
from ..model.entities import LANE_KINDS, Card, Lane, MapInfo, Persona, Scale, Stage, Touchpoint
from ..model.ids import new_id, slugify
from ..model.journey import JourneyMap
from ..model.store import Store
from ._cells import MISSING, Kind, TableProblem, _did_you_mean, _read_column

#: The tables :func:`to_dataframes` returns, in the order they are written to files.
TABLES: tuple[str, ...] = ("map", "personas", "stages", "touchpoints", "lanes", "cards")

# Columns of every table: name -> how a cell is read.  ``order``/``position`` place rows;
# the ``scale_*`` and ``measured_*`` columns are nested fields flattened for tidiness.
_COLUMNS: dict[str, dict[str, Kind]] = {
    "map": {
        "id": "ref",
        "title": "text",
        "description": "text",
        "scenario": "text",
        "kind": "text",
        "state": "text",
        "language": "text",
        "persona": "ref",
        "scale_min": "number",
        "scale_max": "number",
        "scale_neutral": "number",
        "scale_step": "number",
        "scale_labels": "dict",
        "labels": "dict",
        "metadata": "dict",
    },
    "personas": {
        "id": "ref",
        "order": "integer",
        "name": "text",
        "role": "text",
        "description": "text",
        "segment": "text",
        "goals": "list",
        "expectations": "list",
        "frustrations": "list",
        "quote": "text",
        "labels": "dict",
    },
    "stages": {
        "id": "ref",
        "order": "integer",
        "name": "text",
        "description": "text",
        "labels": "dict",
    },
    "touchpoints": {
        "id": "ref",
        "stage": "ref",
        "position": "integer",
        "order": "integer",
        "name": "text",
        "description": "text",
        "channel": "text",
        "owner": "text",
        "emotion": "number",
        "moment_of_truth": "bool",
        "metrics": "dict",
        "measured_emotion": "number",
        "measured_low": "number",
        "measured_high": "number",
        "measured_n": "integer",
        "measured_metric": "text",
        "measured_source": "text",
        "labels": "dict",
    },
    "lanes": {
        "id": "ref",
        "order": "integer",
        "name": "text",
        "kind": "text",
        "colour": "text",
        "description": "text",
        "labels": "dict",
    },
    "cards": {
        "id": "ref",
        "touchpoint": "ref",
        "lane": "ref",
        "position": "integer",
        "order": "integer",
        "text": "text",
        "tags": "list",
        "source": "text",
        "owner": "text",
        "impact": "integer",
        "effort": "integer",
        "labels": "dict",
    },
}

_MODELS: dict[str, type[BaseModel]] = {
    "personas": Persona,
    "stages": Stage,
    "touchpoints": Touchpoint,
    "lanes": Lane,
    "cards": Card,
}
_KIND_OF_TABLE = {
    "personas": "persona",
    "stages": "stage",
    "touchpoints": "touchpoint",
    "lanes": "lane",
    "cards": "card",
}
# Columns a table cannot do without (the id is generated when missing).
_REQUIRED = {
    "map": (),
    "personas": ("name",),
    "stages": ("name",),
    "touchpoints": ("name", "stage"),
    "lanes": ("name",),
    "cards": ("text", "touchpoint", "lane"),
}
# Columns that place a row rather than hold a field of the entity.
_MEASURED = ("emotion", "low", "high", "n", "metric", "source")
_SCALE = ("min", "max", "neutral", "step", "labels")


# ============================================================================ map -> tables
def _jsonable(value: Any) -> Any:
    """Lists for tuples, so that DataFrame cells compare and print like JSON."""
    if isinstance(value, tuple):
        return list(value)
    return value


def _frame(columns: dict[str, list[Any]], dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for name, values in columns.items():
        dtype = (dtypes or {}).get(name)
        if dtype == "float":
            data[name] = np.array([np.nan if v is None else v for v in values], dtype=float)
        elif dtype == "Int64":
            data[name] = pd.array(values, dtype="Int64")
        elif dtype == "object":
            array = np.empty(len(values), dtype=object)
            array[:] = values
            data[name] = array
        else:
            data[name] = values
    return pd.DataFrame(data)


def _map_table(m: JourneyMap) -> pd.DataFrame:
    info = m.info
    row: dict[str, list[Any]] = {
        "id": [info.id],
        "title": [info.title],
        "description": [info.description],
        "scenario": [info.scenario],
        "kind": [info.kind],
        "state": [info.state],
        "language": [info.language],
        "persona": [info.persona],
        "scale_min": [info.scale.min],
        "scale_max": [info.scale.max],
        "scale_neutral": [info.scale.neutral],
        "scale_step": [info.scale.step],
        "scale_labels": [dict(info.scale.labels)],
        "labels": [dict(info.labels)],
        "metadata": [dict(info.metadata)],
    }
    return _frame(
        row,
        {"persona": "object", "scale_labels": "object", "labels": "object", "metadata": "object"},
    )


def _simple_table(items: Sequence[Any], table: str) -> pd.DataFrame:
    """Personas, stages, lanes: ``id``, ``order`` and every field as it is."""
    columns: dict[str, list[Any]] = {}
    for name, kind in _COLUMNS[table].items():
        if name == "order":
            columns[name] = list(range(len(items)))
        elif kind in ("list", "dict"):
            columns[name] = [_jsonable(getattr(e, name)) for e in items]
        else:
            columns[name] = [getattr(e, name) for e in items]
    objects = {n: "object" for n, k in _COLUMNS[table].items() if k in ("list", "dict")}
    return _frame(columns, objects)


def _touchpoint_table(m: JourneyMap) -> pd.DataFrame:
    tps = m.touchpoints
    positions: list[int] = []
    previous, count = None, 0
    for tp in tps:  # journey order keeps each stage's touchpoints together
        count = count + 1 if tp.stage == previous else 0
        previous = tp.stage
        positions.append(count)
    columns: dict[str, list[Any]] = {
        "id": [t.id for t in tps],
        "stage": [t.stage for t in tps],
        "position": positions,
        "order": list(range(len(tps))),
        "name": [t.name for t in tps],
        "description": [t.description for t in tps],
        "channel": [t.channel for t in tps],
        "owner": [t.owner for t in tps],
        "emotion": [t.emotion for t in tps],
        "moment_of_truth": [t.moment_of_truth for t in tps],
        "metrics": [dict(t.metrics) for t in tps],
    }
    for part in _MEASURED:
        columns[f"measured_{part}"] = [
            None if t.measured is None else getattr(t.measured, part) for t in tps
        ]
    columns["labels"] = [dict(t.labels) for t in tps]
    dtypes = {
        "emotion": "float",
        "metrics": "object",
        "labels": "object",
        "measured_emotion": "float",
        "measured_low": "float",
        "measured_high": "float",
        "measured_n": "Int64",
        "measured_metric": "object",
        "measured_source": "object",
    }
    return _frame(columns, dtypes)


def _card_table(m: JourneyMap) -> pd.DataFrame:
    cards: list[Card] = []
    touchpoints: list[str] = []
    lanes: list[str] = []
    positions: list[int] = []
    lane_ids = [lane.id for lane in m.lanes]
    for tp in m.touchpoints:  # map order, a cell at a time
        for lane in lane_ids:
            cell = m.cards_in(tp.id, lane)
            cards += cell
            touchpoints += [tp.id] * len(cell)
            lanes += [lane] * len(cell)
            positions += range(len(cell))
    columns: dict[str, list[Any]] = {
        "id": [c.id for c in cards],
        "touchpoint": touchpoints,
        "lane": lanes,
        "position": positions,
        "order": list(range(len(cards))),
        "text": [c.text for c in cards],
        "tags": [list(c.tags) for c in cards],
        "source": [c.source for c in cards],
        "owner": [c.owner for c in cards],
        "impact": [c.impact for c in cards],
        "effort": [c.effort for c in cards],
        "labels": [dict(c.labels) for c in cards],
    }
    dtypes = {"tags": "object", "labels": "object", "impact": "Int64", "effort": "Int64"}
    return _frame(columns, dtypes)


def _cells_table(m: JourneyMap) -> pd.DataFrame:
    stages = {s.id: s for s in m.stages}
    lanes = m.lanes
    rows: dict[str, list[Any]] = {
        name: []
        for name in (
            "stage",
            "stage_name",
            "touchpoint",
            "touchpoint_name",
            "touchpoint_order",
            "emotion",
            "lane",
            "lane_name",
            "lane_kind",
            "lane_order",
            "card",
            "position",
            "text",
            "tags",
            "source",
            "owner",
            "impact",
            "effort",
            "quick_win",
        )
    }
    for t_order, tp in enumerate(m.touchpoints):
        for l_order, lane in enumerate(lanes):
            cards: Sequence[Card | None] = m.cards_in(tp.id, lane.id) or [None]
            for position, card in enumerate(cards):
                rows["stage"].append(tp.stage)
                rows["stage_name"].append(stages[tp.stage].name)
                rows["touchpoint"].append(tp.id)
                rows["touchpoint_name"].append(tp.name)
                rows["touchpoint_order"].append(t_order)
                rows["emotion"].append(tp.emotion)
                rows["lane"].append(lane.id)
                rows["lane_name"].append(lane.name)
                rows["lane_kind"].append(lane.kind)
                rows["lane_order"].append(l_order)
                rows["card"].append(None if card is None else card.id)
                rows["position"].append(None if card is None else position)
                rows["text"].append(None if card is None else card.text)
                rows["tags"].append(None if card is None else list(card.tags))
                rows["source"].append(None if card is None else card.source)
                rows["owner"].append(None if card is None else card.owner)
                rows["impact"].append(None if card is None else card.impact)
                rows["effort"].append(None if card is None else card.effort)
                rows["quick_win"].append(None if card is None else card.quick_win)
    dtypes = {
        "emotion": "float",
        "card": "object",
        "position": "Int64",
        "text": "object",
        "tags": "object",
        "source": "object",
        "owner": "object",
        "impact": "Int64",
        "effort": "Int64",
        "quick_win": "boolean",
    }
    frame = _frame({k: v for k, v in rows.items() if k != "quick_win"}, dtypes)
    frame["quick_win"] = pd.array(rows["quick_win"], dtype="boolean")
    return frame


def to_dataframes(m: JourneyMap) -> dict[str, pd.DataFrame]:
    """The map as tidy tables: ``map``, ``personas``, ``stages``, ``touchpoints``, ``lanes``,
    ``cards`` (see the module docstring for their columns).

    :func:`from_dataframes` turns them back into an equal map.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Demo", scale=(-2, 2))
    >>> _ = m.add_stage("Buy"); _ = m.add_touchpoint("Shop", stage="buy", emotion=-1)
    >>> t = to_dataframes(m)
    >>> sorted(t)
    ['cards', 'lanes', 'map', 'personas', 'stages', 'touchpoints']
    >>> t["touchpoints"][["id", "stage", "position", "order", "emotion"]]
         id stage  position  order  emotion
    0  shop   buy         0      0     -1.0
    >>> t["map"][["title", "scale_min", "scale_max"]]
      title  scale_min  scale_max
    0  Demo       -2.0        2.0
    """
    with paused_gc():
        return {table: to_dataframe(m, table) for table in TABLES}


def to_dataframe(m: JourneyMap, table: str = "touchpoints") -> pd.DataFrame:
    """One table of the map: one of :data:`TABLES`, or ``"cells"``.

    ``"cells"`` is the long view for analysis: one row per touchpoint x lane x card, in
    journey order then lane order then position, with the names of the stage, touchpoint and
    lane beside their ids; an empty cell is one row whose card columns are missing, so that
    ``cells.groupby(["touchpoint", "lane"]).card.count()`` counts zeros too.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Demo")
    >>> _ = m.add_stage("Buy"); _ = m.add_touchpoint("Shop", stage="buy")
    >>> _ = m.add_lane("Actions", kind="actions"); _ = m.add_lane("Feels", kind="emotions")
    >>> _ = m.add_card("Looks around", touchpoint="shop", lane="actions")
    >>> to_dataframe(m, "cells")[["touchpoint", "lane", "card", "text"]]
      touchpoint      lane    card          text
    0       shop   actions  card_1  Looks around
    1       shop  emotions     NaN           NaN
    """
    if table == "map":
        return _map_table(m)
    if table in ("personas", "stages", "lanes"):
        items: dict[str, Sequence[Any]] = {
            "personas": m.personas,
            "stages": m.stages,
            "lanes": m.lanes,
        }
        return _simple_table(items[table], table)
    if table == "touchpoints":
        return _touchpoint_table(m)
    if table == "cards":
        return _card_table(m)
    if table == "cells":
        return _cells_table(m)
    raise TableError(
        f"there is no table {table!r}{_did_you_mean(table, [*TABLES, 'cells'])}; "
        f"the tables are {', '.join(map(repr, [*TABLES, 'cells']))}",
        field="table",
    )


# ============================================================================ tables -> map
# Tables are read column by column: a 20,000-card table is a dozen lists, checked and
# resolved a column at a time; per-row dicts are made once, for pydantic, at the end.
def _as_pandas(table: Any, name: str) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    try:
        import narwhals.stable.v2 as nw

        frame = nw.from_native(table)
        if isinstance(frame, nw.LazyFrame):
            frame = frame.collect()
        return frame.to_pandas()
    except TypeError:
        raise TableError(
            f"table {name!r}: expected a DataFrame, got {type(table).__name__}", field=name
        ) from None


@dataclass
class _Table:
    """One table's entities as columns of field values, before they are validated.

    ``columns`` maps a field to one value per row (:data:`MISSING` where the cell is empty);
    ``position`` and ``order`` are kept apart as sort keys (``inf`` where missing), since
    they place a row rather than hold a field.  Rows in ``bad`` had a problem reported: they
    are validated too, so that every problem is listed, but nothing is built from them.
    """

    name: str
    labels: list[Any]
    columns: dict[str, list[Any]]
    position: np.ndarray[Any, np.dtype[np.float64]]
    order: np.ndarray[Any, np.dtype[np.float64]]
    bad: set[int] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.labels)

    def where(self, n: int) -> str:
        return f"{self.name} row {self.labels[n]}"

    def column(self, name: str) -> list[Any]:
        """The column's values, all :data:`MISSING` when the table has no such column."""
        values = self.columns.get(name)
        return values if values is not None else [MISSING] * len(self)

    def records(self) -> list[dict[str, Any]]:
        """One dict of the given fields per row (an empty cell leaves its field out)."""
        empty = {
            name: [n for n, v in enumerate(values) if v is MISSING]
            for name, values in self.columns.items()
            if MISSING in values  # identity first: a quick scan for the common full column
        }
        # a column empty all the way down (``effort`` nobody scored) is left out at once
        names = [c for c in self.columns if len(empty.get(c, ())) < len(self)]
        if not names:
            return [{} for _ in self.labels]
        columns = [self.columns[c] for c in names]
        records = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
        for name in names:
            for n in empty.get(name, ()):
                del records[n][name]
        return records


def _empty_table(table: str) -> _Table:
    none = np.empty(0)
    return _Table(table, [], {}, none, none)


def _check_columns(
    frame: pd.DataFrame,
    table: str,
    problems: list[Problem],
    extra: str,
    required: Sequence[str],
) -> list[str]:
    """The known columns present; missing and unknown ones become problems."""
    known = _COLUMNS[table]
    present = [str(c) for c in frame.columns]
    if len(set(present)) != len(present):
        dupes = sorted({c for c in present if present.count(c) > 1})
        problems.append(TableProblem(f"{table} table", None, f"repeated column names {dupes}"))
    unknown = [c for c in present if c not in known]
    for column in required:
        if column not in present:
            hint = _did_you_mean(column, unknown)
            problems.append(
                TableProblem(f"{table} table", column, f"missing required column{hint}")
            )
    if extra == "error":
        for column in unknown:
            hint = _did_you_mean(column, [k for k in known if k not in present]) or (
                f" (the columns are {', '.join(known)})"
            )
            problems.append(TableProblem(f"{table} table", column, f"unknown column{hint}"))
    return [c for c in present if c in known]


def _sort_key(values: list[Any] | None, rows: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    """A ``position``/``order`` column as floats, ``inf`` for an empty cell (placed last)."""
    if values is None:
        return np.full(rows, np.inf)
    return np.array([np.inf if v is MISSING else v for v in values], dtype=float)


def _read_table(
    frame: pd.DataFrame, table: str, problems: list[Problem], extra: str, absent: set[str]
) -> _Table:
    columns = _check_columns(frame, table, problems, extra, _REQUIRED[table])
    absent.update(f"{table}.{c}" for c in _REQUIRED[table] if c not in columns)
    kinds = _COLUMNS[table]
    read = {
        c: _read_column(frame[c], kinds[c], table, c, problems)
        for c in columns
        if not isinstance(frame[c], pd.DataFrame)  # a repeated name, already reported
    }
    rows = len(frame)
    result = _Table(
        table,
        frame.index.tolist(),
        read,
        position=_sort_key(read.pop("position", None), rows),
        order=_sort_key(read.pop("order", None), rows),
    )
    if table == "touchpoints":
        _nest_measured(result, problems)
    return result


def _nest_measured(table: _Table, problems: list[Problem]) -> None:
    """Fold the ``measured_*`` columns into one ``measured`` field (a dict, or missing)."""
    parts = [p for p in _MEASURED if f"measured_{p}" in table.columns]
    if not parts:
        return
    columns = [table.columns.pop(f"measured_{p}") for p in parts]
    nested: list[Any] = []
    for n, values in enumerate(zip(*columns, strict=True)):
        # text parts are "" when nothing was measured (how CSV stores a missing value)
        given = {
            p: v
            for p, v in zip(parts, values, strict=True)
            if v is not MISSING and not (isinstance(v, str) and v == "")
        }
        if given and "emotion" not in given:
            problems.append(
                TableProblem(
                    table.where(n),
                    "measured_emotion",
                    f"missing value, while {', '.join(f'measured_{k}' for k in given)} is given",
                )
            )
            given = {}
        nested.append({"n": 0, **given} if given else MISSING)
    table.columns["measured"] = nested


def _assign_ids(tables: dict[str, _Table], problems: list[Problem]) -> None:
    """Check explicit ids are unique across the map; generate the missing ones."""
    given = [id for table in tables.values() for id in table.column("id") if id is not MISSING]
    unique = len(set(given)) == len(given)  # the common case: no row to name
    owner: dict[str, tuple[_Table, int]] = {}
    for table in tables.values() if not unique else ():
        for n, id in enumerate(table.column("id")):
            if id is MISSING:
                continue
            if id in owner:
                first, m = owner[id]
                problems.append(
                    TableProblem(
                        table.where(n), "id", f"{id!r} is already the id of {first.where(m)}"
                    )
                )
                table.bad.add(n)
            else:
                owner[id] = (table, n)
    taken: set[str] = set(given)
    counters: dict[str, int] = {}
    for name, table in tables.items():
        ids = table.column("id")
        missing = [n for n, id in enumerate(ids) if id is MISSING]
        if not missing:
            continue
        ids = table.columns["id"] = list(ids)
        kind = _KIND_OF_TABLE[name]
        names = table.column("name")
        lane_kinds = table.column("kind") if name == "lanes" else None
        for n in missing:
            base = names[n]
            if lane_kinds is not None:  # a lane is named after its kind while that is free
                lane_kind = "custom" if lane_kinds[n] is MISSING else lane_kinds[n]
                if lane_kind != "custom" and lane_kind in LANE_KINDS and lane_kind not in taken:
                    base = lane_kind
            if name == "cards" or not isinstance(base, str) or not slugify(base):
                id = new_id(kind, None, taken, start=counters.get(kind, 1))
                counters[kind] = int(id.rsplit("_", 1)[1]) + 1
            else:
                id = new_id(kind, base, taken)
            taken.add(id)
            ids[n] = id


def _resolve(
    table: _Table, column: str, targets: _Table, kind: str, problems: list[Problem]
) -> None:
    """References may name an id, or the (unique) name of the entity."""
    refs = table.columns.get(column)
    if refs is None:  # the missing column is reported already
        table.bad.update(range(len(table)))
        return
    ids = set(targets.column("id"))
    if ids.issuperset(refs):  # the common case: every reference is an id
        return
    by_name: dict[str, list[str]] = {}
    for name, id in zip(targets.column("name"), targets.column("id"), strict=True):
        if isinstance(name, str):
            by_name.setdefault(name, []).append(id)
    for n, ref in enumerate(refs):
        if ref is MISSING:  # validation reports it
            table.bad.add(n)
            continue
        if ref in ids:
            continue
        named = by_name.get(ref, [])
        if len(named) == 1:
            refs[n] = named[0]
            continue
        if len(named) > 1:
            message = f"{ref!r} is the name of {len(named)} {kind}s ({', '.join(named)}); use an id"
        else:
            problem = rules.reference_problem(ref, kind, lambda _: None)
            message = f"{problem}{_did_you_mean(ref, sorted(ids))}"
        problems.append(TableProblem(table.where(n), column, message))
        table.bad.add(n)


def _column_of(table: str, loc: Sequence[Any]) -> str | None:
    if not loc:
        return None
    head = str(loc[0])
    if head in ("measured", "scale") and len(loc) > 1:
        return f"{head}_{loc[1]}"
    return head


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _validate(table: _Table, problems: list[Problem], absent: set[str]) -> list[Any]:
    """The table's entities, one per row; or ``[]`` after reporting every pydantic error
    with its row and column (rows found bad before are validated too, and never built)."""
    name = table.name
    if name not in _ADAPTERS:
        model = _MODELS[name]
        _ADAPTERS[name] = TypeAdapter(list[model])  # type: ignore[valid-type]
    try:
        entities = list(_ADAPTERS[name].validate_python(table.records()))
    except PydanticError as exc:
        for err in exc.errors():
            column = _column_of(name, err["loc"][1:])
            message = err["msg"]
            if err["type"] == "missing" and f"{name}.{column}" in absent:
                continue  # the missing column is reported already
            if err["type"] == "missing":
                message = "missing value (required)"
            problems.append(TableProblem(table.where(int(err["loc"][0])), column, message))
        return []
    return [] if table.bad else entities


def _read_map(frame: pd.DataFrame | None, problems: list[Problem], extra: str) -> MapInfo | None:
    if frame is None:
        return MapInfo()
    table = _read_table(frame, "map", problems, extra, set())
    if len(table) != 1:
        problems.append(
            TableProblem("map table", None, f"has {len(table)} rows; it needs exactly one")
        )
        return None
    fields = table.records()[0]
    scale = {p: fields.pop(f"scale_{p}") for p in _SCALE if f"scale_{p}" in fields}
    if "min" in scale and "max" in scale and "neutral" not in scale:
        scale["neutral"] = 0 if scale["min"] <= 0 <= scale["max"] else scale["min"]
    fields["scale"] = scale
    if fields.get("persona") == "":
        fields.pop("persona")
    try:
        return MapInfo.model_validate(fields)
    except PydanticError as exc:
        for err in exc.errors():
            column = _column_of("map", err["loc"])
            if err["loc"] == ("scale",):
                column = "scale_min"
            problems.append(TableProblem(table.where(0), column, err["msg"]))
        return None


def _check_persona(info: MapInfo, personas: _Table, where: str, problems: list[Problem]) -> MapInfo:
    """The map's persona may be given by id or by (unique) name."""
    persona = info.persona
    ids = personas.column("id")
    if persona is None or persona in ids:
        return info
    named = [id for id, name in zip(ids, personas.column("name"), strict=True) if name == persona]
    if len(named) == 1:
        return info.model_copy(update={"persona": named[0]})
    hint = _did_you_mean(persona, sorted(str(p) for p in ids if isinstance(p, str)))
    for issue in rules.persona_issues(persona, lambda _: None):
        problems.append(TableProblem(where, issue.field, f"{issue.message}{hint}"))
    return info


def _check_scale(touchpoints: _Table, scale: Scale, problems: list[Problem]) -> None:
    """Emotions off the map's scale, checked on every row (bad rows too), with the map's
    rules; a nested field is named by its flattened column (``measured_emotion``)."""
    emotions = touchpoints.column("emotion")
    measured = touchpoints.column("measured")
    for n, (emotion, nested) in enumerate(zip(emotions, measured, strict=True)):
        fields = {"emotion": emotion, "measured": nested}
        for issue in rules.scale_issues(fields, scale):
            column = issue.field.replace(".", "_")  # the flattened column
            problems.append(TableProblem(touchpoints.where(n), column, issue.message))


def from_dataframes(
    tables: Mapping[str, Any], *, extra: Literal["error", "ignore"] = "error"
) -> JourneyMap:
    """Build a map from tidy tables (as :func:`to_dataframes` writes them).

    Parameters
    ----------
    tables:
        ``{"map": ..., "stages": ..., "touchpoints": ..., "lanes": ..., "cards": ...,
        "personas": ...}``; every table is optional (``map`` gives the title and scale).
        pandas DataFrames, or anything narwhals reads (polars, pyarrow).
    extra:
        ``"error"`` (default) reports columns the table does not know, which catches
        misspelt ones; ``"ignore"`` skips them.

    Rows are placed by their ``position`` column (within the stage or cell) when present,
    else by ``order``, else in row order.  Missing ids are generated as the map would
    (``slug_of_name``, ``card_1``...), so a table typed by hand needs none; references
    (``stage``, ``touchpoint``, ``lane``, the map's ``persona``) may give an id or a name.

    Raises
    ------
    TableError
        Listing every problem found, each with its table, row and column; no map is built.

    Examples
    --------
    >>> import pandas as pd
    >>> m = from_dataframes({
    ...     "stages": pd.DataFrame({"name": ["Buy", "Use"]}),
    ...     "touchpoints": pd.DataFrame({"stage": ["Buy", "Use"], "name": ["Shop", "App"],
    ...                                  "emotion": [2, -1]}),
    ... })
    >>> [(t.id, t.stage, t.emotion) for t in m.touchpoints]
    [('shop', 'buy', 2.0), ('app', 'use', -1.0)]
    >>> from_dataframes({"touchpoints": pd.DataFrame({"name": ["Shop"], "stge": ["Buy"]})})
    Traceback (most recent call last):
    ...
    journeywidgets.errors.TableError: cannot build a map from these tables (2 problems):
      - touchpoints table, column 'stage': missing required column (did you mean 'stge'?)
      - touchpoints table, column 'stge': unknown column (did you mean 'stage'?)
    """
    with paused_gc():
        return _from_dataframes(tables, extra)


def _from_dataframes(tables: Mapping[str, Any], extra: str) -> JourneyMap:
    problems: list[Problem] = []
    absent: set[str] = set()  # "table.column" of required columns that are missing
    if not isinstance(tables, Mapping):
        raise TableError(
            f"tables must be a dict of table name -> DataFrame, not {type(tables).__name__}"
        )
    for name in tables:
        if name not in TABLES:
            why = "; it is a derived view" if name == "cells" else ""
            problems.append(
                TableProblem(
                    f"table {name!r}",
                    None,
                    f"unknown table{why}{_did_you_mean(str(name), TABLES)} "
                    f"(the tables are {', '.join(TABLES)})",
                )
            )
    frames = {name: _as_pandas(tables[name], name) for name in TABLES if name in tables}
    info = _read_map(frames.get("map"), problems, extra)

    read = {
        table: _read_table(frames[table], table, problems, extra, absent)
        if table in frames
        else _empty_table(table)
        for table in ("personas", "stages", "touchpoints", "lanes", "cards")
    }
    _assign_ids(read, problems)
    _resolve(read["touchpoints"], "stage", read["stages"], "stage", problems)
    _resolve(read["cards"], "touchpoint", read["touchpoints"], "touchpoint", problems)
    _resolve(read["cards"], "lane", read["lanes"], "lane", problems)
    if info is not None:
        where = f"map row {frames['map'].index[0]}" if "map" in frames else "map"
        info = _check_persona(info, read["personas"], where, problems)
    built = {name: _validate(table, problems, absent) for name, table in read.items()}
    if info is not None:
        _check_scale(read["touchpoints"], info.scale, problems)
    if problems or info is None:
        raise TableError.from_problems("cannot build a map from these tables", problems)
    return _assemble(info, built, read)


def _assemble(info: MapInfo, built: dict[str, list[Any]], read: dict[str, _Table]) -> JourneyMap:
    """Insert the validated entities into a store, each scope in its rows' order.

    Rows are placed by ``position`` (within the stage or cell), then ``order``, then row
    order: ``np.lexsort`` is stable and takes its last key first.
    """
    store = Store()
    store.info = info
    for name in ("personas", "stages", "touchpoints", "lanes", "cards"):
        kind = _KIND_OF_TABLE[name]
        table, entities = read[name], built[name]
        if name == "cards":
            # the bulk of a big map: append to each cell directly, as Store.insert would,
            # reading the (resolved) id columns rather than 20,000 entities' attributes
            ids, tps, lanes = (table.column(c) for c in ("id", "touchpoint", "lane"))
            cells = store.cells
            for n in np.lexsort((table.order, table.position)).tolist():
                cells.setdefault((tps[n], lanes[n]), []).append(ids[n])
            store.entities.update(zip(ids, entities, strict=True))
            store.kinds.update(dict.fromkeys(ids, kind))
            continue
        if name == "touchpoints":
            rank = {s: n for n, s in enumerate(store.stages)}
            stage = np.array([rank[e.stage] for e in entities], dtype=float)
            keys = np.lexsort((table.order, table.position, stage))
        else:
            keys = np.argsort(table.order, kind="stable")
        for n in keys.tolist():
            store.insert(kind, entities[n], None)
    return JourneyMap._from_store(store)
