"""The analyses in DuckDB's own SQL: small integer codes, one ordered pass, no Python per case.

Through narwhals every analysis compared strings (touchpoint ids, activity names as the
tie-breaker) in its sorts and grouped paths as text.  Here:

- each activity gets two small integers from a tiny inline ``VALUES`` table joined to the
  events: its rank by name (what orders two events of a case at the same instant, as for
  every lazy table) and the code of its step (touchpoint or activity);
- times are whole milliseconds since 1970 (``epoch_ms``), so durations are exact integers;
- a case's events are ordered once (``lead`` over a window) into a temporary table, and
  its path, packed into whole numbers, gives the variants, a second small table
  (:class:`Steps`); a log prepared once (:func:`journeywidgets.events.prepare`) keeps both
  for every later analysis, a raw table has them written for one analysis;
- the cases that reach a step or take a pair are sums over the variants that hold it, not
  distinct counts over every event;
- a quantile comes from DuckDB's ``quantile_disc`` and ``quantile_cont`` over lists of all
  the quantiles (one sort per group each), which give back the two ranked values the
  quantile falls between, so the interpolation is the one pandas uses, equal to the bit.

Only one row per variant, pair or touchpoint comes back; names are put back on the codes in
Python for those rows alone.
"""

from __future__ import annotations

import contextlib
import uuid
import weakref
from collections.abc import Mapping
from functools import cached_property
from itertools import pairwise
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .log import Prepared

#: the name the log takes inside each query (one no user table is likely to have)
TABLE = "jw_event_log"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _StepCodes:
    """Step codes: ``steps[code]`` is the step (touchpoint id or activity) of a code."""

    steps: list[str]

    def names(self, codes: Any) -> np.ndarray:
        return np.asarray(self.steps, dtype=object)[np.asarray(codes, dtype=np.int64)]


class Coded(_StepCodes):
    """The events of a prepared DuckDB log as ``_case``, ``ms``, ``tie``, ``step`` (and the
    carried ``keep`` columns), as a SQL ``WITH`` clause over :data:`TABLE`."""

    def __init__(self, prepared: Prepared, keep: tuple[str, ...] = ()) -> None:
        frame = prepared.frame
        column_mapping = "_maps_to" in frame.collect_schema().names()
        acts = sorted(prepared.activity_counts)
        steps = sorted(
            {str(s) for s in prepared.labels} | {prepared.matched.get(a) or a for a in acts}
            if prepared.m is not None
            else set(acts)
        )
        self.steps: list[str] = steps
        code = {s: i for i, s in enumerate(steps)}
        if not column_mapping and prepared.raw is not None:
            # without the narwhals lookups that placed activities on the map: the join below
            # does that, and DuckDB would compute (not prune) the lookups' joins
            frame = prepared.raw
        ts_type = str(frame.select("_ts").to_native().types[0]).upper()
        # epoch_ms reads TIMESTAMP and TIMESTAMP WITH TIME ZONE, not the _NS/_S/_MS kinds
        ms = "epoch_ms(e._ts)" if "TIME ZONE" in ts_type else "epoch_ms(e._ts::TIMESTAMP)"
        carried = "".join(f", e.{c}" for c in keep)
        if column_mapping:
            # the step depends on the row's mapping column, not on the activity alone
            ties = ", ".join(f"({_literal(a)}, {i})" for i, a in enumerate(acts))
            codes = ", ".join(f"({_literal(s)}, {i})" for s, i in code.items())
            self.relation = nw.to_native(frame.select("_case", "_act", "_ts", "_step", *keep))
            self.with_ = f"""
                ev AS (
                    SELECT e._case, {ms} AS ms, t.tie, s.step{carried}
                    FROM {TABLE} e
                    JOIN (VALUES {ties}) t(act, tie) ON e._act = t.act
                    JOIN (VALUES {codes}) s(name, step) ON e._step = s.name
                )"""
        else:
            step_of = (
                {a: prepared.matched.get(a) or a for a in acts} if prepared.m is not None else {}
            )
            rows = ", ".join(
                f"({_literal(a)}, {i}, {code[step_of.get(a, a)]})" for i, a in enumerate(acts)
            )
            self.relation = nw.to_native(frame.select("_case", "_act", "_ts", *keep))
            self.with_ = f"""
                ev AS (
                    SELECT e._case, {ms} AS ms, c.tie, c.step{carried}
                    FROM {TABLE} e JOIN (VALUES {rows}) c(act, tie, step) ON e._act = c.act
                )"""

    def query(self, sql: str) -> Any:
        """Run ``WITH ev AS (...), <sql>`` on the log; the DuckDB relation of the result."""
        return self.relation.query(TABLE, f"WITH {self.with_}, {sql}")


def _drop(relation: Any, names: tuple[str, ...]) -> None:
    # the connection may be closed already (at exit): then so are its temporary tables
    for name in names:
        with contextlib.suppress(Exception):
            relation.query(TABLE, f"DROP TABLE IF EXISTS {name}")


class Steps(_StepCodes):
    """The events of a prepared DuckDB log ordered once, and its variants: two temporary
    tables on the log's own connection, read by every later analysis instead of ordering
    the events again.

    - ``jw_steps_<hex>``: one row per event, ``_case``, ``step``, ``k`` (its number in the
      case), ``nx`` (the next event's step) and ``dt`` (milliseconds to it), and
      ``_segment`` when the log has one: what the quantiles of the time between steps read.
    - ``jw_paths_<hex>``: one row per variant, ``p`` (the list of step codes), ``_len``,
      ``cases``, ``_median`` (seconds) and ``example_case``.  A step or a pair is in a
      case's path or it is not, so the cases that reach a step, or take a pair, are sums of
      ``cases`` over the variants that hold it: a few hundred thousand short lists instead
      of a distinct count over every event (which costs about a second per analysis on ten
      million events).

    Ordering ten million events by case and time is most of an analysis's cost; writing the
    two tables costs about one such ordering and one grouping by case.  Only the columns
    the analyses read are written (strings cost the most to write): no times (a case's
    duration is the sum of its ``dt``), no channel (its mix needs no order and is counted
    on the events).  Both tables have a unique name and are dropped when this object (held
    by the prepared log) is garbage-collected."""

    def __init__(self, prepared: Prepared) -> None:
        names = prepared.frame.collect_schema().names()
        keep = ("_segment",) if "_segment" in names else ()
        coded = Coded(prepared, keep=keep)
        self.steps = coded.steps
        self.relation = coded.relation
        hex_ = uuid.uuid4().hex
        self.name = f"jw_steps_{hex_}"
        self._paths = f"jw_paths_{hex_}"
        carried = "".join(f", {c}" for c in keep)
        self.relation.query(
            TABLE,
            f"CREATE TEMP TABLE {self.name} AS WITH {coded.with_} "
            f"SELECT _case, step{carried}, row_number() OVER o AS k, lead(step) OVER o AS nx, "
            "lead(ms) OVER o - ms AS dt FROM ev WINDOW o AS (PARTITION BY _case ORDER BY ms, tie)",
        )
        self._finalizer = weakref.finalize(self, _drop, self.relation, (self.name, self._paths))

    @cached_property
    def paths(self) -> str:
        """The name of the variants table, written at its first use (a summary by segment
        does without it)."""
        longest = self.query(f"SELECT max(k) FROM {self.name}").fetchall()
        variants = _packed_variants(self, int(longest[0][0] or 0))
        self.query(f"CREATE TEMP TABLE {self._paths} AS {variants}")
        return self._paths

    def query(self, sql: str) -> Any:
        return self.relation.query(TABLE, sql)

    def case_counts(self, key: str) -> str:
        """SQL of the cases that hold each ``key`` (``s``, the step, or ``pair``, a step
        and the next as ``s * width + next``) of a path: ``key``, ``cases``."""
        if key == "s":
            listed = "p"
        else:
            width = max(len(self.steps), 1)
            listed = f"list_transform(range(_len - 1), lambda i: p[i + 1] * {width} + p[i + 2])"
        # each value once per path: where it first occurs (list_position finds the first;
        # paths are short, and this costs a third of list_distinct)
        held = "list_filter(q, lambda x, i: list_position(q, x) = i)"
        return (
            f"SELECT {key}, sum(cases)::BIGINT AS cases FROM (SELECT unnest({held}) AS {key}, "
            f"cases FROM (SELECT {listed} AS q, cases FROM {self.paths})) GROUP BY {key}"
        )


def steps_of(prepared: Prepared) -> Steps:
    """The ordered events and variants of a DuckDB log: those of a log prepared by
    :func:`journeywidgets.events.prepare`, written at its first analysis and kept for the
    next; for a log one analysis prepared for itself, written for that analysis alone and
    dropped when the analysis lets go of them."""
    if not prepared.share:
        return Steps(prepared)
    if prepared.steps is None:
        prepared.steps = Steps(prepared)
    steps: Steps = prepared.steps
    return steps


def quantile_aggregates(values: str, quantiles: Mapping[str, float]) -> str:
    """Aggregates for :func:`quantile_columns`: the count of ``values`` and, for all the
    quantiles at once, DuckDB's discrete and continuous quantiles (one sort per group,
    cheaper than ranking every row in a window)."""
    listed = "[" + ", ".join(repr(float(q)) for q in quantiles.values()) + "]"
    return (
        f"count({values}) AS n, quantile_disc({values}, {listed}) AS _disc, "
        f"quantile_cont({values}, {listed}) AS _cont"
    )


def quantile_columns(quantiles: Mapping[str, float]) -> str:
    """The lists of :func:`quantile_aggregates` as one column per quantile."""
    return "* EXCLUDE (_disc, _cont), " + ", ".join(
        f"_disc[{i}] AS {name}__disc, _cont[{i}] AS {name}__cont"
        for i, name in enumerate(quantiles, start=1)
    )


def _exact(table: pd.DataFrame, quantiles: Mapping[str, float]) -> pd.DataFrame:
    """Each quantile's two ranked values (``__lo``, ``__hi``: the values at ranks
    ``floor(q * (n - 1))`` and ``ceil(q * (n - 1))``, whole milliseconds) from DuckDB's
    discrete quantile (the value at rank ``ceil(q * n) - 1``: one of the two) and its
    continuous one (``lo + (hi - lo) * d``, a float), so that :func:`interpolate` computes
    the quantile exactly as pandas does, to the last bit."""
    n = table["n"].to_numpy(dtype=float)
    for name, q in quantiles.items():
        v = table.pop(f"{name}__disc").to_numpy(dtype=float)
        c = table.pop(f"{name}__cont").to_numpy(dtype=float)
        position = q * (n - 1)
        d = position - np.floor(position)
        with np.errstate(divide="ignore", invalid="ignore"):
            # the continuous quantile lies above the discrete one when that is lo, below
            # when it is hi; equal, the two are one value
            other_hi = np.rint(v + (c - v) / d)
            other_lo = np.rint((c - v * d) / (1 - d))
        table[f"{name}__lo"] = np.where((c < v) & (d > 0), other_lo, v)
        table[f"{name}__hi"] = np.where((c > v) & (d > 0), other_hi, v)
    return table


def interpolate(table: pd.DataFrame, quantiles: Mapping[str, float]) -> pd.DataFrame:
    """Replace each quantile's two picks (milliseconds) by the interpolated seconds."""
    n = table["n"].to_numpy(dtype=float)
    for name, q in quantiles.items():
        lo = table.pop(f"{name}__lo").to_numpy(dtype=float)
        hi = table.pop(f"{name}__hi").to_numpy(dtype=float)
        position = q * (n - 1)
        table[name] = (lo + (hi - lo) * (position - np.floor(position))) / 1e3
    return table.drop(columns="n")


def variants(prepared: Prepared, arrow: str) -> pd.DataFrame:
    """One row per variant (``_len``, ``cases``, ``_median`` seconds, ``example_case`` and
    ``_text``, the path spelled with ``arrow`` between the labels, ``_path`` the tuple of
    steps), most cases first, then by text.  DuckDB spells and sorts the variants, which in
    Python would cost more than finding them.

    A prepared log reads its table of variants.  A raw table's variants are found in one
    query, each case's steps as an ordered ``list`` of codes grouped by DuckDB (hashing a
    list of small integers is cheap): without writing the ordered events, which the
    variants alone do not need, this costs about 0.8 s less on ten million events."""
    coded: Coded | Steps = steps_of(prepared) if prepared.share else Coded(prepared)
    labels = "[" + ", ".join(_literal(prepared.labels.get(s, s)) for s in coded.steps) + "]"
    spell = f"array_to_string(list_transform(p, lambda x: {labels}[x + 1]), {_literal(arrow)})"

    def listed(table: str) -> str:
        # (labels are user text: no str.format over this, which would read their braces)
        return f"SELECT *, {spell} AS _text FROM {table} ORDER BY cases DESC, _text"

    if isinstance(coded, Steps):
        found = coded.query(listed(coded.paths))
    else:
        found = coded.query(
            """
        per AS (
            SELECT _case, list(step ORDER BY ms, tie) AS p, max(ms) - min(ms) AS d
            FROM ev GROUP BY _case
        ),
        grouped AS (
            SELECT p, len(p) AS _len, count(*) AS cases, median(d) / 1000 AS _median,
                   min(_case) AS example_case
            FROM per GROUP BY p
        )
        """
            + listed("grouped")
        )
    found = found.to_arrow_table()
    paths_column = found.column("p").combine_chunks()
    flat = coded.names(paths_column.flatten().to_numpy()).tolist()
    offsets = paths_column.offsets.to_numpy().tolist()
    # one tuple per variant (the result's own column), sliced from one list of names
    column = np.empty(len(found), dtype=object)
    column[:] = [tuple(flat[a:b]) for a, b in pairwise(offsets)]
    groups = found.drop_columns(["p"]).to_pandas()
    groups["_path"] = column
    return groups


def _packed_variants(steps: Steps, longest: int) -> str:
    """The variants of the ordered table (``p``, ``_len``, ``cases``, ``_median``,
    ``example_case``) without a list per case: a case's path is packed into whole numbers,
    ``bits`` bits per step code (plus one: 0 is no step), ``per`` steps in each 128-bit
    ``HUGEINT``, added up over the case's events by step number ``k`` (no ordering: a plain
    sum).  The packing is exact (one path, one set of numbers), and grouping numbers costs a
    third of grouping ordered lists.  Only the variants' paths are unpacked."""
    bits = max(len(steps.steps), 1).bit_length()
    per = 126 // bits  # the top bit is the sign
    chunks = max(-(-longest // per), 1)  # ``longest``: events in the longest case
    packed = ", ".join(
        f"sum((step + 1)::HUGEINT << ({bits} * ((k - 1) % {per}))::INTEGER) "
        f"FILTER (WHERE (k - 1) // {per} = {c}) AS p{c}"
        for c in range(chunks)
    )
    keys = ", ".join(f"p{c}" for c in range(chunks))
    chunk = (
        "p0"
        if chunks == 1
        else f"CASE i // {per} " + " ".join(f"WHEN {c} THEN p{c}" for c in range(chunks)) + " END"
    )
    mask = (1 << bits) - 1
    # a case's duration is the sum of the times between its events (the last has none)
    return f"""
        WITH per AS (
            SELECT _case, {packed}, count(*) AS _len, coalesce(sum(dt), 0)::BIGINT AS d
            FROM {steps.name} GROUP BY _case
        ),
        grouped AS (
            SELECT {keys}, _len, count(*) AS cases, median(d) / 1000 AS _median,
                   min(_case) AS example_case
            FROM per GROUP BY {keys}, _len
        )
        SELECT list_transform(range(_len), lambda i:
                   ((({chunk}) >> ({bits} * (i % {per}))::INTEGER) & {mask})::INTEGER - 1
               ) AS p, _len, cases, _median, example_case
        FROM grouped
        """


def transitions(prepared: Prepared) -> tuple[pd.DataFrame, int, int]:
    """Directly-follows pairs (``_step``, ``_next``, ``occurrences``, ``cases``, ``_median``,
    ``_p90`` in seconds) and the log's totals of cases and events, in one query: the
    quantiles on the ordered events (one sort per pair), the cases that take each pair from
    the variants (the row of a case's last event, without a pair, counts the cases)."""
    steps = steps_of(prepared)
    width = max(len(steps.steps), 1)
    quantiles = {"_median": 0.5, "_p90": 0.9}
    table = (
        steps.query(f"""
        WITH counted AS (
            SELECT step * {width} + nx AS pair, count(*) AS occurrences,
                   {quantile_aggregates("dt", quantiles)}
            FROM {steps.name} GROUP BY pair
        ),
        held AS ({steps.case_counts("pair")}),
        grouped AS (
            SELECT pair, occurrences, coalesce(held.cases, 0) AS cases, n, _disc, _cont
            FROM counted LEFT JOIN held USING (pair)
        )
        SELECT {quantile_columns(quantiles)} FROM grouped
        """)
        .to_arrow_table()
        .to_pandas()
    )
    last = table["pair"].isna()
    cases = int(table.loc[last, "occurrences"].sum())
    events = int(table["occurrences"].sum())
    table = table[~last].reset_index(drop=True)
    codes = table.pop("pair").to_numpy(dtype=np.int64)
    table.insert(0, "_step", steps.names(codes // width))
    table.insert(1, "_next", steps.names(codes % width))
    return interpolate(_exact(table, quantiles), quantiles), cases, events


def counts(
    prepared: Prepared, seg: list[str], quantiles: Mapping[str, float]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per step (and segment): events, cases, drop-off, and the quantiles of the time to the
    case's next event at a different step (see :mod:`journeywidgets.events.summary`).  As
    in :func:`transitions`: the quantiles on the ordered events, the cases that reach each
    step from the variants (per segment, a distinct count: the variants know no segment)."""
    steps = steps_of(prepared)
    keys = ", ".join(["step", *seg])
    counted = "count(*) AS events, count(*) FILTER (WHERE nx IS NULL) AS drop_off"
    leaving = f"""
        leaving AS (
            SELECT _case, {keys}, nx, CASE WHEN nx <> step THEN dt END AS dt FROM {steps.name}
        )"""
    if seg:
        grouped = f"""{leaving},
        grouped AS (
            SELECT {keys}, {counted}, count(DISTINCT _case) AS cases,
                   {quantile_aggregates("dt", quantiles)}
            FROM leaving GROUP BY {keys}
        )"""
    else:
        grouped = f"""{leaving},
        counted AS (
            SELECT step, {counted}, {quantile_aggregates("dt", quantiles)}
            FROM leaving GROUP BY step
        ),
        held AS ({steps.case_counts("s")}),
        grouped AS (
            SELECT step, events, drop_off, held.cases, n, _disc, _cont
            FROM counted JOIN held ON counted.step = held.s
        )"""
    table = (
        steps.query(f"WITH {grouped} SELECT {quantile_columns(quantiles)} FROM grouped")
        .to_arrow_table()
        .to_pandas()
    )
    table.insert(0, "_step", steps.names(table.pop("step").to_numpy(dtype=np.int64)))
    table = interpolate(_exact(table, quantiles), quantiles)
    return table[["_step", *seg, "events", "cases", "drop_off"]], table[["_step", *seg, *quantiles]]


def channel_counts(prepared: Prepared, seg: list[str]) -> pd.DataFrame:
    """Events per step (and segment) and channel (``_step``, ..., ``_channel``, ``n``),
    grouped on the step codes rather than on the touchpoint ids."""
    keys = ", ".join(["step", *seg, "_channel"])
    # no order needed: counted on the events themselves, also for a prepared log (whose
    # ordered table leaves the channel out: writing it would cost more than this count)
    coded = Coded(prepared, keep=(*seg, "_channel"))
    found = coded.query(
        f"counted AS (SELECT {keys}, count(*) AS n FROM ev GROUP BY {keys}) SELECT * FROM counted"
    )
    table = found.to_arrow_table().to_pandas()
    table.insert(0, "_step", coded.names(table.pop("step").to_numpy(dtype=np.int64)))
    return table
