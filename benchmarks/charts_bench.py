"""How chart size and build time behave as surveys and maps grow.

Prints figures; asserts nothing.  Run with ``.venv/bin/python benchmarks/charts_bench.py``.

* Counting Likert answers (``jw.charts.likert_counts``) for 10k .. 1M responses, from pandas
  and polars, and the size of the distribution chart drawn from the counts: the spec stays
  the same size whatever the number of responses (DESIGN principle 5).
* Building an emotion curve (``to_json``) for maps of 24 .. 500 touchpoints, and its size.
* Rendering a chart to PNG with vl-convert (what the tests do for every chart).
* Rebuilding a chart linked with a builder (``jw.charts.link(jw.charts.emotion_curve, w)``)
  after one edit and sending it: what the kernel spends per cell or widget gesture that
  changes the map (targets 50 ms at 24 touchpoints, 150 ms at 500; issue #18).
* First use (from ``first_chart_bench.py``, which has the details): importing journeywidgets
  and its charts, building, validating and wrapping the first curve, each in a fresh
  process, and altair's own share of the import.  ``--first-paint`` adds the time from
  running the first cell of a fresh kernel in real JupyterLab to the chart on screen.

CPU time of this process and wall-clock time are both given; the machine may be shared.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import vl_convert as vlc

import first_chart_bench
import journeywidgets as jw


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def responses(n: int, touchpoints: int = 24, segments: int = 3, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    tp = rng.integers(0, touchpoints, n)
    return pd.DataFrame(
        {
            "touchpoint": np.asarray([f"tp_{i:02d}" for i in range(touchpoints)])[tp],
            "segment": np.asarray(["A", "B", "C"][:segments])[rng.integers(0, segments, n)],
            "score": np.clip(np.rint(rng.normal(3.3, 1.1, n) + (tp % 3) - 1), 1, 5).astype(int),
        }
    )


def big_map(touchpoints: int) -> jw.JourneyMap:
    m = jw.JourneyMap(f"{touchpoints} touchpoints")
    stages = max(1, touchpoints // 6)
    rng = np.random.default_rng(1)
    with m.batch("build"):
        for s in range(stages):
            m.add_stage(f"Stage {s + 1}", id=f"s{s}")
        m.add_lane("Actions", kind="actions")
        for i in range(touchpoints):
            m.add_touchpoint(
                f"Touchpoint {i + 1}",
                id=f"t{i}",
                stage=f"s{min(stages - 1, i // 6)}",
                emotion=float(rng.integers(-3, 4)),
                moment_of_truth=bool(i % 7 == 0),
            )
            m.add_card(f"Does thing {i + 1}", touchpoint=f"t{i}", lane="actions")
    return m


def main() -> None:
    if "--only-linked" not in sys.argv:
        likert_and_curve_sizes()
    linked_rebuild()
    first_chart_bench.in_process(runs=3)
    if "--only-linked" not in sys.argv:
        png()


def likert_and_curve_sizes() -> None:
    print("Likert answers -> counts -> distribution chart (3 segments, 24 touchpoints)")
    print(f"{'responses':>10} {'source':>7} {'count cpu s':>11} {'wall s':>7} {'spec bytes':>11}")
    try:
        import polars as pl
    except ImportError:  # polars is a dev extra
        pl = None
    for n in (10_000, 100_000, 1_000_000):
        raw = responses(n)
        sources: list[tuple[str, Any]] = [("pandas", raw)]
        if pl is not None:
            sources.append(("polars", pl.from_pandas(raw)))
        for name, frame in sources:
            counts, cpu, wall = timed(lambda f=frame: jw.charts.likert_counts(f, segment="segment"))
            spec = jw.charts.distribution(counts, segment="segment").to_json()
            print(f"{n:>10,} {name:>7} {cpu:>11.3f} {wall:>7.3f} {len(spec):>11,}")

    print("\nEmotion curve of a map")
    print(f"{'touchpoints':>11} {'build cpu s':>11} {'wall s':>7} {'spec bytes':>11}")
    for n in (24, 100, 500):
        m = big_map(n)
        spec, cpu, wall = timed(lambda m=m: jw.charts.emotion_curve(m).to_json())
        print(f"{n:>11} {cpu:>11.3f} {wall:>7.3f} {len(spec):>11,}")


def linked_rebuild() -> None:
    print("\nLinked emotion curve rebuilt after one edit (median of 5 edits, ms; cpu = this")
    print("process's CPU time, as the machine may be shared; send = the spec as JSON, what the")
    print("comm puts on the wire)")
    print(
        f"{'map':>22} {'edit alone':>10} {'rebuild+send cpu':>16} {'wall':>7} "
        f"{'spec KB':>8}  target"
    )
    maps = [
        ("energy_utility (24 tp)", jw.templates.energy_utility(), 50),
        ("500 touchpoints", big_map(500), 150),
    ]
    for name, m, target in maps:
        tp = m.touchpoints[0].id
        values = [m.scale.max, m.scale.min, m.scale.neutral, m.scale.max, m.scale.min]

        def median(fn: Callable[[float], Any], values: Any = values) -> tuple[float, float]:
            runs = sorted(timed(lambda v=v: fn(v))[1:] for v in values)
            return runs[len(runs) // 2]

        _, alone = median(lambda v, m=m, tp=tp: m.set_emotion(tp, v))
        w = jw.JourneyWidget(m, selected=[m.touchpoints[1].id])
        chart = jw.charts.link(jw.charts.emotion_curve, w)

        def edit_and_send(v: float, m: jw.JourneyMap = m, tp: str = tp, chart: Any = chart) -> int:
            m.set_emotion(tp, v)  # outside a kernel link() rebuilds inside the edit
            return len(json.dumps(chart.spec))

        cpu, wall = median(edit_and_send)
        size = len(json.dumps(chart.spec))
        print(
            f"{name:>22} {alone * 1000:>8.2f}ms {(cpu - alone) * 1000:>14.0f}ms "
            f"{wall * 1000:>5.0f}ms {size / 1000:>8.0f}  <= {target} ms"
        )
        jw.charts.unlink(chart)
        w.close()


def png() -> None:
    print("\nvl-convert PNG of the energy utility's curve (first call starts the JS engine)")
    spec_dict = jw.charts.emotion_curve(jw.templates.energy_utility()).to_dict()
    for attempt in (1, 2):
        png, cpu, wall = timed(lambda: vlc.vegalite_to_png(spec_dict, scale=1))
        print(f"  call {attempt}: cpu {cpu:.3f} s, wall {wall:.3f} s, {len(png):,} bytes")


if __name__ == "__main__":
    main()
    if "--first-paint" in sys.argv:
        first_chart_bench.first_paint(runs=3)
