"""The widget in Voila: rendered offline, a mouse drag reaches the kernel, user text stays text.

Voila runs the notebook once and leaves no cells to run afterwards, so the notebook itself
shows the kernel's view of the map: an observer on the map writes a JSON snapshot into an
``ipywidgets.HTML`` under the widget after every change. The test reads that snapshot from
the page, so what it checks is Python's map, not what the browser drew.
"""

from __future__ import annotations

import json
import re
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from harness import JupyterServer, wait_until, write_notebook
from playwright.sync_api import Locator, Page, expect
from widget_helpers import card, cell, drag, settled, shoot

# Voila's own page templates (lab, classic, reveal) link FontAwesome's stylesheets from
# jsdelivr; its bundle carries FontAwesome too, so offline nothing is lost. The widget asks
# for nothing outside the machine: any other blocked request fails the test.
VOILA_TEMPLATE_CDN = re.compile(r"^https://cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@")

PAYLOAD = "<img src=x onerror=\"window.__jwXSS='card'\"> Zażółć gęślą jaźń"

NOTEBOOK = f"""
import html
import json

import ipywidgets as ipw
from IPython.display import display

import journeywidgets as jw

m = jw.JourneyMap("Voila check")
m.add_stage("Buying", id="buy")
m.add_lane("Actions", id="act", kind="actions")
m.add_lane("Thoughts", id="tho", kind="thoughts")
m.add_touchpoint("Advert", id="ad", stage="buy", emotion=1)
m.add_touchpoint("Website", id="web", stage="buy", emotion=-1)
m.add_card("Sees the advert", id="c1", touchpoint="ad", lane="act")
m.add_card({json.dumps(PAYLOAD)}, id="x", touchpoint="web", lane="tho")
m.add_card("Compares tariffs", id="c2", touchpoint="web", lane="act")
w = jw.JourneyWidget(m)

# The kernel's own view of the map, rewritten by an observer after every change. Escaped:
# an ipywidgets.HTML value is HTML, and the card texts are user text.
report = ipw.HTML()
report.add_class("kernel-report")


def show(change=None):
    cells = {{
        f"{{c.touchpoint}}/{{c.lane}}": [x.id for x in m.cards_in(c.touchpoint, c.lane)]
        for c in m.cards
    }}
    state = {{"version": m.version, "cells": cells, "texts": {{c.id: c.text for c in m.cards}}}}
    text = json.dumps(state, sort_keys=True, ensure_ascii=False)
    report.value = "<pre>" + html.escape(text) + "</pre>"


show()
m.observe(show)
display(w, report)
"""


class VoilaServer(JupyterServer):
    """Voila serving one notebook, with the same fresh Jupyter dirs, token and process group
    as :class:`harness.JupyterServer` (Voila has no shutdown API: the clean shutdown fails
    quietly and the process group is signalled)."""

    name = "Voila"

    def __init__(self, notebook: Path, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        super().__init__(root_dir=notebook.parent, state_dir=state_dir, log_name="voila.log")
        self.notebook = notebook

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "voila",
            str(self.notebook),
            "--no-browser",
            f"--port={self.port}",
            "--Voila.ip=127.0.0.1",
            "--ServerApp.allow_root=True",
            f"--token={self.token}",
            # Say what went wrong on the page instead of a generic error.
            "--show_tracebacks=True",
        ]

    def ready(self) -> bool:
        # Voila has no status API and its only page starts a kernel: wait for the port.
        socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        return True

    def start(self, timeout: float = 60.0) -> VoilaServer:
        super().start(timeout)
        return self

    @property
    def page_url(self) -> str:
        return f"{self.base_url}/?token={self.token}"


@pytest.fixture
def voila(tmp_path: Path, chromium_executable: Path) -> Iterator[VoilaServer]:
    # Depends on chromium_executable so that a missing browser fails in CI (and skips
    # elsewhere) before a server is started for nothing.
    notebook = write_notebook(tmp_path / "app" / "voila_check.ipynb", [NOTEBOOK])
    server = VoilaServer(notebook, tmp_path / "state")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def kernel_state(report: Locator) -> dict[str, object]:
    """The JSON snapshot the kernel last wrote into the report widget."""
    return json.loads(report.locator("pre").inner_text())  # type: ignore[no-any-return]


def test_widget_in_voila(
    voila: VoilaServer,
    page: Page,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    page.goto(voila.page_url, wait_until="domcontentloaded", timeout=60_000)
    root = page.locator(".jw-root")
    try:
        expect(root).to_be_visible(timeout=30_000)
    except AssertionError as error:
        raise AssertionError(f"{error}\nVoila log:\n{voila.log_tail()}") from None
    report = page.locator(".kernel-report")
    expect(report.locator("pre")).to_be_visible()
    before = kernel_state(report)
    assert before["cells"] == {"ad/act": ["c1"], "web/act": ["c2"], "web/tho": ["x"]}
    assert before["texts"]["x"] == PAYLOAD

    # ---- user text is text in Voila too: shown literally, no element made, no script run.
    expect(card(root, "x")).to_have_text(PAYLOAD)
    assert root.locator("img, script").count() == 0
    assert page.locator(".kernel-report img").count() == 0

    # ---- a mouse drag moves a card in Python's map.
    drag(page, card(root, "c1"), cell(root, "web", "tho"))
    settled(root)
    moved = [{"web/act": ["c2"], "web/tho": order} for order in (["x", "c1"], ["c1", "x"])]
    try:
        wait_until(lambda: kernel_state(report)["cells"] in moved, 10, "c1 in web/tho")
    except TimeoutError:
        raise AssertionError(
            f"the kernel's map did not get c1 in web/tho; it reports {kernel_state(report)}"
        ) from None
    after = kernel_state(report)
    assert after["version"] != before["version"]
    expect(cell(root, "web", "tho").locator('.jw-card[data-id="c1"]')).to_have_count(1)
    expect(card(root, "c1")).to_have_count(1)

    assert page.evaluate("window.__jwXSS") is None
    shoot(root, "host-voila-widget")
    screenshot("page")
    others = [url for url in blocked_requests if not VOILA_TEMPLATE_CDN.match(url)]
    assert others == [], f"non-local requests were attempted: {others}"
