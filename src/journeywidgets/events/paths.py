"""The paths customers took: variants (whole journeys) and transitions (step to step).

Both are computed inside the log's engine (DuckDB, polars, Spark, pandas through narwhals);
only one row per variant or per pair of steps comes back.

How variants are found without a list per case
----------------------------------------------
A case's path is the set of pairs (position, step).  Each position and each step gets a
random number below a prime p (a fixed seed), a pair the product of its two numbers mod p,
and a case's fingerprint is the sum over its pairs, under two primes, with its length: plain
integer arithmetic every engine does.  Cases are grouped by fingerprint; one example case per
variant is then read back to spell its path.  (A polynomial of position and step, such as a
cube of ``position * M + step``, would not do: its sum over a path depends only on a few
moments of the path, which many different paths share.)  DuckDB groups each case's ordered
list of step codes instead (see :mod:`journeywidgets.events.sql`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import EventLogError
from . import log as _log
from . import sql as _sql
from .journeys import prepared_for
from .log import ACTIVITY, CASE, TIMESTAMP, Prepared

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

_P1 = 2147483579
_P2 = 2147483549
ARROW = " → "


def check_cases(cases: int, events: int) -> None:
    """Refuse a log in which no case has two events: the case column is probably wrong."""
    if cases and cases == events and cases > 1:
        raise EventLogError(
            f"event log: each of its {cases} cases has a single event, so there is no journey "
            "to follow; is the case column right (case=...)? Every event of one customer's "
            "journey must share a case id",
            field="case",
        )


def _duration(seconds: pd.Series[Any]) -> pd.Series[Any]:
    """Seconds as Timedeltas, to the second (a median may fall on half a second)."""
    return pd.to_timedelta(seconds.astype(float), unit="s").dt.round("s")


def _random_table(keys: list[Any], prime: int, rng: Any) -> dict[Any, int]:
    """A random number in [1, prime) for each key (fixed seed: the same on every run)."""
    values = rng.integers(1, prime, size=len(keys))
    return {key: int(value) for key, value in zip(keys, values, strict=True)}


def _codes_seen(paths: Any) -> set[str]:
    seen: set[str] = set()
    for path in paths:
        seen.update(path)
    return seen


def _codes(prepared: Prepared) -> dict[str, int]:
    steps = _log.collect(prepared.frame.group_by("_step").agg(nw.len()))["_step"]
    return {str(s): i + 1 for i, s in enumerate(sorted(map(str, steps)))}


def variants(
    log: Any,
    m: JourneyMap | None = None,
    *,
    mapping: Mapping[str, str] | str | None = None,
    top: int | None = None,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    lifecycle: str | None = None,
    unmatched: str = "warn",
) -> pd.DataFrame:
    """Each distinct path through the journey, most common first.

    Parameters
    ----------
    log:
        One row per event (pandas, polars, pyarrow, DuckDB, Spark...).
    m, mapping:
        Without a map, paths are sequences of activities.  With a map, of touchpoints:
        activities map to touchpoints by ``mapping`` (``{activity: touchpoint id or name}``,
        or the name of a column holding the touchpoint) or else by their own name;
        activities that match no touchpoint stay in the path as themselves, outside the map.
    top:
        Keep the ``top`` most common variants (ties at the cut go to the variant whose first
        case id is smallest).  ``share`` and ``cumulative_share`` stay shares of all cases.
    case, activity, timestamp, lifecycle:
        Column names (XES names by default); with ``lifecycle`` only ``complete`` events
        count.
    unmatched:
        ``"warn"`` (default), ``"error"`` or ``"ignore"`` activities that match no touchpoint.

    Returns
    -------
    pandas.DataFrame
        ``variant`` (the path as text), ``path`` (tuple of step ids: activities or touchpoint
        ids), ``length``, ``cases``, ``share``, ``cumulative_share``, ``median_duration``
        (first to last event) and ``example_case``.  ``attrs`` holds the parameters and
        ``cases`` / ``variants`` (totals over the whole log).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"case:concept:name": [1, 1, 2, 2, 3, 3, 3],
    ...     "concept:name": ["web", "call", "web", "call", "web", "visit", "call"],
    ...     "time:timestamp": pd.to_datetime(["2026-01-01 09:00", "2026-01-01 10:00",
    ...         "2026-01-02 09:00", "2026-01-02 09:30", "2026-01-03 09:00",
    ...         "2026-01-03 12:00", "2026-01-04 09:00"])})
    >>> variants(log)[["variant", "cases", "share", "median_duration"]]
                  variant  cases     share median_duration
    0          web → call      2  0.666667 0 days 00:45:00
    1  web → visit → call      1  0.333333 1 days 00:00:00
    """
    prepared = prepared_for(
        "variants",
        log,
        m,
        mapping=mapping,
        case=case,
        activity=activity,
        timestamp=timestamp,
        lifecycle=lifecycle,
        unmatched=unmatched,
    )
    return variants_of(prepared, top=top)


def variants_of(prepared: Prepared, *, top: int | None = None) -> pd.DataFrame:
    """:func:`variants` of a prepared log."""
    if top is not None and (not isinstance(top, int) or top < 1):
        raise EventLogError(f"top must be a positive whole number, not {top!r}", field="top")
    if prepared.frame.implementation.is_duckdb():
        return _variant_table(prepared, _sql.variants(prepared, ARROW), None, top)
    native = nw.to_native(prepared.frame)
    if isinstance(native, pd.DataFrame):
        return _variant_table(prepared, _pandas_variants(prepared), None, top)
    steps = sorted(_codes(prepared))
    longest = _log.collect(
        prepared.frame.group_by("_case").agg(nw.len().alias("n")).select(nw.col("n").max())
    )
    positions = list(range(1, int(longest["n"].iloc[0]) + 1))
    rng = np.random.default_rng(17)
    events = _log.ordered(prepared, shift=())
    for name, prime in (("1", _P1), ("2", _P2)):
        at = _random_table(positions, prime, rng)
        of = _random_table(steps, prime, rng)
        events = events.with_columns(
            **{
                f"_r{name}": nw.col("_k").replace_strict(at, default=0, return_dtype=nw.Int64),
                f"_s{name}": nw.col("_step").replace_strict(of, default=0, return_dtype=nw.Int64),
            }
        ).with_columns(**{f"_f{name}": (nw.col(f"_r{name}") * nw.col(f"_s{name}")) % prime})
    # plain aggregations only: pandas then groups at full speed
    per_case = (
        events.group_by("_case")
        .agg(
            nw.col("_f1").sum().alias("_h1"),
            nw.col("_f2").sum().alias("_h2"),
            nw.len().alias("_len"),
            nw.col("_sec").min().alias("_first"),
            nw.col("_sec").max().alias("_last"),
        )
        .with_columns(_dur=_log.seconds(nw.col("_last"), nw.col("_first")))
    )
    variant_table = per_case.group_by("_len", "_h1", "_h2").agg(
        nw.len().alias("cases"),
        nw.col("_dur").median().alias("_median"),
        nw.col("_case").min().alias("example_case"),
    )
    groups = _log.collect(variant_table)
    examples = variant_table.select(nw.col("example_case").alias("_case"))
    return _variant_table(prepared, groups, None, top, examples)


def _pandas_variants(prepared: Prepared) -> pd.DataFrame:
    """Variants of a pandas table with numpy: the events sorted once, each case's
    fingerprint summed with ``reduceat`` over its run of rows, and the example paths sliced
    from the same sorted arrays (no sorted copy of the table, no per-case Python objects)."""
    events = _log.sorted_events(prepared)
    cases_sorted, steps_sorted, seconds = events.cases, events.steps, events.seconds
    case_ids, step_names = events.case_ids, events.step_names
    n = len(events.order)
    starts = (
        np.flatnonzero(np.r_[True, cases_sorted[1:] != cases_sorted[:-1]]) if n else events.order
    )
    lengths = np.diff(np.r_[starts, n])
    position = np.arange(n) - np.repeat(starts, lengths)  # 0-based step number in the case
    rng = np.random.default_rng(17)
    fingerprints = {}
    for name, prime in (("_h1", _P1), ("_h2", _P2)):
        at = rng.integers(1, prime, size=int(lengths.max()) if n else 1, dtype=np.int64)
        of = rng.integers(1, prime, size=max(len(step_names), 1), dtype=np.int64)
        # each product is below 2**62 and a case's sum of values below 2**31 stays far
        # from overflow for any case shorter than 2**32 events
        fingerprints[name] = np.add.reduceat((at[position] * of[steps_sorted]) % prime, starts)
    ends = starts + lengths - 1
    per_case = pd.DataFrame(
        {
            "_len": lengths,
            **fingerprints,
            "_dur": seconds[ends] - seconds[starts],
        }
    )
    # one number per variant (in order of first appearance) and plain numpy per variant
    variant = per_case.groupby(["_len", "_h1", "_h2"], sort=False).ngroup().to_numpy()
    count = int(variant.max()) + 1 if n else 0
    first_case = np.empty(count, dtype=np.int64)
    first_case[variant[::-1]] = np.arange(len(variant))[::-1]  # the earliest write wins
    by_variant = pd.DataFrame(
        # the ids of the cases (a million at most), not of the events
        {"_dur": per_case["_dur"], "_case": case_ids.take(cases_sorted[starts])}
    ).groupby(variant, sort=True)
    groups = pd.DataFrame(
        {
            "_len": lengths[first_case],
            "cases": np.bincount(variant, minlength=count),
            "_median": by_variant["_dur"].median().to_numpy(),
            # the example case of a variant is its smallest case id, as in the other engines
            "example_case": by_variant["_case"].min().to_numpy(),
        }
    )
    # each variant's path is spelled from the sorted steps of one of its cases
    path_starts, path_lengths = starts[first_case], lengths[first_case]
    offsets = np.r_[0, np.cumsum(path_lengths)]
    index = np.repeat(path_starts - offsets[:-1], path_lengths) + np.arange(offsets[-1])
    names = np.asarray(step_names, dtype=object)
    flat = names[steps_sorted[index]].tolist()
    bounds = offsets.tolist()
    paths = np.empty(len(groups), dtype=object)
    paths[:] = [tuple(flat[a:b]) for a, b in itertools.pairwise(bounds)]
    shown = [prepared.labels.get(str(step), str(step)) for step in names]
    flat_labels = np.asarray(shown, dtype=object)[steps_sorted[index]].tolist()
    texts = [ARROW.join(flat_labels[a:b]) for a, b in itertools.pairwise(bounds)]
    groups = groups.assign(_path=paths, _text=texts)
    return groups.iloc[_by_cases_and_text(groups["cases"].to_numpy(), texts)].reset_index(drop=True)


def _by_cases_and_text(cases: Any, texts: list[str]) -> Any:
    """The order listing most cases first, then by text.  Arrow sorts the texts (its byte
    order of UTF-8 is Python's order of code points) several times faster than numpy, which
    compares Python strings one by one; pyarrow is optional, so numpy does without it."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow is installed wherever tests run
        rank = np.empty(len(texts), dtype=np.int64)
        rank[np.argsort(np.asarray(texts, dtype=object), kind="stable")] = np.arange(len(texts))
        return np.lexsort((rank, -np.asarray(cases)))
    table = pa.table({"cases": cases, "text": pa.array(texts, pa.large_string())})
    return pc.sort_indices(
        table, sort_keys=[("cases", "descending"), ("text", "ascending")]
    ).to_numpy()


def _pandas_transitions(prepared: Prepared) -> pd.DataFrame:
    """Directly-follows pairs of a pandas table with numpy: the events sorted once, each
    pair a number (source code * steps + target code), counted with ``bincount``."""
    events = _log.sorted_events(prepared)
    cases_sorted, steps_sorted, seconds = events.cases, events.steps, events.seconds
    step_names = events.step_names
    same = cases_sorted[1:] == cases_sorted[:-1]  # event i is followed by i + 1
    width = max(len(step_names), 1)
    pair = (steps_sorted[:-1] * width + steps_sorted[1:])[same]
    size = width * width
    occurrences = np.bincount(pair, minlength=size)
    timing = _log.group_quantiles(
        pair, (seconds[1:] - seconds[:-1])[same], {"_median": 0.5, "_p90": 0.9}, size
    )
    # a case counts once per pair: the first time it has it
    firsts = _log.firsts(cases_sorted[:-1][same], pair, size)
    codes = timing.index.to_numpy()
    names = np.asarray(step_names, dtype=object)
    return pd.DataFrame(
        {
            "_step": names[codes // width],
            "_next": names[codes % width],
            "occurrences": occurrences[codes],
            "cases": np.bincount(pair, weights=firsts, minlength=size)[codes].astype(np.int64),
            "_median": timing["_median"].to_numpy(),
            "_p90": timing["_p90"].to_numpy(),
        }
    )


def _variant_table(
    prepared: Prepared,
    groups: pd.DataFrame,
    paths: dict[Any, tuple[str, ...]] | None,
    top: int | None,
    examples: Any = None,
) -> pd.DataFrame:
    """The variants table from one row per variant (``_len``, ``cases``, ``_median``,
    ``example_case``, and ``_text`` and ``_path`` when the engine spelled and sorted the
    variants itself); paths are read from the engine when not given."""
    total_cases = int(groups["cases"].sum())
    check_cases(total_cases, int((groups["cases"] * groups["_len"]).sum()))
    # an engine that spelled the variants listed them by cases and text: the final order
    presorted = "_text" in groups.columns and top is None
    if not presorted:
        groups = groups.sort_values(
            ["cases", "example_case"], ascending=[False, True], kind="stable"
        ).reset_index(drop=True)
    shares = groups["cases"] / total_cases
    groups["share"] = shares
    groups["cumulative_share"] = shares.cumsum()
    chosen = groups if top is None else groups.head(top)
    spelled: Any
    if "_path" in chosen.columns:
        spelled = chosen["_path"].to_numpy()
    else:
        if paths is None:
            paths = _spell(prepared, examples, chosen["example_case"].tolist())
        spelled = [paths[c] for c in chosen["example_case"]]
    out = pd.DataFrame(
        {
            "path": spelled,
            "length": chosen["_len"].astype("int64"),
            "cases": chosen["cases"].astype("int64"),
            "share": chosen["share"].astype(float),
            "cumulative_share": chosen["cumulative_share"].astype(float),
            "median_duration": _duration(chosen["_median"]),
            "example_case": chosen["example_case"],
        }
    )
    labels = prepared.labels
    texts: Any
    if "_text" in chosen.columns:
        texts = chosen["_text"].array
    elif all(labels.get(s, s) == s for s in _codes_seen(out["path"])):
        texts = [ARROW.join(p) for p in out["path"]]
    else:
        texts = [ARROW.join([labels.get(s, s) for s in p]) for p in out["path"]]
    out.insert(0, "variant", texts)
    if not presorted:
        # equal counts are listed by path, so that every engine gives the same order
        out = out.sort_values(["cases", "variant"], ascending=[False, True], kind="stable")
    out["cumulative_share"] = out["share"].cumsum() + (
        0.0 if top is None else float(groups["share"].iloc[: len(out)].sum() - out["share"].sum())
    )
    out = out.reset_index(drop=True)
    out.attrs.update(
        {**prepared.params(), "cases": total_cases, "variants": len(groups), "top": top}
    )
    return out


def _spell(prepared: Prepared, examples: Any, cases: list[Any]) -> dict[Any, tuple[str, ...]]:
    """The path of each of ``cases`` (one example case per variant), read from the engine.

    ``examples`` is the engine's (lazy) table of example cases: joining it, rather than
    filtering on a list of thousands of ids, keeps the query small."""
    if not cases:
        return {}
    if len(cases) <= 1000:
        chosen = prepared.frame.filter(nw.col("_case").is_in(cases))
    else:
        chosen = prepared.frame.join(examples, on="_case", how="inner")
    events = _log.collect(chosen.select("_case", "_sec", "_tie", "_step"))
    codes, uniques = pd.factorize(events["_case"])
    order = np.lexsort((events["_tie"].to_numpy(), events["_sec"].to_numpy(), codes))
    codes = codes[order]
    steps = events["_step"].to_numpy(dtype=object)[order]
    cuts = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    # one split of arrays, not a pandas group per variant (there may be 100,000)
    firsts = codes[np.r_[0, cuts]] if len(codes) else codes
    names = np.asarray(uniques, dtype=object)[firsts].tolist()
    return dict(zip(names, map(tuple, np.split(steps, cuts)), strict=True))


def transitions(
    log: Any,
    m: JourneyMap | None = None,
    *,
    mapping: Mapping[str, str] | str | None = None,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    lifecycle: str | None = None,
    unmatched: str = "warn",
) -> pd.DataFrame:
    """Directly-follows pairs: how often one step is followed by the next, and how long after.

    Parameters are those of :func:`variants`.  A repeated step (``web → web``) is a pair of
    its own; the first and last events of a case have no pair before or after them, so the
    pairs of a case number its events - 1.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target`` (labels), ``source_id``, ``target_id`` (activities or
        touchpoint ids), ``occurrences``, ``cases`` (cases with the pair at least once),
        ``median_time`` and ``p90_time`` between the two events (linear interpolation), most
        frequent first.  ``attrs`` holds the parameters and the total ``cases`` and
        ``events``.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"case:concept:name": [1, 1, 1, 2, 2],
    ...     "concept:name": ["web", "call", "call", "web", "call"],
    ...     "time:timestamp": pd.to_datetime(["2026-01-01 09:00", "2026-01-01 10:00",
    ...         "2026-01-01 10:30", "2026-01-02 09:00", "2026-01-02 11:00"])})
    >>> transitions(log)[["source", "target", "occurrences", "cases", "median_time"]]
      source target  occurrences  cases     median_time
    0    web   call            2      2 0 days 01:30:00
    1   call   call            1      1 0 days 00:30:00
    """
    prepared = prepared_for(
        "transitions",
        log,
        m,
        mapping=mapping,
        case=case,
        activity=activity,
        timestamp=timestamp,
        lifecycle=lifecycle,
        unmatched=unmatched,
    )
    return transitions_of(prepared)


def transitions_of(prepared: Prepared) -> pd.DataFrame:
    """:func:`transitions` of a prepared log."""
    if prepared.frame.implementation.is_duckdb():
        # the totals come from the same query: a case's last event is the one without a pair
        table, cases, events = _sql.transitions(prepared)
    else:
        totals = _log.collect(
            prepared.frame.select(
                nw.col("_case").n_unique().alias("cases"), nw.len().alias("events")
            )
        ).iloc[0]
        cases, events = int(totals["cases"]), int(totals["events"])
    check_cases(cases, events)
    native = nw.to_native(prepared.frame)
    if isinstance(native, pd.DataFrame):
        table = _pandas_transitions(prepared)
    elif not prepared.frame.implementation.is_duckdb():
        table = _narwhals_transitions(prepared)
    labels = prepared.labels
    out = pd.DataFrame(
        {
            "source": [labels.get(s, s) for s in table["_step"]],
            "target": [labels.get(s, s) for s in table["_next"]],
            "source_id": table["_step"].astype(object),
            "target_id": table["_next"].astype(object),
            "occurrences": table["occurrences"].astype("int64"),
            "cases": table["cases"].astype("int64"),
            "median_time": _duration(table["_median"]),
            "p90_time": _duration(table["_p90"]),
        }
    )
    if prepared.m is not None:
        on = set(prepared.order)
        out.insert(4, "source_on_map", out["source_id"].isin(on))
        out.insert(5, "target_on_map", out["target_id"].isin(on))
    out = out.sort_values(
        ["occurrences", "source_id", "target_id"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
    out.attrs.update({**prepared.params(), "cases": cases, "events": events})
    return out


def _narwhals_transitions(prepared: Prepared) -> pd.DataFrame:
    """Directly-follows pairs through narwhals (polars, Spark...): window functions in the
    engine, one row per pair back."""
    pairs = (
        _log.ordered(prepared)
        .filter(~nw.col("_next").is_null())
        .with_columns(_dt=_log.seconds(nw.col("_next_sec"), nw.col("_sec")))
    )
    return _log.collect(
        pairs.group_by("_step", "_next").agg(
            nw.len().alias("occurrences"),
            nw.col("_case").n_unique().alias("cases"),
            nw.col("_dt").median().alias("_median"),
            nw.col("_dt").quantile(0.9, interpolation="linear").alias("_p90"),
        )
    )
