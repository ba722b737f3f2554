"""Event logs from files: XES (IEEE 1849, ``.xes`` and ``.xes.gz``) and CSV.

XES is read with the standard library's streaming ``xml.etree.ElementTree.iterparse``: each
trace is read, turned into columns and cleared, so memory holds the columns being built and
one trace, not the document tree.  Attribute values are kept as their XES type says
(``date`` as UTC timestamps, ``int``, ``float``, ``boolean``, ``string``, ``id``); trace
attributes become columns prefixed ``case:`` (``case:concept:name`` is the case id), as
pm4py names them.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

import pandas as pd

from ..errors import EventLogError
from .log import CASE, TIMESTAMP

_TYPES = ("string", "date", "int", "float", "boolean", "id")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _open(path: Path) -> Any:
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _value(kind: str, text: str | None) -> Any:
    if kind == "int":
        return int(text) if text is not None else None
    if kind == "float":
        return float(text) if text is not None else None
    if kind == "boolean":
        return None if text is None else text.strip().lower() == "true"
    return text  # dates are parsed per column at the end (much faster than one by one)


def read_xes(
    path: str | os.PathLike[str],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Read an XES event log (``.xes`` or gzip-compressed ``.xes.gz``) into a DataFrame.

    One row per event, with the event attributes as columns (``concept:name``,
    ``time:timestamp`` as UTC datetimes, ``org:resource``, ``lifecycle:transition``...) and
    the trace attributes as ``case:...`` columns; rows in file order.

    Parameters
    ----------
    path:
        The file.
    progress:
        Called as ``progress(traces, events)`` every 10,000 traces and at the end, for long
        files (e.g. ``lambda t, e: print(f"{t:,} traces", end="\\r")``).

    Raises
    ------
    EventLogError
        The file is not XES (naming the line), a date cannot be read, or a trace has no
        ``concept:name``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> xes = '''<log xes.version="1.0"><trace><string key="concept:name" value="c1"/>
    ... <event><string key="concept:name" value="Web"/>
    ... <date key="time:timestamp" value="2026-01-01T09:00:00+01:00"/></event>
    ... <event><string key="concept:name" value="Call"/>
    ... <date key="time:timestamp" value="2026-01-01T09:30:00Z"/></event></trace></log>'''
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.xes"
    >>> _ = path.write_text(xes)
    >>> read_xes(path)
      case:concept:name concept:name            time:timestamp
    0                c1          Web 2026-01-01 08:00:00+00:00
    1                c1         Call 2026-01-01 09:30:00+00:00
    """
    file = Path(path)
    if not file.is_file():
        raise EventLogError(f"read_xes: no such file: {file}", field="path")
    columns: dict[str, list[Any]] = {}
    kinds: dict[str, str] = {}
    n_events = 0
    n_traces = 0
    trace_attrs: dict[str, Any] = {}
    trace_events: list[dict[str, Any]] = []
    depth_event = False
    in_trace = False
    try:
        with _open(file) as handle:
            context = iterparse(handle, events=("start", "end"))
            for event, element in context:
                tag = _local(element.tag)
                if event == "start":
                    if tag == "trace":
                        in_trace, trace_attrs, trace_events = True, {}, []
                    elif tag == "event":
                        depth_event = True
                        trace_events.append({})
                    continue
                if tag in _TYPES:
                    key = element.get("key")
                    if key is None:
                        continue
                    value = _value(tag, element.get("value"))
                    if depth_event:
                        trace_events[-1].setdefault(key, value)
                        kinds.setdefault(key, tag)
                    elif in_trace:
                        trace_attrs.setdefault(f"case:{key}", value)
                        kinds.setdefault(f"case:{key}", tag)
                elif tag == "event":
                    depth_event = False
                    element.clear()
                elif tag == "trace":
                    in_trace = False
                    n_traces += 1
                    if CASE not in trace_attrs:
                        raise EventLogError(
                            f"read_xes: trace {n_traces} of {file.name} has no 'concept:name'"
                            " (the case id)",
                            field=CASE,
                        )
                    _append(columns, trace_attrs, trace_events, n_events)
                    n_events += len(trace_events)
                    element.clear()
                    if progress is not None and n_traces % 10_000 == 0:
                        progress(n_traces, n_events)
    except ParseError as exc:
        raise EventLogError(
            f"read_xes: {file.name} is not valid XML at line {exc.position[0]}, column "
            f"{exc.position[1]}",
            field="path",
        ) from None
    except (EOFError, gzip.BadGzipFile, OSError) as exc:
        raise EventLogError(f"read_xes: cannot read {file.name}: {exc}", field="path") from None
    if progress is not None:
        progress(n_traces, n_events)
    frame = pd.DataFrame(columns)
    for column, kind in kinds.items():
        if kind == "date" and column in frame.columns:
            frame[column] = _dates(frame[column], column, file.name)
    first = [c for c in (CASE, "concept:name", TIMESTAMP) if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


def _append(
    columns: dict[str, list[Any]],
    trace: dict[str, Any],
    events: list[dict[str, Any]],
    before: int,
) -> None:
    """Add a trace's events to the column lists (a column first seen now is back-filled)."""
    for row in events:
        for key in row.keys() | trace.keys():
            if key not in columns:
                columns[key] = [None] * before
        for key, values in columns.items():
            values.append(row.get(key, trace.get(key)))
        before += 1


def _dates(cells: pd.Series[Any], column: str, name: str) -> pd.Series[Any]:
    parsed = pd.to_datetime(cells, utc=True, format="ISO8601", errors="coerce")
    bad = parsed.isna() & cells.notna()
    if bad.any():
        rows = cells.index[bad.to_numpy()][:5].tolist()
        raise EventLogError(
            f"read_xes: {name}: {int(bad.sum())} value(s) of date attribute {column!r} are "
            f"not ISO 8601 dates: " + ", ".join(f"{cells[r]!r} (event {r})" for r in rows),
            field=column,
        )
    return parsed


def read_csv(
    path: str | os.PathLike[str],
    *,
    timestamp: str = TIMESTAMP,
    **options: Any,
) -> pd.DataFrame:
    """Read an event log from CSV with pandas, the timestamp column parsed (UTC).

    ``options`` go to :func:`pandas.read_csv` (``sep=";"``, ``encoding=...``).  Timestamps
    with different offsets are brought to UTC; text that is not a time raises an
    :class:`~journeywidgets.errors.EventLogError` naming the rows.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = path.write_text("case,activity,time\\n1,Web,2026-01-01T09:00+01:00\\n"
    ...                     "1,Call,2026-01-01 09:30\\n")
    >>> read_csv(path, timestamp="time")["time"].astype(str).tolist()
    ['2026-01-01 08:00:00+00:00', '2026-01-01 09:30:00+00:00']
    """
    from .log import _pandas_timestamps

    file = Path(path)
    if not file.is_file():
        raise EventLogError(f"read_csv: no such file: {file}", field="path")
    frame = pd.read_csv(file, **options)
    if timestamp not in frame.columns:
        raise EventLogError(
            f"read_csv: {file.name} has no column {timestamp!r} (its columns are "
            f"{', '.join(map(repr, frame.columns))}); pass timestamp=...",
            field=timestamp,
        )
    frame[timestamp] = _pandas_timestamps(frame[timestamp], timestamp)
    return frame
