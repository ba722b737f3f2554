"""The standalone page from export.to_html works in Chromium from file:// with no network."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from widget_helpers import card, cell, drag, settled

import journeywidgets as jw
from journeywidgets import export
from sharing_maps import small_map


def in_cell(root: Locator, tp: str, lane: str, id: str) -> Locator:
    return cell(root, tp, lane).locator(f'.jw-card[data-id="{id}"]')


def open_page(page: Page, path: Path, requests: list[str]) -> None:
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    expect(page.locator(".jw-root")).to_be_visible(timeout=20_000)


def download_map(page: Page, tmp_path: Path, name: str) -> jw.JourneyMap:
    with page.expect_download() as info:
        page.get_by_role("button", name="Download JSON").click()
    download = info.value
    assert download.suggested_filename == "energy_small.json"
    target = tmp_path / name
    download.save_as(target)
    return jw.loads(target.read_text(encoding="utf-8"))


def test_drag_undo_add_and_download_without_a_kernel(
    page: Page,
    tmp_path: Path,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    m = small_map()
    path = tmp_path / "map.html"
    html = export.to_html(m, path)
    assert path.read_text(encoding="utf-8") == html
    requests: list[str] = []
    open_page(page, path, requests)
    root = page.locator(".jw-root")
    expect(card(root, "c_compare")).to_have_text("Compares tariffs")
    # Nothing to undo or redo yet: both buttons are greyed out.
    expect(root.locator(".jw-undo")).to_be_disabled()
    expect(root.locator(".jw-redo")).to_be_disabled()

    # Drag a card to another touchpoint and lane; the in-page model acknowledges it.
    drag(page, card(root, "c_compare"), cell(root, "call", "emotions"))
    settled(root)
    expect(in_cell(root, "call", "emotions", "c_compare")).to_be_visible()
    expect(page.locator("#jw-page-status")).to_contain_text("download the JSON")
    moved = download_map(page, tmp_path, "moved.json")
    assert moved["c_compare"].touchpoint == "call"  # type: ignore[attr-defined]
    assert moved["c_compare"].lane == "emotions"  # type: ignore[attr-defined]
    assert {c.id for c in moved.cards_in(touchpoint="call", lane="emotions")} == {
        "c_irritated",
        "c_compare",
    }
    expected = m.copy()
    drop_index = moved.position("c_compare")
    expected.move("c_compare", touchpoint="call", lane="emotions", index=drop_index)
    assert moved == expected  # nothing else changed
    screenshot("moved")

    # Undo and redo are answered by the page's own history.
    expect(root.locator(".jw-redo")).to_be_disabled()
    root.locator(".jw-undo").click()
    settled(root)
    expect(
        cell(root, "website", "actions").locator('.jw-card[data-id="c_compare"]')
    ).to_be_visible()
    assert download_map(page, tmp_path, "undone.json") == m
    expect(root.locator(".jw-undo")).to_be_disabled()  # back at the first step
    root.locator(".jw-redo").click()
    settled(root)
    expect(in_cell(root, "call", "emotions", "c_compare")).to_be_visible()
    expect(root.locator(".jw-redo")).to_be_disabled()
    expect(root.locator(".jw-undo")).to_be_enabled()

    # A new card gets an id generated as the Python model would (card_1...).
    cell(root, "invoice", "actions").hover()
    cell(root, "invoice", "actions").locator(".jw-add-card").click()
    page.keyboard.type("Pays by direct debit <b>now</b>")
    page.keyboard.press("Enter")
    settled(root)
    expect(card(root, "card_1")).to_have_text("Pays by direct debit <b>now</b>")

    # A new stage's id is the same slug the Python model makes of its name.
    root.locator(".jw-add-stage").click()
    page.keyboard.type("Używam, płacę & Łódź")
    page.keyboard.press("Enter")
    settled(root)
    python_id = jw.JourneyMap().add_stage("Używam, płacę & Łódź").id
    assert python_id == "uzywam_place_lodz"
    expect(root.locator(f'[data-kind="stage"][data-id="{python_id}"]')).to_be_visible()

    final = download_map(page, tmp_path, "final.json")
    assert final[python_id].name == "Używam, płacę & Łódź"  # type: ignore[attr-defined]
    assert final["card_1"].text == "Pays by direct debit <b>now</b>"  # type: ignore[attr-defined]
    assert final["card_1"].touchpoint == "invoice"  # type: ignore[attr-defined]
    assert final["c_compare"].touchpoint == "call"  # type: ignore[attr-defined]
    screenshot("final")

    assert blocked_requests == [], f"non-local requests were attempted: {blocked_requests}"
    outside = [u for u in requests if not u.startswith(("file://", "blob:", "data:"))]
    assert outside == [], f"the page requested {outside}"


def test_the_model_refuses_what_python_would(page: Page, tmp_path: Path) -> None:
    m = small_map()
    path = tmp_path / "map.html"
    export.to_html(m, path)
    requests: list[str] = []
    open_page(page, path, requests)
    root = page.locator(".jw-root")
    # An emotion off the scale (the UI snaps, so send it as the widget would).
    reply = page.evaluate(
        """() => new Promise((resolve) => {
            const model = window.journeywidgets.model;
            model.on("msg:custom", (msg) => resolve(msg));
            model.send({type: "edit", seq: 99, edit: {op: "set_emotion", id: "call", value: 7}});
        })"""
    )
    assert reply["type"] == "reject"
    assert "outside the map's scale [-2, 2]" in reply["reason"]
    reply = page.evaluate(
        """() => new Promise((resolve) => {
            const model = window.journeywidgets.model;
            model.on("msg:custom", (msg) => resolve(msg));
            model.send({type: "edit", seq: 100,
                        edit: {op: "update", id: "i_use_and_pay", changes: {name: ""}}});
        })"""
    )
    assert reply["type"] == "reject"
    assert "field 'name': must not be empty or only spaces" in reply["reason"]
    assert download_map(page, tmp_path, "unchanged.json") == m
    expect(root).to_be_visible()


def test_readonly_language_and_large_text(page: Page, tmp_path: Path) -> None:
    path = tmp_path / "pl.html"
    export.to_html(jw.templates.energy_utility(), path, language="pl", readonly=True)
    requests: list[str] = []
    open_page(page, path, requests)
    root = page.locator(".jw-root")
    expect(root.locator(".jw-stage-name").first).to_have_text("Chcę mieć prąd")
    assert "<title>Energy utility" in path.read_text(encoding="utf-8")
    expect(root).to_have_class(re.compile("jw-readonly"))
