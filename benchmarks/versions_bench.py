"""How long diffing and merging maps takes as maps grow, and what the git merge driver costs.

Prints figures; asserts nothing.  Run with ``.venv/bin/python benchmarks/versions_bench.py``.

* ``jw.diff(old, new)`` and ``jw.versions.patch`` for maps of 160 .. 20,000 cards where the
  new version has 1% of its cards edited, 1% moved, 1% removed and 1% added.
* ``jw.merge(base, ours, theirs)`` with such changes on both sides (a few conflicts).
* ``journeywidgets merge-driver`` as git runs it: a new Python process per merged file.

Remote latency in co-editing (a drop in one browser painted in the other) is measured by the
end-to-end test ``tests/e2e/test_coediting.py`` (``-s`` prints it), not here.

CPU time of this process and wall-clock time are both given; the machine may be shared.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import journeywidgets as jw

TARGET = "diff/merge of a 20,000-card map under 2 s; merge driver under 3 s per file"


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def big_map(cards: int) -> jw.JourneyMap:
    doc: dict[str, Any] = {"title": f"{cards} cards", "schema_version": 2}
    doc["stages"] = [{"id": f"s{i}", "name": f"Stage {i}"} for i in range(6)]
    doc["touchpoints"] = [
        {"id": f"t{i}", "stage": f"s{i // 10}", "name": f"T {i}"} for i in range(60)
    ]
    doc["lanes"] = [{"id": f"l{i}", "name": f"Lane {i}"} for i in range(6)]
    doc["cards"] = [
        {
            "id": f"c{i}",
            "touchpoint": f"t{i % 60}",
            "lane": f"l{(i // 60) % 6}",
            "text": f"Card {i}",
        }
        for i in range(cards)
    ]
    return jw.JourneyMap.from_dict(doc)


def changed(m: jw.JourneyMap, seed: int, share: float = 0.01) -> jw.JourneyMap:
    rng = random.Random(seed)
    out = m.copy()
    ids = [c.id for c in out.cards]
    k = max(1, int(len(ids) * share))
    picked = rng.sample(ids, 3 * k)
    for id in picked[:k]:
        out.update(id, text=f"edited by {seed}")
    for id in picked[k : 2 * k]:
        out.move(id, touchpoint=f"t{rng.randrange(60)}", lane=f"l{rng.randrange(6)}", index=0)
    for id in picked[2 * k :]:
        out.remove(id)
    for n in range(k):
        out.add_card(f"new {seed} {n}", touchpoint=f"t{rng.randrange(60)}", lane="l0")
    return out


def measure(base: jw.JourneyMap, ours: jw.JourneyMap, theirs: jw.JourneyMap) -> str:
    d, cpu_d, wall_d = timed(lambda: jw.diff(base, ours))
    _, cpu_p, wall_p = timed(lambda: jw.versions.patch(base, d))
    result, cpu_m, wall_m = timed(lambda: jw.merge(base, ours, theirs))
    return (
        f"{wall_d * 1000:>7.0f} ms ({cpu_d * 1000:>4.0f}) {len(d):>6} "
        f"{wall_p * 1000:>7.0f} ms ({cpu_p * 1000:>4.0f}) "
        f"{wall_m * 1000:>7.0f} ms ({cpu_m * 1000:>4.0f}) {len(result.conflicts):>9}"
    )


def main() -> None:
    print(f"target: {TARGET}")
    small = big_map(60)
    measure(small, changed(small, 1), changed(small, 2))  # warm up: imports, validators
    print(f"{'cards':>7} {'diff':>16} {'rows':>6} {'patch':>16} {'merge':>16} {'conflicts':>9}")
    for cards in (160, 2_000, 20_000):
        base = big_map(cards)
        print(f"{cards:>7} {measure(base, changed(base, 1), changed(base, 2))}")
    print("(wall, with this process's CPU ms in brackets)")

    with tempfile.TemporaryDirectory() as tmp:
        base = big_map(2_000)
        paths = [Path(tmp, n) for n in ("base.json", "ours.json", "theirs.json")]
        for path, m in zip(paths, (base, changed(base, 1), changed(base, 2)), strict=True):
            m.save(path)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "journeywidgets", "merge-driver", *map(str, paths)],
            capture_output=True,
            check=False,
        )
        wall = time.perf_counter() - start
        print(f"merge driver, 2,000-card map, new process: {wall:.2f} s (exit {done.returncode})")


if __name__ == "__main__":
    main()
