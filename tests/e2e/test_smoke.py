"""The placeholder widget renders in real JupyterLab and Notebook 7, and the kernel answers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from harness import UI, NotebookPage
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# Polish diacritics and markup: the title must show as these exact characters, not as HTML.
TITLE = "Zażółć gęślą jaźń <b>x</b>"
NEW_TITLE = "Új cím – ügyfélút"


def test_widget_shows_title_as_text_and_kernel_answers(
    open_notebook: Callable[[str, Iterable[str], UI], NotebookPage],
    jupyter_ui: UI,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    nb = open_notebook(
        f"smoke-{jupyter_ui}.ipynb",
        [
            "from journeywidgets.widget import JourneyWidget\n"
            f"w = JourneyWidget({{'title': {TITLE!r}}})\n"
            "w",
            f"w.map.title = {NEW_TITLE!r}\nprint('kernel title:', w.map.title, len(w.map.title))",
        ],
        jupyter_ui,
    )

    nb.run_cell(0)
    title = nb.output(0).locator(".jw-root .jw-title")
    expect(title).to_have_text(TITLE, timeout=20_000)
    assert nb.output(0).locator(".jw-root b").count() == 0, "title markup became HTML"
    screenshot("rendered")

    # The kernel handles widget messages between cells, so the Python side is checked in the
    # next cell: it renames the map and the open view follows.
    nb.run_cell(1)
    assert nb.output_text(1).strip() == f"kernel title: {NEW_TITLE} {len(NEW_TITLE)}", nb.stderr()
    expect(title).to_have_text(NEW_TITLE, timeout=10_000)
    assert not re.search(r"Error|Traceback", "\n".join(nb.stderr()))
    assert blocked_requests == [], f"non-local requests were attempted: {blocked_requests}"
    screenshot("final")
