"""A notebook exported by journeywidgets.nbhtml shows its maps offline in Chromium."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from playwright.sync_api import Page, expect

import journeywidgets as jw
from journeywidgets import nbhtml, notebook
from sharing_maps import small_map


def map_notebook() -> nbformat.NotebookNode:
    nb = notebook.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Shared map"))
    nb.cells.append(notebook.map_cell(small_map()))
    # Edited after it was shown: the page must show the map as the notebook left it.
    nb.cells.append(
        nbformat.v4.new_code_cell(
            'm.add_card("Added in a later cell", touchpoint="invoice", lane="actions", '
            'id="c_later")'
        )
    )
    return nb


def test_executed_notebook_shows_the_interactive_map_offline(
    page: Page,
    tmp_path: Path,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    source = tmp_path / "shared.ipynb"
    nbformat.write(map_notebook(), source)
    out = tmp_path / "shared.html"
    html = nbhtml.notebook_to_html(source, out)
    assert out.read_text(encoding="utf-8") == html
    assert nbformat.read(source, as_version=4).cells[1].outputs == []  # source untouched

    page.goto(out.as_uri())
    cards = page.locator(".jw-root .jw-card")
    expect(cards.first).to_be_visible(timeout=30_000)
    expect(cards).to_have_count(5)
    expect(page.locator(".jw-root .jw-card", has_text="Added in a later cell")).to_be_visible()
    for stage in small_map().stages:
        expect(page.locator(".jw-root", has_text=stage.name).first).to_be_visible()
    # With widget state nbconvert drops the static fallback picture.
    assert page.locator("img[src^='data:image/png']").count() == 0
    assert blocked_requests == [], f"non-local requests were attempted: {blocked_requests}"
    screenshot("offline-widget")


def test_without_widget_state_the_static_picture_shows(
    page: Page,
    tmp_path: Path,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    nb = map_notebook()
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
        store_widget_state=False,
    ).execute()
    assert "widgets" not in nb.metadata
    out = tmp_path / "static.html"
    html = nbhtml.notebook_to_html(nb, out, execute_first=False)
    assert "embed-amd" not in html  # no widget state: no widget scripts either

    page.goto(out.as_uri())
    # The fallback is a PNG of the map (journeywidgets.overview), made when the widget was
    # displayed.
    picture = page.locator("img[src^='data:image/png']")
    expect(picture).to_be_visible(timeout=20_000)
    assert picture.evaluate("img => img.naturalWidth") > 500
    assert page.locator(".jw-root").count() == 0
    assert blocked_requests == []
    screenshot("offline-static")


def test_report_notebook_exports_offline(
    page: Page,
    tmp_path: Path,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    m = jw.templates.it_laptop()
    source = tmp_path / "report.ipynb"
    notebook.report(m, path=source)
    out = tmp_path / "report.html"
    nbhtml.notebook_to_html(source, out)
    page.goto(out.as_uri())
    cards = page.locator(".jw-root .jw-card")
    expect(cards.first).to_be_visible(timeout=30_000)
    expect(cards).to_have_count(len(m.cards))
    # The map cell's code (the whole document) is folded behind a toggle.
    folded = page.locator("details.jw-hidden-input")
    expect(folded).to_have_count(1)
    expect(folded.locator("summary")).to_be_visible()
    expect(folded.locator(".jp-InputArea")).to_be_hidden()
    assert blocked_requests == [], f"non-local requests were attempted: {blocked_requests}"
    screenshot("report")
