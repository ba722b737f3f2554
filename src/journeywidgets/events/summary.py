"""Behaviour per touchpoint: who gets there, who leaves there, who goes round again, how long
until the next touchpoint, through which channels.

The measures (per touchpoint, and per segment when asked)
---------------------------------------------------------
``events``
    Events at the touchpoint.
``cases``, ``reach``
    Cases with at least one event there, and their share of all cases (of the segment).
``drop_off``, ``drop_off_rate``
    Cases whose last event is there (the journey ends, or the log does), and their share of
    the cases that reached it.
``repeats``
    Events there beyond a case's first: rework loops and repeated contacts.
``to_next_p25`` ... ``to_next_p90``, ``median_to_next``
    Time from an event there to the case's next event at a *different* step (the next
    touchpoint, or a step outside the map); quartiles and the 90th percentile with linear
    interpolation, ``median_to_next`` as a Timedelta.
``channels``, ``main_channel``, ``main_channel_share``
    With ``channel=``: the channel mix as text (``"web 61% · phone 30% · app 9%"``) and
    the most used channel with its share of the events.

Steps outside the map (activities that match no touchpoint) get a row each after the
touchpoints, with ``outside_map`` true, so nothing the customers did is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import EventLogError
from . import log as _log
from . import sql as _sql
from .journeys import prepared_for
from .log import ACTIVITY, CASE, OUTSIDE, TIMESTAMP, Prepared
from .paths import check_cases

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

QUANTILES = {"to_next_p25": 0.25, "to_next_p50": 0.5, "to_next_p75": 0.75, "to_next_p90": 0.9}


def summarize(
    log: Any,
    m: JourneyMap | None = None,
    *,
    mapping: Mapping[str, str] | str | None = None,
    segment: str | None = None,
    channel: str | None = None,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    lifecycle: str | None = None,
    unmatched: str = "warn",
) -> pd.DataFrame:
    """Per touchpoint of ``m``: reach, drop-off, repeats, time to the next touchpoint and
    channel mix, measured from an event log.

    Parameters
    ----------
    log:
        One row per event (pandas, polars, pyarrow, DuckDB, Spark...); aggregated in its
        engine.
    m:
        The map whose touchpoints the rows follow (in journey order).
    mapping:
        ``{activity: touchpoint id or name}`` or the name of a column holding the
        touchpoint; activities not mapped match touchpoints by their own name.  Activities
        that match nothing are kept as steps outside the map and reported (``unmatched``).
    segment:
        A column (a case attribute such as a customer segment): one row per touchpoint and
        segment, shares within the segment.
    channel:
        A column with each event's channel: adds the channel mix.
    case, activity, timestamp, lifecycle:
        Column names (XES names by default).

    Returns
    -------
    pandas.DataFrame
        ``touchpoint``, ``touchpoint_id``, ``stage``, ``order``, ``outside_map``,
        [``segment``], ``events``, ``cases``, ``reach``, ``drop_off``, ``drop_off_rate``,
        ``repeats``, ``to_next_p25``, ``to_next_p50``, ``to_next_p75``, ``to_next_p90``
        (seconds), ``median_to_next`` (Timedelta), [``channels``, ``main_channel``,
        ``main_channel_share``].  The measures are defined in
        :mod:`journeywidgets.events.summary`; ``attrs`` holds the parameters and the total
        ``cases`` (per segment: ``segment_cases``).

    Examples
    --------
    >>> import journeywidgets as jw, pandas as pd
    >>> m = jw.JourneyMap("Order")
    >>> _ = m.add_stage("Buy")
    >>> for name in ["Web", "Call", "Visit"]:
    ...     _ = m.add_touchpoint(name, stage="buy")
    >>> log = pd.DataFrame({"case": [1, 1, 1, 2, 2],
    ...     "activity": ["Web", "Call", "Call", "Web", "Visit"],
    ...     "time": pd.to_datetime(["2026-01-01 09:00", "2026-01-01 10:00",
    ...         "2026-01-01 11:00", "2026-01-02 09:00", "2026-01-02 12:00"])})
    >>> s = summarize(log, m, case="case", activity="activity", timestamp="time")
    >>> s[["touchpoint", "cases", "reach", "drop_off", "repeats", "median_to_next"]]
      touchpoint  cases  reach  drop_off  repeats  median_to_next
    0        Web      2    1.0         0        0 0 days 02:00:00
    1       Call      1    0.5         1        1             NaT
    2      Visit      1    0.5         1        0             NaT
    """
    prepared = prepared_for(
        "summarize",
        log,
        m,
        mapping=mapping,
        segment=segment,
        channel=channel,
        case=case,
        activity=activity,
        timestamp=timestamp,
        lifecycle=lifecycle,
        unmatched=unmatched,
    )
    return summarize_of(prepared, segment=segment is not None, channel=channel is not None)


def _segment_key(segment: bool) -> list[str]:
    return ["_segment"] if segment else []


def summarize_of(
    prepared: Prepared, *, segment: bool = False, channel: bool = False
) -> pd.DataFrame:
    """:func:`summarize` of a prepared log (with a map)."""
    m = prepared.m
    if m is None:
        raise EventLogError(
            "summarize needs a map: events are summarized per touchpoint", field="m"
        )
    seg = _segment_key(segment)
    native = nw.to_native(prepared.frame)
    if prepared.frame.implementation.is_duckdb():
        counts, timing = _sql.counts(prepared, seg, QUANTILES)
    elif isinstance(native, pd.DataFrame):
        counts, timing = _pandas_counts(prepared, seg)
    else:
        counts, timing = _counts(prepared, seg)
    if not seg and prepared.frame.implementation.is_duckdb():
        # every case has one last event: the drop-offs count the cases (a query saved)
        totals = pd.DataFrame({"total": [int(counts["drop_off"].sum())]})
    else:
        totals = _log.collect(
            prepared.frame.group_by(*seg).agg(nw.col("_case").n_unique().alias("total"))
            if seg
            else prepared.frame.select(nw.col("_case").n_unique().alias("total"))
        )
    total_cases = int(totals["total"].sum())
    check_cases(total_cases, int(counts["events"].sum()))
    if segment:
        # a segment is a case attribute: one value per case, else cases are counted twice
        per_case = _log.collect(
            prepared.frame.select(
                nw.col("_case").n_unique().alias("cases"),
            )
        )
        if total_cases != int(per_case["cases"].iloc[0]):
            raise EventLogError(
                f"event log: column {prepared.columns.get('segment')!r} changes within a case; "
                "a segment must be one value per case (a customer attribute)",
                field=str(prepared.columns.get("segment")),
            )
    table = counts.merge(timing, on=["_step", *seg], how="left")
    if channel:
        # the mix needs no event order: the prepared table, not the ordered one
        table = table.merge(_channel_mix(prepared, seg), on=["_step", *seg], how="left")
    table = _frame_rows(table, prepared, seg, totals)
    table.attrs.update(prepared.params())
    table.attrs["cases"] = total_cases
    if segment:
        table.attrs["segment_cases"] = {
            _clean(k): int(v) for k, v in zip(totals["_segment"], totals["total"], strict=True)
        }
    return table


def _counts(prepared: Prepared, seg: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events, cases and drop-off per step (and segment); the time to the next step."""
    # _first_here: a case's first event at a step; repeats are the events after it
    events = _log.ordered(prepared, first_here=True).with_columns(
        _last=(nw.col("_k") == nw.col("_n")).cast(nw.Int64),
    )
    counts = _log.collect(
        events.group_by("_step", *seg).agg(
            nw.len().alias("events"),
            nw.col("_first_here").sum().alias("cases"),
            nw.col("_last").sum().alias("drop_off"),
        )
    )
    # time to the next different step: from the last event of a run of one step
    leaving = events.filter(
        ~nw.col("_next").is_null() & (nw.col("_next") != nw.col("_step"))
    ).with_columns(_dt=_log.seconds(nw.col("_next_sec"), nw.col("_sec")))
    timing = _log.collect(
        leaving.group_by("_step", *seg).agg(
            *(
                nw.col("_dt").quantile(q, interpolation="linear").alias(name)
                for name, q in QUANTILES.items()
            )
        )
    )
    return counts, timing


def _pandas_counts(prepared: Prepared, seg: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`_counts` of a pandas table with numpy: the events sorted once, each (step,
    segment) a number; counts by ``bincount``, and pandas groups only the leaving times."""
    events = _log.sorted_events(prepared)
    df = nw.to_native(prepared.frame)
    cases_sorted, steps_sorted, seconds = events.cases, events.steps, events.seconds
    order, step_names = events.order, events.step_names
    if seg:
        # missing segments stay a group of their own, as in a group_by
        seg_codes, seg_names = pd.factorize(df["_segment"], use_na_sentinel=False)
        width = max(len(seg_names), 1)
        keys = steps_sorted * width + seg_codes[order]
    else:
        width = 1
        keys = steps_sorted
    size = max(len(step_names), 1) * width
    last = np.r_[cases_sorted[1:] != cases_sorted[:-1], True]
    firsts = _log.firsts(cases_sorted, keys, size)
    present = np.flatnonzero(np.bincount(keys, minlength=size))

    def labelled(table: pd.DataFrame, codes: Any) -> pd.DataFrame:
        names = np.asarray(step_names, dtype=object)
        table.insert(0, "_step", names[codes // width])
        if seg:
            table.insert(1, "_segment", np.asarray(seg_names, dtype=object)[codes % width])
        return table.reset_index(drop=True)

    counts = labelled(
        pd.DataFrame(
            {
                "events": np.bincount(keys, minlength=size)[present],
                "cases": np.bincount(keys, weights=firsts, minlength=size)[present].astype(
                    np.int64
                ),
                "drop_off": np.bincount(keys, weights=last, minlength=size)[present].astype(
                    np.int64
                ),
            }
        ),
        present,
    )
    # time to the next different step: from the last event of a run of one step
    leaving = ~last[:-1] & (steps_sorted[1:] != steps_sorted[:-1])
    timing = _log.group_quantiles(
        keys[:-1][leaving], (seconds[1:] - seconds[:-1])[leaving], QUANTILES, size
    )
    return counts, labelled(timing, timing.index.to_numpy())


def _clean(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _channel_mix(prepared: Prepared, seg: list[str]) -> pd.DataFrame:
    if prepared.frame.implementation.is_duckdb():
        mix = _sql.channel_counts(prepared, seg)
    else:
        mix = _log.collect(
            prepared.frame.group_by("_step", *seg, "_channel").agg(nw.len().alias("n"))
        )
    mix["_channel"] = mix["_channel"].astype(object).where(mix["_channel"].notna(), "unknown")
    rows = []
    for key, group in mix.groupby(["_step", *seg], sort=False, dropna=False):
        group = group.sort_values(["n", "_channel"], ascending=[False, True], kind="stable")
        total = float(group["n"].sum())
        text = " · ".join(
            f"{c} {n / total:.0%}" for c, n in zip(group["_channel"], group["n"], strict=True)
        )
        keys = key if isinstance(key, tuple) else (key,)
        rows.append(
            {
                **dict(zip(["_step", *seg], keys, strict=True)),
                "channels": text,
                "main_channel": str(group["_channel"].iloc[0]),
                "main_channel_share": float(group["n"].iloc[0]) / total,
            }
        )
    return pd.DataFrame(
        rows, columns=["_step", *seg, "channels", "main_channel", "main_channel_share"]
    )


def _frame_rows(
    table: pd.DataFrame, prepared: Prepared, seg: list[str], totals: pd.DataFrame
) -> pd.DataFrame:
    """Every touchpoint of the map in journey order (zeros where nobody came), then the
    steps outside the map by events; tidy columns."""
    m = prepared.m
    assert m is not None
    tps = m.touchpoints
    segments = totals["_segment"].tolist() if seg else [None]
    skeleton = pd.DataFrame(
        [{"_step": tp.id, **({"_segment": s} if seg else {})} for tp in tps for s in segments],
        columns=["_step", *seg],
    )
    off = table[~table["_step"].isin(prepared.order)]
    on = skeleton.merge(table, on=["_step", *seg], how="left")
    off = off.sort_values(["events", "_step"], ascending=[False, True], kind="stable")
    rows = pd.concat([on, off], ignore_index=True)
    stage = {tp.id: tp.stage for tp in tps}
    outside = ~rows["_step"].isin(prepared.order)
    out = pd.DataFrame(
        {
            "touchpoint": [prepared.labels.get(s, s) for s in rows["_step"]],
            "touchpoint_id": pd.Series(
                [None if off else s for s, off in zip(rows["_step"], outside, strict=True)],
                dtype=object,
            ),
            "stage": rows["_step"].map(stage).astype(object),
            "order": pd.array(rows["_step"].map(prepared.order).tolist(), dtype="Int64"),
            "outside_map": outside.to_numpy(),
        }
    )
    if seg:
        out["segment"] = rows["_segment"].map(_clean).astype(object)
    for name in ("events", "cases", "drop_off"):
        out[name] = rows[name].fillna(0).astype("int64")
    if seg:
        total = rows["_segment"].map(dict(zip(totals["_segment"], totals["total"], strict=True)))
    else:
        total = pd.Series(float(totals["total"].iloc[0]), index=rows.index)
    out["reach"] = out["cases"] / total.astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["drop_off_rate"] = np.where(
            out["cases"] > 0, out["drop_off"] / out["cases"].replace(0, 1), np.nan
        )
    out["repeats"] = out["events"] - out["cases"]
    for name in QUANTILES:
        out[name] = rows[name].astype(float).to_numpy()
    out["median_to_next"] = pd.to_timedelta(out["to_next_p50"], unit="s").dt.round("s")
    for name in ("channels", "main_channel", "main_channel_share"):
        if name in rows.columns:
            out[name] = rows[name].to_numpy()
    sort = ["_outside", "order"] + (["_segment_sort"] if seg else [])
    keyed = out.assign(
        _outside=out["outside_map"],
        _segment_sort=out["segment"].astype(str) if seg else "",
    )
    keyed["_pos"] = np.arange(len(out))
    keyed = keyed.sort_values([*sort, "_pos"], kind="stable", na_position="last")
    return out.loc[keyed.index].reset_index(drop=True)


__all__ = ["OUTSIDE", "summarize"]
