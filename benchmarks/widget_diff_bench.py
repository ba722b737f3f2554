"""What the widget's diff overlay (``w.show_diff(base)``) costs the kernel per edit.

Prints figures; asserts nothing.  Run with ``.venv/bin/python benchmarks/widget_diff_bench.py``.

While the overlay is on, the kernel recomputes it after each gesture in the widget (a Python
cell's edits: once, after the cell) and sends it in the ``_diff`` trait. For maps of 160 ..
20,000 cards, 1% of them changed since the base, this measures one widget edit (a card moved
through the widget's comm, as a browser sends it) with and without the overlay, and the size
of the overlay sent. The browser's side (marking the changed items) only touches the items
in the diff; see js/tests/diff.test.ts.

CPU time of this process and wall-clock time are both given; the machine may be shared.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from comm.base_comm import BaseComm

import journeywidgets as jw
from comm_helpers import from_browser
from versions_bench import big_map, changed

TARGET = "overlay recompute per widget edit: under 100 ms at 2,000 cards (kernel side)"


class _Comm(BaseComm):
    """The `comm` package's own comm, with nothing written to a kernel socket."""

    def publish_msg(self, *args: Any, **kwargs: Any) -> None:
        pass


def per_edit(w: jw.JourneyWidget, card: str, rounds: int = 9) -> tuple[float, float]:
    cpu_times, wall_times = [], []
    for n in range(rounds):
        edit = {"op": "move", "id": card, "touchpoint": f"t{n % 60}", "lane": "l1", "index": 0}
        cpu, wall = time.process_time(), time.perf_counter()
        from_browser(w, {"type": "edit", "seq": n + 1, "edit": edit, "view": "bench"})
        cpu_times.append(time.process_time() - cpu)
        wall_times.append(time.perf_counter() - wall)
    return statistics.median(cpu_times) * 1000, statistics.median(wall_times) * 1000


def main() -> None:
    import comm

    comm.create_comm = lambda **kw: _Comm(**kw)  # type: ignore[assignment]
    print(f"target: {TARGET}")
    for cards in (160, 2_000, 20_000):
        base = big_map(cards)
        m = changed(base, seed=1)
        w = jw.JourneyWidget(m)
        card = m.cards[0].id
        version = m.version
        off = per_edit(w, card)
        assert m.version > version, "the edits did not reach the map"
        w.show_diff(base)
        on = per_edit(w, card)
        size = len(json.dumps(w._diff)) / 1024
        print(
            f"{cards:>6} cards, 1% changed: widget edit {off[0]:6.1f} ms CPU without the overlay, "
            f"{on[0]:6.1f} ms with it ({on[1]:6.1f} ms wall); overlay sent {size:6.1f} KB"
        )
        w.close()


if __name__ == "__main__":
    main()
