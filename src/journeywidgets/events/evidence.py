"""Measured behaviour written into the map, beside the workshop's content.

:func:`record` puts a few numbers from :func:`~journeywidgets.events.summarize` into each
touchpoint's ``metrics`` under keys with a prefix (``log_`` by default), as one undoable
step.  Names, emotions, cards and the workshop's own metrics are left as they are; only the
prefixed keys are replaced, so recording again (a newer log) updates them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import EventLogError
from ..model.entities import Touchpoint

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

#: summary column -> metric name (after the prefix); times are stored in hours.
METRICS = {
    "cases": "cases",
    "reach": "reach",
    "drop_off_rate": "drop_off",
    "to_next_p50": "median_to_next_h",
}


def record(
    m: JourneyMap,
    summary: pd.DataFrame,
    *,
    segment: Any = None,
    prefix: str = "log_",
) -> None:
    """Write an events summary into the map's touchpoint ``metrics``, in one undo step.

    Each touchpoint row of ``summary`` sets ``<prefix>cases``, ``<prefix>reach``,
    ``<prefix>drop_off`` (the drop-off rate) and ``<prefix>median_to_next_h`` (hours),
    rounded to 4 digits; a touchpoint no case reached gets ``<prefix>cases = 0`` and
    ``<prefix>reach = 0``.  Rows outside the map are skipped.  ``m.undo()`` takes it all
    back.

    Parameters
    ----------
    m:
        The map the summary was made with.
    summary:
        From :func:`~journeywidgets.events.summarize`.
    segment:
        Which segment to record, when the summary has a row per segment.
    prefix:
        Prefix of the metric names, so that several logs can sit side by side.

    Raises
    ------
    EventLogError
        A summary of another map or without the columns; the map is left unchanged.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.it_laptop()
    >>> log = jw.events.synthetic(m, n_cases=100, seed=1, off_map=0)
    >>> record(m, jw.events.summarize(log, m))
    >>> m.touchpoints[0].metrics["log_reach"]
    1.0
    >>> _ = m.undo(); "log_reach" in m.touchpoints[0].metrics
    False
    """
    for column in ("touchpoint_id", *METRICS):
        if column not in summary.columns:
            raise EventLogError(
                f"record: the summary has no {column!r} column; make it with "
                "jw.events.summarize(log, m)",
                field=column,
            )
    if not prefix or not isinstance(prefix, str):
        raise EventLogError("record: prefix must be non-empty text", field="prefix")
    rows = summary[summary["touchpoint_id"].notna()]
    if "segment" in rows.columns:
        segments = rows["segment"].drop_duplicates().tolist()
        if segment is None and len(segments) > 1:
            raise EventLogError(
                f"record: the summary has a row per segment ({', '.join(map(repr, segments))});"
                " pass segment=... to record one of them",
                field="segment",
            )
        if segment is not None:
            if segment not in segments:
                raise EventLogError(
                    f"record: segment {segment!r} is not in the summary", field="segment"
                )
            rows = rows[rows["segment"] == segment]
    unknown = [t for t in rows["touchpoint_id"] if m.kind_of(str(t)) != "touchpoint"]
    if unknown:
        raise EventLogError(
            f"record: {', '.join(map(repr, unknown[:5]))} "
            f"{'are not touchpoints' if len(unknown) > 1 else 'is not a touchpoint'} of map "
            f"{m.title or m.id!r}; was the summary made with another map?",
            field="touchpoint_id",
        )
    updates = []
    for row in rows.to_dict("records"):
        tp = m[str(row["touchpoint_id"])]
        assert isinstance(tp, Touchpoint)  # checked above
        values: dict[str, float | int] = {}
        for column, name in METRICS.items():
            value = row[column]
            if value is None or pd.isna(value):
                continue
            if column == "to_next_p50":
                value = float(value) / 3600.0
            values[prefix + name] = int(value) if column == "cases" else round(float(value), 4)
        kept = {k: v for k, v in tp.metrics.items() if not k.startswith(prefix)}
        updates.append((tp.id, {**kept, **values}))
    with m.batch("record event log"):
        for tp_id, metrics in updates:
            m.update(tp_id, metrics=metrics)
