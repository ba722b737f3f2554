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
* First use: importing altair, journeywidgets and journeywidgets.charts, building and
  validating the first curve and Vega's offline bundle (cold and cached), each in a fresh
  process, and altair's own share of the import.  ``--first-paint`` adds the time from
  running the first cell of a fresh kernel in real JupyterLab to the chart on screen.

CPU time of this process and wall-clock time are both given; the machine may be shared.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
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
    if "--only-linked" not in sys.argv:
        likert_and_curve_sizes()
    linked_rebuild()
    first_use()
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


FIRST_USE = """
import json, time
clock = time.process_time  # CPU seconds of this process: stable when the machine is shared
t0 = clock()
import altair
t1 = clock()
import journeywidgets as jw
t2 = clock()
import journeywidgets.charts
from journeywidgets.charts import offline
t3 = clock()
chart = jw.charts.emotion_curve(jw.templates.energy_utility())
t4 = clock()
spec = chart.to_dict()
t5 = clock()
offline.ensure_bundle()
t6 = clock()
print(json.dumps({"altair": t1 - t0, "journeywidgets": t2 - t1, "charts": t3 - t2,
                  "build": t4 - t3, "validate": t5 - t4, "bundle": t6 - t5}))
"""


def first_use() -> None:
    """First chart in a fresh Python: import, build, validation, Vega bundle (cold and cached),
    each in a new process; then altair's own share of the import."""
    print(
        "\nFirst use in a fresh process (CPU s; median of 3; 'bundle' runs vl-convert's own "
        "thread too):\ntarget first chart on screen <= 3 s"
    )
    with tempfile.TemporaryDirectory() as cache:
        runs: dict[str, list[dict[str, float]]] = {"cold cache": [], "cached": []}
        for label in runs:
            for _ in range(3):
                env = {**os.environ, "XDG_CACHE_HOME": cache}
                if label == "cold cache":
                    shutil.rmtree(Path(cache) / "journeywidgets", ignore_errors=True)
                out = subprocess.run(
                    [sys.executable, "-c", FIRST_USE], env=env, capture_output=True, text=True
                )
                runs[label].append(json.loads(out.stdout.strip().splitlines()[-1]))
        keys = list(runs["cached"][0])
        print(f"{'':>11} " + " ".join(f"{k:>14}" for k in keys) + f" {'total':>7}")
        for label, rows in runs.items():
            med = {k: statistics.median(r[k] for r in rows) for k in keys}
            print(
                f"{label:>11} "
                + " ".join(f"{med[k]:>14.2f}" for k in keys)
                + f" {sum(med.values()):>7.2f}"
            )
    # altair's own import, and what its jsonschema pulls in (rfc3987-syntax builds a
    # grammar at import when it is installed, as Jupyter's dependencies make it).
    for module in ("altair", "jsonschema", "rfc3987_syntax", "pandas"):
        code = (
            f"import time; t = time.process_time(); import {module}; print(time.process_time() - t)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        print(f"  import {module} alone: {float(out.stdout.strip() or 'nan'):.2f} CPU s")


FIRST_CELL = (
    "import time\n"
    "_t0 = time.perf_counter()\n"
    "import journeywidgets as jw\n"
    "import journeywidgets.charts\n"
    "_t1 = time.perf_counter()\n"
    "chart = jw.charts.emotion_curve(jw.templates.energy_utility())\n"
    "_t2 = time.perf_counter()\n"
    "display(chart)\n"
    "print(f'kernel: import {_t1 - _t0:.2f} s, build {_t2 - _t1:.2f} s, "
    "display {time.perf_counter() - _t2:.2f} s')"
)


def first_paint(runs: int = 3) -> None:
    """The first chart of a fresh kernel in real JupyterLab: Shift+Enter to Vega's canvas."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "e2e"))
    from harness import JupyterServer, NotebookPage, launch_chromium, write_notebook
    from playwright.sync_api import sync_playwright

    print("\nFirst chart on screen in JupyterLab, fresh kernel per run (target <= 3 s):")
    with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as state:
        server = JupyterServer(root_dir=Path(root), state_dir=Path(state)).start()
        try:
            with sync_playwright() as pw:
                browser = launch_chromium(pw)
                for run in range(runs):
                    name = f"first-{run}.ipynb"
                    write_notebook(Path(root) / name, [FIRST_CELL])
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    nb = NotebookPage.open(page, server, name, "lab")
                    start = time.perf_counter()
                    nb.run_cell(0, timeout=120)
                    nb.output(0).locator(".vega-embed canvas, .vega-embed svg").first.wait_for(
                        timeout=120_000
                    )
                    shown = time.perf_counter() - start
                    said = [x for x in nb.output_text(0).splitlines() if x.startswith("kernel:")]
                    print(f"  run {run + 1}: on screen {shown:.2f} s; {' '.join(said)}")
                    nb.close()
                    page.close()
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
    if "--first-paint" in sys.argv:
        first_paint()
