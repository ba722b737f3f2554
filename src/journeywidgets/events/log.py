"""An event log as a table: checked columns, parsed timestamps, activities placed on the map.

An event log is any table (pandas, polars, pyarrow, DuckDB, Spark, through narwhals) with one
row per event: the case (one customer's journey), the activity and when it happened.  The
column names default to the XES / process-mining convention (``case:concept:name``,
``concept:name``, ``time:timestamp``).

:func:`prepare` turns it into a narwhals frame with fixed internal column names that every
analysis reads:

``_case``, ``_act``, ``_ts``, ``_sec``
    Case, activity, timestamp (a datetime; text is parsed, time zones made UTC) and the
    same as seconds since 1970 (UTC), which every engine can subtract.
``_tie``
    What orders two events of one case at the same instant: the row's position in the table
    for eager tables (pandas, polars, pyarrow), so that ties keep file order as pm4py does;
    lazy tables (DuckDB, Spark, a polars LazyFrame) have no row order, so ties there are
    ordered by activity name.
``_step``, ``_on``, ``_order``
    The step the analysis follows: the activity, or with a map the touchpoint id it maps to
    (activities that match no touchpoint stay as themselves, ``_on`` false, "outside the
    map"); ``_order`` is the touchpoint's journey position (-1 off the map).

Nothing here pulls events into Python: only the distinct activities (a few dozen rows) are
read, to build the mapping.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import EventLogError, JourneyWarning, SurveyError, closest
from ..survey import _engine
from ..survey.summary import match_touchpoints

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

#: XES / pm4py column names, the defaults.
CASE = "case:concept:name"
ACTIVITY = "concept:name"
TIMESTAMP = "time:timestamp"
RESOURCE = "org:resource"
LIFECYCLE = "lifecycle:transition"
#: How steps outside the map are labelled in tables and charts.
OUTSIDE = "outside the map"

WHAT = "event log"


@dataclass
class Prepared:
    """A checked event log in internal columns, with what the analyses need to label it."""

    frame: Any  # narwhals DataFrame | LazyFrame
    columns: dict[str, str | None]
    m: JourneyMap | None = None
    #: step -> label shown in tables (touchpoint name, or the activity itself)
    labels: dict[str, str] = field(default_factory=dict)
    #: step -> journey position (on-map steps only)
    order: dict[str, int] = field(default_factory=dict)
    #: activity -> touchpoint id or None (outside the map), when a map was given
    matched: dict[str, str | None] = field(default_factory=dict)
    #: activity -> number of events
    activity_counts: dict[str, int] = field(default_factory=dict)
    #: pandas: the events sorted by case and time (see :func:`sorted_events`), kept for the
    #: next analysis of the same prepared log
    sorted: Any = field(default=None, repr=False)
    #: the frame before activities were placed on the map (no ``_step``/``_on``/``_order``):
    #: DuckDB's own SQL maps activities with a join of its own and reads this one
    raw: Any = None
    #: DuckDB: set by :func:`journeywidgets.events.prepare`; the first analysis then orders
    #: the events once, and finds the variants, into temporary tables that the later ones
    #: read (:class:`journeywidgets.events.sql.Steps`)
    share: bool = False
    steps: Any = field(default=None, repr=False)

    def __repr__(self) -> str:
        events = sum(self.activity_counts.values())
        text = f"<event log prepared: {events:,} events, {self.level} level"
        outside = sum(1 for tp in self.matched.values() if tp is None)
        if self.m is not None:
            text += f", {outside} activit{'y' if outside == 1 else 'ies'} outside the map"
        return text + ">"

    @property
    def level(self) -> str:
        return "touchpoint" if self.m is not None else "activity"

    def params(self) -> dict[str, Any]:
        """The parameters an analysis records in its result's ``attrs``."""
        return {"level": self.level, **{k: v for k, v in self.columns.items() if v is not None}}


def _error(message: str, column: str | None = None) -> EventLogError:
    return EventLogError(f"{WHAT}: {message}", field=column)


def _require(frame: Any, wanted: Mapping[str, str | None]) -> None:
    try:
        _engine.require(frame, wanted, WHAT)
    except SurveyError as exc:
        hint = (
            " (pass case=..., activity=..., timestamp=... to name your columns)"
            if any(c in (CASE, ACTIVITY, TIMESTAMP) for c in wanted.values())
            else ""
        )
        raise EventLogError(str(exc) + hint, field=exc.field) from None


def _check_nulls(frame: Any, columns: Mapping[str, str]) -> None:
    """One pass counting missing values; rows are looked up only when some are missing."""
    counts = _engine.to_pandas(
        frame.select(*(nw.col(c).is_null().cast(nw.Int64).sum().alias(c) for c in columns))
    ).iloc[0]
    for column, what in columns.items():
        if int(counts[column]):
            _no_nulls(frame, column, what)


def _no_nulls(frame: Any, column: str, what: str) -> None:
    count, found = _engine.examples(frame, nw.col(column).is_null(), column)
    if count:
        rows = [row for row, _ in found]
        where = (
            f"rows {', '.join(map(str, rows))}"
            + (f" and {count - len(rows)} more" if count > len(rows) else "")
            if rows and rows[0] is not None
            else "(row numbers are not available for lazy tables)"
        )
        raise _error(f"column {column!r} has {count} missing {what}: {where}", column)


def _timestamps(frame: Any, column: str) -> Any:
    """``column`` as datetimes: text parsed (ISO 8601 and the like), time zones made UTC."""
    dtype = frame.collect_schema()[column]
    if dtype == nw.Datetime or isinstance(dtype, nw.Datetime):
        return frame.with_columns(nw.col(column).alias("_ts"))
    if dtype == nw.Date:
        return frame.with_columns(nw.col(column).cast(nw.Datetime()).alias("_ts"))
    native = nw.to_native(frame)
    if isinstance(native, pd.DataFrame):
        return nw.from_native(native.assign(_ts=_pandas_timestamps(native[column], column)))
    if dtype != nw.String:
        raise _error(
            f"column {column!r} holds {dtype}, not timestamps; pass timestamp=... naming "
            "the column with each event's time",
            column,
        )
    try:
        parsed = frame.with_columns(nw.col(column).str.to_datetime().alias("_ts"))
        bad = ~nw.col(column).is_null() & nw.col("_ts").is_null()
        count, found = _engine.examples(parsed, bad, column)
    except Exception:
        # some engines (DuckDB) do not guess formats but cast ISO 8601 text
        try:
            parsed = frame.with_columns(nw.col(column).cast(nw.Datetime()).alias("_ts"))
            _engine.to_pandas(parsed.select(nw.col("_ts").max()))
            count, found = 0, []
        except Exception as exc:  # the engine's own parse error: say which column
            detail = " ".join(str(exc).split())[:300]
            raise _error(
                f"column {column!r} holds text that is not a timestamp ({detail}); parse it "
                "before the analysis, e.g. in pandas with pd.to_datetime(..., utc=True)",
                column,
            ) from None
    if count:
        raise _error(
            f"column {column!r} holds {count} value{'s' if count != 1 else ''} that "
            f"{'are' if count != 1 else 'is'} not a timestamp: "
            f"{_engine.describe_examples(count, found)}",
            column,
        )
    return parsed


def _pandas_timestamps(cells: pd.Series[Any], column: str) -> pd.Series[Any]:
    """Parse text or mixed datetimes: offsets are honoured and everything becomes UTC
    (naive times are taken as UTC), so that logs mixing time zones order correctly."""
    present = cells.notna()
    parsed = None
    for fmt in ("ISO8601", "mixed"):
        try:
            parsed = pd.to_datetime(cells, utc=True, format=fmt, errors="coerce")
        except (ValueError, TypeError):
            continue
        if not (parsed.isna() & present).any():
            break
    if parsed is None:
        parsed = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns, UTC]")
    bad = parsed.isna() & present
    if bad.any():
        labels = cells.index[bad.to_numpy()]
        found = [(label, cells[label]) for label in labels[: _engine.EXAMPLES]]
        count = int(bad.sum())
        raise _error(
            f"column {column!r} holds {count} value{'s' if count != 1 else ''} that "
            f"{'are' if count != 1 else 'is'} not a timestamp: "
            f"{_engine.describe_examples(count, found)}",
            column,
        )
    return parsed


def _activity_counts(frame: Any) -> dict[str, int]:
    counts = _engine.to_pandas(frame.group_by("_act").agg(nw.len().alias("n")))
    return {str(a): int(n) for a, n in zip(counts["_act"], counts["n"], strict=True)}


def prepare(
    log: Any,
    m: JourneyMap | None = None,
    *,
    mapping: Mapping[str, str] | str | None = None,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    lifecycle: str | None = None,
    keep: Mapping[str, str | None] | None = None,
    unmatched: str = "warn",
    stacklevel: int = 3,
) -> Prepared:
    """Check ``log`` and bring it into the internal columns (see the module docstring).

    ``keep`` names extra columns to carry as ``_<key>`` (e.g. ``{"segment": "segment"}``);
    ``lifecycle`` names a lifecycle column: only ``complete`` events are kept then.
    """
    if unmatched not in ("warn", "error", "ignore"):
        raise EventLogError(
            f"unmatched must be 'warn', 'error' or 'ignore', not {unmatched!r}", field="unmatched"
        )
    try:
        frame = _engine.as_frame(log, WHAT)
    except SurveyError as exc:
        raise EventLogError(str(exc), field="log") from None
    if frame.implementation.is_pyarrow():
        # narwhals' pyarrow backend has no ordered window functions; the table is in
        # memory already, and pandas reads it without copying most columns
        frame = nw.from_native(frame.to_pandas())
    extra = {k: v for k, v in (keep or {}).items() if v is not None}
    mapping_column = mapping if isinstance(mapping, str) else None
    wanted: dict[str, str | None] = {
        "case": case,
        "activity": activity,
        "timestamp": timestamp,
        "lifecycle": lifecycle,
        "mapping": mapping_column,
        **extra,
    }
    _require(frame, wanted)
    if lifecycle is not None:
        frame = frame.filter(nw.col(lifecycle).cast(nw.String).str.to_lowercase() == "complete")
    _check_nulls(frame, {case: "case ids", activity: "activities", timestamp: "timestamps"})
    frame = _timestamps(frame, timestamp)
    if _engine.is_lazy(frame):
        frame = frame.with_columns(_tie=nw.col(activity).cast(nw.String))
    else:
        frame = frame.with_row_index("_tie")
    frame = frame.with_columns(_case=nw.col(case), _act=nw.col(activity).cast(nw.String))
    carried = [nw.col(c).alias(f"_{k}") for k, c in extra.items()]
    if mapping_column:
        carried.append(nw.col(mapping_column).cast(nw.String).alias("_maps_to"))
    # times as seconds since the epoch (to the millisecond): every engine subtracts numbers,
    # not every one subtracts datetimes (Spark through narwhals)
    frame = frame.select("_case", "_act", "_ts", "_tie", *carried)
    if frame.implementation.is_spark_like():
        # Spark casts a timestamp to seconds since the epoch (narwhals has no dt.timestamp)
        frame = frame.with_columns(_sec=nw.col("_ts").cast(nw.Float64))
    elif frame.implementation.is_duckdb():
        # no dt.timestamp either: seconds since the log's first event serve as well (the
        # first event is read once: a window over the whole table would be sorted each time)
        first = _engine.to_pandas(frame.select(nw.col("_ts").min().alias("first")))["first"]
        since = nw.col("_ts") - nw.lit(first.iloc[0].to_pydatetime())
        frame = frame.with_columns(_sec=since.dt.total_milliseconds().cast(nw.Float64) / 1e3)
    else:
        frame = frame.with_columns(_sec=nw.col("_ts").dt.timestamp("ms").cast(nw.Float64) / 1e3)
    native = nw.to_native(frame)
    if isinstance(native, pd.DataFrame):
        # the activities as a Categorical: counted by bincount, and every later factorize
        # of them (steps, the mapping) reads codes instead of hashing a string per event
        act_codes, acts = pd.factorize(native["_act"])
        events_per = np.bincount(act_codes, minlength=len(acts))
        counts = {str(a): int(n) for a, n in zip(acts, events_per, strict=True)}
        categories = pd.Index([str(a) for a in acts])
        frame = nw.from_native(
            native.assign(_act=pd.Categorical.from_codes(act_codes, categories=categories))
        )
    else:
        counts = _activity_counts(frame)
    if not counts:
        raise _error("it has no events" + (" with lifecycle 'complete'" if lifecycle else ""))
    columns = {
        "case": case,
        "activity": activity,
        "timestamp": timestamp,
        "lifecycle": lifecycle,
        **extra,
    }
    prepared = Prepared(frame, columns, m=m, activity_counts=counts, raw=frame)
    if m is None:
        if mapping is not None:
            raise EventLogError(
                "mapping=... places activities on a map: pass the map too", field="mapping"
            )
        prepared.frame = frame.with_columns(
            _step=nw.col("_act"), _on=nw.lit(value=True), _order=nw.lit(0)
        )
        prepared.labels = {a: a for a in counts}
        return prepared
    _place(prepared, m, mapping, unmatched, stacklevel + 1)
    return prepared


def _place(
    prepared: Prepared,
    m: JourneyMap,
    mapping: Mapping[str, str] | str | None,
    unmatched: str,
    stacklevel: int,
) -> None:
    """Add ``_step``, ``_on`` and ``_order``: each activity's touchpoint on ``m``."""
    frame = prepared.frame
    counts = prepared.activity_counts
    order = {tp.id: i for i, tp in enumerate(m.touchpoints)}
    names = {tp.id: tp.name for tp in m.touchpoints}
    prepared.order = order
    prepared.labels = dict(names)
    if isinstance(mapping, str):
        pairs = _engine.to_pandas(frame.group_by("_act", "_maps_to").agg(nw.len().alias("n")))
        names_given = list(pairs["_maps_to"].dropna().unique().tolist())
        found = match_touchpoints(names_given, m)
        ids = {t: tp for t, tp in found.items() if tp is not None}
        missing: dict[str, int] = {}
        for act, target, n in zip(pairs["_act"], pairs["_maps_to"], pairs["n"], strict=True):
            if pd.isna(target) or target not in ids:
                missing[str(act) if pd.isna(target) else f"{act} -> {target}"] = int(n)
        prepared.matched = {str(t): ids.get(t) for t in names_given}
        tp_of = (
            nw.col("_maps_to")
            .fill_null("")
            .replace_strict(
                {**{t: ids.get(t, "") for t in names_given}, "": ""},
                default="",
                return_dtype=nw.String,
            )
        )
        frame = frame.with_columns(_tp=tp_of)
    else:
        given = dict(mapping or {})
        unknown_keys = sorted(set(given) - set(counts))
        if unknown_keys:
            hint = closest(unknown_keys[0], list(counts))
            warnings.warn(
                f"mapping: {len(unknown_keys)} activit{'ies' if len(unknown_keys) != 1 else 'y'}"
                f" in the mapping {'do' if len(unknown_keys) != 1 else 'does'} not occur in the "
                f"log: {_engine.quoted(unknown_keys[:10])}"
                + (f" (did you mean {hint!r}?)" if hint else ""),
                JourneyWarning,
                stacklevel=stacklevel,
            )
        targets = {a: given.get(a, a) for a in counts}
        found = match_touchpoints(sorted(set(targets.values())), m)
        bad_targets = sorted(
            {str(given[a]) for a in given if a in counts and found[given[a]] is None}
        )
        if bad_targets:
            hint = closest(bad_targets[0], list(names.values()))
            raise EventLogError(
                f"mapping: {_engine.quoted(bad_targets)} "
                f"{'are' if len(bad_targets) != 1 else 'is'} not a touchpoint of map "
                f"{m.title or m.id!r} (by id, name or label)"
                + (f"; did you mean {hint!r}?" if hint else ""),
                field="mapping",
            )
        prepared.matched = {a: found[t] for a, t in targets.items()}
        missing = {a: n for a, n in counts.items() if prepared.matched[a] is None}
    if missing:
        _report(missing, m, unmatched, stacklevel + 1)
    for act in counts:
        if act not in order:
            prepared.labels.setdefault(act, act)
    native = nw.to_native(frame)
    if not isinstance(mapping, str) and isinstance(native, pd.DataFrame):
        prepared.frame = _place_pandas(native, prepared.matched, order)
        return
    if not isinstance(mapping, str):
        frame = _lookup(
            frame, "_act", "_tp", {a: tp or "" for a, tp in prepared.matched.items()}, ""
        )
    on = nw.col("_tp") != ""
    frame = frame.with_columns(
        _step=nw.when(on).then(nw.col("_tp")).otherwise(nw.col("_act")),
        _on=on,
    )
    frame = _lookup(frame, "_tp", "_order", {**order, "": -1}, -1)
    prepared.frame = frame.drop("_tp")


def _place_pandas(df: pd.DataFrame, matched: Mapping[str, str | None], order: Any) -> Any:
    """``_step``, ``_on`` and ``_order`` of a pandas table from its activities' codes: the
    steps as a Categorical (a code per event, the names once), not a string per event, which
    pandas would build and convert row by row."""
    codes, uniques = pd.factorize(df["_act"])
    acts = [str(a) for a in uniques]
    steps = [matched.get(a) or a for a in acts]
    categories = list(dict.fromkeys(steps))
    position = {s: i for i, s in enumerate(categories)}
    step_codes = np.asarray([position[s] for s in steps], dtype=np.int64)[codes]
    on = np.asarray([bool(matched.get(a)) for a in acts], dtype=bool)[codes]
    places = np.asarray([order.get(matched.get(a) or "", -1) for a in acts], dtype=np.int64)
    return nw.from_native(
        df.assign(
            _step=pd.Categorical.from_codes(step_codes, categories=pd.Index(categories)),
            _on=on,
            _order=places[codes],
        )
    )


def _lookup(frame: Any, source: str, name: str, table: dict[str, Any], default: Any) -> Any:
    """Add column ``name``: ``table``'s value for each ``source`` value (``default`` when
    absent).  pandas looks up each distinct value once (narwhals' ``replace_strict`` on
    pandas maps every row through Python-level machinery: most of the preparation time)."""
    native = nw.to_native(frame)
    if isinstance(native, pd.DataFrame):
        codes, uniques = pd.factorize(native[source])
        kind = object if isinstance(default, str) else np.int64
        # a code of -1 (a missing value) picks the default at the end
        values = np.asarray([table.get(u, default) for u in uniques] + [default], dtype=kind)
        return nw.from_native(native.assign(**{name: values[codes]}))
    dtype = nw.String if isinstance(default, str) else nw.Int64
    return frame.with_columns(
        nw.col(source).replace_strict(table, default=default, return_dtype=dtype).alias(name)
    )


def _report(missing: Mapping[str, int], m: JourneyMap, unmatched: str, stacklevel: int) -> None:
    if unmatched == "ignore":
        return
    parts = ", ".join(
        f"{name!r} ({n} event{'s' if n != 1 else ''})"
        for name, n in sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    )
    more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
    message = (
        f"{len(missing)} activit{'ies' if len(missing) != 1 else 'y'} "
        f"match{'' if len(missing) != 1 else 'es'} no touchpoint of "
        f"map {m.title or m.id!r}: {parts}{more}"
    )
    if unmatched == "error":
        raise EventLogError(
            message + "; map them with mapping={activity: touchpoint}", field="mapping"
        )
    warnings.warn(
        message + f"; they are kept as steps {OUTSIDE!r}", JourneyWarning, stacklevel=stacklevel
    )


#: What orders a case's events: time, then the tie-breaker (file order or activity).
ORDER = ["_sec", "_tie"]
#: column -> name of its value at the case's next event
NEXT = {"_step": "_next", "_sec": "_next_sec", "_order": "_next_order"}


def ordered(
    prepared: Prepared,
    frame: Any = None,
    *,
    shift: tuple[str, ...] = ("_step", "_sec"),
    first_here: bool = False,
) -> Any:
    """The events with their place in the case: ``_k`` (1-based), ``_n`` (case length),
    the next event's values (``_next``, ``_next_sec``, ``_next_order``; null for the last)
    and with ``first_here`` ``_first_here`` (1 for a case's first event at its step).

    pandas tables are sorted once with numpy (narwhals' window functions on pandas sort per
    expression); other engines compute window functions themselves.
    """
    frame = prepared.frame if frame is None else frame
    native = nw.to_native(frame)
    if isinstance(native, pd.DataFrame):
        return nw.from_native(_ordered_pandas(native, shift, first_here))
    windows = {
        # counted on a column outside ORDER: narwhals 2.29 on pandas miscounts cum_count
        # of an order_by column itself
        "_k": nw.col("_act").cum_count().over("_case", order_by=ORDER),
        "_n": nw.len().over("_case"),
        **{NEXT[c]: nw.col(c).shift(-1).over("_case", order_by=ORDER) for c in shift},
    }
    if first_here:
        windows["_first_here"] = (
            nw.col("_act").cum_count().over("_case", "_step", order_by=ORDER) == 1
        ).cast(nw.Int64)
    return frame.with_columns(**windows)


@dataclass
class Sorted:
    """A pandas log's events sorted by case, time and tie-breaker, as numpy arrays."""

    #: row of the table at each sorted position
    order: Any
    #: case code, step code and seconds at each sorted position
    cases: Any
    steps: Any
    seconds: Any
    #: case id of each case code, step of each step code
    case_ids: Any
    step_names: Any


def sorted_events(prepared: Prepared) -> Sorted:
    """The prepared pandas log sorted once: the analyses of one prepared log share it."""
    if prepared.sorted is None:
        df = nw.to_native(prepared.frame)
        case_codes, case_ids = pd.factorize(df["_case"])
        step_codes, step_names = pd.factorize(df["_step"])
        order = event_order(df, case_codes)
        prepared.sorted = Sorted(
            order=order,
            cases=case_codes[order].astype(np.int64),
            steps=step_codes[order].astype(np.int64),
            seconds=df["_sec"].to_numpy(dtype=float)[order],
            case_ids=case_ids,
            step_names=np.asarray(step_names, dtype=object),
        )
    result: Sorted = prepared.sorted
    return result


def event_order(df: pd.DataFrame, case_codes: Any) -> Any:
    """The row order that sorts a pandas table's events by case, time and tie-breaker.

    pandas tables break ties by row position, so a stable sort on one integer key (the case
    code, then the time in whole milliseconds: ``_sec`` holds milliseconds) gives the same
    order as a three-key ``lexsort`` in half the time; a key that would not fit 63 bits
    (centuries of milliseconds times millions of cases) falls back to ``lexsort``.
    """
    seconds = df["_sec"].to_numpy(dtype=float)
    ties = df["_tie"].to_numpy()
    n = len(seconds)
    if n and bool(np.all(ties[1:] > ties[:-1])):
        ms = np.rint(seconds * 1e3)
        # whole milliseconds only (as prepare makes them): otherwise sort on the seconds
        if np.all(np.abs(ms) < 2.0**53) and np.array_equal(ms / 1e3, seconds):
            ms = ms.astype(np.int64)
            ms -= ms.min()
            span = int(ms.max()) + 1
            cases = int(case_codes.max()) + 1
            if cases * span < 2**62:
                return np.argsort(case_codes.astype(np.int64) * span + ms, kind="stable")
    return np.lexsort((ties, seconds, case_codes))


def _ordered_pandas(df: pd.DataFrame, shift: tuple[str, ...], first_here: bool) -> pd.DataFrame:
    case_codes, _ = pd.factorize(df["_case"])
    order = event_order(df, case_codes)
    out = df.take(order).reset_index(drop=True)
    cc = case_codes[order]
    n = len(cc)
    starts = np.r_[True, cc[1:] != cc[:-1]] if n else np.zeros(0, dtype=bool)
    last = np.r_[cc[1:] != cc[:-1], True] if n else np.zeros(0, dtype=bool)
    index = np.arange(n)
    columns: dict[str, Any] = {
        "_k": index - np.maximum.accumulate(np.where(starts, index, 0)) + 1,
        "_n": np.bincount(cc)[cc] if n else np.zeros(0, dtype=np.int64),
    }
    for column in shift:
        values = out[column].to_numpy()
        if values.dtype.kind in "iub":
            values = values.astype(float)
        following: Any = np.roll(values, -1) if n else values
        missing: Any = np.nan if following.dtype.kind == "f" else None
        columns[NEXT[column]] = np.where(last, missing, following)
    if first_here:
        step_codes, uniques = pd.factorize(out["_step"])
        pair = pd.Series(cc.astype(np.int64) * max(len(uniques), 1) + step_codes)
        columns["_first_here"] = (~pair.duplicated()).to_numpy().astype(np.int64)
    return out.assign(**columns)


def _radix(keys: Any, size: int) -> Any:
    """Keys in ``range(size)`` as 16-bit integers when they fit: numpy's stable sort of
    those is a radix sort, several times faster than of 64-bit ones."""
    return keys.astype(np.int16 if size < 2**15 else np.int64)


def firsts(cases: Any, keys: Any, size: int) -> Any:
    """True for each case's first event with its key (a step, a pair...), for events sorted
    by case.

    A stable sort by the (small) key keeps each key's events in case order, so a first is
    where the case changes within a key: numpy sorts 16-bit keys by radix, much faster than
    hashing every (case, step) pair."""
    if not len(keys):
        return np.zeros(0, dtype=bool)
    by_key = np.argsort(_radix(keys, size), kind="stable")
    c, k = cases[by_key], keys[by_key]
    firsts = np.empty(len(keys), dtype=bool)
    firsts[by_key] = np.r_[True, (c[1:] != c[:-1]) | (k[1:] != k[:-1])]
    return firsts


def _sorted_by_key(keys: Any, values: Any, size: int) -> Any:
    """``values`` sorted by key, then by value.  Times in whole milliseconds (as prepare
    makes them) sort as one integer per value, ``key * span + milliseconds``, without an
    index (``np.sort``, not ``argsort``); other values by value, then stably by key."""
    if len(values):
        ms = np.rint(values * 1e3)
        low = float(ms.min())
        span = float(ms.max()) - low + 1
        if span * size < 2**62 and np.array_equal(ms / 1e3, values):
            packed = keys.astype(np.int64) * int(span) + (ms - low).astype(np.int64)
            packed.sort()
            return (packed % int(span) + low) / 1e3
    by_value = np.argsort(values)
    return values[by_value[np.argsort(_radix(keys[by_value], size), kind="stable")]]


def group_quantiles(
    keys: Any, values: Any, quantiles: Mapping[str, float], size: int
) -> pd.DataFrame:
    """Quantiles of ``values`` per integer key in ``range(size)`` with linear interpolation
    (as pandas and DuckDB's ``quantile_cont``), indexed by the keys present.

    One sort of the values and one stable sort of the small keys (numpy sorts 16-bit
    integers by radix) instead of a pandas group sorting once per quantile."""
    values = np.asarray(values, dtype=float)
    keys = np.asarray(keys)
    ordered_values = _sorted_by_key(keys, values, size)
    counts = np.bincount(keys, minlength=size)
    present = np.flatnonzero(counts)
    starts = (np.cumsum(counts) - counts)[present]
    n = counts[present]
    columns = {}
    for name, q in quantiles.items():
        position = q * (n - 1)
        lo = np.floor(position).astype(np.int64)
        hi = np.ceil(position).astype(np.int64)
        low, high = ordered_values[starts + lo], ordered_values[starts + hi]
        columns[name] = low + (high - low) * (position - lo)
    return pd.DataFrame(columns, index=present)


def seconds(later: Any, earlier: Any) -> Any:
    """Seconds between two ``_sec`` expressions."""
    return later - earlier


def collect(frame: Any) -> pd.DataFrame:
    return _engine.to_pandas(frame)
