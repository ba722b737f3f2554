"""``examples/marimo_app.py`` is a valid marimo notebook and runs top to bottom.

``marimo check --strict`` reads the file the way ``marimo edit`` does (and fails on its
warnings). The app is then run as a script by marimo's own runner (``app.run()``, what
``python examples/marimo_app.py`` does) in a subprocess, from a copy in a temporary directory
(marimo may write a session cache beside the file) and with HTTP proxies at a closed port;
its outputs are compared with the energy-utility template computed here. The widget itself,
dragged in a browser, is tested in ``tests/e2e/test_host_marimo.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import journeywidgets as jw

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "examples" / "marimo_app.py"
DEAD_PROXY = "http://127.0.0.1:9"

# Runs the app with marimo's runner and prints what each cell showed, as JSON.
RUNNER = textwrap.dedent(
    """
    import importlib.util, json, sys

    spec = importlib.util.spec_from_file_location("marimo_app", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    outputs, defs = module.app.run()
    print(json.dumps({
        "outputs": [
            {"type": type(o).__name__, "text": getattr(o, "text", None)} for o in outputs
        ],
        "widget": type(defs["widget"].widget).__name__,
        "cards": len(defs["m"].cards),
    }))
    """
)


def _env() -> dict[str, str]:
    env = dict(os.environ, MARIMO_SKIP_UPDATE_CHECK="1")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[name] = DEAD_PROXY
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    return env


def test_marimo_app_is_a_clean_marimo_notebook() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "marimo", "check", "--strict", str(APP)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    source = APP.read_text(encoding="utf-8")
    assert "app = marimo.App(" in source
    assert "mo.ui.anywidget(jw.JourneyWidget(" in source


def test_marimo_app_runs(tmp_path: Path) -> None:
    copy = tmp_path / APP.name
    shutil.copy(APP, copy)
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(copy)],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not result.stderr.strip(), result.stderr[-3000:]
    ran = json.loads(result.stdout.strip().splitlines()[-1])

    m = jw.templates.energy_utility()
    assert ran["widget"] == "JourneyWidget"
    assert ran["cards"] == len(m.cards)
    shown = [o for o in ran["outputs"] if o["type"] != "NoneType"]
    kinds = [o["type"] for o in shown]
    assert "anywidget" in kinds, kinds
    assert kinds[-1] == "LayerChart", kinds  # the emotion curve
    # The table of cards per lane at the first touchpoint, as the template has them.
    first = m.touchpoints[0]
    table = next(o["text"] for o in shown if "Cards per lane" in (o["text"] or ""))
    assert first.name in table
    rows = dict(re.findall(r"<td>([^<]+)</td>\s*<td[^>]*>(\d+)</td>", table))
    assert rows == {lane.name: str(len(m.cards_in(first.id, lane.id))) for lane in m.lanes}
