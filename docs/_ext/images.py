"""Regenerate the images the README and the documentation show.

Usage (from the repository root, after ``make build``)::

    .venv/bin/python docs/_ext/images.py            # both images
    .venv/bin/python docs/_ext/images.py curve      # docs/assets/emotion-curve.svg only
    .venv/bin/python docs/_ext/images.py widget     # docs/assets/widget.png only

- ``emotion-curve.svg``: the energy utility's emotion curve in Polish, rendered locally by
  vl-convert (light theme, so it reads on the site's light and dark palettes).
- ``widget.png``: the widget in real JupyterLab, in Debian's Chromium (see
  ../shared/TESTING.md), with every request outside localhost blocked. It reuses the
  end-to-end test harness (tests/e2e/harness.py).

The images are committed; the documentation build does not run this script.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "docs" / "assets"

WIDGET_NOTEBOOK = [
    "import journeywidgets as jw\n"
    "m = jw.templates.energy_utility()\n"
    "w = jw.JourneyWidget(m, height=560, zoom=0.7)\n"
    "w",
]


def emotion_curve() -> Path:
    import journeywidgets as jw

    m = jw.templates.energy_utility()
    chart = jw.charts.emotion_curve(m, language="pl", theme="light", width=900)
    out = ASSETS / "emotion-curve.svg"
    chart.save(str(out))
    return out


def widget_screenshot() -> Path:
    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from harness import (
        JupyterServer,
        NotebookPage,
        block_external_requests,
        launch_chromium,
        write_notebook,
    )
    from playwright.sync_api import sync_playwright

    out = ASSETS / "widget.png"
    with tempfile.TemporaryDirectory(prefix="jw-images-") as tmp:
        root, state = Path(tmp) / "root", Path(tmp) / "state"
        root.mkdir()
        state.mkdir()
        write_notebook(root / "widget.ipynb", WIDGET_NOTEBOOK)
        with JupyterServer(root, state) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            context = browser.new_context(viewport={"width": 1800, "height": 1000})
            blocked = block_external_requests(context)
            page = context.new_page()
            nb = NotebookPage.open(page, server, "widget.ipynb", "lab")
            nb.run_all()
            widget = page.locator(".jw-root").first
            widget.wait_for(state="visible", timeout=30_000)
            page.wait_for_timeout(1000)  # fonts and the curve settle
            widget.screenshot(path=str(out))
            browser.close()
            if blocked:
                raise RuntimeError(f"requests outside localhost: {blocked}")
    return out


def main(argv: list[str]) -> int:
    ASSETS.mkdir(parents=True, exist_ok=True)
    wanted = set(argv) or {"curve", "widget"}
    if "curve" in wanted:
        print(emotion_curve())
    if "widget" in wanted:
        print(widget_screenshot())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
