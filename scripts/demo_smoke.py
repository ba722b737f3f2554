"""Headless check of `make demo` (run by `DEMO_SMOKE=1 make demo`).

Usage: ``python scripts/demo_smoke.py [NOTEBOOK]`` (a notebook in examples/, default
quickstart.ipynb). Starts JupyterLab on a copy of examples/ (so the committed notebook gets
no outputs), opens the notebook in Debian's Chromium, runs every code cell like a person
would, and checks that no cell raised, that the journey widget rendered, and that nothing
outside localhost was requested. Prints ``OK`` and exits 0, or says what failed and exits 1
(2: no Chromium). A screenshot is written to tests/e2e/artifacts/ either way.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from harness import (  # noqa: E402  (the harness lives beside the e2e tests it serves)
    JupyterServer,
    NotebookPage,
    block_external_requests,
    chromium_missing,
    launch_chromium,
    save_screenshot,
)
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

NOTEBOOK = "quickstart.ipynb"
# The root element every rendering of JourneyWidget has (js/src/view.ts).
WIDGET_SELECTOR = ".jw-root"


def main(argv: list[str]) -> int:
    notebook = argv[0] if argv else NOTEBOOK
    missing = chromium_missing()
    if missing:
        print(f"demo smoke: cannot run: {missing}", file=sys.stderr)
        return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="jw-demo-") as tmp:
        root = Path(tmp) / "examples"
        shutil.copytree(ROOT / "examples", root)
        state = Path(tmp) / "state"
        state.mkdir()
        with JupyterServer(root, state) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            blocked = block_external_requests(context)
            page = context.new_page()
            try:
                nb = NotebookPage.open(page, server, notebook, "lab")
                nb.run_all()
                failures = nb.tracebacks()
                if failures:
                    raise AssertionError("a cell raised:\n" + failures[0])
                widget = page.locator(f".jp-OutputArea {WIDGET_SELECTOR}").first
                widget.wait_for(state="visible", timeout=20_000)
                if blocked:
                    raise AssertionError(f"non-local requests were attempted: {blocked}")
                widget.scroll_into_view_if_needed()
                shot = save_screenshot(page, "demo-smoke")
            except (AssertionError, TimeoutError, PlaywrightError) as exc:
                shot = save_screenshot(page, "demo-smoke-failure")
                print(f"demo smoke: FAILED: {exc}\nscreenshot: {shot}", file=sys.stderr)
                return 1
            finally:
                browser.close()
    print(
        f"OK: {notebook} ran in JupyterLab and the widget rendered "
        f"({time.monotonic() - started:.1f}s; screenshot {shot})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
