"""How fast the model builds, validates, round-trips and edits big maps.

Prints figures; asserts nothing.  Run with ``.venv/bin/python benchmarks/model_bench.py``.

Targets (issue #2): ``import journeywidgets`` <= 0.3 s; JSON round trip of a 20,000-card map
(``to_json`` + ``loads``) <= 0.5 s.  A single edit should cost about the same on a 2,000- and a
20,000-card map: an edit only touches the id lists of the scopes involved.

Each figure is given twice: CPU time of this process (what the code costs; stable when other
processes share the machine) and wall-clock time (what a user waits, on this machine now).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import journeywidgets as jw

#: (cards, stages, touchpoints per stage, lanes): 10 cards per cell in both sizes.
SIZES = [(2_000, 5, 8, 5), (20_000, 8, 50, 5)]
LANE_KINDS = ["actions", "thoughts", "emotions", "expectations", "pain_points"]


class Timing:
    """CPU and wall-clock seconds of one measurement."""

    def __init__(self, cpu: float, wall: float) -> None:
        self.cpu, self.wall = cpu, wall

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.cpu + other.cpu, self.wall + other.wall)

    def __truediv__(self, n: float) -> Timing:
        return Timing(self.cpu / n, self.wall / n)

    def s(self) -> str:
        return f"{self.cpu:6.3f} s cpu {self.wall:6.3f} s wall"

    def us(self) -> str:
        return f"{self.cpu * 1e6:7.1f} µs cpu {self.wall * 1e6:7.1f} µs wall"


def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[Timing, Any]:
    """The best of ``repeat`` timings of ``fn()``, and its last result.

    The best, not the mean: other processes share this machine, and they only ever add time.
    """
    cpu = wall = float("inf")
    result = None
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        result = fn()
        cpu, wall = min(cpu, time.process_time() - c), min(wall, time.perf_counter() - w)
    return Timing(cpu, wall), result


def per_call(fn: Callable[[int], Any], n: int = 300) -> Timing:
    """Mean time per call of ``fn(i)`` over ``n`` calls."""
    c, w = time.process_time(), time.perf_counter()
    for i in range(n):
        fn(i)
    return Timing(time.process_time() - c, time.perf_counter() - w) / n


def build(n_cards: int, n_stages: int, per_stage: int, n_lanes: int) -> jw.JourneyMap:
    """A map built through the public edit API, one call per entity."""
    m = jw.JourneyMap("Benchmark", scale=(-3, 3))
    lanes = [m.add_lane(k.replace("_", " ").title(), kind=k).id for k in LANE_KINDS[:n_lanes]]
    tps = []
    for s in range(n_stages):
        stage = m.add_stage(f"Stage {s + 1}").id
        for t in range(per_stage):
            tp = m.add_touchpoint(f"Touchpoint {s + 1}.{t + 1}", stage=stage, emotion=t % 7 - 3)
            tps.append(tp.id)
    cells = [(tp, lane) for tp in tps for lane in lanes]
    for i in range(n_cards):
        tp, lane = cells[i % len(cells)]
        m.add_card(f"Card {i}: zażółć gęślą jaźń 🙂", touchpoint=tp, lane=lane, tags=("t",))
    return m


def import_times(runs: int = 9, *, bytecode_cache: bool) -> list[Timing]:
    """How long ``import journeywidgets`` takes in each of ``runs`` fresh interpreters.

    With ``bytecode_cache`` the interpreters share a warm ``__pycache__`` (in a temporary
    folder), as an installed package has; without it every module is compiled from source,
    as happens when ``PYTHONDONTWRITEBYTECODE`` is set.
    """
    code = (
        "import time; c, w = time.process_time(), time.perf_counter(); import journeywidgets; "
        "print(time.process_time() - c, time.perf_counter() - w)"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = []
    with tempfile.TemporaryDirectory() as cache:
        if bytecode_cache:
            env["PYTHONPYCACHEPREFIX"] = cache
            subprocess.run([sys.executable, "-c", "import journeywidgets"], env=env, check=True)
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        for _ in range(runs):
            done = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
            )
            cpu, wall = map(float, done.stdout.split())
            out.append(Timing(cpu, wall))
    return out


def run(n_cards: int, n_stages: int, per_stage: int, n_lanes: int) -> None:
    n_tps = n_stages * per_stage
    print(f"\n{n_cards:,} cards ({n_stages} stages, {n_tps} touchpoints, {n_lanes} lanes)")
    t_build, m = best_of(lambda: build(n_cards, n_stages, per_stage, n_lanes), repeat=1)
    print(f"  build through the edit API  {t_build.s()}  ({(t_build / n_cards).us()} per card)")
    t_dict, doc = best_of(m.to_dict)
    print(f"  to_dict                     {t_dict.s()}")
    t_valid, _ = best_of(lambda: jw.JourneyMap.from_dict(doc))
    print(f"  validate (from_dict)        {t_valid.s()}")
    t_dump, text = best_of(m.to_json)
    t_load, back = best_of(lambda: jw.loads(text))
    if back != m:
        raise SystemExit("the JSON round trip changed the map")
    size = len(text.encode()) / 1e6
    print(f"  to_json (indent=2)          {t_dump.s()}  ({size:.1f} MB)")
    print(f"  loads                       {t_load.s()}")
    target = "  (target <= 0.5 s)" if n_cards == 20_000 else ""
    print(f"  JSON round trip             {(t_dump + t_load).s()}{target}")

    card = m.cards[len(m.cards) // 2].id
    first_tp, lane = m.touchpoints[0].id, m.lanes[0].id
    edits = {
        "move a card to another cell": lambda i: m.move(
            card, touchpoint=first_tp, lane=lane, index=0
        ),
        "undo that move": lambda i: m.undo(),
        "redo it": lambda i: m.redo(),
        "update a card's text": lambda i: m.update(card, text=f"changed {i}"),
        "set a touchpoint's emotion": lambda i: m.set_emotion(first_tp, i % 7 - 3),
        "move, as a widget's dict": lambda i: m.apply(
            {"op": "move", "id": card, "index": 0}, origin="widget"
        ),
        "add a card at index 0": lambda i: m.add_card(
            "new", touchpoint=first_tp, lane=lane, index=0
        ),
    }
    for label, edit in edits.items():
        print(f"  {label:<27} {per_call(edit).us()}")
    busy = m.touchpoints[1].id
    n_busy = len(m.cards_in(busy))
    t_cascade, _ = best_of(lambda: (m.remove(busy, cascade=True), m.undo()), repeat=5)
    print(f"  remove a touchpoint with its {n_busy} cards, and undo: {t_cascade.us()}")


def document_sync(m: jw.JourneyMap, n_cards: int) -> None:
    """What sending the whole document after a Python cell costs, and the alternatives.

    Today: ``to_dict`` and the JSON the comm writes (ipywidgets sends ``_doc`` as JSON).
    Alternatives measured: the JSON deflated (zlib level 1 and 6) and sent as a binary
    buffer (the browser would inflate it with DecompressionStream), and not sending at all
    unless a state save could read it (what the kernel saves then is the time of to_dict).
    """
    import json
    import zlib

    t_dict, doc = best_of(m.to_dict)
    t_json, text = best_of(lambda: json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
    raw = text.encode()
    print(f"  whole document after a cell, {n_cards:,} cards ({len(raw) / 1e6:.1f} MB of JSON):")
    print(f"    today: to_dict + JSON          {(t_dict + t_json).s()}")
    for level in (1, 6):
        t_zip, packed = best_of(lambda level=level: zlib.compress(raw, level))
        t_unzip, _ = best_of(lambda packed=packed: zlib.decompress(packed))
        print(
            f"    + deflate level {level} ({len(packed) / 1e6:.2f} MB, "
            f"{len(raw) / len(packed):.0f}x smaller) {(t_dict + t_json + t_zip).s()}"
            f"  (inflate {t_unzip.s()})"
        )
    print(f"    sent only when a save could read it: nothing per cell; {t_dict.s()} when saved")


def main() -> None:
    print("import journeywidgets, median of 9 fresh interpreters (target <= 0.3 s):")
    for cached, label in ((True, "with a bytecode cache"), (False, "compiling from source")):
        times = import_times(bytecode_cache=cached)
        cpu = statistics.median(t.cpu for t in times)
        wall = statistics.median(t.wall for t in times)
        best = min(t.wall for t in times)
        print(f"  {label:<22} {cpu:.3f} s cpu {wall:.3f} s wall (best {best:.3f} s wall)")
    for size in SIZES:
        run(*size)
    print("\nDocument sync (issue #18), largest map:")
    document_sync(build(*SIZES[-1]), SIZES[-1][0])


if __name__ == "__main__":
    main()
