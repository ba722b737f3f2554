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
