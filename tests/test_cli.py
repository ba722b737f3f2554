"""The command line, run for real in a subprocess (python -m journeywidgets and the script)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

import journeywidgets as jw
from sharing_maps import small_map

SCRIPT = Path(sys.executable).with_name("journeywidgets")


def run(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "journeywidgets", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=600,
        check=False,
    )


@pytest.fixture
def map_json(tmp_path: Path) -> Path:
    return small_map().save(tmp_path / "map.json")


def test_help_lists_the_commands() -> None:
    done = run("--help")
    assert done.returncode == 0
    for command in ("convert", "notebook-html", "report", "validate", "templates"):
        assert command in done.stdout
    convert = run("convert", "--help")
    assert convert.returncode == 0
    assert "--from" in convert.stdout
    assert "template:NAME" in convert.stdout


def test_console_script_is_installed() -> None:
    assert SCRIPT.is_file() or shutil.which("journeywidgets")
    executable = str(SCRIPT) if SCRIPT.is_file() else "journeywidgets"
    done = subprocess.run(
        [executable, "templates"], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split("\t")[0] == "employee_onboarding"


@pytest.mark.parametrize(
    ("target", "check"),
    [
        ("out.svg", lambda text: text.startswith("<svg") and "Compares tariffs" in text),
        ("out.mmd", lambda text: text.startswith("journey\n") and "Website: 4" in text),
        ("out.html", lambda text: 'id="jw-data"' in text and "Download JSON" in text),
        ("out.json", lambda text: jw.loads(text) == small_map()),
    ],
)
def test_convert_by_extension(map_json: Path, tmp_path: Path, target: str, check: object) -> None:
    done = run("convert", str(map_json), str(tmp_path / target))
    assert done.returncode == 0, done.stderr
    assert f"wrote {tmp_path / target}" in done.stderr
    assert callable(check)
    assert check((tmp_path / target).read_text(encoding="utf-8"))


def test_static_html_needs_to(map_json: Path, tmp_path: Path) -> None:
    done = run("convert", str(map_json), str(tmp_path / "p.html"), "--to", "static-html")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "jws-static" in page


@pytest.mark.parametrize("target", ["tables.zip", "tables", "book.xlsx", "nb.ipynb"])
def test_round_trips_through_tables_workbooks_and_notebooks(
    map_json: Path, tmp_path: Path, target: str
) -> None:
    out = tmp_path / target
    args = ["convert", str(map_json), str(out)]
    if target == "tables":
        args += ["--to", "csv"]
    done = run(*args)
    assert done.returncode == 0, done.stderr
    if target == "tables.zip":
        assert sorted(zipfile.ZipFile(out).namelist())[:2] == ["cards.csv", "lanes.csv"]
    back = tmp_path / "back.json"
    args = ["convert", str(out), str(back)]
    if target == "tables":
        args += ["--from", "csv"]
    done = run(*args)
    assert done.returncode == 0, done.stderr
    assert jw.load(back) == small_map()


def test_mermaid_in_with_a_scale_and_out_to_stdout(tmp_path: Path) -> None:
    text = "journey\n  title Day\n  section Work\n    Coffee: 5: Me\n    Meeting: 1: Me, Boss\n"
    done = run(
        "convert", "-", "-", "--from", "mermaid", "--to", "json", "--scale", "-2", "2", stdin=text
    )
    assert done.returncode == 0, done.stderr
    m = jw.loads(done.stdout)
    assert [(t.name, t.emotion) for t in m.touchpoints] == [("Coffee", 2.0), ("Meeting", -2.0)]
    back = run("convert", "-", "-", "--from", "json", "--to", "mermaid", stdin=done.stdout)
    assert back.stdout == text


def test_template_input_and_language(tmp_path: Path) -> None:
    done = run("convert", "template:energy_utility", "-", "--to", "mermaid", "--language", "pl")
    assert done.returncode == 0, done.stderr
    assert "  section Chcę mieć prąd\n" in done.stdout


def test_a_notebook_with_several_maps_needs_an_index(map_json: Path, tmp_path: Path) -> None:
    nb = tmp_path / "two.ipynb"
    jw.notebook.write_map(nb, small_map())
    jw.notebook.write_map(nb, jw.templates.it_laptop())
    done = run("convert", str(nb), str(tmp_path / "x.json"))
    assert done.returncode == 1
    assert "holds 2 maps; pick one with --index" in done.stderr
    done = run("convert", str(nb), str(tmp_path / "x.json"), "--index", "1")
    assert done.returncode == 0, done.stderr
    assert jw.load(tmp_path / "x.json") == jw.templates.it_laptop()
    done = run("convert", str(nb), str(tmp_path / "x.json"), "--index", "5")
    assert done.returncode == 1
    assert "--index 5" in done.stderr


# --------------------------------------------------------------------------- failures
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convert", "missing.json", "out.svg"], "cannot read missing.json"),
        (["convert", "map.json", "out.docx"], "cannot tell the format of 'out.docx'"),
        (["convert", "map.svg", "out.json"], "svg cannot be read back into a map"),
        (["convert", "template:nope", "out.json"], "no template 'nope'"),
        (["convert", "-", "out.json"], "give --from when the input is '-'"),
        (["convert", "bad.json", "out.svg"], "field 'lane'"),
        (["convert", "bad.mmd", "out.json"], "line 3"),
        (["convert", "notjson.json", "out.svg"], "is not valid JSON"),
        (["notebook-html", "missing.ipynb"], "cannot read missing.ipynb"),
    ],
)
def test_failures_say_why_on_stderr_and_exit_1(
    map_json: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    doc = small_map().to_dict()
    doc["cards"][0]["lane"] = "nowhere"
    (tmp_path / "bad.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "bad.mmd").write_text("journey\n  section S\n    Tea: 9\n", encoding="utf-8")
    (tmp_path / "notjson.json").write_text("{nope", encoding="utf-8")
    (tmp_path / "map.svg").write_text("<svg/>", encoding="utf-8")
    done = run(*args, cwd=tmp_path)
    assert done.returncode == 1, done.stdout
    assert done.stderr.startswith("journeywidgets: error: ")
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out.json").exists()


def test_usage_errors_exit_2() -> None:
    assert run().returncode == 2
    done = run("convert", "only-one-argument")
    assert done.returncode == 2
    assert "usage:" in done.stderr
    assert run("convert", "a.json", "b.svg", "--to", "docx").returncode == 2


def test_warnings_are_printed_and_the_command_succeeds(tmp_path: Path) -> None:
    done = run(
        "convert", "-", "-", "--from", "mermaid", "--to", "json", stdin="journey\n  Tea: 5: Me,\n"
    )
    assert done.returncode == 0, done.stderr
    assert "journeywidgets: warning: line 2: task 'Tea' has an empty actor name" in done.stderr
    assert "journeywidgets: warning: line 2: task 'Tea' comes before any section" in done.stderr


def test_validate(map_json: Path, tmp_path: Path) -> None:
    doc = small_map().to_dict()
    doc["touchpoints"][0]["emotion"] = 9
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    done = run("validate", str(map_json), str(bad))
    assert done.returncode == 1
    assert f"{map_json}: ok" in done.stdout
    assert f"{bad}: invalid" in done.stderr
    assert "9 is outside the" in done.stderr
    assert "scale [-2, 2]" in done.stderr
    assert run("validate", str(map_json)).returncode == 0


# --------------------------------------------------------------------------- notebooks
def test_report_then_notebook_html(map_json: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.ipynb"
    done = run("report", str(map_json), "-o", str(report))
    assert done.returncode == 0, done.stderr
    nb = nbformat.read(report, as_version=4)
    assert nb.cells[0].source.startswith("# Journey report: Buying electricity")
    assert jw.notebook.read_maps(report) == [small_map()]

    done = run("notebook-html", str(report), "-o", str(tmp_path / "report.html"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in page
    assert "cdn.jsdelivr.net/npm/@jupyter-widgets" not in page

    done = run("notebook-html", str(report), "--no-execute")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.html").is_file()


def test_standard_input_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    out = str(tmp_path / "o.json")
    done = subprocess.run(
        [sys.executable, "-m", "journeywidgets", "convert", "-", out, "--from", "mermaid"],
        input="journey\nsection S\nZażółć: 3\n".encode("cp1250"),
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 1
    assert b"standard input: line 3 is not UTF-8" in done.stderr
    assert not (tmp_path / "o.json").exists()
