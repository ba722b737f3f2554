"""A journey map built from an event log: the journey as customers walk it.

The discovered map is ordinary :class:`~journeywidgets.JourneyMap` data, to edit in the
widget and to hold against the workshop's map (``jw.charts.compare``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import EventLogError
from ..model.ids import slugify
from . import log as _log
from .conformance import conformance_of
from .log import ACTIVITY, CASE, TIMESTAMP
from .paths import transitions_of, variants_of
from .summary import summarize_of

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

#: The lane discovered deviations are written in.
DEVIATIONS_LANE = "Observed deviations"


def _order(dominant: tuple[str, ...], counts: Mapping[str, int], pairs: Any) -> list[str]:
    """Activities in journey order: the dominant path first (each activity once), then every
    other activity after the placed activity that most often comes right before it."""
    placed: list[str] = []
    for step in dominant:
        if step not in placed:
            placed.append(step)
    rest = sorted((a for a in counts if a not in placed), key=lambda a: (-counts[a], a))
    before = pairs.sort_values(["occurrences", "source_id"], ascending=[False, True])
    while rest:
        progress = False
        for act in list(rest):
            sources = before[(before["target_id"] == act) & before["source_id"].isin(placed)]
            if len(sources):
                anchor = sources["source_id"].iloc[0]
                index = placed.index(anchor) + 1
                # after the anchor and after what was already put after it from elsewhere
                while index < len(placed) and placed[index] not in dominant:
                    index += 1
                placed.insert(index, act)
                rest.remove(act)
                progress = True
        if not progress:
            placed.append(rest.pop(0))
    return placed


def discover(
    log: Any,
    *,
    title: str = "Discovered journey",
    stages: Mapping[str, str] | None = None,
    deviations: int = 5,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    lifecycle: str | None = None,
) -> JourneyMap:
    """A map whose touchpoints are the log's activities, in the order customers take them.

    Touchpoints follow the most common path (each activity once); activities off that path
    are placed after the activity that most often precedes them.  Stages come from
    ``stages`` (``{activity: stage name}``, in the order they first appear; an activity not
    named joins the stage of the activity before it) or are one stage, "Journey".
    Touchpoints are grouped by stage, in journey order within each.  Each touchpoint's
    ``metrics`` get the measured reach, drop-off rate and
    median hours to the next touchpoint (see :func:`record`), and a lane "Observed
    deviations" gets a card (source ``"data"``) for each of the ``deviations`` most common
    departures from the discovered order.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> log = jw.events.synthetic(activities=["Search", "Order", "Pay", "Deliver"], n_cases=300,
    ...                           off_map=0, seed=2)
    >>> d = jw.events.discover(log)
    >>> [tp.name for tp in d.touchpoints]
    ['Search', 'Order', 'Pay', 'Deliver']
    >>> d.touchpoints[0].metrics["log_reach"]
    1.0
    """
    from ..model.journey import JourneyMap

    prepared = _log.prepare(
        log, case=case, activity=activity, timestamp=timestamp, lifecycle=lifecycle
    )
    top = variants_of(prepared, top=1)
    pairs = transitions_of(prepared)
    order = _order(tuple(top["path"].iloc[0]), prepared.activity_counts, pairs)
    m = JourneyMap(title, metadata={"source": "discovered from an event log"})
    stage_ids: dict[str, str] = {}
    stage_names = dict(stages or {})
    unknown = sorted(set(stage_names) - set(order))
    if unknown:
        raise EventLogError(
            f"stages: activities {', '.join(map(repr, unknown[:5]))} do not occur in the log",
            field="stages",
        )
    # an activity without a stage joins the stage of the one before it (the first stage
    # named, for those at the start), so that stages stay runs of the journey
    stage_of: dict[str, str] = {}
    current = next((stage_names[a] for a in order if a in stage_names), "Journey")
    for act in order:
        current = stage_names.get(act, current)
        stage_of[act] = current
    with m.batch("discover"):
        for act in order:
            if stage_of[act] not in stage_ids:
                stage_ids[stage_of[act]] = m.add_stage(stage_of[act]).id
        ids = {}
        for act in order:
            tp = m.add_touchpoint(act, stage=stage_ids[stage_of[act]], id=_free_id(m, act))
            ids[act] = tp.id
    # the same log, now read against the discovered map
    on_map = _log.prepare(
        log,
        m,
        case=case,
        activity=activity,
        timestamp=timestamp,
        lifecycle=lifecycle,
        mapping={a: ids[a] for a in order},
    )
    from .evidence import record

    summary = summarize_of(on_map)
    found = conformance_of(on_map, top=deviations).deviations
    with m.batch("discover evidence"):
        record(m, summary)
        if len(found):
            lane = m.add_lane(DEVIATIONS_LANE, kind="pain_points")
            for row in found.itertuples(index=False):
                where = row.touchpoint_id or m.touchpoints[-1].id
                m.add_card(
                    f"{row.share:.0%} of cases: {row.kind} – {row.description}",
                    touchpoint=str(where),
                    lane=lane.id,
                    source="data",
                )
    return m


def _free_id(m: JourneyMap, name: str) -> str:
    base = slugify(name) or "step"
    candidate, n = base, 2
    while m.kind_of(candidate) is not None:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


__all__ = ["discover"]
