"""The wheel built from the committed tree ships the front end and works without Node.

Slow-ish (a wheel build with npm, then a fresh virtualenv whose dependencies come from pip's
cache): marked ``packaging``, so ``pytest -m "not packaging"`` leaves it out while iterating.
It packs ``git archive HEAD``, so it checks what is committed, not the working tree (only
``js/node_modules`` is borrowed from the checkout when it matches the committed lock file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parent.parent
STATIC_JS = "journeywidgets/static/widget.js"


def _run(cmd: list[str], timeout: float, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``cmd``; on failure show its output, which is where the reason is."""
    result = subprocess.run(  # not check=True: the failure message carries the output
        cmd, capture_output=True, text=True, timeout=timeout, **kwargs
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(cmd)} exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-4000:]}\n--- stderr ---\n{result.stderr[-4000:]}",
            pytrace=False,
        )
    return result


def _reuse_node_modules(js: Path) -> None:
    """Hard-link the checkout's js/node_modules into the copy when it matches the lock file.

    It holds exactly what the committed package-lock.json pins, so the build hook's
    `npm install` has nothing to fetch (a fresh install of ~350 MB takes a minute on a busy
    machine). When it is missing, stale or on another filesystem, npm installs from scratch.
    """
    ours = ROOT / "js"
    same_lock = (ours / "package-lock.json").read_bytes() == (js / "package-lock.json").read_bytes()
    if not same_lock or not (ours / "node_modules" / ".package-lock.json").is_file():
        return
    linked = subprocess.run(
        ["cp", "-al", str(ours / "node_modules"), str(js / "node_modules")],
        capture_output=True,
        check=False,
    )
    if linked.returncode != 0:
        shutil.rmtree(js / "node_modules", ignore_errors=True)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a wheel from a clean copy of HEAD (no node_modules, no prebuilt static/)."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.fail("the packaging test needs a git checkout and git on PATH", pytrace=False)
    tmp = tmp_path_factory.mktemp("packaging")
    archive = tmp / "head.tar"
    _run(["git", "archive", "--format=tar", f"--output={archive}", "HEAD"], 60, cwd=ROOT)
    src = tmp / "src"
    with tarfile.open(archive) as tar:
        tar.extractall(src, filter="data")
    assert not (src / "src" / "journeywidgets" / "static").exists(), "built JS is committed"
    _reuse_node_modules(src / "js")
    dist = tmp / "dist"
    # The hatch-jupyter-builder hook runs `npm install && npm run build` in js/ here.
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(src)], 600)
    (built,) = dist.glob("journeywidgets-*.whl")
    return built


def test_wheel_ships_the_built_front_end_and_no_sources(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        bundle = zf.read(STATIC_JS).decode("utf-8")
    assert STATIC_JS in names
    # An ES module with a default export is what anywidget imports.
    assert "export" in bundle
    assert len(bundle) > 100
    stray = [n for n in names if n.endswith(".ts") or "node_modules" in n or n.startswith("js/")]
    assert stray == []


def test_wheel_installs_and_imports_without_node(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], 120)
    vbin = venv / "bin"
    # PATH is the new venv alone: node and npm live in /usr/bin or /usr/local/bin.
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PATH"] = str(vbin)
    assert shutil.which("node", path=env["PATH"]) is None
    assert shutil.which("npm", path=env["PATH"]) is None
    # This test's pip installs into the new venv (--python), dependencies from pip's cache.
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(vbin / "python"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",  # byte-compiling pandas & co. would double the time of this test
            str(wheel),
        ],
        600,
        env=env,
    )
    probe = (
        "import importlib.resources, journeywidgets\n"
        "from journeywidgets.widget import JourneyWidget\n"
        "js = importlib.resources.files('journeywidgets').joinpath('static/widget.js')\n"
        "w = JourneyWidget({'title': 'Packaged'})\n"
        "print(journeywidgets.__file__)\n"
        "print(js.is_file(), w._esm == js.read_text(encoding='utf-8'), w._doc['title'])\n"
    )
    result = _run([str(vbin / "python"), "-c", probe], 120, env=env, cwd=tmp_path)
    location, checks = result.stdout.strip().splitlines()[-2:]
    assert Path(location).resolve().is_relative_to(venv.resolve()), location
    assert checks == "True True Packaged"
