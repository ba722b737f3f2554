"""Mouse, keyboard and kernel helpers for the widget's end-to-end tests.

Gestures are done with Playwright's real mouse (``page.mouse`` down, move in steps, up), the
way a person drags; results are read back from the Python model in the next cell, which
prints a JSON snapshot after the marker ``STATE``.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

from harness import ARTIFACTS, NotebookPage, wait_until
from playwright.sync_api import Locator, Page, expect

#: Defines ``snapshot(m, w)``: what the tests compare, as plain JSON.
SNAPSHOT = textwrap.dedent(
    """
    import json

    def snapshot(m, w):
        return {
            "stages": [s.id for s in m.stages],
            "touchpoints": {s.id: [t.id for t in m.touchpoints_in(s.id)] for s in m.stages},
            "lanes": [lane.id for lane in m.lanes],
            "cells": {
                f"{t.id}/{lane.id}": [c.id for c in m.cards_in(t.id, lane.id)]
                for t in m.touchpoints
                for lane in m.lanes
                if m.cards_in(t.id, lane.id)
            },
            "emotions": {t.id: t.emotion for t in m.touchpoints},
            "texts": {c.id: c.text for c in m.cards},
            "names": {t.id: t.name for t in m.touchpoints},
            "selected": list(w.selected),
            "error": w.error,
            "version": m.version,
        }
    """
)

#: A cell that prints the snapshot of map ``m`` shown by widget ``w``.
PRINT_STATE = 'print("STATE " + json.dumps(snapshot(m, w)))'


def state(nb: NotebookPage, index: int) -> dict[str, Any]:
    """Run cell ``index`` (a PRINT_STATE cell) and return the snapshot it printed."""
    nb.run_cell(index)
    text = nb.output_text(index)
    for line in text.splitlines():
        if line.startswith("STATE "):
            return json.loads(line[len("STATE ") :])  # type: ignore[no-any-return]
    raise AssertionError(f"cell {index} printed no state: {text!r}; stderr: {nb.stderr()}")


def widget(nb: NotebookPage, index: int) -> Locator:
    """The widget rendered in the output of cell ``index``."""
    root = nb.output(index).locator(".jw-root")
    expect(root).to_be_visible(timeout=20_000)
    return root


def shoot(root: Locator, name: str) -> Path:
    """Save a PNG of the widget itself under tests/e2e/artifacts/ (the notebook scrolls
    inside its panel, so a page screenshot may show only part of it)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    root.scroll_into_view_if_needed()
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    root.screenshot(path=str(path))
    return path


def settled(root: Locator, timeout: float = 10.0) -> None:
    """Wait until the kernel has answered every edit this view sent."""
    wait_until(
        lambda: root.get_attribute("data-pending") == "0",
        timeout,
        "the kernel to answer the widget's edits",
    )


def card(root: Locator, id: str) -> Locator:
    return root.locator(f'.jw-card[data-id="{id}"]')


def item(root: Locator, kind: str, id: str) -> Locator:
    return root.locator(f'[data-kind="{kind}"][data-id="{id}"]')


def cell(root: Locator, tp: str, lane: str) -> Locator:
    return root.locator(f'.jw-cell[data-tp="{tp}"][data-lane="{lane}"]')


def _box(locator: Locator) -> dict[str, float]:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None, f"{locator} has no box"
    return box


def drag(
    page: Page,
    source: Locator,
    target: Locator,
    *,
    at: tuple[float, float] | None = None,
    steps: int = 12,
) -> None:
    """Press on ``source``, move the mouse in ``steps`` to ``target`` and release.

    ``at`` is a point relative to the target's top-left corner (default: its centre).
    """
    src = _box(source)
    dst = _box(target)
    src = _box(source)  # scrolling the target into view may have moved the source
    x, y = src["x"] + src["width"] / 2, src["y"] + src["height"] / 2
    tx, ty = (
        (dst["x"] + at[0], dst["y"] + at[1])
        if at is not None
        else (dst["x"] + dst["width"] / 2, dst["y"] + dst["height"] / 2)
    )
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 6, y + 6, steps=2)
    page.mouse.move(tx, ty, steps=steps)
    page.mouse.up()


def drag_vertically(page: Page, source: Locator, y: float, steps: int = 10) -> None:
    """Drag ``source`` straight up or down to page coordinate ``y`` (an emotion point)."""
    box = _box(source)
    x, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y0)
    page.mouse.down()
    page.mouse.move(x, y, steps=steps)
    page.mouse.up()
