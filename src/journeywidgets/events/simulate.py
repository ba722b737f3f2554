"""Realistic event logs of a map's journey, for examples, tests and benchmarks.

Customers walk the map's touchpoints in order, each step taken with a probability that falls
along the journey (people drop off), some steps skipped, some repeated (rework), now and
then a step back, and a few activities the map does not know (``Complaint``, ``Status
enquiry``).  Times between steps are log-normal; cases start over a year.  Everything is
vectorised with numpy: ten million events take a few seconds and no per-case Python object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import EventLogError
from .log import ACTIVITY, CASE, TIMESTAMP

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

#: Activities outside any map that synthetic logs mix in.
OFF_MAP = ("Status enquiry", "Complaint")
CHANNELS = ("web", "app", "phone", "branch")


def synthetic(
    m: JourneyMap | None = None,
    *,
    n_cases: int = 1000,
    activities: list[str] | None = None,
    seed: int = 0,
    drop_off: float = 0.08,
    skip: float = 0.08,
    repeat: float = 0.05,
    back: float = 0.03,
    off_map: float = 0.05,
    start: str = "2026-01-01",
    segments: tuple[str, ...] = ("new", "existing"),
    extra: tuple[str, ...] = OFF_MAP,
    channels: tuple[str, ...] = CHANNELS,
) -> pd.DataFrame:
    """A synthetic event log following the map's touchpoints (or ``activities``).

    Returns a pandas DataFrame with XES columns (``case:concept:name``, ``concept:name``,
    ``time:timestamp``, UTC) plus ``channel`` and ``segment``, sorted by case and time.
    Activities are the touchpoint names; ``extra`` are the activities outside the journey
    that some cases take (``off_map`` is their rate per step).

    Examples
    --------
    >>> import journeywidgets as jw
    >>> log = synthetic(jw.templates.it_laptop(), n_cases=50, seed=3)
    >>> list(log.columns)
    ['case:concept:name', 'concept:name', 'time:timestamp', 'channel', 'segment']
    >>> log["case:concept:name"].nunique()
    50
    """
    if activities is None:
        if m is None:
            raise EventLogError("synthetic: pass a map or activities=[...]", field="activities")
        activities = [tp.name for tp in m.touchpoints]
    if not activities:
        raise EventLogError("synthetic: no touchpoints or activities to walk", field="activities")
    if n_cases < 1:
        raise EventLogError(
            f"synthetic: n_cases must be at least 1, not {n_cases}", field="n_cases"
        )
    rng = np.random.default_rng(seed)
    extra = tuple(extra) or OFF_MAP
    names = np.array([*activities, *extra], dtype=object)
    k = len(activities)
    # per case and touchpoint: does the customer get there, skip it, repeat it?
    survive = rng.random((n_cases, k)) >= drop_off
    survive[:, 0] = True
    reached = np.cumprod(survive, axis=1).astype(bool)
    taken = reached & (rng.random((n_cases, k)) >= skip)
    taken[:, 0] = reached[:, 0]
    repeats = taken & (rng.random((n_cases, k)) < repeat)
    backs = taken & (rng.random((n_cases, k)) < back)
    backs[:, 0] = False
    outside = taken & (rng.random((n_cases, k)) < off_map)
    # events as (case, sort key, activity index): one slot per possible event, then filtered
    slot = np.arange(k, dtype=float)
    parts = [
        (taken, slot, np.arange(k)),
        (repeats, slot + 0.3, np.arange(k)),
        (backs, slot + 0.5, np.maximum(np.arange(k) - 1, 0)),
        (outside, slot + 0.7, k + rng.integers(0, len(extra), size=k)),
    ]
    cases, keys, acts = [], [], []
    for mask, key, act in parts:
        rows, cols = np.nonzero(mask)
        cases.append(rows)
        keys.append(key[cols])
        acts.append(act[cols])
    case = np.concatenate(cases)
    key = np.concatenate(keys)
    act = np.concatenate(acts)
    order = np.lexsort((key, case))
    case, act = case[order], act[order]
    # hours between steps: log-normal, median about 20 h; cases start over a year
    gaps = rng.lognormal(mean=3.0, sigma=1.2, size=len(case))
    first = np.r_[True, case[1:] != case[:-1]]
    starts = rng.uniform(0, 365 * 24, size=n_cases)
    gaps[first] = 0.0
    hours = np.cumsum(gaps)
    base = np.maximum.accumulate(np.where(first, hours, 0.0))
    hours = hours - base + starts[case]
    stamps = pd.Timestamp(start, tz="UTC") + pd.to_timedelta(np.round(hours * 3600), unit="s")
    width = len(str(n_cases))
    ids = np.char.add("C", np.char.zfill(np.arange(n_cases).astype(str), width))
    segment = np.asarray(segments, dtype=object)[rng.integers(0, len(segments), n_cases)]
    channel = np.asarray(channels, dtype=object)[rng.integers(0, len(channels), len(case))]
    return pd.DataFrame(
        {
            CASE: ids[case].astype(object),
            ACTIVITY: names[act],
            TIMESTAMP: stamps,
            "channel": channel,
            "segment": segment[case],
        }
    )
