"""What writing files whole (temporary file, fsync, rename) and CSV formula neutralising cost.

Prints figures; asserts nothing.  Run with ``.venv/bin/python benchmarks/files_bench.py``.

* ``m.save`` of a 20,000-card map, atomic (journeywidgets.atomic) against a plain in-place
  write of the same text: the price of never leaving half a file (target: under 2x, and
  under 0.5 s at 20,000 cards).
* ``frames.write_csv`` / ``read_csv`` of the same map, and the share of the neutralising of
  formula-like cells (target: under 10% of the write).
* ``to_mermaid`` / ``from_mermaid`` of a 2,000-task diagram, every name full of reserved
  characters (target: under 1 s each).

Wall-clock medians of a few runs; the machine may be shared.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import journeywidgets as jw
from journeywidgets.frames import files
from journeywidgets.frames.tables import to_dataframes


def big(cards: int = 20_000, touchpoints: int = 200) -> jw.JourneyMap:
    return jw.JourneyMap.from_dict(
        {
            "id": "big",
            "title": "=Big map",
            "stages": [{"id": f"s{i}", "name": f"Stage {i}"} for i in range(10)],
            "touchpoints": [
                {"id": f"t{i}", "stage": f"s{i % 10}", "name": f"Touchpoint {i}: 100%",
                 "emotion": i % 7 - 3}
                for i in range(touchpoints)
            ],
            "lanes": [{"id": "actions", "name": "Actions", "kind": "actions"}],
            "cards": [
                {"id": f"c{i}", "touchpoint": f"t{i % touchpoints}", "lane": "actions",
                 "text": ("=" if i % 3 == 0 else "") + f"card {i} " + "x" * 40}
                for i in range(cards)
            ],
        }
    )  # fmt: skip


def median(run: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    m = big()
    text = m.to_json()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        target = folder / "map.json"
        atomic = median(lambda: m.save(target))
        plain = median(lambda: target.write_text(m.to_json(), encoding="utf-8"))
        print(f"save, 20,000 cards ({len(text) / 1e6:.1f} MB)")
        print(f"  atomic (tmp + fsync + rename) {atomic * 1000:7.0f} ms   target < 500 ms")
        print(f"  plain in-place write          {plain * 1000:7.0f} ms")
        print(f"  ratio                         {atomic / plain:7.2f} x    target < 2 x")

        write = median(lambda: files.write_csv(m, folder / "csv"), repeat=3)
        read = median(lambda: files.read_csv(folder / "csv"), repeat=3)
        frames = {k: files._for_file(v) for k, v in to_dataframes(m).items()}
        neutral = median(lambda: [files._neutralised(f) for f in frames.values()], repeat=3)
        print("CSV tables, 20,000 cards (a third of them start with '=')")
        print(f"  write_csv                     {write * 1000:7.0f} ms")
        print(f"  read_csv                      {read * 1000:7.0f} ms")
        share = neutral / write * 100
        print(f"  neutralising formulas         {neutral * 1000:7.0f} ms ({share:.0f}%)"
              "   target < 10%")  # fmt: skip

    diagram = jw.JourneyMap("Title: #1; 100% <b>", scale=(-2, 2))
    diagram.add_persona("Smith, John: CEO")
    for s in range(20):
        stage = diagram.add_stage(f"section {s}: %%{{init}}%%", id=f"s{s}")
        for t in range(100):
            diagram.add_touchpoint(f"title {t}: a; b # c % d", stage=stage.id, emotion=1)
    export = median(lambda: jw.to_mermaid(diagram), repeat=3)
    mermaid_text = jw.to_mermaid(diagram)
    read_back = median(lambda: jw.from_mermaid(mermaid_text), repeat=3)
    print("Mermaid, 2,000 tasks, every name full of reserved characters")
    print(f"  to_mermaid                    {export * 1000:7.0f} ms   target < 1000 ms")
    print(f"  from_mermaid                  {read_back * 1000:7.0f} ms   target < 1000 ms")


if __name__ == "__main__":
    main()
