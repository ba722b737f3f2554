"""The widget in marimo (``mo.ui.anywidget``), end to end, with Debian's Chromium.

A small marimo app is served by ``marimo run`` (its own process group, stopped in a
``finally``) and opened with every non-local request blocked. The widget renders inside
marimo's shadow root (Playwright's CSS locators pierce open shadow roots). A card is dragged
with the mouse; the *kernel's* view of the map is read back from the page, from a cell that
marimo re-runs after every change of the map (``mo.state`` set by ``JourneyMap.observe``: an
edit from the widget travels as an anywidget custom message, which is not a new value of the
UI element, so marimo would not re-run cells that merely read the widget). A button then
changes the map in Python and the widget must show it.

What this proves about marimo 0.25: custom messages travel both ways (the edit from the
browser; the kernel's ack and its edit for a Python change) and trait updates reach the
browser (the full ``_doc`` that the widget sends once a cell that changed the map is done:
marimo has no IPython ``post_execute`` event, but runs cells on its event loop).

A second test reloads a ``marimo edit`` page after a drag: marimo reconnects to the running
kernel and replays the widget from the last state the kernel *sent*, which does not hold edits
made in the browser; the widget's opening ``sync`` message (with the version it starts from)
makes the kernel send the current map, which the widget must then show.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from harness import ServerProcess, wait_until
from playwright.sync_api import Locator, Page, expect
from widget_helpers import card, cell, drag, settled, shoot

HTML_TEXT = "<img src=x onerror=alert(1)>"

APP = textwrap.dedent(
    f"""
    import marimo

    app = marimo.App(width="full")


    @app.cell
    def _():
        import json

        import marimo as mo

        import journeywidgets as jw

        return json, jw, mo


    @app.cell
    def _(jw, mo):
        m = jw.JourneyMap("Marimo end to end", scale=(-3, 3))
        m.add_stage("Choose", id="choose")
        m.add_lane("Actions", id="actions", kind="actions")
        m.add_lane("Thoughts", id="thoughts", kind="thoughts")
        m.add_touchpoint("Advert", id="ad", stage="choose", emotion=1)
        m.add_touchpoint("Website", id="web", stage="choose", emotion=-1)
        m.add_card("Sees the advert", id="c1", touchpoint="ad", lane="actions")
        m.add_card("Compares tariffs", id="c2", touchpoint="web", lane="actions")
        m.add_card({HTML_TEXT!r}, id="c3", touchpoint="web", lane="thoughts")
        map_version, set_map_version = mo.state(m.version)
        m.observe(lambda change: set_map_version(change.version))
        widget = mo.ui.anywidget(jw.JourneyWidget(m, height=520))
        widget
        return m, map_version


    @app.cell
    def _(m, mo):
        def add_from_python(_value):
            m.add_card("Added in Python", id="py1", touchpoint="ad", lane="thoughts")

        add_button = mo.ui.button(label="Add a card from Python", on_click=add_from_python)
        add_button
        return


    @app.cell
    def _(json, m, map_version, mo):
        map_version()
        kernel_cells = {{
            f"{{t.id}}/{{lane.id}}": [c.id for c in m.cards_in(t.id, lane.id)]
            for t in m.touchpoints
            for lane in m.lanes
        }}
        mo.plain_text("KERNEL " + json.dumps({{"version": m.version, "cells": kernel_cells}}))
        return
    """
)


Mode = Literal["run", "edit"]


class MarimoServer(ServerProcess):
    """``marimo run|edit <app> --headless`` on a free port of 127.0.0.1, in its own process group.

    marimo's config, state and cache directories point into ``state_dir`` (no user settings
    leak in; in ``edit`` mode the notebook runs when opened), its update check is off and HTTP
    proxies point at a closed port, so the server reaches nothing outside the machine either.
    """

    name = "marimo"

    def __init__(self, app: Path, state_dir: Path, mode: Mode = "run") -> None:
        super().__init__(app.parent, state_dir, f"marimo-{mode}.log")
        self.app = app
        self.mode = mode

    @property
    def url(self) -> str:
        return f"{self.base_url}/?access_token={self.token}"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ, MARIMO_SKIP_UPDATE_CHECK="1", NO_COLOR="1")
        for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            path = self.state_dir / var.lower()
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        config = self.state_dir / "xdg_config_home" / "marimo" / "marimo.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text("[runtime]\nauto_instantiate = true\n", encoding="utf-8")
        for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            env[var] = "http://127.0.0.1:9"
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
        return env

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "marimo",
            self.mode,
            str(self.app),
            "--headless",
            "--token-password",
            self.token,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]

    def ready(self) -> bool:
        with self._opener.open(self.base_url + "/health", timeout=2) as response:
            return bool(response.status == 200)

    def start(self, timeout: float = 60.0) -> MarimoServer:
        super().start(timeout)
        return self


@pytest.fixture
def marimo_server(
    tmp_path: Path, chromium_executable: Path
) -> Iterator[Callable[[Mode], MarimoServer]]:
    """``marimo_server(mode)`` serves the test app; every server is stopped afterwards."""
    # chromium_executable first: without a browser the test skips (or fails in CI) before
    # paying for a server.
    app = tmp_path / "app" / "journey_app.py"
    app.parent.mkdir()
    app.write_text(APP, encoding="utf-8")
    started: list[MarimoServer] = []

    def start(mode: Mode) -> MarimoServer:
        state = tmp_path / f"state-{mode}"
        state.mkdir()
        server = MarimoServer(app=app, state_dir=state, mode=mode)
        started.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in started:
            server.stop()


def kernel_view(page: Page) -> dict[str, Any]:
    """The map as the kernel has it, printed by the app's last cell."""
    text = page.get_by_text(re.compile(r"^KERNEL \{")).inner_text(timeout=20_000)
    return json.loads(text.strip()[len("KERNEL ") :])  # type: ignore[no-any-return]


def wait_for_kernel(
    page: Page, check: Callable[[dict[str, Any]], bool], what: str, server: MarimoServer
) -> dict[str, Any]:
    seen: list[dict[str, Any]] = []

    def ok() -> bool:
        seen[:] = [kernel_view(page)]
        return check(seen[0])

    try:
        wait_until(ok, 15, what)
    except TimeoutError as exc:
        raise AssertionError(
            f"{exc}; kernel view: {seen}; marimo log:\n{server.log_tail()}"
        ) from None
    return seen[0]


def card_ids(root: Locator, tp: str, lane: str) -> list[str]:
    return [
        id
        for id in cell(root, tp, lane)
        .locator(".jw-card")
        .evaluate_all("nodes => nodes.map(n => n.dataset.id)")
        if id
    ]


def test_widget_edits_the_python_map_in_marimo(
    marimo_server: Callable[[Mode], MarimoServer],
    page: Page,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    dialogs: list[str] = []
    page_errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page_errors.append(str(e)))

    server = marimo_server("run")
    page.goto(server.url, wait_until="domcontentloaded")
    root = page.locator(".jw-root")  # inside marimo's shadow root
    expect(root).to_be_visible(timeout=30_000)
    expect(card(root, "c1")).to_have_text("Sees the advert")

    before = kernel_view(page)
    assert before["cells"]["ad/actions"] == ["c1"], before
    assert before["cells"]["web/thoughts"] == ["c3"], before

    # User text that looks like HTML is shown as text: no element made of it, no alert.
    expect(card(root, "c3")).to_have_text(HTML_TEXT)
    assert root.locator("img").count() == 0

    # ---- browser -> kernel: a drag is one edit of the Python map
    drag(page, card(root, "c1"), cell(root, "web", "thoughts"))
    settled(root)  # the kernel's ack (a custom message back) arrived
    assert card_ids(root, "web", "thoughts") == ["c3", "c1"]
    after = wait_for_kernel(
        page,
        lambda v: v["cells"]["web/thoughts"] == ["c3", "c1"],
        "the kernel to have c1 after c3 in web/thoughts",
        server,
    )
    assert after["cells"]["ad/actions"] == [], after
    assert after["version"] == before["version"] + 1, (before, after)

    # ---- kernel -> browser: a change made in Python shows in the widget
    page.get_by_role("button", name="Add a card from Python").click()
    expect(card(root, "py1")).to_have_text("Added in Python", timeout=15_000)
    assert card_ids(root, "ad", "thoughts") == ["py1"]
    wait_for_kernel(
        page,
        lambda v: v["cells"]["ad/thoughts"] == ["py1"],
        "the kernel to show the card added in Python",
        server,
    )
    expect(card(root, "c3")).to_have_text(HTML_TEXT)  # still text after the full redraw
    assert root.locator("img").count() == 0

    screenshot("final")
    shoot(root, "host-marimo-widget")
    assert dialogs == [], dialogs
    assert page_errors == [], page_errors
    assert blocked_requests == [], f"requests left the machine: {blocked_requests}"


def shown_cell(root: Locator, id: str) -> str:
    """``"touchpoint/lane"`` of the cell that shows card ``id`` in the widget."""
    return str(
        card(root, id).evaluate(
            "n => { const c = n.closest('.jw-cell'); return c.dataset.tp + '/' + c.dataset.lane; }"
        )
    )


def test_reconnected_edit_session_shows_the_kernels_map(
    marimo_server: Callable[[Mode], MarimoServer],
    page: Page,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    server = marimo_server("edit")
    page.goto(server.url, wait_until="domcontentloaded")
    root = page.locator(".jw-root")
    expect(root).to_be_visible(timeout=30_000)
    expect(card(root, "c1")).to_have_text("Sees the advert")
    drag(page, card(root, "c1"), cell(root, "web", "thoughts"))
    settled(root)
    wait_for_kernel(
        page,
        lambda v: v["cells"]["web/thoughts"] == ["c3", "c1"],
        "the kernel to have c1 after c3 in web/thoughts",
        server,
    )
    assert blocked_requests == [], f"requests left the machine: {blocked_requests}"

    # A reload of `marimo edit` reconnects to the same kernel ("Reconnected" banner), whose map
    # has c1 in web/thoughts; the widget must show that, not the map it was opened with.
    page.reload(wait_until="domcontentloaded")
    root = page.locator(".jw-root")
    expect(root).to_be_visible(timeout=30_000)
    assert kernel_view(page)["cells"]["web/thoughts"] == ["c3", "c1"]
    try:
        # within the opening sync's retries (1 + 2 + 4 s) even on a loaded machine
        wait_until(lambda: shown_cell(root, "c1") == "web/thoughts", 15, "c1 in web/thoughts")
    finally:
        screenshot("after-reload")
    assert blocked_requests == [], f"requests left the machine: {blocked_requests}"
