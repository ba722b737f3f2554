"""How chart size and build time behave as surveys and maps grow.

Prints figures; asserts nothing.  Run with ``.venv/bin/python benchmarks/charts_bench.py``.

* Counting Likert answers (``jw.charts.likert_counts``) for 10k .. 1M responses, from pandas
  and polars, and the size of the distribution chart drawn from the counts: the spec stays
  the same size whatever the number of responses (DESIGN principle 5).
* Building an emotion curve (``to_json``) for maps of 24 .. 500 touchpoints, and its size.
* Rendering a chart to PNG with vl-convert (what the tests do for every chart).
* Rebuilding a chart linked with a builder (``jw.charts.link(jw.charts.emotion_curve, w)``)
  after one edit: what the kernel spends per cell or widget gesture that changes the map.

CPU time of this process and wall-clock time are both given; the machine may be shared.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import vl_convert as vlc

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

    print("\nLinked emotion curve rebuilt after one edit (median of 3 edits, wall seconds)")
    print(f"{'map':>22} {'edit alone':>10} {'builder':>8} {'edit+rebuild':>12} {'its cpu':>7}")
    maps = [
        ("energy_utility (24 tp)", jw.templates.energy_utility()),
        ("500 touchpoints", big_map(500)),
    ]
    for name, m in maps:
        tp, values = m.touchpoints[0].id, (m.scale.max, m.scale.min, m.scale.neutral)

        def median(fn: Callable[[float], Any], values: Any = values) -> tuple[float, float]:
            cpu, wall = sorted(timed(lambda v=v: fn(v))[1:] for v in values)[1]
            return cpu, wall

        _, alone = median(lambda v, m=m, tp=tp: m.set_emotion(tp, v))
        _, build = median(lambda v, m=m: jw.charts.emotion_curve(m))
        w = jw.JourneyWidget(m, selected=[m.touchpoints[1].id])
        chart = jw.charts.link(jw.charts.emotion_curve, w)
        # Outside a kernel link() rebuilds inside set_emotion (in a kernel: once per cell).
        cpu, wall = median(lambda v, m=m, tp=tp: m.set_emotion(tp, v))
        print(f"{name:>22} {alone * 1000:>8.2f}ms {build:>8.3f} {wall:>12.3f} {cpu:>7.3f}")
        jw.charts.unlink(chart)
        w.close()

    print("\nvl-convert PNG of the energy utility's curve (first call starts the JS engine)")
    spec_dict = jw.charts.emotion_curve(jw.templates.energy_utility()).to_dict()
    for attempt in (1, 2):
        png, cpu, wall = timed(lambda: vlc.vegalite_to_png(spec_dict, scale=1))
        print(f"  call {attempt}: cpu {cpu:.3f} s, wall {wall:.3f} s, {len(png):,} bytes")


if __name__ == "__main__":
    main()
