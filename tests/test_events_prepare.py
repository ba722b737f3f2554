"""jw.events.prepare: a log checked once gives every analysis the results of the raw log."""

from __future__ import annotations

import gc
import warnings
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import journeywidgets as jw


@pytest.fixture(scope="module")
def m() -> jw.JourneyMap:
    return jw.templates.it_laptop()


@pytest.fixture(scope="module")
def log(m: jw.JourneyMap) -> pd.DataFrame:
    return jw.events.synthetic(m, n_cases=300, seed=21)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_prepared_log_gives_the_raw_logs_results(
    engine: str, m: jw.JourneyMap, log: pd.DataFrame
) -> None:
    table = log if engine == "pandas" else duckdb.from_arrow(pa.Table.from_pandas(log))
    journeys = jw.events.prepare(table, m, segment="segment", channel="channel", unmatched="ignore")
    # several analyses of one prepared log (on pandas they share one sort)
    for _ in range(2):
        pd.testing.assert_frame_equal(
            jw.events.variants(journeys), jw.events.variants(table, m, unmatched="ignore")
        )
        pd.testing.assert_frame_equal(
            jw.events.transitions(journeys), jw.events.transitions(table, m, unmatched="ignore")
        )
        options = {"segment": "segment", "channel": "channel"}
        pd.testing.assert_frame_equal(
            jw.events.summarize(journeys, **options),
            jw.events.summarize(table, m, unmatched="ignore", **options),
        )
        # without segments, DuckDB counts the cases of each touchpoint from the variants
        pd.testing.assert_frame_equal(
            jw.events.summarize(journeys), jw.events.summarize(table, m, unmatched="ignore")
        )
        pd.testing.assert_frame_equal(
            jw.events.conformance(journeys).overall,
            jw.events.conformance(table, m, unmatched="ignore").overall,
        )


def test_unmatched_activities_are_reported_once_when_prepared(
    m: jw.JourneyMap, log: pd.DataFrame
) -> None:
    with pytest.warns(jw.JourneyWarning, match="match(es)? no touchpoint"):
        journeys = jw.events.prepare(log, m)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jw.events.variants(journeys)
        jw.events.summarize(journeys)
    assert "touchpoint level" in repr(journeys)
    assert "outside the map" in repr(journeys)


@pytest.mark.parametrize(
    "analysis",
    [
        jw.events.prepare,
        jw.events.variants,
        jw.events.transitions,
        jw.events.summarize,
        jw.events.conformance,
    ],
)
def test_the_unmatched_warning_names_the_callers_line(
    analysis: Any, m: jw.JourneyMap, log: pd.DataFrame
) -> None:
    with pytest.warns(jw.JourneyWarning, match="match(es)? no touchpoint") as caught:
        analysis(log, m)
    assert [w.filename for w in caught] == [__file__]


def test_what_a_prepared_log_lacks_is_named(m: jw.JourneyMap, log: pd.DataFrame) -> None:
    plain = jw.events.prepare(log)
    assert jw.events.variants(plain)["cases"].sum() == 300
    with pytest.raises(jw.JourneyError, match="prepared without a map"):
        jw.events.variants(plain, m)
    with pytest.raises(jw.JourneyError, match="summarize needs a map"):
        jw.events.summarize(plain)
    with pytest.raises(jw.JourneyError, match="conformance needs a map"):
        jw.events.conformance(plain)
    on_map = jw.events.prepare(log, m, unmatched="ignore")
    with pytest.raises(jw.JourneyError, match="prepared with map"):
        jw.events.transitions(on_map, jw.templates.it_laptop())
    with pytest.raises(jw.JourneyError, match=r"without segment='segment'.*prepare"):
        jw.events.summarize(on_map, segment="segment")
    with pytest.raises(jw.JourneyError, match="mapping"):
        jw.events.variants(on_map, mapping={"Complaint": m.touchpoints[0].id})


def test_long_paths_are_told_apart_on_a_prepared_duckdb_log() -> None:
    # DuckDB packs a prepared log's paths into 128-bit numbers, several per path when the
    # path is long: paths that differ only past the first number's steps, or only in their
    # last step, must stay separate variants, spelled as pandas spells them
    rng = np.random.default_rng(5)
    activities = [f"a{i:02d}" for i in range(40)]  # 6 bits per step: 21 steps per number
    base = rng.choice(activities, size=70).tolist()
    # "z" occurs nowhere else: each changed path differs from base
    paths = [base, [*base[:-1], "z"], [*base[:30], "z", *base[31:]], base[:21], base[:22]]
    paths += [base] * 3 + [rng.choice(activities, size=n).tolist() for n in (1, 2, 45, 63)]
    rows = [
        (f"c{case:02d}", act, pd.Timestamp("2026-01-01") + pd.Timedelta(minutes=i))
        for case, path in enumerate(paths)
        for i, act in enumerate(path)
    ]
    log = pd.DataFrame(rows, columns=["case:concept:name", "concept:name", "time:timestamp"])
    journeys = jw.events.prepare(duckdb.from_arrow(pa.Table.from_pandas(log)))
    found = jw.events.variants(journeys)
    pd.testing.assert_frame_equal(found, jw.events.variants(log))
    assert found["length"].tolist()[0] == 70
    assert found["cases"].tolist()[0] == 4
    assert len(found) == len(paths) - 3


def test_cases_of_steps_and_pairs_that_recur_in_a_case_are_counted_once() -> None:
    # a prepared DuckDB log counts the cases of a step or a pair from its variants: a loop
    # (a → b → a → b) takes the pair a → b twice in one case, and a twice
    paths = {
        "c1": ["a", "b", "a", "b", "c"],
        "c2": ["a", "b", "c"],
        "c3": ["a", "a", "a"],
        "c4": ["b"],
        "c5": ["a", "b", "a", "b", "c"],
    }
    rows = [
        (case, act, pd.Timestamp("2026-01-01") + pd.Timedelta(hours=i))
        for case, path in paths.items()
        for i, act in enumerate(path)
    ]
    log = pd.DataFrame(rows, columns=["case:concept:name", "concept:name", "time:timestamp"])
    m = jw.JourneyMap("Loops")
    m.add_stage("Only")
    for name in "abc":
        m.add_touchpoint(name, stage="only")
    journeys = jw.events.prepare(duckdb.from_arrow(pa.Table.from_pandas(log)), m)
    found = jw.events.transitions(journeys)
    pairs = found.set_index(["source", "target"])
    assert pairs["cases"].to_dict() == {("a", "b"): 3, ("b", "a"): 2, ("b", "c"): 3, ("a", "a"): 1}
    assert pairs["occurrences"].to_dict() == {
        ("a", "b"): 5,
        ("b", "a"): 2,
        ("b", "c"): 3,
        ("a", "a"): 2,
    }
    summary = jw.events.summarize(journeys)
    assert summary.set_index("touchpoint")["cases"].to_dict() == {"a": 4, "b": 4, "c": 3}
    pd.testing.assert_frame_equal(found, jw.events.transitions(log, m))
    pd.testing.assert_frame_equal(summary, jw.events.summarize(log, m))


def test_a_prepared_duckdb_log_orders_its_events_once_into_a_table_it_drops(
    m: jw.JourneyMap, log: pd.DataFrame
) -> None:
    con = duckdb.connect()
    con.register("events", pa.Table.from_pandas(log))

    def tables() -> list[str]:
        found = con.sql("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
        return sorted(name[:9] for (name,) in found if name.startswith(("jw_steps_", "jw_paths_")))

    journeys = jw.events.prepare(con.table("events"), m, channel="channel", unmatched="ignore")
    assert tables() == []  # written at the first analysis, not before
    jw.events.variants(journeys)
    jw.events.summarize(journeys, channel="channel")
    jw.events.transitions(journeys)
    # one ordered table and its variants, for all three
    assert tables() == ["jw_paths_", "jw_steps_"]
    del journeys
    gc.collect()
    assert tables() == []
    # an analysis of the raw table writes the two tables for itself and drops them
    jw.events.summarize(con.table("events"), m, unmatched="ignore")
    assert tables() == []
