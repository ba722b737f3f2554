"""Text is never HTML, a rejected edit says why and restores the view, and the widget follows
JupyterLab's dark theme: in real JupyterLab 4 and Notebook 7 with Debian's Chromium."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from harness import UI, JupyterServer, NotebookPage, wait_until
from playwright.sync_api import Page, expect
from widget_helpers import PRINT_STATE, SNAPSHOT, card, cell, drag, settled, shoot, state, widget

THEMES = "/lab/api/settings/@jupyterlab/apputils-extension:themes"

PAYLOADS = {
    "title": "<img src=x onerror=\"window.__jwXSS='title'\">",
    "stage": "<script>window.__jwXSS='stage'</script>",
    "touchpoint": "<b>bold</b> & <i>italic</i>",
    "card": "<img src=x onerror=\"window.__jwXSS='card'\"> Zażółć gęślą jaźń",
    "lane": '<a href="javascript:alert(1)">lane</a>',
}

SETUP = (
    SNAPSHOT
    + f"""
import time
import journeywidgets as jw

P = {json.dumps(PAYLOADS)}
m = jw.JourneyMap(P["title"])
m.add_stage(P["stage"], id="s")
m.add_lane(P["lane"], id="l", kind="pain_points")
m.add_lane("Emotions", id="e", kind="emotions")
m.add_touchpoint(P["touchpoint"], id="t", stage="s", emotion=-1, channel=P["card"])
m.add_touchpoint("Second", id="t2", stage="s", emotion=2, moment_of_truth=True)
m.add_card(P["card"], id="x", touchpoint="t", lane="l")
m.add_card("Will be removed by Python", id="r1", touchpoint="t", lane="l")
m.add_card("Stays", id="k", touchpoint="t2", lane="e")
w = jw.JourneyWidget(m)
w
"""
)

# Keeps the kernel busy, then removes the card the browser is about to move: the browser's
# edit reaches the kernel after the removal and must be rejected.
REMOVE_WHILE_BUSY = 'time.sleep(4)\nm.remove("r1")\nprint("removed")'


@pytest.fixture
def dark_theme(jupyter_server: JupyterServer) -> Iterator[None]:
    """JupyterLab Dark for this test (a user setting of the test server), light again after."""
    jupyter_server.api("PUT", THEMES, {"raw": json.dumps({"theme": "JupyterLab Dark"})})
    try:
        yield
    finally:
        jupyter_server.api("PUT", THEMES, {"raw": json.dumps({"theme": "JupyterLab Light"})})


def luminance(css_colour: str) -> float:
    """Relative lightness (0 black .. 1 white) of an ``rgb(...)`` / ``rgba(...)`` colour."""
    parts = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].split(",")
    r, g, b = (float(p) / 255 for p in parts[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def start_cell(nb: NotebookPage, index: int) -> None:
    """Press Shift+Enter on a cell without waiting for it; return once it is running."""
    cell_ = nb.cell(index)
    cell_.scroll_into_view_if_needed()
    cell_.locator(".jp-InputPrompt").click()
    nb.page.keyboard.press("Shift+Enter")
    prompt = cell_.locator(".jp-InputPrompt")
    wait_until(lambda: "*" in prompt.inner_text(), 10, f"cell {index} to start")


def test_payloads_rejects_and_dark_theme(
    dark_theme: None,
    open_notebook: Callable[[str, Iterable[str], UI], NotebookPage],
    jupyter_ui: UI,
    page: Page,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    nb = open_notebook(
        f"safety-{jupyter_ui}.ipynb", [SETUP, REMOVE_WHILE_BUSY, PRINT_STATE], jupyter_ui
    )
    nb.run_cell(0)
    root = widget(nb, 0)

    # ---- user text is text: shown literally, no element made from it, no script run.
    expect(root.locator(".jw-title")).to_have_text(PAYLOADS["title"])
    expect(root.locator(".jw-stage-name")).to_have_text(PAYLOADS["stage"])
    expect(root.locator('.jw-tp[data-id="t"] .jw-tp-name')).to_have_text(PAYLOADS["touchpoint"])
    expect(root.locator('.jw-tp[data-id="t"] .jw-channel')).to_have_text(PAYLOADS["card"])
    expect(root.locator('.jw-lane-label[data-id="l"] .jw-lane-name')).to_have_text(PAYLOADS["lane"])
    expect(card(root, "x")).to_have_text(PAYLOADS["card"])
    time.sleep(0.5)  # give an onerror handler every chance to fire
    assert root.locator("img, script, b, i, a").count() == 0
    assert page.evaluate("window.__jwXSS") is None

    # ---- dark theme: the widget takes JupyterLab's colours; sticky notes stay readable.
    background = root.evaluate("e => getComputedStyle(e).backgroundColor")
    assert luminance(background) < 0.3, background
    text = root.locator(".jw-title").evaluate("e => getComputedStyle(e).color")
    assert luminance(text) > 0.6, text
    note = card(root, "k").evaluate("e => getComputedStyle(e).color")
    assert luminance(note) < 0.3, note
    shoot(root, f"widget-safety-{jupyter_ui}-dark")

    # ---- a rejected edit: the kernel is busy removing r1 while the browser moves it.
    start_cell(nb, 1)
    drag(page, card(root, "r1"), cell(root, "t2", "e"))
    expect(cell(root, "t2", "e").locator('[data-id="r1"]')).to_have_count(1)  # optimistic
    status = root.locator(".jw-status")
    expect(status).to_contain_text("there is no entity with id 'r1'", timeout=30_000)
    expect(status).to_have_class("jw-status jw-status-error")
    expect(card(root, "r1")).to_have_count(0)
    expect(card(root, "k")).to_have_count(1)
    settled(root)
    shoot(root, f"widget-safety-{jupyter_ui}-rejected")
    screenshot("page")
    s = state(nb, 2)
    assert "r1" not in s["texts"]
    assert s["cells"]["t2/e"] == ["k"]
    assert "there is no entity with id 'r1'" in s["error"]
    assert blocked_requests == [], f"non-local requests were attempted: {blocked_requests}"
