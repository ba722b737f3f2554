"""Map <-> tidy tables: one table per entity kind (see :mod:`journeywidgets.frames`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticError

from ..entities import LANE_KINDS, Card, Lane, MapInfo, Persona, Scale, Stage, Touchpoint
from ..errors import Problem, TableError
from ..ids import new_id, slugify
from ..journey import JourneyMap
from ..store import Store
from ._cells import MISSING, Kind, TableProblem, _did_you_mean, _no_gc, _read_column

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
    cards = m.cards
    positions: list[int] = []
    previous: tuple[str, str] | None = None
    count = 0
    for card in cards:  # map order keeps each cell's cards together
        cell = (card.touchpoint, card.lane)
        count = count + 1 if cell == previous else 0
        previous = cell
        positions.append(count)
    columns: dict[str, list[Any]] = {
        "id": [c.id for c in cards],
        "touchpoint": [c.touchpoint for c in cards],
        "lane": [c.lane for c in cards],
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
    with _no_gc():
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
class _Row:
    """One entity read from a table row, before it is validated."""

    table: str
    label: Any
    fields: dict[str, Any]
    order: tuple[Any, ...] = ()
    bad: bool = False  # a problem was reported: validate it, but build nothing from it

    @property
    def where(self) -> str:
        return f"{self.table} row {self.label}"


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


def _read_rows(
    frame: pd.DataFrame, table: str, problems: list[Problem], extra: str, absent: set[str]
) -> list[_Row]:
    columns = _check_columns(frame, table, problems, extra, _REQUIRED[table])
    absent.update(f"{table}.{c}" for c in _REQUIRED[table] if c not in columns)
    kinds = _COLUMNS[table]
    read = {
        c: _read_column(frame[c], kinds[c], table, c, problems)
        for c in columns
        if not isinstance(frame[c], pd.DataFrame)  # a repeated name, already reported
    }
    labels = frame.index.tolist()
    names = list(read)
    if not names:
        return [_Row(table, label, {}) for label in labels]
    records = [dict(zip(names, values, strict=True)) for values in zip(*read.values(), strict=True)]
    for name, values in read.items():  # drop the empty cells: the field keeps its default
        if MISSING in values:  # identity first: a quick scan for the common full column
            for n in [n for n, v in enumerate(values) if v is MISSING]:
                del records[n][name]
    return [_Row(table, label, record) for label, record in zip(labels, records, strict=True)]


def _nest(row: _Row, prefix: str, parts: Sequence[str], problems: list[Problem]) -> None:
    """Fold ``measured_*`` / ``scale_*`` columns into one nested dict field."""
    nested = {p: row.fields.pop(f"{prefix}_{p}") for p in parts if f"{prefix}_{p}" in row.fields}
    if prefix == "measured":
        # text parts are "" when nothing was measured (how CSV stores a missing value)
        nested = {k: v for k, v in nested.items() if not (isinstance(v, str) and v == "")}
        if not nested:
            return
        if "emotion" not in nested:
            problems.append(
                TableProblem(
                    row.where,
                    "measured_emotion",
                    f"missing value, while {', '.join(f'measured_{k}' for k in nested)} is given",
                )
            )
            return
        nested.setdefault("n", 0)
    row.fields[prefix] = nested


def _place(rows: list[_Row], problems: list[Problem]) -> None:
    """Move ``order``/``position`` out of the fields into the sort key."""
    for n, row in enumerate(rows):
        position = row.fields.pop("position", None)
        order = row.fields.pop("order", None)
        row.order = (
            position if position is not None else math.inf,
            order if order is not None else math.inf,
            n,
        )


def _assign_ids(groups: dict[str, list[_Row]], problems: list[Problem]) -> None:
    """Check explicit ids are unique across the map; generate the missing ones."""
    owner: dict[str, _Row] = {}
    for rows in groups.values():
        for row in rows:
            id = row.fields.get("id")
            if id is None:
                continue
            if id in owner:
                first = owner[id]
                problems.append(
                    TableProblem(row.where, "id", f"{id!r} is already the id of {first.where}")
                )
                row.bad = True
            else:
                owner[id] = row
    taken: set[str] = set(owner)
    counters: dict[str, int] = {}
    for table, rows in groups.items():
        kind = _KIND_OF_TABLE[table]
        for row in rows:
            if "id" in row.fields:
                continue
            name = row.fields.get("name")
            if table == "lanes":
                lane_kind = row.fields.get("kind", "custom")
                if lane_kind != "custom" and lane_kind in LANE_KINDS and lane_kind not in taken:
                    name = lane_kind
            if table == "cards" or not isinstance(name, str) or not slugify(name):
                id = new_id(kind, None, taken, start=counters.get(kind, 1))
                counters[kind] = int(id.rsplit("_", 1)[1]) + 1
            else:
                id = new_id(kind, name, taken)
            taken.add(id)
            row.fields["id"] = id


def _resolve(
    rows: list[_Row],
    field: str,
    targets: list[_Row],
    kind: str,
    problems: list[Problem],
    absent: set[str],
) -> None:
    """References may name an id, or the (unique) name of the entity."""
    ids = {r.fields["id"] for r in targets if "id" in r.fields}
    by_name: dict[str, list[str]] = {}
    for r in targets:
        if isinstance(r.fields.get("name"), str) and "id" in r.fields:
            by_name.setdefault(r.fields["name"], []).append(r.fields["id"])
    for row in rows:
        ref = row.fields.get(field)
        if ref is None:  # validation reports it (unless the whole column is missing)
            row.bad = True
            continue
        if ref in ids:
            continue
        named = by_name.get(ref, [])
        if len(named) == 1:
            row.fields[field] = named[0]
            continue
        if len(named) > 1:
            message = f"{ref!r} is the name of {len(named)} {kind}s ({', '.join(named)}); use an id"
        else:
            message = f"{ref!r} is not a {kind} of this map{_did_you_mean(ref, sorted(ids))}"
        problems.append(TableProblem(row.where, field, message))
        row.bad = True


def _column_of(table: str, loc: Sequence[Any]) -> str | None:
    if not loc:
        return None
    head = str(loc[0])
    if head in ("measured", "scale") and len(loc) > 1:
        return f"{head}_{loc[1]}"
    return head


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _validate(rows: list[_Row], table: str, problems: list[Problem], absent: set[str]) -> list[Any]:
    """Build the entities, reporting every pydantic error with its row and column.

    Rows already found bad are validated too (so that every problem is listed) but not built.
    """
    model = _MODELS[table]
    if table not in _ADAPTERS:
        _ADAPTERS[table] = TypeAdapter(list[model])  # type: ignore[valid-type]
    try:
        entities = list(_ADAPTERS[table].validate_python([r.fields for r in rows]))
    except PydanticError as exc:
        failed = set()
        for err in exc.errors():
            n = int(err["loc"][0])
            failed.add(n)
            column = _column_of(table, err["loc"][1:])
            message = err["msg"]
            if err["type"] == "missing" and f"{table}.{column}" in absent:
                continue  # the missing column is reported already
            if err["type"] == "missing":
                message = "missing value (required)"
            problems.append(TableProblem(rows[n].where, column, message))
        for n in failed:
            rows[n].bad = True
        # the valid rows are still built, so that the checks after this one can go on
        return [model.model_validate(r.fields) for r in rows if not r.bad]
    return [e for e, r in zip(entities, rows, strict=True) if not r.bad]


def _read_map(frame: pd.DataFrame | None, problems: list[Problem], extra: str) -> MapInfo | None:
    if frame is None:
        return MapInfo()
    rows = _read_rows(frame, "map", problems, extra, set())
    if len(rows) != 1:
        problems.append(
            TableProblem("map table", None, f"has {len(rows)} rows; it needs exactly one")
        )
        return None
    row = rows[0]
    scale = {p: row.fields.pop(f"scale_{p}") for p in _SCALE if f"scale_{p}" in row.fields}
    if "min" in scale and "max" in scale and "neutral" not in scale:
        scale["neutral"] = 0 if scale["min"] <= 0 <= scale["max"] else scale["min"]
    row.fields["scale"] = scale
    if row.fields.get("persona") == "":
        row.fields.pop("persona")
    try:
        return MapInfo.model_validate(row.fields)
    except PydanticError as exc:
        for err in exc.errors():
            column = _column_of("map", err["loc"])
            if err["loc"] == ("scale",):
                column = "scale_min"
            problems.append(TableProblem(row.where, column, err["msg"]))
        return None


def _check_scale(rows: list[_Row], scale: Scale, problems: list[Problem]) -> None:
    """Emotions off the map's scale, checked on every row (bad rows too)."""
    span = f"[{scale.min:g}, {scale.max:g}]"
    for row in rows:
        emotion = row.fields.get("emotion")
        if isinstance(emotion, float) and not scale.contains(emotion):
            problems.append(
                TableProblem(row.where, "emotion", f"{emotion:g} is outside the map's scale {span}")
            )
        measured = row.fields.get("measured")
        value = measured.get("emotion") if isinstance(measured, dict) else None
        if isinstance(value, float) and not scale.holds(value):
            problems.append(
                TableProblem(
                    row.where, "measured_emotion", f"{value:g} is outside the map's scale {span}"
                )
            )


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
    with _no_gc():
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

    groups: dict[str, list[_Row]] = {}
    for table in ("personas", "stages", "touchpoints", "lanes", "cards"):
        rows = _read_rows(frames[table], table, problems, extra, absent) if table in frames else []
        for row in rows:
            if table == "touchpoints":
                _nest(row, "measured", _MEASURED, problems)
        _place(rows, problems)
        groups[table] = rows
    _assign_ids(groups, problems)
    _resolve(groups["touchpoints"], "stage", groups["stages"], "stage", problems, absent)
    _resolve(groups["cards"], "touchpoint", groups["touchpoints"], "touchpoint", problems, absent)
    _resolve(groups["cards"], "lane", groups["lanes"], "lane", problems, absent)
    persona = info.persona if info is not None else None
    if info is not None and persona is not None:
        personas = {r.fields.get("id") for r in groups["personas"]}
        if persona not in personas:
            named = [r.fields["id"] for r in groups["personas"] if r.fields.get("name") == persona]
            if len(named) == 1:
                info = info.model_copy(update={"persona": named[0]})
            else:
                hint = _did_you_mean(persona, sorted(str(p) for p in personas if p))
                problems.append(
                    TableProblem(
                        "map row " + str(frames["map"].index[0]),
                        "persona",
                        f"{persona!r} is not a persona of this map{hint}",
                    )
                )
    built = {table: _validate(rows, table, problems, absent) for table, rows in groups.items()}
    if info is not None:
        _check_scale(groups["touchpoints"], info.scale, problems)
    if problems or info is None:
        raise TableError.from_problems("cannot build a map from these tables", problems)
    return _assemble(info, built, groups)


def _assemble(
    info: MapInfo, built: dict[str, list[Any]], groups: dict[str, list[_Row]]
) -> JourneyMap:
    """Insert the validated entities into a store, each scope in its rows' order.

    ``built[table]`` and ``groups[table]`` are aligned: there were no problems, so every row
    became an entity.
    """
    store = Store()
    store.info = info
    for table in ("personas", "stages", "touchpoints", "lanes", "cards"):
        kind = _KIND_OF_TABLE[table]
        rows, entities = groups[table], built[table]
        if table == "touchpoints":
            rank = {s: n for n, s in enumerate(store.stages)}
            keys: list[Any] = [
                (rank[e.stage], r.order) for e, r in zip(entities, rows, strict=True)
            ]
        elif table == "cards":
            keys = [r.order for r in rows]
        else:
            keys = [r.order[1:] for r in rows]
        placed = [entities[n] for n in sorted(range(len(entities)), key=keys.__getitem__)]
        if table == "cards":
            # the bulk of a big map: append to each cell directly, as Store.insert would
            cells = store.cells
            for card in placed:
                cells.setdefault((card.touchpoint, card.lane), []).append(card.id)
            store.entities.update({card.id: card for card in placed})
            store.kinds.update(dict.fromkeys([card.id for card in placed], kind))
            continue
        for entity in placed:
            store.insert(kind, entity, None)
    return JourneyMap._from_store(store)
