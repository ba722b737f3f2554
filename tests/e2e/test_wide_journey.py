"""A journey of 2,000 touchpoints in real JupyterLab: the widget draws only the columns near
the view (headers, cells, curve points), and scrolling, dragging, the keyboard, undo and a
selection made in Python all reach the columns it has not drawn yet."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from harness import UI, NotebookPage, wait_until
from playwright.sync_api import Locator, Page, expect
from widget_helpers import (
    SNAPSHOT,
    card,
    cell,
    drag,
    drag_vertically,
    item,
    settled,
    shoot,
    state,
    widget,
)

SETUP = (
    SNAPSHOT
    + """
import journeywidgets as jw

N = 2000
m = jw.JourneyMap.from_dict({
    "title": "Wide journey",
    "stages": [{"id": f"s{i}", "name": f"Stage {i}"} for i in range(N // 10)],
    "touchpoints": [
        {"id": f"t{i}", "stage": f"s{i // 10}", "name": f"Step {i}", "emotion": i % 7 - 3}
        for i in range(N)
    ],
    "lanes": [
        {"id": "actions", "name": "Actions", "kind": "actions"},
        {"id": "thoughts", "name": "Thoughts", "kind": "thoughts"},
    ],
    "cards": [
        {"id": f"c{i}", "touchpoint": f"t{i}", "lane": "actions", "text": f"Does step {i}"}
        for i in range(N)
    ],
})
w = jw.JourneyWidget(m, height=520)
w
"""
)

#: The parts of the snapshot this test reads (all of it is long enough to move the notebook).
BRIEF_STATE = (
    "s = snapshot(m, w)\n"
    'print("STATE " + json.dumps({"moved": s["cells"].get("t1998/thoughts"), '
    '"selected": s["selected"], "error": s["error"], "emotion": s["emotions"]["t1500"]}))'
)

SELECT_FAR = 'w.selected = ["c1500"]\nprint("selected")'

#: More than a screen of columns and their margins, far fewer than 2,000.
MAX_HEADERS = 80


def scroll_to(root: Locator, where: str) -> None:
    """Scroll the map: ``where`` is a JS expression of the scroller ``s``."""
    root.locator(".jw-scroller").evaluate(f"s => {{ s.scrollLeft = {where}; }}")


def in_view(root: Locator, target: Locator) -> bool:
    box = target.bounding_box()
    view = root.locator(".jw-scroller").bounding_box()
    assert view is not None
    return (
        box is not None
        and box["x"] < view["x"] + view["width"]
        and box["x"] + box["width"] > view["x"]
    )


def test_wide_journey_draws_only_what_is_in_view(
    open_notebook: Callable[[str, Iterable[str], UI], NotebookPage],
    page: Page,
    blocked_requests: list[str],
) -> None:
    nb = open_notebook("wide-journey.ipynb", [SETUP, BRIEF_STATE, SELECT_FAR, BRIEF_STATE], "lab")
    nb.run_cell(0)
    root = widget(nb, 0)
    expect(card(root, "c0")).to_have_text("Does step 0")
    headers = root.locator(".jw-tp")
    assert 0 < headers.count() <= MAX_HEADERS
    assert root.locator("g.jw-point").count() <= MAX_HEADERS + 2
    assert card(root, "c1999").count() == 0  # not drawn until scrolled to

    # ---- scrolled to the end: the last column is drawn, with its curve point.
    scroll_to(root, "s.scrollWidth")
    expect(item(root, "touchpoint", "t1999")).to_contain_text("Step 1999")
    expect(card(root, "c1999")).to_have_text("Does step 1999")
    expect(root.locator('g.jw-point[data-tp="t1999"]')).to_have_count(1)
    assert headers.count() <= MAX_HEADERS
    assert item(root, "touchpoint", "t0").count() == 0

    # ---- a card dragged there lands where it was dropped; undo puts it back.
    drag(page, card(root, "c1999"), cell(root, "t1998", "thoughts"))
    settled(root)
    s = state(nb, 1)
    assert s["moved"] == ["c1999"]
    assert s["error"] == ""
    card(root, "c1999").focus()
    page.keyboard.press("Control+z")
    expect(cell(root, "t1999", "actions").locator('.jw-card[data-id="c1999"]')).to_have_count(1)
    settled(root)

    # ---- the middle, as a person sees it.
    scroll_to(root, "s.scrollWidth / 2")
    wait_until(
        lambda: root.locator('.jw-tp[data-id="t1000"]').count() == 1, 5, "the middle to be drawn"
    )
    shoot(root, "wide-journey-middle")

    # ---- the keyboard moves focus to a column that is not drawn: it is scrolled in.
    scroll_to(root, "0")
    card(root, "c10").focus()
    scroll_to(root, "s.scrollWidth / 2")
    wait_until(lambda: item(root, "touchpoint", "t11").count() == 0, 5, "t11 to be dropped")
    page.keyboard.press("ArrowRight")
    expect(card(root, "c11")).to_be_focused()
    assert in_view(root, card(root, "c11"))
    assert headers.count() <= MAX_HEADERS

    # ---- a selection made in Python scrolls the map to it.
    nb.run_cell(2)
    expect(card(root, "c1500")).to_have_class(re.compile(r"\bjw-selected\b"))
    wait_until(lambda: in_view(root, card(root, "c1500")), 5, "c1500 to be scrolled into view")
    assert state(nb, 3)["selected"] == ["c1500"]
    assert headers.count() <= MAX_HEADERS

    # ---- an emotion point there is dragged to the top of the scale.
    point = root.locator('g.jw-point[data-tp="t1500"]')
    point.scroll_into_view_if_needed()  # before measuring: it may scroll the notebook
    curve = root.locator(".jw-curve-svg").bounding_box()
    assert curve is not None
    drag_vertically(page, point, curve["y"] - 30)  # past the top: the scale's maximum
    settled(root)
    assert state(nb, 3)["emotion"] == 3

    # ---- Fit: narrow columns, still only those near the view, points on their columns.
    root.locator(".jw-fit-btn").click()
    wait_until(lambda: headers.count() > MAX_HEADERS, 5, "Fit to draw the narrower columns")
    assert headers.count() < 400
    shown = [h for h in headers.all() if in_view(root, h)]
    assert len(shown) > 50
    probe = shown[len(shown) // 2]
    tp = probe.get_attribute("data-id")
    header_box = item(root, "touchpoint", str(tp)).bounding_box()
    dot = root.locator(f'g.jw-point[data-tp="{tp}"] .jw-point-dot').bounding_box()
    assert header_box is not None
    assert dot is not None
    centre = header_box["x"] + header_box["width"] / 2
    assert abs(dot["x"] + dot["width"] / 2 - centre) < 2
    shoot(root, "wide-journey-fit")
    root.locator(".jw-fit-btn").click()
    wait_until(lambda: headers.count() <= MAX_HEADERS, 5, "the full view to drop the extra columns")
    assert blocked_requests == []
