"""The documentation site builds offline in strict mode, and its code examples run.

``mkdocs build --strict`` turns every warning (a broken link, a page missing from the nav, a
docstring mkdocstrings cannot parse) into a failure. The build runs with every HTTP proxy
pointed at a closed port, so anything that tries to fetch from the network fails the build.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_ext" not in p.parts)
# ```python blocks are run; ```py blocks (they need a notebook, marimo...) are only compiled.
FENCE = re.compile(r"^```(python|py)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
DEAD_PROXY = "http://127.0.0.1:9"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[name] = DEAD_PROXY
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    return out, log


def test_site_builds_without_warnings(site: tuple[Path, str]) -> None:
    out, log = site
    problems = [line for line in log.splitlines() if re.match(r"\s*(WARNING|ERROR)\b", line)]
    assert not problems, "\n".join(problems)
    for page in PAGES:
        rel = page.relative_to(DOCS).with_suffix("")
        html = out / (rel.parent if rel.name == "index" else rel) / "index.html"
        assert html.is_file(), f"{page.relative_to(ROOT)} was not built"


def test_site_loads_nothing_from_other_hosts(site: tuple[Path, str]) -> None:
    out, _ = site
    external = re.compile(
        r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"'](?:https?:)?//", re.IGNORECASE
    )
    for html in out.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        found = external.findall(text)
        assert not found, f"{html.relative_to(out)} loads from another host: {found[:3]}"
        assert "fonts.googleapis" not in text, html


def test_api_reference_is_generated_from_docstrings(site: tuple[Path, str]) -> None:
    out, _ = site
    page = (out / "reference" / "journeymap" / "index.html").read_text(encoding="utf-8")
    for name in ("add_touchpoint", "set_emotion", "undo", "observe", "to_json"):
        assert f'id="journeywidgets.model.journey.JourneyMap.{name}"' in page, name
    # reST roles from the source are rewritten, not printed literally
    for html in (out / "reference").rglob("*.html"):
        assert ":class:" not in html.read_text(encoding="utf-8"), html
    templates = (out / "reference" / "templates" / "index.html").read_text(encoding="utf-8")
    assert "energy_utility" in templates


def test_every_notebook_in_examples_is_in_the_site(site: tuple[Path, str]) -> None:
    out, _ = site
    for notebook in sorted((ROOT / "examples").glob("*.ipynb")):
        assert (out / "examples" / notebook.stem / "index.html").is_file(), notebook.name


def _blocks(page: Path) -> list[tuple[str, str, int]]:
    text = page.read_text(encoding="utf-8")
    return [
        (m.group(1), m.group(2), text.count("\n", 0, m.start()) + 2) for m in FENCE.finditer(text)
    ]


@pytest.mark.parametrize(
    "page",
    [*PAGES, ROOT / "README.md"],
    ids=lambda p: str(p.relative_to(DOCS if DOCS in p.parents else ROOT)),
)
def test_code_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ```python block of a page runs, in order, in one namespace per page."""
    monkeypatch.chdir(tmp_path)  # examples that save files write here
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for lang, code, line in _blocks(page):
        where = f"{page.relative_to(ROOT)}:{line}"
        compiled = compile(code, where, "exec", flags=ast.PyCF_ONLY_AST)
        if lang == "py":
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(compiled, where, "exec"), namespace)


CONSOLE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if CONSOLE.search(p.read_text(encoding="utf-8"))],
    ids=lambda p: str(p.relative_to(DOCS)),
)
def test_console_examples_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every ``$ journeywidgets ...`` line of a ```console block runs, in order, and succeeds.

    The first runs as a real ``python -m journeywidgets`` process; the rest call the same
    ``main`` in this process, which is much faster than starting Python each time.
    """
    from journeywidgets.cli import main

    monkeypatch.chdir(tmp_path)
    commands = [
        shlex.split(line[2:])
        for block in CONSOLE.findall(page.read_text(encoding="utf-8"))
        for line in block.splitlines()
        if line.startswith("$ ")
    ]
    assert commands
    for n, args in enumerate(commands):
        assert args[0] == "journeywidgets", args
        if n == 0:
            result = subprocess.run(
                [sys.executable, "-m", "journeywidgets", *args[1:]],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            status, output = result.returncode, result.stdout + result.stderr
        else:
            status = main(args[1:])
            captured = capsys.readouterr()
            output = captured.out + captured.err
        assert status == 0, f"$ {shlex.join(args)}\n{output}"


def test_pages_have_runnable_examples() -> None:
    """The guides show code that the tests above run (not only unrun ```py blocks)."""
    for page in PAGES:
        if page.parent.name == "how-to" or page.name == "getting-started.md":
            text = page.read_text(encoding="utf-8")
            runnable = any(lang == "python" for lang, _, _ in _blocks(page))
            assert runnable or CONSOLE.search(text), page.name


def _griffe_extension():  # the docs build's own helper, loaded from its file
    import importlib.util

    spec = importlib.util.spec_from_file_location("sphinx_roles", DOCS / "_ext" / "sphinx_roles.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_rewrites_roles_and_stray_prose() -> None:
    ext = _griffe_extension()
    assert ext.replace_roles("see :class:`~journeywidgets.errors.EditError` and :func:`load`") == (
        "see `EditError` and `load`"
    )
    doc = (
        "Summary.\n\nParameters\n----------\na, b:\n    Numbers.\nname : str\n    A name.\n\n"
        "Rows are placed in order.\n\nRaises\n------\nValueError\n    When bad."
    )
    fixed = ext.prose_to_notes(doc)
    assert "Notes\n-----\nRows are placed in order." in fixed
    assert "a, b:\n    Numbers.\nname : str" in fixed
    assert fixed.endswith("Raises\n------\nValueError\n    When bad.")
    assert ext.prose_to_notes(fixed) == fixed


def test_readme_links_and_images_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    assert local, "the README links into the docs"
    for target in local:
        assert (ROOT / target).exists(), f"README links to missing {target}"
    assert "docs/assets/widget.png" in local
