"""Tidy pandas tables of a journey map, and maps built back from tables and spreadsheets.

A map becomes one table per entity kind, each row one entity with its stable ``id``:

``map``
    One row: ``id``, ``title``, ``description``, ``scenario``, ``kind``, ``state``,
    ``language``, ``persona``, the scale as ``scale_min``, ``scale_max``, ``scale_neutral``,
    ``scale_step``, ``scale_labels``, and ``labels``, ``metadata``.
``personas``, ``stages``, ``lanes``
    ``id``, ``order`` (0-based position), then the entity's fields.
``touchpoints``
    ``id``, ``stage``, ``position`` (0-based, within the stage), ``order`` (0-based journey
    order), the fields, and the survey measurement flattened into ``measured_emotion``,
    ``measured_low``, ``measured_high``, ``measured_n``, ``measured_metric``,
    ``measured_source`` (all missing when nothing was measured).
``cards``
    ``id``, ``touchpoint``, ``lane``, ``position`` (0-based, within the cell), ``order``
    (0-based map order), then ``text``, ``tags``, ``source``, ``owner``, ``impact``, ``effort``,
    ``labels``.

A long ``cells`` view (one row per touchpoint x lane x card, empty cells included once with
the card columns missing) is there for analysis; it is derived and cannot be read back.

Lists and dicts (``tags``, ``goals``, ``labels``, ``metrics``, ``metadata``...) are Python
lists and dicts in the DataFrames, and JSON text in CSV and Excel files.  When reading, a list
column also accepts JSON text (``'["a", "b"]'``) or plain text separated by semicolons
(``"billing; urgent"``); a dict column accepts JSON text.  Missing values (``None``, NaN, and
in non-text columns an empty string) mean "the field's default".

:func:`from_dataframes` checks everything before it builds anything: every problem (missing or
misnamed columns, duplicate ids, references to unknown stages, touchpoints or lanes, emotions
off the scale, missing required values, values of the wrong type) is collected into one
:class:`~journeywidgets.errors.TableError` naming the table, row and column.  Rows are named
by the DataFrame's index labels; tables read from files are numbered like the spreadsheet
(the header is row 1, the first data row is row 2).

Examples
--------
>>> import journeywidgets as jw
>>> m = jw.JourneyMap("Demo")
>>> _ = m.add_stage("Buy"); _ = m.add_lane("Actions", kind="actions")
>>> _ = m.add_touchpoint("Website", stage="buy", emotion=1)
>>> _ = m.add_card("Compares tariffs", touchpoint="website", lane="actions", tags=("web",))
>>> tables = to_dataframes(m)
>>> tables["cards"][["id", "touchpoint", "lane", "text", "tags"]]
       id touchpoint     lane              text   tags
0  card_1    website  actions  Compares tariffs  [web]
>>> from_dataframes(tables) == m
True
"""

from __future__ import annotations

import difflib
import gc
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticError

from .entities import LANE_KINDS, Card, Lane, MapInfo, Persona, Scale, Stage, Touchpoint, as_scale
from .errors import Problem, TableError
from .ids import new_id, slugify
from .journey import JourneyMap
from .store import Store

__all__ = [
    "TABLES",
    "from_dataframes",
    "from_flat",
    "read_csv",
    "read_excel",
    "read_flat",
    "to_dataframe",
    "to_dataframes",
    "to_flat",
    "write_csv",
    "write_excel",
]

#: The tables :func:`to_dataframes` returns, in the order they are written to files.
TABLES: tuple[str, ...] = ("map", "personas", "stages", "touchpoints", "lanes", "cards")

Kind = Literal["text", "ref", "number", "integer", "bool", "list", "dict"]

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
_PLACING = {"order", "position"}
_MEASURED = ("emotion", "low", "high", "n", "metric", "source")
_SCALE = ("min", "max", "neutral", "step", "labels")


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while tens of thousands of rows become objects.

    Each batch of new dicts and entities would otherwise trigger collections that walk every
    object alive (a big map holds hundreds of thousands); nothing built here is cyclic.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# =============================================================================== problems
@dataclass(frozen=True)
class TableProblem(Problem):
    """A problem in a table: ``where`` names the table and row, ``field`` the column."""

    def __str__(self) -> str:
        column = f", column {self.field!r}" if self.field else ""
        return f"{self.where}{column}: {self.message}"


def _did_you_mean(name: str, candidates: Sequence[str]) -> str:
    """`` (did you mean 'stage'?)`` when a candidate is close to ``name``."""
    lowered = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[match[0]]!r}?)" if match else ""


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


# ============================================================================ reading cells
class _Missing:
    """A cell that holds nothing: the field keeps its default."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_text(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"expected text, got {value!r}")
    if isinstance(value, int | float | np.integer | np.floating):
        # spreadsheets store "2024" or "1.5" typed into a text column as numbers
        return _number_text(value.item() if isinstance(value, np.generic) else value)
    raise ValueError(f"expected text, got {type(value).__name__} {value!r}")


def _read_number(value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", ".") if value.count(",") == 1 else value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
    else:
        raise ValueError(f"{value!r} is not a number")
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _read_integer(value: Any) -> Any:
    number = _read_number(value)
    if not float(number).is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


_TRUE = {"true", "yes", "y", "1", "x", "t", "tak", "igen"}
_FALSE = {"false", "no", "n", "0", "f", "nie", "nem"}


def _read_bool(value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueError(f"{value!r} is not true or false")


def _read_list(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{value!r} is not a JSON list: {exc.msg}") from None
            if not isinstance(value, list):
                raise ValueError(f"{text!r} is not a JSON list")
        else:
            return tuple(part.strip() for part in text.split(";") if part.strip())
    if isinstance(value, list | tuple | np.ndarray):
        items = []
        for item in value:
            if not isinstance(item, str):
                raise ValueError(f"list items must be text, not {item!r}")
            items.append(item)
        return tuple(items)
    raise ValueError(f"expected a list, got {type(value).__name__} {value!r}")


def _read_dict(value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{value!r} is not a JSON object: {exc.msg}") from None
    if isinstance(value, Mapping):
        return dict(value)
    raise ValueError(f"expected a JSON object, got {type(value).__name__} {value!r}")


_READERS: dict[str, Callable[[Any], Any]] = {
    "text": _read_text,
    "ref": _read_text,
    "number": _read_number,
    "integer": _read_integer,
    "bool": _read_bool,
    "list": _read_list,
    "dict": _read_dict,
}


def _read_numeric(
    series: pd.Series[Any], kind: Kind, table: str, column: str, problems: list[Problem]
) -> list[Any]:
    """A numeric column read at numpy speed (20,000 cards have 60,000 such cells)."""
    numbers = series.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(numbers)
    bad = ~missing & ~np.isfinite(numbers)
    if kind == "integer":
        bad |= ~missing & ~bad & (numbers != np.round(numbers))
    if kind == "bool":
        bad |= ~missing & (numbers != 0) & (numbers != 1)
    for n in np.flatnonzero(bad):
        value = series.iloc[n]
        why = {"integer": "is not a whole number", "bool": "is not true or false"}
        message = why.get(kind, "") if np.isfinite(numbers[n]) else "is not a finite number"
        label = series.index[int(n)]
        problems.append(TableProblem(f"{table} row {label}", column, f"{value!r} {message}"))
    skip = (missing | bad).tolist()
    if kind == "integer":
        values: list[Any] = np.where(skip, 0, numbers).astype(np.int64).tolist()
    elif kind == "bool":
        values = (numbers == 1).tolist()
    else:
        values = numbers.tolist()
    return [MISSING if s else v for v, s in zip(values, skip, strict=True)]


def _read_column(
    series: pd.Series[Any], kind: Kind, table: str, column: str, problems: list[Problem]
) -> list[Any]:
    """The cells of one column as Python values, :data:`MISSING` for empty ones."""
    dtype = series.dtype
    if kind in ("number", "integer", "bool") and dtype.kind in "iufb":
        return _read_numeric(series, kind, table, column, problems)
    values = series.tolist()
    missing = pd.isna(series).tolist()
    if kind == "text" and isinstance(dtype, pd.StringDtype):  # every present cell is text
        return [MISSING if m else v for v, m in zip(values, missing, strict=True)]
    if kind == "ref" and isinstance(dtype, pd.StringDtype):  # an empty id is no id
        return [MISSING if m or not v else v for v, m in zip(values, missing, strict=True)]
    read = _READERS[kind]
    labels = series.index
    out: list[Any] = []
    # the common cases, fast: text, and lists or dicts that pydantic checks item by item
    plain = {"text": str, "ref": str, "list": list, "dict": dict}.get(kind)
    for n, (value, empty) in enumerate(zip(values, missing, strict=True)):
        if empty is True or (kind != "text" and isinstance(value, str) and not value.strip()):
            out.append(MISSING)
            continue
        if type(value) is plain:
            out.append(value)
            continue
        try:
            out.append(read(value))
        except ValueError as exc:
            problems.append(TableProblem(f"{table} row {labels[n]}", column, str(exc)))
            out.append(MISSING)
    return out


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


_ID_TYPE = TypeAdapter(str)


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


# ============================================================================ flat tables
#: The fields of a flat (spreadsheet) table.  Touchpoint-level ones may repeat on every
#: row of the touchpoint, but must agree.
FLAT_FIELDS: dict[str, Kind] = {
    "stage": "text",
    "stage_id": "text",
    "touchpoint": "text",
    "touchpoint_id": "text",
    "emotion": "number",
    "channel": "text",
    "owner": "text",
    "description": "text",
    "moment_of_truth": "bool",
    "lane": "text",
    "lane_id": "text",
    "lane_kind": "text",
    "card_id": "text",
    "text": "text",
    "tags": "list",
    "source": "text",
    "impact": "integer",
    "effort": "integer",
    "card_owner": "text",
}
_TOUCHPOINT_FLAT = ("emotion", "channel", "owner", "description", "moment_of_truth")
_CARD_FLAT = {
    "tags": "tags",
    "source": "source",
    "impact": "impact",
    "effort": "effort",
    "card_owner": "owner",
}

# Words a spreadsheet uses for a lane, mapped to the lane kind.
_LANE_WORDS = {
    "action": "actions", "actions": "actions", "does": "actions", "doing": "actions",
    "thought": "thoughts", "thoughts": "thoughts", "thinks": "thoughts",
    "emotion": "emotions", "emotions": "emotions", "feels": "emotions", "feelings": "emotions",
    "expectation": "expectations", "expectations": "expectations", "expects": "expectations",
    "pain_point": "pain_points", "pain_points": "pain_points", "pains": "pain_points",
    "opportunity": "opportunities", "opportunities": "opportunities",
    "channel": "channels", "channels": "channels",
    "frontstage": "frontstage", "backstage": "backstage", "support": "support",
}  # fmt: skip


def _lane_kind(name: str) -> str:
    return _LANE_WORDS.get(slugify(name), "custom")


def from_flat(
    table: Any,
    columns: Mapping[str, str] | None = None,
    *,
    fill_down: bool = False,
    lanes: Mapping[str, str] | None = None,
    extra: Literal["error", "ignore"] = "error",
    scale: Any = None,
    **map_fields: Any,
) -> JourneyMap:
    """Build a map from one spreadsheet-like table, one sticky note per row.

    Parameters
    ----------
    table:
        A DataFrame (or a polars / pyarrow table).  Each row names a ``stage`` and a
        ``touchpoint``; a row with ``text`` is a card in its ``lane``.  A row without text
        only declares the touchpoint (and its ``emotion``, ``channel``...).
    columns:
        Which column holds which field, ``{"stage": "Etap", "text": "Notatka", ...}``.  A
        field not mapped is read from a column of its own name (any case).  The fields are
        ``stage``, ``touchpoint``, ``lane``, ``text`` and optionally ``emotion``,
        ``channel``, ``owner``, ``description``, ``moment_of_truth`` (per touchpoint),
        ``tags``, ``source``, ``impact``, ``effort``, ``card_owner`` (per card), and ids:
        ``stage_id``, ``touchpoint_id``, ``lane_id``, ``card_id``, ``lane_kind``.
    fill_down:
        Spreadsheets often leave a repeated stage or touchpoint blank under its first row
        (merged cells); ``True`` fills blank ``stage`` and ``touchpoint`` cells from above.
    lanes:
        Lane name -> lane kind, for names the kind is not guessed from (English words
        such as "Actions", "Feels", "Pain points" are recognised; others are ``custom``).
    extra:
        ``"error"`` (default) reports columns that are neither mapped nor known, which
        catches misspelt ones; ``"ignore"`` skips them.
    scale, **map_fields:
        The map's scale and fields (``title``, ``description``, ``kind``...).

    Stages, touchpoints and lanes appear in order of first appearance.  Ids are made from
    names (``"I use and pay"`` -> ``i_use_and_pay``) unless id columns give them, so the same
    table always gives the same ids.  Every problem is reported at once in one
    :class:`~journeywidgets.errors.TableError` naming row and column; no map is built.

    Examples
    --------
    >>> import pandas as pd
    >>> sheet = pd.DataFrame({
    ...     "Etap": ["Buy", "Buy", "Use"],
    ...     "Punkt": ["Shop", "Shop", "Invoice"],
    ...     "Kategoria": ["Actions", "Feels", None],
    ...     "Notatka": ["Compares prices", "Curious", None],
    ...     "Emocja": [1, 1, -2],
    ... })
    >>> m = from_flat(sheet, {"stage": "Etap", "touchpoint": "Punkt", "lane": "Kategoria",
    ...                       "text": "Notatka", "emotion": "Emocja"}, title="Buying")
    >>> [(t.id, t.emotion) for t in m.touchpoints], [(l.id, l.kind) for l in m.lanes]
    ([('shop', 1.0), ('invoice', -2.0)], [('actions', 'actions'), ('emotions', 'emotions')])
    """
    frame = _as_pandas(table, "flat")
    problems: list[Problem] = []
    where = "flat table"
    mapping = dict(columns or {})
    present = [str(c) for c in frame.columns]
    for field, column in mapping.items():
        if field not in FLAT_FIELDS:
            problems.append(
                TableProblem(
                    "columns=",
                    str(field),
                    f"{field!r} is not a field of a flat table"
                    f"{_did_you_mean(str(field), list(FLAT_FIELDS))} "
                    f"(the fields are {', '.join(FLAT_FIELDS)})",
                )
            )
        elif column not in present:
            problems.append(
                TableProblem(
                    where,
                    str(column),
                    f"missing column for {field!r}{_did_you_mean(str(column), present)}",
                )
            )
    lowered = {c.lower().strip(): c for c in present}
    for field in FLAT_FIELDS:
        if field not in mapping and field in lowered:
            mapping[field] = lowered[field]
        elif field not in mapping and field.replace("_", " ") in lowered:
            mapping[field] = lowered[field.replace("_", " ")]
    used = set(mapping.values())
    for field in ("stage", "touchpoint"):
        if field not in mapping:
            unused = [c for c in present if c not in used]
            problems.append(
                TableProblem(
                    where,
                    field,
                    f"missing required column{_did_you_mean(field, unused)}; "
                    f"name it in columns={{{field!r}: ...}}",
                )
            )
    if "text" in mapping and "lane" not in mapping and "lane_id" not in mapping:
        problems.append(
            TableProblem(where, "lane", "missing column: cards (text) need a lane column")
        )
    if extra == "error":
        for column in present:
            if column not in used:
                free = [f for f in FLAT_FIELDS if mapping.get(f) not in present]
                hint = _did_you_mean(column, free)
                problems.append(
                    TableProblem(
                        where,
                        column,
                        f"column is not used{hint}; map it with columns= or pass extra='ignore'",
                    )
                )
    mapping = {f: c for f, c in mapping.items() if f in FLAT_FIELDS and c in present}
    if "stage" not in mapping or "touchpoint" not in mapping:
        # without them no row can be placed: the column problems are the whole story
        raise TableError.from_problems("cannot build a map from this table", problems)
    cells = {
        field: _read_column(frame[column], FLAT_FIELDS[field], where, column, problems)
        for field, column in mapping.items()
    }
    labels = frame.index.tolist()
    if fill_down:
        for field in ("stage", "touchpoint", "stage_id", "touchpoint_id"):
            last = MISSING
            for n, value in enumerate(cells.get(field, [])):
                if value is MISSING or value == "":
                    cells[field][n] = last
                else:
                    last = value
    try:
        built_scale = as_scale(scale)
    except (TypeError, ValueError) as exc:
        raise TableError(f"flat table: scale: {exc}", field="scale") from None
    parsed = _parse_flat(labels, cells, mapping, problems, fill_down, dict(lanes or {}))
    try:
        info = MapInfo.model_validate({**map_fields, "scale": built_scale})
    except PydanticError as exc:
        for err in exc.errors():
            problems.append(TableProblem("map", _column_of("map", err["loc"]), err["msg"]))
        info = MapInfo(scale=built_scale)
    # Rows with a problem were left out above; the rest still go through every check of
    # the tidy tables, so that one error lists everything.
    tables = _flat_tables(*parsed)
    map_table = _map_table(JourneyMap._from_store(_info_store(info)))
    try:
        m = from_dataframes({"map": map_table, **tables})
    except TableError as exc:
        # the tidy tables' rows carry the flat table's row labels; name the user's columns
        for p in exc.problems:
            tidy, _, label = p.where.partition(" row ")
            flat_field = _FLAT_OF.get(tidy, {}).get(p.field or "", p.field)
            user_column = mapping.get(flat_field, flat_field) if flat_field else None
            place = f"flat table row {label}" if label else "flat table"
            message = p.message
            for name in _FLAT_OF:
                message = message.replace(f"of {name} row ", "of flat table row ")
            problems.append(TableProblem(place, user_column, message))
    if problems:
        raise TableError.from_problems("cannot build a map from this table", problems)
    return m


# tidy table -> its column -> the flat field it came from
_FLAT_OF = {
    "stages": {"name": "stage", "id": "stage_id"},
    "touchpoints": {"name": "touchpoint", "id": "touchpoint_id", "stage": "stage"},
    "lanes": {"name": "lane", "id": "lane_id", "kind": "lane_kind"},
    "cards": {"id": "card_id", "owner": "card_owner"},
}


def _info_store(info: MapInfo) -> Store:
    store = Store()
    store.info = info
    return store


_Flat = tuple[
    dict[Any, dict[str, Any]],
    dict[tuple[Any, Any], dict[str, Any]],
    dict[Any, dict[str, Any]],
    list[dict[str, Any]],
]


def _parse_flat(
    labels: list[Any],
    cells: dict[str, list[Any]],
    mapping: dict[str, str],
    problems: list[Problem],
    fill_down: bool,
    lane_kinds: dict[str, str],
) -> _Flat:
    """Stages, touchpoints, lanes and cards of a flat table, in order of first appearance.

    Each entity remembers the label of the row it first appeared in (``_row``).
    """

    def cell(field: str, n: int) -> Any:
        values = cells.get(field)
        value = MISSING if values is None else values[n]
        return MISSING if isinstance(value, str) and value == "" and field != "text" else value

    def where(n: int) -> str:
        return f"flat table row {labels[n]}"

    hint = "" if fill_down else " (pass fill_down=True if blank cells repeat the row above)"
    stages: dict[Any, dict[str, Any]] = {}
    touchpoints: dict[tuple[Any, Any], dict[str, Any]] = {}
    first_row: dict[tuple[Any, Any], dict[str, Any]] = {}
    lanes: dict[Any, dict[str, Any]] = {}
    cards: list[dict[str, Any]] = []
    for n in range(len(labels)):
        stage, stage_id = cell("stage", n), cell("stage_id", n)
        stage_key = stage if stage_id is MISSING else stage_id
        if stage_key is MISSING:
            problems.append(TableProblem(where(n), mapping.get("stage"), f"missing value{hint}"))
            continue
        if stage_key not in stages:
            stages[stage_key] = {"name": stage_key if stage is MISSING else stage, "_row": n}
            if stage_id is not MISSING:
                stages[stage_key]["id"] = stage_id
        tp, tp_id = cell("touchpoint", n), cell("touchpoint_id", n)
        tp_key = (stage_key, tp if tp_id is MISSING else tp_id)
        if tp_key[1] is MISSING:
            problems.append(
                TableProblem(where(n), mapping.get("touchpoint"), f"missing value{hint}")
            )
            continue
        if tp_key not in touchpoints:
            touchpoints[tp_key] = {
                "name": tp_key[1] if tp is MISSING else tp,
                "_stage": stage_key,
                "_row": n,
            }
            first_row[tp_key] = {}
            if tp_id is not MISSING:
                touchpoints[tp_key]["id"] = tp_id
        fields, firsts = touchpoints[tp_key], first_row[tp_key]
        for field in _TOUCHPOINT_FLAT:
            value = cell(field, n)
            if value is MISSING:
                continue
            if field in fields and fields[field] != value:
                problems.append(
                    TableProblem(
                        where(n),
                        mapping[field],
                        f"{value!r} differs from {fields[field]!r} given for touchpoint "
                        f"{fields['name']!r} in row {labels[firsts[field]]}",
                    )
                )
                continue
            fields[field] = value
            firsts[field] = n
        text, card_id = cell("text", n), cell("card_id", n)
        card_values = {f: cell(f, n) for f in _CARD_FLAT if cell(f, n) is not MISSING}
        if card_id is MISSING and (text is MISSING or text == ""):
            if card_values:
                given = ", ".join(repr(mapping[f]) for f in card_values)
                problems.append(
                    TableProblem(
                        where(n),
                        mapping.get("text", "text"),
                        f"missing value: the row gives {given} for a card but no card text",
                    )
                )
            continue
        lane, lane_id = cell("lane", n), cell("lane_id", n)
        lane_key = lane if lane_id is MISSING else lane_id
        if lane_key is MISSING:
            problems.append(
                TableProblem(
                    where(n), mapping.get("lane", "lane"), "missing value: a card needs a lane"
                )
            )
            continue
        if lane_key not in lanes:
            name = lane_key if lane is MISSING else lane
            kind = cell("lane_kind", n)
            if kind is MISSING:
                kind = lane_kinds.get(name, _lane_kind(name))
            lanes[lane_key] = {"name": name, "kind": kind, "_row": n}
            if lane_id is not MISSING:
                lanes[lane_key]["id"] = lane_id
        card: dict[str, Any] = {"text": "" if text is MISSING else text, "_tp": tp_key}
        card.update(_lane=lane_key, _row=n)
        if card_id is not MISSING:
            card["id"] = card_id
        for field, value in card_values.items():
            card[_CARD_FLAT[field]] = value
        cards.append(card)
    # the rows' labels, not their positions, name them in errors
    for group in (stages.values(), touchpoints.values(), lanes.values(), cards):
        for item in group:
            item["_row"] = labels[item["_row"]]
    return stages, touchpoints, lanes, cards


def _flat_tables(
    stages: dict[Any, dict[str, Any]],
    touchpoints: dict[tuple[Any, Any], dict[str, Any]],
    lanes: dict[Any, dict[str, Any]],
    cards: list[dict[str, Any]],
) -> dict[str, pd.DataFrame]:
    """Tidy tables from a parsed flat table, every id settled (explicit ones first)."""
    taken = {
        item["id"]
        for group in (stages.values(), touchpoints.values(), lanes.values(), cards)
        for item in group
        if "id" in item
    }
    for kind, group in (("stage", stages.values()), ("touchpoint", touchpoints.values())):
        for item in group:
            if "id" not in item:
                item["id"] = new_id(kind, str(item["name"]), taken)
                taken.add(item["id"])
    for item in lanes.values():
        if "id" not in item:
            by_kind = item["kind"] != "custom" and item["kind"] not in taken
            item["id"] = item["kind"] if by_kind else new_id("lane", str(item["name"]), taken)
            taken.add(item["id"])
    counter = 1
    for item in cards:
        if "id" not in item:
            item["id"] = new_id("card", None, taken, start=counter)
            counter = int(item["id"].rsplit("_", 1)[1]) + 1
            taken.add(item["id"])

    def table(items: Sequence[dict[str, Any]], columns: list[str], refs: dict[str, Any]) -> Any:
        records = [
            {
                **{k: v for k, v in item.items() if not k.startswith("_")},
                **{ref: get(item) for ref, get in refs.items()},
            }
            for item in items
        ]
        frame = pd.DataFrame(records, columns=columns)
        frame.index = pd.Index([item["_row"] for item in items], dtype=object)
        return frame

    return {
        "stages": table(list(stages.values()), ["id", "name"], {}),
        "touchpoints": table(
            list(touchpoints.values()),
            ["id", "stage", "name", *_TOUCHPOINT_FLAT],
            {"stage": lambda t: stages[t["_stage"]]["id"]},
        ),
        "lanes": table(list(lanes.values()), ["id", "name", "kind"], {}),
        "cards": table(
            cards,
            ["id", "touchpoint", "lane", "text", *dict.fromkeys(_CARD_FLAT.values())],
            {
                "touchpoint": lambda c: touchpoints[c["_tp"]]["id"],
                "lane": lambda c: lanes[c["_lane"]]["id"],
            },
        ),
    }


def to_flat(m: JourneyMap) -> pd.DataFrame:
    """The map as one spreadsheet-like table: a row per card, and a row for each touchpoint
    that has none; :func:`from_flat` reads it back into the same stages, touchpoints, lanes
    and cards (with the same ids).

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Demo")
    >>> _ = m.add_stage("Buy"); _ = m.add_touchpoint("Shop", stage="buy", emotion=1)
    >>> to_flat(m)[["stage", "touchpoint", "emotion", "lane", "text"]]
      stage touchpoint  emotion  lane  text
    0   Buy       Shop      1.0  None  None
    """
    stages = {s.id: s for s in m.stages}
    lanes = {lane.id: lane for lane in m.lanes}
    rows: list[dict[str, Any]] = []
    for tp in m.touchpoints:
        base = {
            "stage_id": tp.stage,
            "stage": stages[tp.stage].name,
            "touchpoint_id": tp.id,
            "touchpoint": tp.name,
            "emotion": tp.emotion,
            "channel": tp.channel,
            "owner": tp.owner,
            "description": tp.description,
            "moment_of_truth": tp.moment_of_truth,
        }
        cards = m.cards_in(touchpoint=tp.id)
        for card in cards:
            lane = lanes[card.lane]
            rows.append(
                {
                    **base,
                    "lane_id": lane.id,
                    "lane": lane.name,
                    "lane_kind": lane.kind,
                    "card_id": card.id,
                    "text": card.text,
                    "tags": list(card.tags),
                    "source": card.source,
                    "impact": card.impact,
                    "effort": card.effort,
                    "card_owner": card.owner,
                }
            )
        if not cards:
            rows.append(base)
    data: dict[str, Any] = {}
    for field, kind in FLAT_FIELDS.items():
        values = [row.get(field) for row in rows]
        if field == "emotion":
            data[field] = np.array([np.nan if v is None else v for v in values], dtype=float)
        elif kind == "integer":
            data[field] = pd.array(values, dtype="Int64")
        elif kind == "bool":
            data[field] = pd.array(values, dtype="boolean")
        else:  # text and lists: object, with None where a touchpoint has no card
            data[field] = pd.Series(values, dtype=object)
    return pd.DataFrame(data)


# ============================================================================ files
def _cell_text(value: Any) -> Any:
    """Lists and dicts as JSON text, for CSV and Excel cells."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _for_file(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(_cell_text)
    return out


def write_csv(m: JourneyMap, folder: str | Path) -> dict[str, Path]:
    """Write the map's tables as CSV files (``map.csv``, ``stages.csv``...) into ``folder``.

    Lists and dicts are written as JSON text; files are UTF-8 with a byte-order mark so that
    spreadsheet programs read Polish and Hungarian letters correctly.  Returns the paths.

    Examples
    --------
    >>> import tempfile, journeywidgets as jw
    >>> m = jw.JourneyMap("Demo"); _ = m.add_stage("Buy")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = write_csv(m, folder)
    ...     read_csv(folder) == m
    True
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, frame in to_dataframes(m).items():
        path = folder / f"{name}.csv"
        # \r\n line ends make the csv writer quote any cell holding \r or \n
        _for_file(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        paths[name] = path
    return paths


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Label rows like the spreadsheet: the header is row 1, data starts at row 2."""
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def _read_csv_file(path: Path, **kwargs: Any) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise TableError(f"cannot read {path}: {exc}", field=str(path)) from None
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame()
    return _numbered(frame)


def read_csv(folder: str | Path, *, extra: Literal["error", "ignore"] = "error") -> JourneyMap:
    """Read a map from the CSV files :func:`write_csv` wrote (those present are read).

    Errors name the file's table and its spreadsheet row numbers.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise TableError(f"{folder} is not a folder of CSV tables", field=str(folder))
    tables = {}
    for name in TABLES:
        path = folder / f"{name}.csv"
        if path.exists():
            tables[name] = _read_csv_file(path)
    if not tables:
        raise TableError(
            f"{folder} holds none of {', '.join(f'{t}.csv' for t in TABLES)}", field=str(folder)
        )
    return from_dataframes(tables, extra=extra)


# Excel stores 15-16 significant digits; numbers near the float limit round up past it.
_EXCEL_LARGEST = 9.99e307


def write_excel(m: JourneyMap, path: str | Path) -> Path:
    """Write the map as an Excel workbook, one sheet per table (lists and dicts as JSON).

    Text is always stored as text, so a card reading ``=SUM(A1)`` stays that text instead of
    becoming a formula.  An Excel file keeps numbers to 16 significant digits (a float needs
    17 to come back bit for bit) and line breaks as ``"\\n"``; use :func:`write_csv` when
    every bit matters.

    Raises
    ------
    TableError
        When some text holds control characters that Excel files cannot store.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    path = Path(path)
    frames = {name: _for_file(frame) for name, frame in to_dataframes(m).items()}
    problems = []
    for name, frame in frames.items():
        for column in frame.columns:
            for label, value in frame[column].items():
                why = ""
                if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                    why = "holds control characters that an Excel file cannot store"
                elif isinstance(value, float) and abs(value) > _EXCEL_LARGEST:
                    why = f"{value!r} is beyond what an Excel file can store (about 1e307)"
                if why:
                    problems.append(TableProblem(f"{name} row {label}", str(column), why))
    if problems:
        raise TableError.from_problems(f"cannot write {path} as Excel", problems)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            for row in writer.sheets[name].iter_rows(min_row=2):
                for cell in row:
                    if cell.data_type == "f":  # openpyxl reads "=..." as a formula
                        cell.data_type = "s"
    return path


def _read_excel_sheets(path: Path, sheet_name: Any) -> Any:
    try:
        return pd.read_excel(
            path, sheet_name=sheet_name, dtype=object, keep_default_na=False, engine="openpyxl"
        )
    except (OSError, ValueError, KeyError) as exc:
        raise TableError(f"cannot read {path}: {exc}", field=str(path)) from None


def read_excel(path: str | Path, *, extra: Literal["error", "ignore"] = "error") -> JourneyMap:
    """Read a map from an Excel workbook with one sheet per table (as :func:`write_excel`
    writes it); sheets with other names are ignored.  Errors name the sheet and its rows.
    """
    path = Path(path)
    sheets = _read_excel_sheets(path, None)
    tables = {name: _numbered(frame) for name, frame in sheets.items() if name in TABLES}
    if not tables:
        raise TableError(
            f"{path} has none of the sheets {', '.join(TABLES)} (it has {', '.join(sheets)})",
            field=str(path),
        )
    return from_dataframes(tables, extra=extra)


def read_flat(
    path: str | Path,
    columns: Mapping[str, str] | None = None,
    *,
    sheet_name: str | int = 0,
    **options: Any,
) -> JourneyMap:
    """Read one spreadsheet-like table from a CSV or Excel file and build a map from it with
    :func:`from_flat` (same options).  Errors name the spreadsheet's row numbers.
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = _read_excel_sheets(path, sheet_name)
    else:
        frame = _read_csv_file(path, sep=None, engine="python")
    return from_flat(_numbered(frame), columns, **options)
