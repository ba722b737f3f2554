"""Hostile and unlucky files (issue #12): every one gets a journeywidgets error that names the
file (and the row or line), and nothing is written or lost.

Each case builds its files in a fresh folder and returns the call to make; the test checks the
error's type, that its message names the place at fault, and that every file in the folder is
byte for byte as it was (no file written, none changed or removed).  CLI cases run the real
command line in-process and check its exit status and message instead of an exception.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import nbformat
import pytest

import journeywidgets as jw
from journeywidgets import cli, frames, nbhtml, notebook
from journeywidgets.errors import (
    DocumentError,
    FileWriteError,
    JourneyError,
    MermaidError,
    MissingFileError,
    TableError,
)

Call = Callable[[], Any]


def small() -> jw.JourneyMap:
    m = jw.JourneyMap("Hostile", scale=(-2, 2))
    m.add_persona("Anna")
    stage = m.add_stage("Buy")
    tp = m.add_touchpoint("Website", stage=stage.id, emotion=1)
    lane = m.add_lane("Actions", kind="actions")
    m.add_card("Compare tariffs", touchpoint=tp.id, lane=lane.id)
    return m


def tables(folder: Path, **replace: bytes) -> Path:
    """Our CSV tables of :func:`small` in ``folder``, with some files' bytes replaced."""
    frames.write_csv(small(), folder)
    for name, data in replace.items():
        (folder / f"{name}.csv").write_bytes(data)
    return folder


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


def real_xlsx(tmp: Path) -> bytes:
    path = frames.write_excel(small(), tmp / "real.xlsx")
    data = path.read_bytes()
    path.unlink()
    return data


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


LATIN2 = "Zażółć gęślą jaźń\n".encode("cp1250")


@dataclass(frozen=True)
class Case:
    """``make(folder)`` sets the folder up and returns the call; ``where`` is what the
    message must name (``{tmp}`` is the folder)."""

    id: str
    make: Callable[[Path], Call]
    error: type[BaseException]
    where: str


CASES: list[Case] = [
    # ------------------------------------------------------------- CSV tables (read_csv)
    Case("csv: no such folder", lambda t: partial(frames.read_csv, t / "nope"), TableError, "nope"),
    Case(
        "csv: a file, not a folder",
        lambda t: partial(frames.read_csv, write(t / "map.csv", "id\n")),
        TableError,
        "map.csv",
    ),
    Case(
        "csv: a folder with no tables",
        lambda t: partial(frames.read_csv, write(t / "x" / "notes.txt", "hi").parent),
        TableError,
        "map.csv",
    ),
    Case(
        "csv: not UTF-8 (cp1250)",
        lambda t: partial(frames.read_csv, tables(t / "x", map=b"id,title\r\nj," + LATIN2)),
        TableError,
        "map.csv': line 2",
    ),
    Case(
        "csv: empty file",
        lambda t: partial(frames.read_csv, tables(t / "x", cards=b"")),
        TableError,
        "cards.csv': the file is empty",
    ),
    Case(
        "csv: BOM only",
        lambda t: partial(frames.read_csv, tables(t / "x", stages=b"\xef\xbb\xbf")),
        TableError,
        "stages.csv",
    ),
    Case(
        "csv: a table that is a folder",
        lambda t: partial(
            frames.read_csv, write(t / "x" / "cards.csv" / "inner.txt", "x").parent.parent
        ),
        TableError,
        "cards.csv': it is a folder",
    ),
    Case(
        "csv: unclosed quote",
        lambda t: partial(frames.read_csv, tables(t / "x", map=b'id,title\r\nj,"open\r\n')),
        TableError,
        "map.csv",
    ),
    Case(
        "csv: a card on an unknown touchpoint",
        lambda t: partial(
            frames.read_csv,
            tables(
                t / "x",
                cards=b"id,touchpoint,lane,text\r\nc1,nowhere,actions,Hi\r\n",
            ),
        ),
        TableError,
        "cards row 2",
    ),
    Case(
        "csv: an emotion that is not a number",
        lambda t: partial(
            frames.read_csv,
            tables(t / "x", touchpoints=b"id,stage,name,emotion\r\nw,buy,Website,abc\r\n"),
        ),
        TableError,
        "touchpoints row 2",
    ),
    Case(
        "csv: a formula where a number goes",
        lambda t: partial(
            frames.read_csv,
            tables(t / "x", touchpoints=b"id,stage,name,emotion\r\nw,buy,Website,=1+1\r\n"),
        ),
        TableError,
        "touchpoints row 2",
    ),
    Case(
        "csv: binary garbage",
        lambda t: partial(frames.read_csv, tables(t / "x", map=bytes(range(256)) * 4)),
        TableError,
        "map.csv",
    ),
    # ---------------------------------------------------------------- Excel (read_excel)
    Case(
        "xlsx: CSV text named .xlsx",
        lambda t: partial(frames.read_excel, write(t / "map.xlsx", "id,title\nj,T\n")),
        TableError,
        "map.xlsx': it is not an Excel workbook",
    ),
    Case(
        "xlsx: empty file",
        lambda t: partial(frames.read_excel, write(t / "map.xlsx", b"")),
        TableError,
        "map.xlsx': it is not an Excel workbook (.xlsx); it is empty",
    ),
    Case(
        "xlsx: a zip that is no workbook",
        lambda t: partial(frames.read_excel, write(t / "map.xlsx", xlsx_bytes())),
        TableError,
        "map.xlsx",
    ),
    Case(
        "xlsx: cut in half",
        lambda t: partial(frames.read_excel, write(t / "cut.xlsx", real_xlsx(t)[:2000])),
        TableError,
        "cut.xlsx",
    ),
    Case(
        "xlsx: no such file",
        lambda t: partial(frames.read_excel, t / "gone.xlsx"),
        TableError,
        "gone.xlsx': no such file",
    ),
    Case(
        "xlsx: a folder",
        lambda t: partial(frames.read_excel, write(t / "d.xlsx" / "x", "x").parent),
        TableError,
        "d.xlsx': it is a folder",
    ),
    # ------------------------------------------------------------------- one flat table
    Case(
        "flat: not UTF-8",
        lambda t: partial(frames.read_flat, write(t / "flat.csv", b"stage,touchpoint\n" + LATIN2)),
        TableError,
        "flat.csv': line 2",
    ),
    Case(
        "flat: empty",
        lambda t: partial(frames.read_flat, write(t / "flat.csv", b"")),
        TableError,
        "flat.csv': the file is empty",
    ),
    Case(
        "flat: no such file",
        lambda t: partial(frames.read_flat, t / "gone.csv"),
        TableError,
        "gone.csv",
    ),
    Case(
        "flat: a folder",
        lambda t: partial(frames.read_flat, write(t / "f.csv" / "x", "x").parent),
        TableError,
        "f.csv': it is a folder",
    ),
    # -------------------------------------------------------------------- saved maps (JSON)
    Case("json: no such file", lambda t: partial(jw.load, t / "gone.json"), DocumentError, "gone"),
    Case(
        "json: a folder",
        lambda t: partial(jw.load, write(t / "d.json" / "x", "x").parent),
        DocumentError,
        "d.json",
    ),
    Case(
        "json: not UTF-8",
        lambda t: partial(jw.load, write(t / "m.json", b'{"title": "' + LATIN2 + b'"}')),
        DocumentError,
        "m.json",
    ),
    Case(
        "json: empty",
        lambda t: partial(jw.load, write(t / "m.json", b"")),
        DocumentError,
        "m.json",
    ),
    # ----------------------------------------------------------------------------- notebooks
    Case(
        "ipynb: not JSON",
        lambda t: partial(notebook.read_maps, write(t / "n.ipynb", "not json")),
        DocumentError,
        "n.ipynb is not a Jupyter notebook",
    ),
    Case(
        "ipynb: empty",
        lambda t: partial(notebook.read_maps, write(t / "n.ipynb", b"")),
        DocumentError,
        "n.ipynb is not a Jupyter notebook: the file is empty",
    ),
    Case(
        "ipynb: not UTF-8",
        lambda t: partial(notebook.read_maps, write(t / "n.ipynb", b'{\n"x": "' + LATIN2)),
        DocumentError,
        "n.ipynb is not a Jupyter notebook: line 2",
    ),
    Case(
        "ipynb: a folder",
        lambda t: partial(notebook.read_maps, write(t / "n.ipynb" / "x", "x").parent),
        DocumentError,
        "n.ipynb: it is a folder",
    ),
    Case(
        "ipynb: no such file",
        lambda t: partial(notebook.read_maps, t / "gone.ipynb"),
        DocumentError,
        "gone.ipynb: no such file",
    ),
    Case(
        "ipynb: JSON without cells",
        lambda t: partial(notebook.read_maps, write(t / "n.ipynb", '{"cells": 5}')),
        DocumentError,
        "n.ipynb",
    ),
    Case(
        "notebook-html: no such notebook",
        lambda t: partial(nbhtml.notebook_to_html, t / "gone.ipynb", execute_first=False),
        DocumentError,
        "gone.ipynb",
    ),
    Case(
        "notebook-html: output into a missing folder (found before running)",
        lambda t: partial(
            nbhtml.notebook_to_html, write(t / "n.ipynb", "not json"), t / "no" / "out.html"
        ),
        FileWriteError,
        "no/out.html",
    ),
    # ------------------------------------------------------------------------------- Mermaid
    Case(
        "mermaid: bytes",
        lambda t: partial(jw.from_mermaid, b"journey"),
        MermaidError,
        "must be a string",
    ),
    Case(
        "mermaid: an unclosed directive swallows everything",
        lambda t: partial(jw.from_mermaid, "%%{init: {'theme': 'dark'\njourney\nsection S\nT: 3"),
        MermaidError,
        "line 4",
    ),
    Case(
        "mermaid: a directive payload in a task's score",
        lambda t: partial(jw.from_mermaid, "journey\nsection S\nT: %%{init: {}}%%\n"),
        MermaidError,
        "line 3",
    ),
    Case(
        "mermaid: a newline smuggled into a section",
        lambda t: partial(jw.from_mermaid, "journey\nsection A\nsection\n"),
        MermaidError,
        "line 3",
    ),
    Case(
        "mermaid: text after accDescr's brace is a statement",
        lambda t: partial(jw.from_mermaid, "journey\n  accDescr {\n  }x\n  section S\n  T"),
        MermaidError,
        "line 3, field 'score': task 'x' has no score",
    ),
    Case(
        "mermaid: a colon in a section",
        lambda t: partial(jw.from_mermaid, "journey\nsection a: b\n"),
        MermaidError,
        "line 2",
    ),
    # ------------------------------------------------------------------------ writing files
    Case(
        "save: into a missing folder",
        lambda t: partial(small().save, t / "no" / "m.json"),
        FileWriteError,
        "no/m.json",
    ),
    Case(
        "to_html: onto a folder",
        lambda t: partial(small().to_html, write(t / "page.html" / "x", "x").parent),
        FileWriteError,
        "page.html': it is a folder",
    ),
    Case(
        "write_excel: into a missing folder",
        lambda t: partial(frames.write_excel, small(), t / "no" / "m.xlsx"),
        FileWriteError,
        "m.xlsx",
    ),
    Case(
        "write_csv: onto a file",
        lambda t: partial(frames.write_csv, small(), write(t / "tables", "x")),
        FileWriteError,
        "tables': it is a file",
    ),
    Case(
        "report: onto a folder",
        lambda t: partial(notebook.report, small(), path=write(t / "r.ipynb" / "x", "x").parent),
        FileWriteError,
        "r.ipynb",
    ),
    Case(
        "report: a survey file that is not there",
        lambda t: partial(notebook.report, small(), survey=t / "gone.csv", path=t / "r.ipynb"),
        MissingFileError,
        "gone.csv",
    ),
    Case(
        "notebook.write_map: onto a folder",
        lambda t: partial(notebook.write_map, write(t / "n.ipynb" / "x", "x").parent, small()),
        FileWriteError,
        "n.ipynb",
    ),
    Case(
        "notebook.write_map: into a file that is not a notebook",
        lambda t: partial(notebook.write_map, write(t / "n.ipynb", "{oops"), small()),
        DocumentError,
        "n.ipynb",
    ),
]


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_file(case: Case, tmp_path: Path) -> None:
    call = case.make(tmp_path)  # the files are made here; the call only reads or writes
    before = snapshot(tmp_path)
    with pytest.raises(case.error) as info:
        call()
    assert isinstance(info.value, JourneyError), type(info.value).__mro__
    message = str(info.value).replace(str(tmp_path) + "/", "")
    assert case.where in message, message
    assert snapshot(tmp_path) == before, "a failing call wrote, changed or removed a file"


# ------------------------------------------------------------------------------ the CLI
@dataclass(frozen=True)
class CliCase:
    id: str
    make: Callable[[Path], list[str]]
    where: str


def _map(folder: Path) -> str:
    return str(small().save(folder / "map.json"))


CLI_CASES: list[CliCase] = [
    CliCase("no such input", lambda t: ["convert", str(t / "gone.json"), str(t / "o.svg")], "gone"),
    CliCase(
        "input not UTF-8",
        lambda t: ["convert", str(write(t / "d.mmd", b"journey\n" + LATIN2)), str(t / "o.json")],
        "d.mmd: line 2 is not UTF-8",
    ),
    CliCase(
        "input is a folder",
        lambda t: ["convert", str(write(t / "d.json" / "x", "x").parent), str(t / "o.svg")],
        "d.json: it is a folder",
    ),
    CliCase(
        "a notebook without a map",
        lambda t: [
            "convert",
            str(write(t / "n.ipynb", nbformat.writes(notebook.new_notebook()))),
            str(t / "o.json"),
        ],
        "n.ipynb holds no journey map",
    ),
    CliCase(
        "empty JSON",
        lambda t: ["convert", str(write(t / "e.json", b"")), str(t / "o.svg")],
        "e.json",
    ),
    CliCase(
        "a notebook given as a JSON map",
        lambda t: [
            "convert",
            str(write(t / "m.json", nbformat.writes(notebook.new_notebook()))),
            str(t / "o.svg"),
        ],
        "m.json: invalid journey map",
    ),
    CliCase(
        "output into a missing folder",
        lambda t: ["convert", _map(t), str(t / "no" / "o.svg")],
        "o.svg",
    ),
    CliCase(
        "output onto a folder",
        lambda t: ["convert", _map(t), str(write(t / "o.html" / "x", "x").parent)],
        "o.html': it is a folder",
    ),
    CliCase(
        "a zip that is not a zip",
        lambda t: ["convert", str(write(t / "t.zip", "plain text")), str(t / "o.json")],
        "t.zip",
    ),
    CliCase(
        "an xlsx that is text",
        lambda t: ["convert", str(write(t / "t.xlsx", "plain text")), str(t / "o.json")],
        "t.xlsx",
    ),
    CliCase(
        "Mermaid with a bad score",
        lambda t: [
            "convert",
            str(write(t / "d.mmd", "journey\nsection S\nT: 9\n")),
            "-",
            "--to",
            "json",
        ],
        "line 3",
    ),
    CliCase(
        "report onto a folder",
        lambda t: ["report", _map(t), "-o", str(write(t / "r.ipynb" / "x", "x").parent)],
        "r.ipynb",
    ),
    CliCase(
        "CSV tables into a missing folder",
        lambda t: ["convert", _map(t), str(t / "no" / "tables") + "/"],
        "does not exist",
    ),
]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_hostile_command_line(
    case: CliCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = case.make(tmp_path)
    before = snapshot(tmp_path)
    status = cli.main(argv)
    err = capsys.readouterr().err.replace(str(tmp_path) + "/", "")
    assert status == 1, err
    assert err.startswith("journeywidgets: error: "), err
    assert "Traceback" not in err
    assert case.where in err, err
    assert snapshot(tmp_path) == before, "a failing command wrote, changed or removed a file"


def test_there_are_at_least_forty_hostile_cases() -> None:
    assert len(CASES) + len(CLI_CASES) >= 40


def test_our_csv_files_round_trip_formula_text_and_genuine_apostrophes(tmp_path: Path) -> None:
    texts = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'Tis", "'=1", "''"]
    m = small()
    for text in texts:
        m.add_card(text, touchpoint="website", lane="actions")
    m.set(title='=WEBSERVICE("http://example.invalid")')
    frames.write_csv(m, tmp_path)
    raw = (tmp_path / "cards.csv").read_text(encoding="utf-8-sig")
    cells = [line.split(",")[5] for line in raw.splitlines()[1:] if line.count(",") >= 5]
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == [], dangerous  # nothing a spreadsheet would run
    assert "'=cmd|" in raw
    assert "'Tis" in raw
    assert frames.read_csv(tmp_path) == m
    # a file that is not ours (no byte-order mark) is read as it is
    plain = tmp_path / "plain"
    plain.mkdir()
    for path in tmp_path.glob("*.csv"):
        (plain / path.name).write_bytes(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    assert frames.read_csv(plain).title == '\'=WEBSERVICE("http://example.invalid")'


def test_excel_output_holds_no_formulas(tmp_path: Path) -> None:
    m = small()
    m.add_card('=HYPERLINK("http://example.invalid")', touchpoint="website", lane="actions")
    path = frames.write_excel(m, tmp_path / "m.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets
    assert all(b"<f>" not in xml and b"<f " not in xml for xml in sheets)
    assert frames.read_excel(path) == m


@pytest.mark.parametrize(
    ("text", "error", "names"),
    [
        ('{"title": 5, "schema_version": 2}', jw.DocumentError, "'title'"),
        ('{"title": "x", "schema_version": 99}', jw.SchemaVersionError, "99"),
        ("[1, 2, 3]", jw.DocumentError, "map"),
    ],
)
def test_json_that_is_not_a_map_names_the_file(
    tmp_path: Path, text: str, error: type[Exception], names: str
) -> None:
    path = tmp_path / "not-a-map.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as caught:
        jw.read_json(path)
    assert str(path) in str(caught.value)
    assert names in str(caught.value)
    assert path.read_text(encoding="utf-8") == text
