"""The diff overlay in real JupyterLab: ``w.show_diff(base)`` marks what changed since
``base``, a card dragged in the browser joins the marks (the kernel recomputes the diff), the
toolbar toggle hides and shows them, and a removed card's hostile text stays text. A
screenshot of the overlay is saved under tests/e2e/artifacts/ (looked at when it was made).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from harness import UI, NotebookPage
from playwright.sync_api import Page, expect
from widget_helpers import card, cell, drag, item, settled, shoot, widget

SETUP = """
import json
import journeywidgets as jw

m = jw.JourneyMap("Moving house", scale=(-3, 3))
m.add_stage("Search", id="search")
m.add_stage("Move in", id="move_in")
m.add_lane("Does", kind="actions", id="does")
m.add_lane("Feels", kind="emotions", id="feels")
m.add_touchpoint("Advert", stage="search", id="ad", emotion=1)
m.add_touchpoint("Website", stage="search", id="web", emotion=-1)
m.add_touchpoint("Hotline", stage="search", id="hotline", emotion=-2)
m.add_touchpoint("Keys", stage="move_in", id="keys", emotion=2)
m.add_card("Sees the advert", touchpoint="ad", lane="does", id="c1")
m.add_card("<img src=x onerror=alert(1)> compares tariffs", touchpoint="web", lane="does", id="c2")
m.add_card("Reads the small print", touchpoint="web", lane="does", id="c3")
m.add_card("Waits on hold", touchpoint="hotline", lane="does", id="c4")
m.add_card("Relieved", touchpoint="keys", lane="feels", id="c5")
base = m.copy()
m.remove("c2")
m.add_card("Asks a neighbour", touchpoint="ad", lane="does", id="c6")
m.set_emotion("web", 1)
m.update("c5", text="Relieved and tired")
m.remove("hotline", cascade=True)
w = jw.JourneyWidget(m)
w.show_diff(base)
w
"""

HOSTILE = "<img src=x onerror=alert(1)>"

STATE = """
print("STATE " + json.dumps({"summary": w.diff_summary, "changed": sorted(w._diff["changed"])}))
"""


def test_the_diff_overlay_in_jupyterlab(
    open_notebook: Callable[[str, Iterable[str], UI], NotebookPage], page: Page
) -> None:
    nb = open_notebook("diff.ipynb", [SETUP, STATE], "lab")
    nb.run_cell(0)
    root = widget(nb, 0)
    expect(card(root, "c6")).to_have_class("jw-card jw-diff-added")
    expect(card(root, "c5")).to_have_attribute(
        "aria-description",
        "changed since the base version: text: Relieved \u2192 Relieved and tired",
    )
    expect(item(root, "touchpoint", "web")).to_have_class("jw-tp jw-diff-changed")
    ghost = cell(root, "web", "does").locator(".jw-removed-item")
    expect(ghost).to_have_text(f"{HOSTILE} compares tariffs")
    expect(ghost).to_have_attribute("aria-label", f"removed: {HOSTILE} compares tariffs")
    assert root.locator("img").count() == 0
    expect(root.locator(".jw-diff-removed")).to_contain_text("Hotline")
    expect(root.locator(".jw-diff-removed")).to_contain_text("Waits on hold")

    # A drag in the browser: the kernel recomputes the diff and the moved card is marked.
    drag(page, card(root, "c3"), cell(root, "keys", "does"))
    settled(root)
    expect(card(root, "c3")).to_have_class("jw-card jw-diff-changed", timeout=10_000)
    nb.run_cell(1)
    assert '"c3"' in nb.output_text(1)
    shoot(root, "widget-diff-overlay")

    toggle = root.get_by_role("button", name="Show the changes since the base version")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(root.locator(".jw-removed-item, .jw-diff-added, .jw-diff-changed")).to_have_count(0)
    toggle.click()
    expect(root.locator(".jw-cell .jw-removed-item")).to_have_count(1)
