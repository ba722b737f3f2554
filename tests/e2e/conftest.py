"""Fixtures for end-to-end tests in real JupyterLab / Notebook 7 with Debian's Chromium.

Fixtures
--------
chromium_executable (session)
    Path of /usr/bin/chromium; fails in CI (CI=true) and skips elsewhere when it is missing.
browser (session)
    Playwright ``Browser`` (sync API): Debian's Chromium, headless, TESTING.md's flags.
jupyter_server (session)
    A running :class:`harness.JupyterServer`; its ``root_dir`` is where notebooks go.
jupyter_ui (parametrized)
    ``"lab"`` then ``"notebook"``: a test using it runs once in each front end.
blocked_requests, page
    A fresh page whose context aborts every non-local request; the URLs it blocked are
    appended to ``blocked_requests``. A screenshot is saved when the test fails.
screenshot
    ``screenshot("name")`` saves ``tests/e2e/artifacts/<test>-name.png`` and returns its path.
open_notebook
    ``open_notebook(name, sources, ui)`` writes a notebook of code cells, opens it, waits for
    the kernel and returns a :class:`harness.NotebookPage`; its kernel is shut down afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path

import pytest
from harness import (
    CHROMIUM_PATH,
    UI,
    JupyterServer,
    NotebookPage,
    block_external_requests,
    chromium_missing,
    in_ci,
    launch_chromium,
    open_notebook_file,
    save_screenshot,
)
from playwright.sync_api import Browser, Page, sync_playwright

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test under tests/e2e is an e2e test, so `-m "not e2e"` leaves them all out.
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep each phase's report on the item so fixtures can tell, at teardown, that the test
    # failed and take a screenshot.
    report = yield
    setattr(item, f"_jw_report_{report.when}", report)
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    report = getattr(request.node, "_jw_report_call", None)
    return bool(report is not None and report.failed)


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    reason = chromium_missing()
    if reason is not None:
        if in_ci():
            pytest.fail(f"CI=true and browser tests must run: {reason}", pytrace=False)
        pytest.skip(reason)
    return CHROMIUM_PATH


@pytest.fixture(scope="session")
def browser(chromium_executable: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    server = JupyterServer(
        root_dir=tmp_path_factory.mktemp("jupyter-root"),
        state_dir=tmp_path_factory.mktemp("jupyter-state"),
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["lab", "notebook"])
def jupyter_ui(request: pytest.FixtureRequest) -> UI:
    ui: UI = request.param
    return ui


@pytest.fixture
def blocked_requests() -> list[str]:
    return []


@pytest.fixture
def page(
    browser: Browser, blocked_requests: list[str], request: pytest.FixtureRequest
) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    block_external_requests(context, blocked_requests)
    page = context.new_page()
    try:
        yield page
    finally:
        if _failed(request):
            path = save_screenshot(page, f"{request.node.name}-failure")
            print(f"screenshot of the failure: {path}")
        context.close()


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    def take(name: str) -> Path:
        return save_screenshot(page, f"{request.node.name}-{name}")

    return take


@pytest.fixture
def open_notebook(
    page: Page, jupyter_server: JupyterServer
) -> Iterator[Callable[[str, Iterable[str], UI], NotebookPage]]:
    opened: list[NotebookPage] = []

    def open_(name: str, sources: Iterable[str], ui: UI) -> NotebookPage:
        nb = open_notebook_file(page, jupyter_server, name, sources, ui)
        opened.append(nb)
        return nb

    yield open_
    for nb in opened:
        nb.close()
