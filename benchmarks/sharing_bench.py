"""How long sharing a big map takes, and how big the results are.

Prints figures; asserts nothing.  Run with ``.venv/bin/python benchmarks/sharing_bench.py``.

For maps of 2,000 and 20,000 cards: the static SVG (every card, and the card-count summary
the notebook fallback switches to past 1,000 cards), the standalone interactive page, Mermaid
text out and back in, and a notebook cell written and read back.  CPU time of this process
is given beside wall-clock time, since other processes may share the machine.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import journeywidgets as jw
from journeywidgets import export, notebook

#: (cards, stages, touchpoints per stage, lanes): 10 cards per cell in both sizes.
SIZES = [(2_000, 5, 8, 5), (20_000, 8, 50, 5)]
LANE_KINDS = ["actions", "thoughts", "emotions", "expectations", "pain_points"]


def build(n_cards: int, n_stages: int, per_stage: int, n_lanes: int) -> jw.JourneyMap:
    stages = [{"id": f"s{i}", "name": f"Stage {i}"} for i in range(n_stages)]
    tps = [
        {"id": f"t{i}_{j}", "stage": f"s{i}", "name": f"Touchpoint {i}.{j}", "emotion": (j % 7) - 3}
        for i in range(n_stages)
        for j in range(per_stage)
    ]
    lanes = [
        {"id": k, "name": k.replace("_", " ").title(), "kind": k} for k in LANE_KINDS[:n_lanes]
    ]
    cards = [
        {
            "id": f"c{n}",
            "touchpoint": tps[n % len(tps)]["id"],
            "lane": lanes[(n // len(tps)) % n_lanes]["id"],
            "text": f"Sticky note {n}: the customer waits for an answer",
        }
        for n in range(n_cards)
    ]
    return jw.JourneyMap.from_dict(
        {"title": "Benchmark", "stages": stages, "touchpoints": tps, "lanes": lanes, "cards": cards}
    )


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, float, Any]:
    """Best CPU and wall seconds of ``repeat`` runs of ``fn()``, and its result."""
    cpu = wall = float("inf")
    result = None
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        result = fn()
        cpu, wall = min(cpu, time.process_time() - c), min(wall, time.perf_counter() - w)
    return cpu, wall, result


def row(label: str, cpu: float, wall: float, size: int | None = None) -> None:
    extra = f"  {size / 1024:9.0f} KB" if size is not None else ""
    print(f"  {label:<34} {cpu:7.3f} s cpu {wall:7.3f} s wall{extra}")


def main() -> None:
    for sizes in SIZES:
        m = build(*sizes)
        print(f"{sizes[0]:,} cards, {len(m.touchpoints)} touchpoints, {len(m.lanes)} lanes")
        cpu, wall, svg = timed(lambda m=m: export.to_svg(m), repeat=1 if sizes[0] > 5000 else 3)
        row("to_svg (every card)", cpu, wall, len(svg.encode()))
        cpu, wall, html = timed(lambda m=m: export.static_html(m))
        row("static_html (notebook fallback)", cpu, wall, len(html.encode()))
        cpu, wall, page = timed(lambda m=m: export.to_html(m))
        row("to_html (standalone page)", cpu, wall, len(page.encode()))
        cpu, wall, text = timed(lambda m=m: jw.to_mermaid(m))
        row("to_mermaid", cpu, wall, len(text.encode()))
        cpu, wall, _ = timed(lambda text=text: jw.from_mermaid(text))
        row("from_mermaid", cpu, wall)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "map.ipynb"
            cpu, wall, _ = timed(lambda m=m, path=path: notebook.write_map(path, m))
            row("notebook.write_map (file)", cpu, wall, path.stat().st_size)
            cpu, wall, _ = timed(lambda path=path: notebook.read_maps(path))
            row("notebook.read_maps (file)", cpu, wall)


if __name__ == "__main__":
    main()
