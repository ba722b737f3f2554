"""A log prepared once for several analyses: checked, placed on the map and sorted once.

Each analysis called on a raw table checks it, parses its timestamps, places its activities
on the map and sorts its events by case and time on its own.  In a notebook that asks for
variants, transitions, the summary and conformance of the same log, :func:`prepare` does the
checking and placing once, and the order of the events by case and time (pandas, DuckDB)
is shared too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import EventLogError
from . import log as _log
from .log import ACTIVITY, CASE, TIMESTAMP, Prepared

if TYPE_CHECKING:
    from ..model.journey import JourneyMap


def prepare(
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
) -> Prepared:
    """Check an event log once and keep it ready for :func:`variants`, :func:`transitions`,
    :func:`summarize` and :func:`conformance`, which accept the result wherever they accept
    a log.

    Parameters are those of :func:`summarize`; ``segment`` and ``channel`` name the columns
    a later ``summarize(..., segment=..., channel=...)`` will ask for.  Activities that
    match no touchpoint are reported here, once.  Nothing is read into Python but the
    distinct activities.  The events are ordered by case and time once, at the first
    analysis, and the others reuse that order: on pandas as sorted arrays, on DuckDB as two
    temporary tables on the log's own connection, the ordered events and the variants (named
    ``jw_steps_<hex>`` and ``jw_paths_<hex>``; dropped when the prepared log is
    garbage-collected, so ``del journeys`` frees them).

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.it_laptop()
    >>> log = jw.events.synthetic(m, n_cases=200, seed=1)
    >>> journeys = jw.events.prepare(log, m, channel="channel", unmatched="ignore")
    >>> journeys
    <event log prepared: 1,980 events, touchpoint level, 1 activity outside the map>
    >>> v = jw.events.variants(journeys)
    >>> s = jw.events.summarize(journeys, channel="channel")
    >>> int(v["cases"].sum()) == s.attrs["cases"] == 200
    True
    """
    prepared = prepared_for(
        "prepare",
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
    prepared.share = True
    return prepared


def prepared_for(
    analysis: str,
    log: Any,
    m: JourneyMap | None,
    *,
    mapping: Any = None,
    segment: str | None = None,
    channel: str | None = None,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    lifecycle: str | None = None,
    unmatched: str = "warn",
) -> Prepared:
    """What ``analysis`` reads: ``log`` itself when it is a prepared log that has what the
    analysis asks for (else a clear error), or a raw table checked and placed on the map
    for this analysis alone."""
    if not isinstance(log, Prepared):
        return _log.prepare(
            log,
            m,
            mapping=mapping,
            case=case,
            activity=activity,
            timestamp=timestamp,
            lifecycle=lifecycle,
            keep={"segment": segment, "channel": channel},
            unmatched=unmatched,
            stacklevel=4,  # the warning names the notebook's line, past the analysis
        )
    if m is not None and m is not log.m:
        raise EventLogError(
            f"{analysis}: the log was prepared "
            + ("without a map" if log.m is None else f"with map {log.m.title or log.m.id!r}")
            + "; pass the map to jw.events.prepare(log, m) and leave it out here",
            field="m",
        )
    if mapping is not None:
        raise EventLogError(
            f"{analysis}: the log was prepared with its mapping already; pass mapping=... to "
            "jw.events.prepare instead",
            field="mapping",
        )
    for key, column in (("segment", segment), ("channel", channel)):
        if column is not None and log.columns.get(key) != column:
            raise EventLogError(
                f"{analysis}: the log was prepared without {key}={column!r}; pass it to "
                f"jw.events.prepare(log, ..., {key}={column!r})",
                field=key,
            )
    return log
