"""The static SVG and the widget draw the same rows and columns, in the same order.

Both follow one description (``journeywidgets/layout.json``, read by ``layout.py`` and bundled
into ``js/src/layout.ts``). This test does not trust that: it draws every built-in template,
and maps that stress the rule (no emotions lane, an emotions lane first, an empty stage),
both ways in Chromium, reads where each row and column landed on screen, and compares.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import journeywidgets as jw
from journeywidgets import export, layout


def _edge_maps() -> dict[str, jw.JourneyMap]:
    no_emotions = jw.templates.it_laptop()
    for lane in [lane.id for lane in no_emotions.lanes if lane.kind == "emotions"]:
        no_emotions.remove(lane, cascade=True)
    emotions_first = jw.templates.energy_utility()
    emotions_first.move("emotions", index=0)
    empty_stage = jw.templates.employee_onboarding()
    empty_stage.add_stage("Alumni network", id="alumni_network", index=1)
    return {
        "no_emotions_lane": no_emotions,
        "emotions_lane_first": emotions_first,
        "empty_stage": empty_stage,
    }


MAPS = {name: jw.templates.load_template(name) for name in jw.templates.list_templates()}
MAPS.update(_edge_maps())

# Elements with their ids, ordered by where they are drawn (top for rows, left for columns).
ORDER = """([selector, key, axis]) => [...document.querySelectorAll(selector)]
  .map((node) => {
    const box = node.getBoundingClientRect();
    return [axis === "y" ? box.top : box.left, node.getAttribute(key) ?? "emotion"];
  })
  .sort((a, b) => a[0] - b[0])
  .map((pair) => pair[1])"""


def order(page: Page, selector: str, axis: str, key: str = "data-id") -> list[str]:
    result: list[str] = page.evaluate(ORDER, [selector, key, axis])
    return result


@pytest.mark.parametrize("name", sorted(MAPS))
def test_svg_and_widget_give_the_same_rows_and_columns(
    name: str, page: Page, tmp_path: Path
) -> None:
    m = MAPS[name]
    rows = [row.name for row in layout.rows(m)]
    stages = [stage.id for stage in m.stages]
    touchpoints = [
        column.touchpoint.id for column in layout.columns(m) if column.touchpoint is not None
    ]
    if name == "no_emotions_lane":
        assert rows[-1] == "emotion"
    elif name == "emotions_lane_first":
        assert rows[:2] == ["emotion", "emotions"]
    else:
        assert rows.index("emotion") > 0  # the templates put actions first

    svg_path = tmp_path / "map.svg"
    svg_path.write_text(export.to_svg(m), encoding="utf-8")
    page.goto(svg_path.as_uri())
    assert order(page, ".jws-lane, .jws-emotion", "y") == rows
    assert order(page, ".jws-stage", "x") == stages
    assert order(page, ".jws-touchpoint", "x") == touchpoints

    html_path = tmp_path / "map.html"
    export.to_html(m, html_path)
    page.goto(html_path.as_uri())
    root = page.locator(".jw-root")
    expect(root.locator(".jw-curve-label")).to_be_visible(timeout=20_000)
    # The curve's label carries no data-id: it reads as "emotion".
    assert order(page, ".jw-lane-label", "y") == rows
    assert order(page, ".jw-stage[data-id]", "x") == stages
    assert order(page, ".jw-tp[data-id]", "x") == touchpoints
