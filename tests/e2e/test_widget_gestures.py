"""Every widget gesture, done with the mouse (and some with the keyboard) in real JupyterLab 4
and Notebook 7, checked on the Python model in the next cell."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from harness import UI, NotebookPage
from playwright.sync_api import Page, expect
from widget_helpers import (
    PRINT_STATE,
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

m = jw.JourneyMap("Buying electricity", scale=(-3, 3))
for sid, name in [("want", "I want electricity"), ("use", "I use and pay"), ("leave", "I leave")]:
    m.add_stage(name, id=sid)
m.add_lane("Actions", kind="actions")
m.add_lane("Thoughts", kind="thoughts")
m.add_lane("Emotions", kind="emotions")
m.add_touchpoint("Advert", id="ad", stage="want", emotion=1, channel="TV")
m.add_touchpoint("Website", id="web", stage="want", emotion=-1, moment_of_truth=True)
m.add_touchpoint("Invoice", id="invoice", stage="use", emotion=-2, channel="letter")
m.add_touchpoint("Call centre", id="call", stage="use", emotion=-3, channel="phone")
m.add_touchpoint("Cancels", id="cancel", stage="leave", emotion=0)
m.add_card("Sees the advert", id="c1", touchpoint="ad", lane="actions")
m.add_card("Compares tariffs", id="c2", touchpoint="web", lane="actions")
m.add_card("Reads the small print", id="c3", touchpoint="web", lane="actions")
m.add_card("Reads the invoice", id="c4", touchpoint="invoice", lane="actions")
m.add_card("Angry", id="c5", touchpoint="invoice", lane="emotions")
m.add_card("Waits on hold", id="c6", touchpoint="call", lane="thoughts")
w = jw.JourneyWidget(m, height=560)
w
"""
)

PYTHON_EDITS = """
m.add_card("From Python", id="py1", touchpoint="ad", lane="thoughts")
m.set_emotion("web", 2)
print("done")
"""


def test_gestures_become_model_edits(
    open_notebook: Callable[[str, Iterable[str], UI], NotebookPage],
    jupyter_ui: UI,
    page: Page,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    nb = open_notebook(
        f"gestures-{jupyter_ui}.ipynb",
        [SETUP, PRINT_STATE, PRINT_STATE, PRINT_STATE, PYTHON_EDITS],
        jupyter_ui,
    )
    nb.run_cell(0)
    root = widget(nb, 0)
    expect(card(root, "c1")).to_have_text("Sees the advert")
    shoot(root, f"widget-gestures-{jupyter_ui}-initial")

    # ---- moves: a card across cells and within a cell, a touchpoint within and across
    # stages, a stage and a lane.
    drag(page, card(root, "c1"), cell(root, "call", "emotions"))
    drag(page, card(root, "c3"), card(root, "c2"), at=(20, 3))
    drag(page, item(root, "touchpoint", "web"), item(root, "touchpoint", "ad"), at=(12, 30))
    call_box = item(root, "touchpoint", "call").bounding_box()
    assert call_box is not None
    drag(
        page,
        item(root, "touchpoint", "cancel"),
        item(root, "touchpoint", "call"),
        at=(call_box["width"] - 12, 30),
    )
    drag(page, item(root, "stage", "use"), item(root, "stage", "want"), at=(20, 12))
    drag(page, item(root, "lane", "emotions"), item(root, "lane", "actions"), at=(20, 4))
    settled(root)
    s = state(nb, 1)
    assert s["cells"]["call/emotions"] == ["c1"]
    assert "ad/actions" not in s["cells"]
    assert s["cells"]["web/actions"] == ["c3", "c2"]
    assert s["touchpoints"] == {
        "use": ["invoice", "call", "cancel"],
        "want": ["web", "ad"],
        "leave": [],
    }
    assert s["stages"] == ["use", "want", "leave"]
    assert s["lanes"] == ["emotions", "actions", "thoughts"]
    assert s["error"] == ""
    shoot(root, f"widget-gestures-{jupyter_ui}-moved")

    # ---- emotion drag, inline edit, add, delete.
    point = root.locator('g.jw-point[data-tp="ad"]')
    curve = root.locator(".jw-curve-svg").bounding_box()
    assert curve is not None
    drag_vertically(page, point, curve["y"] + curve["height"] * 19 / 140)
    card(root, "c4").dblclick()
    editor = root.locator(".jw-card textarea.jw-editor")
    expect(editor).to_be_focused()
    editor.fill("Reads the e-invoice")
    page.keyboard.press("Enter")
    cell(root, "invoice", "thoughts").hover()
    cell(root, "invoice", "thoughts").locator(".jw-add-card").click()
    page.keyboard.type("Calls the hotline")
    page.keyboard.press("Enter")
    card(root, "c6").hover()
    root.locator(".jw-card-del").click()
    settled(root)
    s = state(nb, 2)
    assert s["emotions"]["ad"] == 3
    assert s["texts"]["c4"] == "Reads the e-invoice"
    [new] = s["cells"]["invoice/thoughts"]
    assert s["texts"][new] == "Calls the hotline"
    assert "c6" not in s["texts"]
    expect(card(root, new)).to_have_text("Calls the hotline")  # renamed to the kernel's id
    shoot(root, f"widget-gestures-{jupyter_ui}-edited")

    # ---- undo/redo (keys and buttons), a keyboard move, selection.
    card(root, "c5").focus()
    page.keyboard.press("Control+z")  # undoes the delete
    expect(card(root, "c6")).to_be_visible()
    root.locator(".jw-redo").click()
    expect(card(root, "c6")).to_have_count(0)
    expect(root.locator(".jw-redo")).to_be_disabled()  # the kernel has nothing left to redo
    root.locator(".jw-undo").click()
    expect(card(root, "c6")).to_be_visible()
    card(root, "c5").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # c5 is alone in its cell: on to the top of the next lane
    page.keyboard.press("Space")
    expect(root.locator(".jw-sr-only[aria-live]")).to_contain_text("Dropped.")
    card(root, "c2").click()
    item(root, "touchpoint", "web").click(modifiers=["Shift"])
    settled(root)
    s = state(nb, 3)
    assert "c6" in s["texts"]
    assert s["cells"]["invoice/actions"] == ["c5", "c4"]
    assert s["selected"] == ["c2", "web"]

    # Every card is drawn once, where the model has it.
    drawn = root.locator(".jw-grid .jw-card").evaluate_all("els => els.map(e => e.dataset.id)")
    assert sorted(drawn) == sorted(s["texts"])
    for key, ids in s["cells"].items():
        tp, lane = key.split("/")
        assert (
            cell(root, tp, lane)
            .locator(".jw-card")
            .evaluate_all("els => els.map(e => e.dataset.id)")
            == ids
        ), key

    # ---- Python edits show in the widget at once.
    nb.run_cell(4)
    expect(card(root, "py1")).to_have_text("From Python")
    expect(root.locator('g.jw-point[data-tp="web"]')).to_have_attribute("aria-valuenow", "2")
    shoot(root, f"widget-gestures-{jupyter_ui}-final")
    screenshot("page")
    assert not nb.stderr(), nb.stderr()
    assert blocked_requests == [], f"non-local requests were attempted: {blocked_requests}"
