"""The analyses in DuckDB's own SQL: small integer codes, one ordered pass, no Python per case.

Through narwhals every analysis compared strings (touchpoint ids, activity names as the
tie-breaker) in its sorts and grouped paths as text.  Here:

- each activity gets two small integers from a tiny inline ``VALUES`` table joined to the
  events: its rank by name (what orders two events of a case at the same instant, as for
  every lazy table) and the code of its step (touchpoint or activity);
- times are whole milliseconds since 1970 (``epoch_ms``), so durations are exact integers;
- a case's events are ordered once (``lead`` over a window, or an ordered ``list``);
- a quantile is read from a second window that ranks the values of each group: DuckDB's
  ``quantile_cont`` sorts each group on its own and costs twice as much on millions of rows.
  The rank positions are whole numbers (``a * (n - 1) // b`` for ``q = a / b``), so the
  interpolation is the one pandas and ``quantile_cont`` use.

Only one row per variant, pair or touchpoint comes back; names are put back on the codes in
Python for those rows alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from itertools import pairwise
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .log import Prepared

#: the name the log takes inside each query (one no user table is likely to have)
TABLE = "jw_event_log"
#: a frame over the whole partition: ``count(*)`` then counts every row, not those so far
WHOLE = "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Coded:
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

    def names(self, codes: Any) -> np.ndarray:
        return np.asarray(self.steps, dtype=object)[np.asarray(codes, dtype=np.int64)]


def quantile_picks(values: str, quantiles: Mapping[str, float]) -> str:
    """Aggregates picking the two ranked values each quantile falls between (``r`` is the
    0-based rank of ``values`` in its group, ``n`` the number of values in the group)."""
    picks = []
    for name, q in quantiles.items():
        f = Fraction(q).limit_denominator(10_000)
        a, b = f.numerator, f.denominator
        picks.append(
            f"max({values}) FILTER (WHERE r = ({a} * (n - 1)) // {b}) AS {name}__lo, "
            f"max({values}) FILTER (WHERE r = ({a} * (n - 1) + {b - 1}) // {b}) AS {name}__hi"
        )
    return ", ".join(picks)


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
    steps), most cases first, then by text.  A case's steps are an ordered ``list`` of
    codes, and DuckDB groups the lists (hashing a list of small integers is cheap); it also
    spells and sorts the variants, which in Python would cost more than the grouping."""
    coded = Coded(prepared)
    labels = "[" + ", ".join(_literal(prepared.labels.get(s, s)) for s in coded.steps) + "]"
    found = coded.query(
        f"""
        per AS (
            SELECT _case, list(step ORDER BY ms, tie) AS p, max(ms) - min(ms) AS d
            FROM ev GROUP BY _case
        ),
        grouped AS (
            SELECT p, len(p) AS _len, count(*) AS cases, median(d) / 1000 AS _median,
                   min(_case) AS example_case
            FROM per GROUP BY p
        )
        SELECT *, array_to_string(list_transform(p, lambda x: {labels}[x + 1]), {_literal(arrow)})
                  AS _text
        FROM grouped ORDER BY cases DESC, _text
        """
    ).to_arrow_table()
    paths_column = found.column("p").combine_chunks()
    flat = coded.names(paths_column.flatten().to_numpy()).tolist()
    offsets = paths_column.offsets.to_numpy().tolist()
    # one tuple per variant (the result's own column), sliced from one list of names
    paths = np.empty(len(found), dtype=object)
    paths[:] = [tuple(flat[a:b]) for a, b in pairwise(offsets)]
    groups = found.drop_columns(["p"]).to_pandas()
    groups["_path"] = paths
    return groups


def transitions(prepared: Prepared) -> tuple[pd.DataFrame, int, int]:
    """Directly-follows pairs (``_step``, ``_next``, ``occurrences``, ``cases``, ``_median``,
    ``_p90`` in seconds) and the log's totals of cases and events, in one query."""
    coded = Coded(prepared)
    width = max(len(coded.steps), 1)
    quantiles = {"_median": 0.5, "_p90": 0.9}
    table = (
        coded.query(
            f"""
        w AS (
            SELECT _case, step * {width} + lead(step) OVER o AS pair, lead(ms) OVER o - ms AS dt
            FROM ev WINDOW o AS (PARTITION BY _case ORDER BY ms, tie)
        ),
        ranked AS (
            SELECT pair, _case, dt, row_number() OVER g - 1 AS r, count(dt) OVER (g {WHOLE}) AS n
            FROM w WINDOW g AS (PARTITION BY pair ORDER BY dt)
        )
        SELECT pair, count(*) AS occurrences, count(DISTINCT _case) AS cases, any_value(n) AS n,
               {quantile_picks("dt", quantiles)}
        FROM ranked GROUP BY pair
        """
        )
        .to_arrow_table()
        .to_pandas()
    )
    # a case's last event has no pair: the row without one counts the cases
    last = table["pair"].isna()
    cases = int(table.loc[last, "occurrences"].sum())
    events = int(table["occurrences"].sum())
    table = table[~last].reset_index(drop=True)
    codes = table.pop("pair").to_numpy(dtype=np.int64)
    table.insert(0, "_step", coded.names(codes // width))
    table.insert(1, "_next", coded.names(codes % width))
    return interpolate(table, quantiles), cases, events


def counts(
    prepared: Prepared, seg: list[str], quantiles: Mapping[str, float]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per step (and segment): events, cases, drop-off, and the quantiles of the time to the
    case's next event at a different step (see :mod:`journeywidgets.events.summary`)."""
    coded = Coded(prepared, keep=tuple(seg))
    keys = ", ".join(["step", *seg])
    table = (
        coded.query(
            f"""
        w AS (
            SELECT _case, {keys}, lead(step) OVER o AS nx, lead(ms) OVER o - ms AS dt
            FROM ev WINDOW o AS (PARTITION BY _case ORDER BY ms, tie)
        ),
        leaving AS (
            SELECT _case, {keys}, nx, CASE WHEN nx <> step THEN dt END AS dt FROM w
        ),
        ranked AS (
            SELECT *, row_number() OVER g - 1 AS r, count(dt) OVER (g {WHOLE}) AS n
            FROM leaving WINDOW g AS (PARTITION BY {keys} ORDER BY dt NULLS LAST)
        )
        SELECT {keys}, count(*) AS events, count(DISTINCT _case) AS cases,
               count(*) FILTER (WHERE nx IS NULL) AS drop_off, any_value(n) AS n,
               {quantile_picks("dt", quantiles)}
        FROM ranked GROUP BY {keys}
        """
        )
        .to_arrow_table()
        .to_pandas()
    )
    table.insert(0, "_step", coded.names(table.pop("step").to_numpy(dtype=np.int64)))
    table = interpolate(table, quantiles)
    return table[["_step", *seg, "events", "cases", "drop_off"]], table[["_step", *seg, *quantiles]]


def channel_counts(prepared: Prepared, seg: list[str]) -> pd.DataFrame:
    """Events per step (and segment) and channel (``_step``, ..., ``_channel``, ``n``),
    grouped on the step codes rather than on the touchpoint ids."""
    coded = Coded(prepared, keep=(*seg, "_channel"))
    keys = ", ".join(["step", *seg, "_channel"])
    table = (
        coded.query(
            f"counted AS (SELECT {keys}, count(*) AS n FROM ev GROUP BY {keys}) "
            "SELECT * FROM counted"
        )
        .to_arrow_table()
        .to_pandas()
    )
    table.insert(0, "_step", coded.names(table.pop("step").to_numpy(dtype=np.int64)))
    return table
