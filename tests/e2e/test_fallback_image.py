"""The widget's static fallback is an image that shows wherever no widget can.

A collaborator opening a saved notebook sees it untrusted: JupyterLab then renders only
"safe" outputs and would sanitise an HTML fallback into unstyled text.  GitHub and nbviewer
render a notebook without scripts and with sanitised HTML.  In both the map must show, as a
picture of the map.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from harness import UI, UIS, JupyterServer, NotebookPage, block_external_requests, save_screenshot
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from playwright.sync_api import Browser, Page, expect

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SOURCE = """\
import journeywidgets as jw
m = jw.templates.energy_utility()
w = jw.JourneyWidget(m)
w"""


@pytest.fixture(scope="module")
def saved_notebook(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    """A notebook run in a real kernel and saved with its outputs (and widget state)."""
    folder = tmp_path_factory.mktemp("fallback")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(SOURCE)]
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        store_widget_state=True,
    ).execute()
    return nb


def test_the_saved_output_is_a_png_not_html(saved_notebook: nbformat.NotebookNode) -> None:
    (output,) = [o for o in saved_notebook.cells[0].outputs if "data" in o]
    assert WIDGET_VIEW in output["data"]
    assert "image/png" in output["data"]
    # An HTML fallback would win over the image in an untrusted JupyterLab and be sanitised.
    assert "text/html" not in output["data"]
    assert output["metadata"]["image/png"]["width"] <= 1200
    assert len(output["data"]["image/png"]) < 2_000_000  # base64, a wordy 24-step map


@pytest.fixture(params=UIS)
def untrusted_page(
    request: pytest.FixtureRequest,
    browser: Browser,
    jupyter_server: JupyterServer,
    saved_notebook: nbformat.NotebookNode,
) -> Iterator[tuple[Page, NotebookPage]]:
    # Written by nbformat without a signature: JupyterLab and Notebook 7 open it untrusted,
    # as they do a notebook a colleague sent.
    ui: UI = request.param
    name = f"collaborator-{ui}.ipynb"
    nbformat.write(saved_notebook, jupyter_server.root_dir / name)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked = block_external_requests(context)
    page = context.new_page()
    nb = NotebookPage.open(page, jupyter_server, name, ui)
    try:
        yield page, nb
        assert blocked == [], f"non-local requests: {blocked}"
    finally:
        nb.close()
        context.close()


def test_untrusted_notebook_shows_an_image_of_the_map(
    untrusted_page: tuple[Page, NotebookPage],
) -> None:
    page, nb = untrusted_page
    image = nb.output(0).locator("img")
    expect(image).to_be_visible(timeout=30_000)
    assert (image.get_attribute("src") or "").startswith("data:image/png;base64,")
    natural = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert natural[0] >= 1000
    assert natural[1] > natural[0]  # the journey's sections, stacked
    box = image.bounding_box()
    assert box is not None
    assert box["width"] > 600  # shown at a readable size, not a thumbnail
    # No sanitised wall of text and no widget error instead of the picture.
    assert nb.output(0).locator(".jp-RenderedHTMLCommon").count() == 0
    assert "Error displaying widget" not in nb.output_text(0)
    save_screenshot(page, f"fallback-untrusted-{nb.ui}")


def test_github_style_rendering_shows_the_map(
    browser: Browser, saved_notebook: nbformat.NotebookNode, tmp_path: Path
) -> None:
    """As GitHub and nbviewer show it: no widget state, sanitised HTML, no scripts."""
    nb = nbformat.from_dict(saved_notebook)
    nb.metadata.pop("widgets", None)
    exporter = HTMLExporter(sanitize_html=True)
    html, _ = exporter.from_notebook_node(nb)
    page_path = tmp_path / "github.html"
    page_path.write_text(html, encoding="utf-8")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    block_external_requests(context)
    page = context.new_page()
    try:
        page.goto(page_path.as_uri())
        images = page.locator("img[src^='data:image/png']")
        expect(images).to_have_count(1)
        expect(images.first).to_be_visible()
        natural = images.first.evaluate("img => img.naturalWidth")
        assert natural >= 1000  # decoded: the picture is really there
        save_screenshot(page, "fallback-github-style")
    finally:
        context.close()
