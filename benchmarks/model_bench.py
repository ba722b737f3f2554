"""How fast the model builds, validates, round-trips and edits big maps.

Prints figures; asserts nothing.  Run with ``.venv/bin/python benchmarks/model_bench.py``.

Targets (issue #2): ``import journeywidgets`` <= 0.3 s; JSON round trip of a 20,000-card map
(``to_json`` + ``loads``) <= 0.5 s.  A single edit should cost about the same on a 2,000- and a
20,000-card map: an edit only touches the id lists of the scopes involved.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import journeywidgets as jw

#: (cards, stages, touchpoints per stage, lanes): 10 cards per cell in both sizes.
SIZES = [(2_000, 5, 8, 5), (20_000, 8, 50, 5)]
LANE_KINDS = ["actions", "thoughts", "emotions", "expectations", "pain_points"]


def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The best of ``repeat`` wall-clock times of ``fn()`` in seconds, and its last result.

    The best, not the mean: other processes share this machine, and they only ever add time.
    """
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def per_call(fn: Callable[[int], Any], n: int = 300) -> float:
    """Mean seconds per call of ``fn(i)`` over ``n`` calls."""
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - start) / n


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


def import_times(runs: int = 9) -> list[float]:
    """Seconds ``import journeywidgets`` takes in each of ``runs`` fresh interpreters."""
    code = (
        "import time; t = time.perf_counter(); import journeywidgets; "
        "print(time.perf_counter() - t)"
    )
    out = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        out.append(float(done.stdout))
    return out


def us(seconds: float) -> str:
    return f"{seconds * 1e6:7.1f} µs"


def run(n_cards: int, n_stages: int, per_stage: int, n_lanes: int) -> None:
    n_tps = n_stages * per_stage
    print(f"\n{n_cards:,} cards ({n_stages} stages, {n_tps} touchpoints, {n_lanes} lanes)")
    t_build, m = best_of(lambda: build(n_cards, n_stages, per_stage, n_lanes), repeat=1)
    print(f"  build through the edit API   {t_build:6.3f} s  ({us(t_build / n_cards)} per card)")
    t_dict, doc = best_of(m.to_dict)
    print(f"  to_dict                      {t_dict:6.3f} s")
    t_valid, _ = best_of(lambda: jw.JourneyMap.from_dict(doc))
    print(f"  validate (from_dict)         {t_valid:6.3f} s")
    t_dump, text = best_of(m.to_json)
    t_load, back = best_of(lambda: jw.loads(text))
    if back != m:
        raise SystemExit("the JSON round trip changed the map")
    size = len(text.encode()) / 1e6
    print(f"  to_json (indent=2)           {t_dump:6.3f} s  ({size:.1f} MB)")
    print(f"  loads                        {t_load:6.3f} s")
    target = "  (target <= 0.5 s)" if n_cards == 20_000 else ""
    print(f"  JSON round trip              {t_dump + t_load:6.3f} s{target}")

    card = m.cards[len(m.cards) // 2].id
    first_tp, lane = m.touchpoints[0].id, m.lanes[0].id
    t_move = per_call(lambda i: m.move(card, touchpoint=first_tp, lane=lane, index=0))
    t_undo = per_call(lambda i: m.undo())
    t_redo = per_call(lambda i: m.redo())
    t_text = per_call(lambda i: m.update(card, text=f"changed {i}"))
    t_emotion = per_call(lambda i: m.set_emotion(first_tp, i % 7 - 3))
    t_dict_edit = per_call(
        lambda i: m.apply({"op": "move", "id": card, "index": 0}, origin="widget")
    )
    t_add = per_call(lambda i: m.add_card("new", touchpoint=first_tp, lane=lane, index=0))
    print(f"  move a card to another cell  {us(t_move)}")
    print(f"  undo that move               {us(t_undo)}")
    print(f"  redo it                      {us(t_redo)}")
    print(f"  update a card's text         {us(t_text)}")
    print(f"  set a touchpoint's emotion   {us(t_emotion)}")
    print(f"  move from a widget dict      {us(t_dict_edit)}")
    print(f"  add a card at index 0        {us(t_add)}")
    busy = m.touchpoints[1].id
    t_cascade, _ = best_of(lambda: (m.remove(busy, cascade=True), m.undo()), repeat=5)
    print(
        f"  remove a touchpoint (cascade, {len(m.cards_in(busy))} cards) and undo  {us(t_cascade)}"
    )


def main() -> None:
    times = import_times()
    print(
        f"import journeywidgets, {len(times)} fresh interpreters: median "
        f"{statistics.median(times):.3f} s, best {min(times):.3f} s  (target <= 0.3 s)"
    )
    for size in SIZES:
        run(*size)


if __name__ == "__main__":
    main()
