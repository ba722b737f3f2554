"""Journeys from event logs: the journey customers actually take, held against the map.

An event log (CRM contacts, web or app events, tickets, case systems) records what each
customer -- a *case* -- did (*activities*) and when.  This module reads it as journeys:

- :func:`read_xes` and :func:`read_csv` read logs from files (XES is IEEE 1849, the
  process-mining standard); any table with a case, an activity and a timestamp column works
  (pandas, polars, pyarrow, DuckDB, Spark), with XES column names as defaults.
- :func:`variants` -- each distinct path with its cases, share and median duration;
  :func:`transitions` -- directly-follows pairs with the time between.
- :func:`summarize` -- per touchpoint of a map: reach, drop-off, repeats, time to the next
  touchpoint, channel mix; :func:`record` writes it into the map as one undoable step.
- :func:`conformance` -- how far the actual order departs from the map's.
- :func:`discover` -- a map built from the log, to edit and to compare with the workshop's.
- :func:`prepare` -- a log checked and placed on the map once, for several analyses.

Every analysis runs inside the table's engine; only aggregates come back.

Examples
--------
>>> import journeywidgets as jw
>>> m = jw.templates.it_laptop()
>>> log = jw.events.synthetic(m, n_cases=200, seed=1)
>>> v = jw.events.variants(log, m, unmatched="ignore")  # two activities are off the map
>>> int(v["cases"].sum())
200
"""

from .conformance import Conformance, conformance
from .discover import discover
from .evidence import record
from .files import read_csv, read_xes
from .journeys import prepare
from .log import ACTIVITY, CASE, OUTSIDE, TIMESTAMP
from .paths import transitions, variants
from .simulate import synthetic
from .summary import summarize

__all__ = [
    "ACTIVITY",
    "CASE",
    "OUTSIDE",
    "TIMESTAMP",
    "Conformance",
    "conformance",
    "discover",
    "prepare",
    "read_csv",
    "read_xes",
    "record",
    "summarize",
    "synthetic",
    "transitions",
    "variants",
]
