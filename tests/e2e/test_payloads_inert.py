"""Markup and script in every text field stay inert, and show literally, in every export.

One map holds a payload in each of its text fields (title, description, scenario, persona,
stage, touchpoint, lane and card texts, channels, owners, tags).  Each export is opened in
Chromium from file:// with the network blocked; no payload may run (``window.__pwned``
stays undefined) and the texts must read as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from playwright.sync_api import Page, expect
from sharing_pages import dump, render_mermaid, squash

import journeywidgets as jw
from journeywidgets import export, nbhtml, notebook
from journeywidgets.mermaid import unescape
from sharing_maps import PAYLOADS, payload_map

# Long enough for an <img onerror> or a <svg onload> to have fired.
SETTLE_MS = 800


def assert_inert(page: Page) -> None:
    page.wait_for_timeout(SETTLE_MS)
    assert page.evaluate("() => typeof window.__pwned") == "undefined", "a payload ran"


def texts_of(page: Page, scope: str) -> dict[str, str]:
    """Each static card's text by card id, whitespace removed (the SVG wraps lines)."""
    cards = page.locator(f"{scope} .jws-card")
    return {
        str(card.get_attribute("data-id")): squash(
            card.locator(".jws-card-text").text_content() or ""
        )
        for card in cards.all()
    }


def card_texts(m: jw.JourneyMap) -> dict[str, str]:
    return {c.id: squash(c.text) for c in m.cards}


def test_svg_document(page: Page, tmp_path: Path, blocked_requests: list[str]) -> None:
    m = payload_map()
    path = export.write_svg(m, tmp_path / "map.svg")
    page.goto(path.as_uri())
    assert_inert(page)
    assert texts_of(page, "svg") == card_texts(m)
    assert page.locator("script").count() == 0
    title = page.locator(".jws-title").text_content()
    assert title == m.title
    assert blocked_requests == []


def test_static_pages(
    page: Page, tmp_path: Path, blocked_requests: list[str], screenshot: Callable[[str], Path]
) -> None:
    m = payload_map()
    static = tmp_path / "static.html"
    static.write_text(export.static_page(m), encoding="utf-8")
    page.goto(static.as_uri())
    assert_inert(page)
    assert texts_of(page, ".jws-static") == card_texts(m)
    assert page.locator("script").count() == 0
    assert page.title() == m.title
    screenshot("static")
    # The fallback fragment the widget adds to notebooks, inside someone else's page.
    fragment = tmp_path / "fragment.html"
    fragment.write_text(
        f"<!DOCTYPE html><meta charset='utf-8'><body>{export.static_html(m)}</body>",
        encoding="utf-8",
    )
    page.goto(fragment.as_uri())
    assert_inert(page)
    assert texts_of(page, "body") == card_texts(m)
    assert blocked_requests == []


def test_standalone_page(
    page: Page, tmp_path: Path, blocked_requests: list[str], screenshot: Callable[[str], Path]
) -> None:
    m = payload_map()
    path = tmp_path / "map.html"
    export.to_html(m, path)
    page.goto(path.as_uri())
    expect(page.locator(".jw-root .jw-card").first).to_be_visible(timeout=20_000)
    assert_inert(page)
    for c in m.cards:
        text = page.locator(f'.jw-root .jw-card[data-id="{c.id}"] .jw-card-text').text_content()
        assert text == c.text
    assert page.locator(".jw-root .jw-title").text_content() == m.title
    assert page.title() == m.title
    # Only the page's own two scripts exist; no payload added an element.
    assert page.locator("script").count() == 2
    assert page.locator("#jw-app img").count() == 0
    screenshot("standalone")
    assert blocked_requests == []


def test_nbconvert_pages_with_and_without_widget_state(
    page: Page, tmp_path: Path, blocked_requests: list[str], screenshot: Callable[[str], Path]
) -> None:
    m = payload_map()
    nb = notebook.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Payloads"))
    nb.cells.append(notebook.map_cell(m, hide_code=False))
    source = tmp_path / "payloads.ipynb"
    nbformat.write(nb, source)

    # With widget state: the map travels as widget JSON and the widget draws it.
    interactive = tmp_path / "interactive.html"
    nbhtml.notebook_to_html(source, interactive)
    page.goto(interactive.as_uri())
    expect(page.locator(".jw-root .jw-card").first).to_be_visible(timeout=30_000)
    assert_inert(page)
    for c in m.cards:
        text = page.locator(f'.jw-root .jw-card[data-id="{c.id}"] .jw-card-text').text_content()
        assert text == c.text
    # The cell's code shows the payloads as Python string literals, as text.
    code = squash(page.locator(".jp-CodeCell .jp-InputArea").first.text_content() or "")
    assert squash(repr(PAYLOADS[0])) in code
    screenshot("nbconvert-widget")

    # Without widget state: the static fallback is what shows.
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
        store_widget_state=False,
    ).execute()
    static = tmp_path / "static.html"
    nbhtml.notebook_to_html(nb, static, execute_first=False)
    page.goto(static.as_uri())
    # The fallback is a picture (PNG): its texts are pixels, drawn from the SVG whose texts
    # test_svg_document checks.
    expect(page.locator("img[src^='data:image/png']")).to_be_visible(timeout=20_000)
    assert_inert(page)
    screenshot("nbconvert-static")
    assert blocked_requests == []


def test_mermaid(
    page: Page, tmp_path: Path, blocked_requests: list[str], screenshot: Callable[[str], Path]
) -> None:
    m = payload_map()
    text = jw.to_mermaid(m)
    result = render_mermaid(page, tmp_path, text)
    assert result["ok"], result.get("error")
    assert_inert(page)
    shown = result["texts"]
    # Characters that are syntax to Mermaid (`<`, `>`, `:`, `#`...) are written as look-alikes
    # (journeywidgets.mermaid.escape), so the page shows `˂script˃`; read back through
    # unescape, what is drawn is the user's text exactly. Mermaid itself rewrites double
    # quotes inside tag-like text to single quotes.
    normal = {squash(unescape(t)).replace('"', "'") for t in shown}
    assert not any("<script" in t for t in shown), dump(shown)
    again = jw.from_mermaid(text)
    for name in [s.name for s in again.stages] + [t.name for t in again.touchpoints]:
        assert squash(name).replace('"', "'") in normal, f"{name!r} not drawn: {dump(shown)}"
    assert page.locator("#out img, #out script, #out foreignObject script").count() == 0
    screenshot("mermaid")
    assert blocked_requests == []
