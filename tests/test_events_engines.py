"""journeywidgets.events on polars (eager and lazy), pyarrow and DuckDB gives pandas' results.

Lazy tables have no row order, so events of one case at the same instant are ordered by
activity there (by file order in eager tables): the generated logs here have no such ties.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeywidgets as jw

ENGINES = ["polars", "polars-lazy", "pyarrow", "duckdb"]


def as_engine(log: pd.DataFrame, engine: str) -> Any:
    if engine == "polars":
        return pl.from_pandas(log)
    if engine == "polars-lazy":
        return pl.from_pandas(log).lazy()
    table = pa.Table.from_pandas(log, preserve_index=False)
    if engine == "pyarrow":
        return table
    return duckdb.from_arrow(table)


@pytest.fixture(scope="module")
def m() -> jw.JourneyMap:
    return jw.templates.it_laptop()


@pytest.fixture(scope="module")
def log(m: jw.JourneyMap) -> pd.DataFrame:
    log = jw.events.synthetic(m, n_cases=400, seed=12)
    log["time:timestamp"] += pd.to_timedelta(range(len(log)), unit="ms")  # no ties
    return log


def frames_equal(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True),
        want.reset_index(drop=True),
        check_dtype=False,
        rtol=1e-6,  # quantiles: to the ms
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_variants_and_transitions(engine: str, m: jw.JourneyMap, log: pd.DataFrame) -> None:
    native = as_engine(log, engine)
    frames_equal(
        jw.events.variants(native, m, unmatched="ignore"),
        jw.events.variants(log, m, unmatched="ignore"),
    )
    frames_equal(jw.events.transitions(native), jw.events.transitions(log))


@pytest.mark.parametrize("engine", ENGINES)
def test_summarize_and_conformance(engine: str, m: jw.JourneyMap, log: pd.DataFrame) -> None:
    native = as_engine(log, engine)
    options = {"segment": "segment", "channel": "channel", "unmatched": "ignore"}
    frames_equal(jw.events.summarize(native, m, **options), jw.events.summarize(log, m, **options))
    got = jw.events.conformance(native, m, unmatched="ignore")
    want = jw.events.conformance(log, m, unmatched="ignore")
    for name in ("overall", "cases", "deviations"):
        frames_equal(getattr(got, name), getattr(want, name))


def test_text_timestamps_in_an_engine(log: pd.DataFrame) -> None:
    text = log.assign(
        **{"time:timestamp": log["time:timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f")}
    )
    frames_equal(jw.events.variants(pl.from_pandas(text)), jw.events.variants(log))
    text.loc[5, "time:timestamp"] = "not a time"
    with pytest.raises(jw.JourneyError, match=r"'time:timestamp' holds text.*not a time"):
        jw.events.variants(duckdb.from_arrow(pa.Table.from_pandas(text, preserve_index=False)))


def test_duckdb_sql_equals_polars_lazy_with_ties_and_a_mapping_column(m: jw.JourneyMap) -> None:
    """DuckDB's own SQL (integer codes, ranked quantiles) against narwhals on a lazy polars
    frame: both order same-instant events by activity name.  The log has many ties, an
    activity with a quote and braces in its name, a mapping column and missing segments."""
    log = jw.events.synthetic(m, n_cases=300, seed=4)
    log["time:timestamp"] = log["time:timestamp"].dt.floor("D")  # many same-day ties
    log.loc[log.index % 7 == 0, "concept:name"] = "Customer's {call}"
    log["touchpoint"] = log["concept:name"]
    log.loc[log.index % 11 == 0, "touchpoint"] = m.touchpoints[0].name
    log.loc[log["case:concept:name"].str.endswith("3"), "segment"] = None
    table = pa.Table.from_pandas(log, preserve_index=False)
    lazy, relation = pl.from_arrow(table).lazy(), duckdb.from_arrow(table)
    for options in ({}, {"mapping": "touchpoint"}):
        want = jw.events.variants(lazy, m, unmatched="ignore", **options)
        frames_equal(jw.events.variants(relation, m, unmatched="ignore", **options), want)
        frames_equal(
            jw.events.variants(relation, m, top=3, unmatched="ignore", **options),
            jw.events.variants(lazy, m, top=3, unmatched="ignore", **options),
        )
        frames_equal(
            jw.events.transitions(relation, m, unmatched="ignore", **options),
            jw.events.transitions(lazy, m, unmatched="ignore", **options),
        )
        summary = {"segment": "segment", "channel": "channel", "unmatched": "ignore", **options}
        frames_equal(
            jw.events.summarize(relation, m, **summary), jw.events.summarize(lazy, m, **summary)
        )
        frames_equal(
            jw.events.summarize(relation, m, unmatched="ignore", **options),
            jw.events.summarize(lazy, m, unmatched="ignore", **options),
        )
        # a prepared log reads its variants from a table of its own
        prepared = jw.events.prepare(relation, m, unmatched="ignore", **options)
        frames_equal(jw.events.variants(prepared), want)


@st.composite
def looping_logs(draw: Any) -> pd.DataFrame:
    """Small logs with loops, steps back, one-event cases, activities outside the map and
    same-instant events, listed by case, time and activity: the order every engine gives
    same-instant events then (file order for pandas, the name for DuckDB)."""
    n = draw(st.integers(2, 60))
    rows = {
        "case:concept:name": draw(st.lists(st.sampled_from("abcdefg"), min_size=n, max_size=n)),
        "concept:name": draw(
            st.lists(
                st.sampled_from(["Web", "Call", "Visit", "Invoice", "Fax"]), min_size=n, max_size=n
            )
        ),
        "minute": draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)),
    }
    log = pd.DataFrame(rows)
    if log["case:concept:name"].nunique() == len(log):  # the log must have a journey
        log.loc[len(log)] = [log["case:concept:name"].iloc[0], "Web", 5]
    log["time:timestamp"] = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(
        log.pop("minute"), unit="min"
    )
    return log.sort_values(["case:concept:name", "time:timestamp", "concept:name"]).reset_index(
        drop=True
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(looping_logs())
def test_duckdb_raw_and_prepared_equal_pandas_on_random_logs(log: pd.DataFrame) -> None:
    # DuckDB counts the cases of a pair or a touchpoint from the variants (a loop holds
    # them more than once) and orders same-instant events by name: both against pandas
    m = jw.JourneyMap("Order")
    m.add_stage("Buy")
    for name in ("Web", "Call", "Visit", "Invoice"):
        m.add_touchpoint(name, stage="buy")
    relation = as_engine(log, "duckdb")
    prepared = jw.events.prepare(relation, m, unmatched="ignore")
    for table, options in ((relation, {"m": m, "unmatched": "ignore"}), (prepared, {})):
        frames_equal(
            jw.events.variants(table, **options), jw.events.variants(log, m, unmatched="ignore")
        )
        frames_equal(
            jw.events.transitions(table, **options),
            jw.events.transitions(log, m, unmatched="ignore"),
        )
        frames_equal(
            jw.events.summarize(table, **options), jw.events.summarize(log, m, unmatched="ignore")
        )
