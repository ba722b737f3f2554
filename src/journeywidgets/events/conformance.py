"""How far the journeys customers take depart from the map's order of touchpoints.

The map is read as the expected order: its touchpoints left to right.  For each case, from
its events in time order:

``off_map``
    Events at steps outside the map (activities that match no touchpoint).
``out_of_order``
    Steps back: an on-map event followed (among the case's on-map events) by a touchpoint
    earlier in the map.  Repeating the same touchpoint is not a step back (it is counted as
    a repeat by :func:`~journeywidgets.events.summarize`).
``skipped``
    Touchpoints of the map before the furthest one the case reached that it never visited.
    A case that stops early has not skipped what lies after (that is drop-off).
``conforms``
    No step outside the map, none back, none skipped: the case follows the mapped order.

This is a deliberately simple, explainable measure (in the spirit of token-replay fitness
on a sequence model) rather than an alignment: each deviation names a touchpoint or a pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import EventLogError
from . import log as _log
from .journeys import prepared_for
from .log import ACTIVITY, CASE, TIMESTAMP, Prepared
from .paths import check_cases

if TYPE_CHECKING:
    from ..model.journey import JourneyMap


@dataclass
class Conformance:
    """The result of :func:`conformance`: three tidy tables.

    Attributes
    ----------
    overall:
        One row: ``cases``, ``conforming``, ``conforming_share``, and for each kind of
        deviation the share of cases with it (``with_skips``, ``with_steps_back``,
        ``with_off_map``) and the mean per case.
    cases:
        One row per case: ``case``, ``events``, ``off_map``, ``out_of_order``, ``skipped``,
        ``furthest`` (journey position of the furthest touchpoint reached, -1 if none),
        ``conforms``.
    deviations:
        The most common deviations: ``kind`` (``"skipped"``, ``"step back"``, ``"outside
        the map"``), ``description``, ``touchpoint_id`` (where it shows on the map),
        ``cases``, ``share``.
    """

    overall: pd.DataFrame
    cases: pd.DataFrame
    deviations: pd.DataFrame

    def _repr_html_(self) -> str:
        return (
            "<h4>Conformance to the map</h4>"
            + self.overall.to_html(index=False)
            + "<h4>Most common deviations</h4>"
            + self.deviations.head(10).to_html(index=False)
        )


def conformance(
    log: Any,
    m: JourneyMap | None = None,
    *,
    mapping: Mapping[str, str] | str | None = None,
    top: int = 10,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    lifecycle: str | None = None,
    unmatched: str = "warn",
) -> Conformance:
    """How far each case's actual order departs from the map's touchpoint order.

    Parameters are those of :func:`~journeywidgets.events.summarize`; ``top`` is how many of
    the most common deviations to list.  The measures are defined in
    :mod:`journeywidgets.events.conformance`.

    Examples
    --------
    >>> import journeywidgets as jw, pandas as pd
    >>> m = jw.JourneyMap("Order")
    >>> _ = m.add_stage("Buy")
    >>> for name in ["Web", "Call", "Visit"]:
    ...     _ = m.add_touchpoint(name, stage="buy")
    >>> log = pd.DataFrame({"case": [1, 1, 1, 2, 2, 3, 3, 3],
    ...     "activity": ["Web", "Call", "Visit", "Web", "Visit", "Call", "Web", "Fax"],
    ...     "time": pd.date_range("2026-01-01", periods=8, freq="h")})
    >>> c = conformance(log, m, case="case", activity="activity", timestamp="time",
    ...                 unmatched="ignore")
    >>> c.overall[["cases", "conforming", "conforming_share"]]
       cases  conforming  conforming_share
    0      3           1          0.333333
    >>> c.cases[["case", "off_map", "out_of_order", "skipped", "conforms"]]
       case  off_map  out_of_order  skipped  conforms
    0     1        0             0        0      True
    1     2        0             0        1     False
    2     3        1             1        0     False
    >>> c.deviations[["kind", "description", "cases"]]
                  kind description  cases
    0  outside the map         Fax      1
    1          skipped        Call      1
    2        step back  Call → Web      1
    """
    prepared = prepared_for(
        "conformance",
        log,
        m,
        mapping=mapping,
        case=case,
        activity=activity,
        timestamp=timestamp,
        lifecycle=lifecycle,
        unmatched=unmatched,
    )
    return conformance_of(prepared, top=top)


def conformance_of(prepared: Prepared, *, top: int = 10) -> Conformance:
    """:func:`conformance` of a prepared log (with a map)."""
    m = prepared.m
    if m is None:
        raise EventLogError(
            "conformance needs a map: the actual order is held against its touchpoints",
            field="m",
        )
    frame = prepared.frame
    on = _log.ordered(
        prepared, frame.filter(nw.col("_on")), shift=("_step", "_order"), first_here=True
    ).with_columns(
        _furthest=nw.col("_order").max().over("_case"),
        _back=(~nw.col("_next_order").is_null() & (nw.col("_next_order") < nw.col("_order"))).cast(
            nw.Int64
        ),
    )
    per_case_on = _log.collect(
        on.group_by("_case").agg(
            nw.col("_back").sum().alias("out_of_order"),
            nw.col("_first_here").sum().alias("_visited"),
            nw.col("_order").max().alias("furthest"),
        )
    )
    per_case_all = _log.collect(
        frame.with_columns(_off=(~nw.col("_on")).cast(nw.Int64))
        .group_by("_case")
        .agg(nw.len().alias("events"), nw.col("_off").sum().alias("off_map"))
    )
    check_cases(len(per_case_all), int(per_case_all["events"].sum()))
    cases = per_case_all.merge(per_case_on, on="_case", how="left")
    cases["out_of_order"] = cases["out_of_order"].fillna(0).astype("int64")
    cases["furthest"] = cases["furthest"].fillna(-1).astype("int64")
    visited = cases["_visited"].fillna(0).astype("int64")
    cases["skipped"] = (cases["furthest"] + 1 - visited).astype("int64")
    cases["events"] = cases["events"].astype("int64")
    cases["off_map"] = cases["off_map"].astype("int64")
    cases["conforms"] = (
        (cases["off_map"] == 0)
        & (cases["out_of_order"] == 0)
        & (cases["skipped"] == 0)
        & (cases["furthest"] >= 0)
    )
    cases = cases.rename(columns={"_case": "case"})[
        ["case", "events", "off_map", "out_of_order", "skipped", "furthest", "conforms"]
    ]
    cases = cases.sort_values("case", kind="stable").reset_index(drop=True)
    total = len(cases)
    overall = pd.DataFrame(
        {
            "cases": [total],
            "conforming": [int(cases["conforms"].sum())],
            "conforming_share": [float(cases["conforms"].mean())],
            "with_skips": [float((cases["skipped"] > 0).mean())],
            "with_steps_back": [float((cases["out_of_order"] > 0).mean())],
            "with_off_map": [float((cases["off_map"] > 0).mean())],
            "mean_skipped": [float(cases["skipped"].mean())],
            "mean_steps_back": [float(cases["out_of_order"].mean())],
            "mean_off_map": [float(cases["off_map"].mean())],
        }
    )
    deviations = _deviations(prepared, on, cases, total).head(top).reset_index(drop=True)
    for table in (overall, cases, deviations):
        table.attrs.update(prepared.params())
    return Conformance(overall=overall, cases=cases, deviations=deviations)


def _deviations(prepared: Prepared, on: Any, cases: pd.DataFrame, total: int) -> pd.DataFrame:
    labels = prepared.labels
    rows: list[dict[str, Any]] = []
    # skipped touchpoint t: cases that got beyond t, minus those among them that visited t
    beyond = _log.collect(
        on.filter(nw.col("_furthest") > nw.col("_order"))
        .group_by("_step")
        .agg(nw.col("_first_here").sum().alias("visited"))
    )
    visited_beyond = dict(zip(beyond["_step"], beyond["visited"], strict=True))
    furthest = np.sort(cases["furthest"].to_numpy())
    for tp_id, position in prepared.order.items():
        got_beyond = len(furthest) - int(np.searchsorted(furthest, position, side="right"))
        skipped = got_beyond - int(visited_beyond.get(tp_id, 0))
        if skipped > 0:
            rows.append(
                {
                    "kind": "skipped",
                    "description": labels[tp_id],
                    "touchpoint_id": tp_id,
                    "cases": skipped,
                }
            )
    back = _log.collect(
        on.filter(nw.col("_back") == 1)
        .group_by("_step", "_next")
        .agg(nw.col("_case").n_unique().alias("cases"))
    )
    for source, target, n in zip(back["_step"], back["_next"], back["cases"], strict=True):
        rows.append(
            {
                "kind": "step back",
                "description": f"{labels[source]} → {labels[target]}",
                "touchpoint_id": target,
                "cases": int(n),
            }
        )
    off = _log.collect(
        prepared.frame.filter(~nw.col("_on"))
        .group_by("_step")
        .agg(nw.col("_case").n_unique().alias("cases"))
    )
    for step, n in zip(off["_step"], off["cases"], strict=True):
        rows.append(
            {
                "kind": "outside the map",
                "description": str(step),
                "touchpoint_id": None,
                "cases": int(n),
            }
        )
    table = pd.DataFrame(rows, columns=["kind", "description", "touchpoint_id", "cases"])
    table["cases"] = table["cases"].astype("int64")
    table["share"] = table["cases"] / total if total else 0.0
    return table.sort_values(
        ["cases", "kind", "description"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
