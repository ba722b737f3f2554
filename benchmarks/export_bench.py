"""How long printing a map takes, and how big the files are.

Prints figures; asserts nothing.  Run with ``.venv/bin/python benchmarks/export_bench.py``.

For the 24-touchpoint energy map and a 2,000-card map (40 touchpoints, 5 lanes, 10 cards per
cell): PDF at slide, A3 and A0 size (pages, smallest text, seconds, size), an A0 poster on
A3 tiles, PNG slides, and the widget's PNG fallback (the overview every displayed widget
carries).  CPU time of this process is given beside wall-clock time, since other processes
may share the machine.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import journeywidgets as jw
from journeywidgets import overview, pages

LANE_KINDS = ["actions", "thoughts", "emotions", "expectations", "pain_points"]
#: Targets: an export a person waits for, and a file one can e-mail.
TARGET_S = 10.0
TARGET_MB = 10.0
#: The fallback is made whenever a widget is displayed.
FALLBACK_TARGET_S = 1.5
FALLBACK_TARGET_MB = 2.0


def big_map(n_cards: int = 2_000, n_stages: int = 5, per_stage: int = 8) -> jw.JourneyMap:
    stages = [{"id": f"s{i}", "name": f"Stage {i}"} for i in range(n_stages)]
    tps = [
        {"id": f"t{i}_{j}", "stage": f"s{i}", "name": f"Touchpoint {i}.{j}", "emotion": (j % 7) - 3}
        for i in range(n_stages)
        for j in range(per_stage)
    ]
    lanes = [{"id": k, "name": k.replace("_", " ").title(), "kind": k} for k in LANE_KINDS]
    cards = [
        {
            "id": f"c{n}",
            "touchpoint": tps[n % len(tps)]["id"],
            "lane": LANE_KINDS[(n // len(tps)) % len(LANE_KINDS)],
            "text": f"Card {n}: a note of a few words, as workshops write them",
        }
        for n in range(n_cards)
    ]
    doc = {
        "schema_version": jw.SCHEMA_VERSION,
        "title": f"{n_cards:,} cards",
        "stages": stages,
        "touchpoints": tps,
        "lanes": lanes,
        "cards": cards,
    }
    return jw.JourneyMap.from_dict(doc)


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    maps = {"energy (24 tp, 160 cards)": jw.templates.energy_utility(), "2,000 cards": big_map()}
    print(f"target: each export under {TARGET_S:g} s and {TARGET_MB:g} MB")
    print(f"{'map':28} {'output':18} {'pages':>5} {'min pt':>6} {'wall s':>7} {'cpu s':>6} "
          f"{'size':>9}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, m in maps.items():
            jobs: list[tuple[str, Callable[[], Any], dict[str, Any]]] = [
                (f"PDF {page}", lambda m=m, p=page: pages.to_pdf(m, folder / "x.pdf", p),
                 {"page": page})
                for page in ("slide", "A3", "A0")
            ]  # fmt: skip
            jobs.append(
                ("PDF A0 on A3 tiles",
                 lambda m=m: pages.to_pdf(m, folder / "x.pdf", "A0", tiles="A3"),
                 {"page": "A0", "tiles": "A3"})
            )  # fmt: skip
            jobs.append(
                ("PNG slides 150dpi",
                 lambda m=m: pages.to_png(m, folder / "x.png", "slide", dpi=150),
                 {"page": "slide"})
            )  # fmt: skip
            for name, job, plan_args in jobs:
                result, wall, cpu = timed(job)
                layout = pages.plan(m, **plan_args)
                files = result if isinstance(result, list) else [result]
                size = sum(Path(f).stat().st_size for f in files)
                flag = "" if wall <= TARGET_S and size <= TARGET_MB * 1e6 else "  (over target)"
                print(f"{label:28} {name:18} {len(layout.sheets):5d} {layout.min_text_pt:6.1f} "
                      f"{wall:7.2f} {cpu:6.2f} {size / 1e6:7.2f}MB{flag}")  # fmt: skip
    print()
    print(f"widget fallback (PNG overview): target under {FALLBACK_TARGET_S:g} s and "
          f"{FALLBACK_TARGET_MB:g} MB per display")  # fmt: skip
    for label, m in maps.items():
        (png, size), wall, cpu = timed(lambda m=m: overview.overview_png(m))
        print(f"{label:28} {size['width']}x{size['height']} px shown, {wall:5.2f} s wall, "
              f"{cpu:5.2f} s cpu, {len(png) / 1e6:5.2f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
