"""How fast survey summaries and map <-> table round trips are.

Prints figures; asserts nothing.  Run with ``.venv/bin/python benchmarks/survey_bench.py``
(``--rows 1000000`` for a quicker run, ``--only tables`` for the map <-> tables figures alone).

Targets (issue #4):

* ``jw.survey.summarize`` of 10,000,000 response rows (20 touchpoints x 3 segments), computing
  every statistic (n, mean, sd, t interval, top-2 share with Wilson interval, NPS with its
  interval, n/a codes), within 1.5x the time of a plain pandas
  ``groupby(["touchpoint", "segment"]).score.mean()`` of the same data;
* the same summary on DuckDB (a lazy relation over a DuckDB table; the sums run inside
  DuckDB) faster than pandas;
* map -> tables -> map for a 20,000-card map within 0.3 s.

Targets (issue #18):

* ``jw.survey.key_drivers`` on 1,000,000 respondents x 14 touchpoints (11.9 M long rows):
  <= 2 s and <= 1 GB in pandas (before: 9.5 s and 4.1 GB on main at 0f6aab0; 13.0 s CPU and
  3.1 GB traced on this machine), and pushed down to DuckDB;
* an eager polars frame through ``summarize`` and ``key_drivers`` no slower than the same
  frame made lazy (before: 4x slower).

Memory is the peak of what ``tracemalloc`` sees allocated during the call (numpy and pandas
report their buffers to it; Arrow's own pool does not), measured in a run of its own because
tracing slows allocation down.

Each survey figure is the best of three runs, each tables figure the best of nine, as
wall-clock time and as CPU time of this process (freeing a result is not timed);
the machine may be shared with other work, so wall-clock time can be inflated.  DuckDB runs
in its own threads, whose time the process CPU time includes.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import duckdb
import numpy as np
import pandas as pd

import journeywidgets as jw
from journeywidgets import frames


def best(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        del result  # freeing what was built is not part of building it
    return min(walls), min(cpus)


def responses(rows: int, seed: int = 0) -> pd.DataFrame:
    """Long survey rows made with numpy: 20 touchpoints, 3 segments, 0-10 scores where 0..
    are shifted per touchpoint, with 3% "does not apply" answers coded 99."""
    rng = np.random.default_rng(seed)
    tp = rng.integers(0, 20, rows)
    seg = rng.integers(0, 3, rows)
    score = np.clip(np.rint(rng.normal(6.5, 2.2, rows) + (tp % 5) * 0.3 - seg * 0.4), 0, 10)
    score = np.where(rng.random(rows) < 0.03, 99, score).astype(np.int8)
    names = np.array([f"Touchpoint {i:02d}" for i in range(20)], dtype=object)
    segments = np.array(["new", "regular", "at_risk"], dtype=object)
    return pd.DataFrame({"touchpoint": names[tp], "segment": segments[seg], "score": score})


def big_map(cards: int = 20_000) -> jw.JourneyMap:
    m = jw.JourneyMap("Benchmark", scale=(-3, 3))
    with m.batch("build"):
        for s in range(10):
            m.add_stage(f"Stage {s}")
        lanes = [m.add_lane(name, kind=kind).id for name, kind in
                 [("Does", "actions"), ("Thinks", "thoughts"), ("Feels", "emotions"),
                  ("Expects", "expectations"), ("Pain points", "pain_points")]]  # fmt: skip
        tps = [
            m.add_touchpoint(f"Touchpoint {t}", stage=f"stage_{t % 10}", emotion=t % 7 - 3).id
            for t in range(100)
        ]
        for c in range(cards):
            m.add_card(
                f"Sticky note {c}: the customer {'waits' if c % 3 else 'calls'}",
                touchpoint=tps[c % 100],
                lane=lanes[c % 5],
                tags=("workshop", f"t{c % 7}"),
                impact=c % 5 + 1,
            )
    return m.copy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--only", choices=("survey", "tables", "drivers", "polars"))
    parser.add_argument("--respondents", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.only in (None, "survey"):
        survey_figures(args.rows)
    if args.only in (None, "drivers"):
        driver_figures(args.respondents)
    if args.only in (None, "polars"):
        polars_figures(min(args.rows, 5_000_000))
    if args.only in (None, "tables"):
        table_figures()


def survey_figures(rows: int) -> None:
    print(f"survey summary of {rows:,} rows (20 touchpoints x 3 segments, scale 0-10)")
    data = responses(rows)
    options = {"segment": "segment", "scale": (0, 10), "na_codes": [99]}

    plain_wall, plain_cpu = best(lambda: data.groupby(["touchpoint", "segment"]).score.mean())
    print(f"  plain pandas groupby().mean()     {plain_wall:6.2f} s wall  {plain_cpu:6.2f} s cpu")

    def report(label: str, wall: float, cpu: float) -> None:
        print(
            f"  {label:<34}{wall:6.2f} s wall  {cpu:6.2f} s cpu   "
            f"{wall / plain_wall:4.2f}x the plain groupby (wall), {cpu / plain_cpu:4.2f}x (cpu)"
        )

    summary = jw.survey.summarize(data, **options)
    assert len(summary) == 60
    wall, cpu = best(lambda: jw.survey.summarize(data, **options))
    report("jw.survey.summarize, pandas", wall, cpu)
    pandas_wall = wall

    con = duckdb.connect()
    con.register("frame", data)
    con.execute("create table responses as select * from frame")
    con.unregister("frame")
    relation = con.table("responses")
    from_duckdb = jw.survey.summarize(relation, **options)
    pd.testing.assert_frame_equal(from_duckdb, summary, check_dtype=False, rtol=1e-9)
    wall, cpu = best(lambda: jw.survey.summarize(relation, **options))
    report("jw.survey.summarize, DuckDB table", wall, cpu)
    print(f"  DuckDB / pandas summarize: {wall / pandas_wall:.2f}x")


def driver_survey(respondents: int, touchpoints: int = 14, seed: int = 0) -> pd.DataFrame:
    """Long rows of a key-driver survey made with numpy: each respondent rates 85% of the
    touchpoints 1-5 (5% answer 0, "does not apply") and says whether they are satisfied."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(respondents, touchpoints)) + rng.normal(size=(respondents, 1))
    scores = np.clip(np.rint(3 + latent), 1, 5).astype(np.int8)
    effect = np.linspace(0.6, 0.0, touchpoints)
    effect[3] = -0.3
    satisfied = (latent @ effect + rng.normal(size=respondents) > 0).astype(np.int8)
    scores = np.where(rng.random(scores.shape) < 0.05, 0, scores)
    rows, cols = np.nonzero(rng.random(scores.shape) < 0.85)
    names = np.array([f"Touchpoint {j:02d}" for j in range(touchpoints)], dtype=object)
    return pd.DataFrame(
        {
            "respondent": rows + 1,
            "touchpoint": names[cols],
            "score": scores[rows, cols],
            "satisfied": satisfied[rows],
        }
    )


def peak_memory(fn: Callable[[], Any]) -> float:
    """Peak bytes allocated (as tracemalloc sees them) while ``fn`` runs."""
    import tracemalloc

    tracemalloc.start()
    try:
        fn()
        return float(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


def driver_figures(respondents: int) -> None:
    data = driver_survey(respondents)
    print(f"\nkey_drivers: {respondents:,} respondents x 14 touchpoints ({len(data):,} long rows)")
    options = {"outcome": "satisfied", "scale": (1, 5), "na_codes": [0]}
    want = jw.survey.key_drivers(data, **options)
    wall, cpu = best(lambda: jw.survey.key_drivers(data, **options))
    peak = peak_memory(lambda: jw.survey.key_drivers(data, **options))
    print(
        f"  pandas (text touchpoints)         {wall:6.2f} s wall  {cpu:6.2f} s cpu  "
        f"{peak / 1e9:5.2f} GB   (target 2 s, 1 GB; before 9.5 s, 4.1 GB)"
    )
    categorical = data.assign(touchpoint=data["touchpoint"].astype("category"))
    wall, cpu = best(lambda: jw.survey.key_drivers(categorical, **options))
    peak = peak_memory(lambda: jw.survey.key_drivers(categorical, **options))
    print(
        f"  pandas (categorical touchpoints)  {wall:6.2f} s wall  {cpu:6.2f} s cpu  "
        f"{peak / 1e9:5.2f} GB"
    )
    con = duckdb.connect()
    con.register("frame", data)
    con.execute("create table responses as select * from frame")
    con.unregister("frame")
    relation = con.table("responses")
    got = jw.survey.key_drivers(relation, **options)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-9)
    wall, cpu = best(lambda: jw.survey.key_drivers(relation, **options))
    print(f"  DuckDB table (pivot in DuckDB)    {wall:6.2f} s wall  {cpu:6.2f} s cpu")


def polars_figures(rows: int) -> None:
    import polars as pl

    print(f"\npolars, eager frame vs the same frame made lazy ({rows:,} rows)")
    eager = pl.from_pandas(responses(rows))
    options = {"segment": "segment", "scale": (0, 10), "na_codes": [99]}
    eager_wall, _ = best(lambda: jw.survey.summarize(eager, **options))
    lazy_wall, _ = best(lambda: jw.survey.summarize(eager.lazy(), **options))
    print(
        f"  summarize eager {eager_wall:6.2f} s, lazy {lazy_wall:6.2f} s wall: "
        f"{eager_wall / lazy_wall:4.2f}x   (target <= 1x; before 4x)"
    )
    drivers = pl.from_pandas(driver_survey(max(rows // 12, 1000)))
    options = {"outcome": "satisfied", "scale": (1, 5), "na_codes": [0]}
    eager_wall, _ = best(lambda: jw.survey.key_drivers(drivers, **options))
    lazy_wall, _ = best(lambda: jw.survey.key_drivers(drivers.lazy(), **options))
    print(
        f"  key_drivers eager {eager_wall:6.2f} s, lazy {lazy_wall:6.2f} s wall: "
        f"{eager_wall / lazy_wall:4.2f}x   (target <= 1x)"
    )


def table_figures() -> None:
    print("\nmap <-> tables, 20,000 cards")
    m = big_map()
    tables = frames.to_dataframes(m)
    assert frames.from_dataframes(tables) == m
    to_wall, to_cpu = best(lambda: frames.to_dataframes(m), repeat=9)
    from_wall, from_cpu = best(lambda: frames.from_dataframes(tables), repeat=9)
    trip_wall, trip_cpu = best(lambda: frames.from_dataframes(frames.to_dataframes(m)), repeat=9)
    print(f"  map -> tables (to_dataframes)     {to_wall:6.3f} s wall  {to_cpu:6.3f} s cpu")
    print(f"  tables -> map (from_dataframes)   {from_wall:6.3f} s wall  {from_cpu:6.3f} s cpu")
    print(
        f"  map -> tables -> map              {trip_wall:6.3f} s wall  "
        f"{trip_cpu:6.3f} s cpu   (target 0.3 s)"
    )


if __name__ == "__main__":
    main()
