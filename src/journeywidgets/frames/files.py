"""The tables as files: a CSV per table, or an Excel workbook with a sheet per table."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .. import atomic
from ..errors import FileWriteError, TableError
from ..model.journey import JourneyMap
from ._cells import TableProblem
from .flat import from_flat
from .tables import TABLES, from_dataframes, to_dataframes


# ============================================================================ files
def _cell_text(value: Any) -> Any:
    """Lists and dicts as JSON text, for CSV and Excel cells."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _for_file(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = pd.Series(
                [_cell_text(v) for v in out[column]], index=out.index, dtype=object
            )
    return out


# A spreadsheet program reads a cell starting with one of these as a formula (OWASP's "CSV
# injection" list: = + - @, tab and carriage return).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def neutralise(text: str) -> str:
    """``text`` made safe for a CSV cell a spreadsheet program opens: a ``'`` in front when
    it starts like a formula (as OWASP recommends), or with a ``'`` that :func:`restore`
    would otherwise take away.  Other text is returned unchanged.

    Examples
    --------
    >>> print(neutralise("=HYPERLINK(A1)"))
    '=HYPERLINK(A1)
    >>> neutralise("-2 stars"), neutralise("'Tis the season"), neutralise("'=1")
    ("'-2 stars", "'Tis the season", "''=1")
    """
    if text.startswith(FORMULA_START) or (
        text.startswith(_QUOTE) and text[1:].startswith((*FORMULA_START, _QUOTE))
    ):
        return _QUOTE + text
    return text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given (its exact inverse).

    Only a ``'`` followed by a formula character or by another ``'`` is taken away, so text
    that starts with an apostrophe for its own reasons (``'Tis``) stays as it is.

    >>> restore("'=1+1"), restore("''=1"), restore("'Tis"), restore("plain")
    ('=1+1', "'=1", "'Tis", 'plain')
    """
    if text.startswith(_QUOTE) and text[1:].startswith((*FORMULA_START, _QUOTE)):
        return text[1:]
    return text


# the same tests as neutralise() and restore(), for whole columns at once
_NEEDS_QUOTE = r"^(?:[=+\-@\t\r]|'[=+\-@\t\r'])"
_QUOTED = r"^'[=+\-@\t\r']"


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            # vectorised: a Python loop over 20,000 cards costs more than the CSV writing
            try:
                mask = values.str.contains(_NEEDS_QUOTE, regex=True, na=False).astype(bool)
            except AttributeError:  # no text in the column (numbers only): nothing to do
                continue
            if mask.any():
                values = values.astype(object)
                values[mask] = _QUOTE + values[mask].astype(str)
                out[column] = values
    return out


def _restored(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        values = frame[column]  # read with dtype=str: every cell is text
        mask = values.str.contains(_QUOTED, regex=True)
        if mask.any():
            frame[column] = values.where(~mask, values.str[1:])
    return frame


#: Every CSV file :func:`write_csv` writes starts with this (the UTF-8 byte-order mark, which
#: spreadsheet programs need to read Polish and Hungarian letters); :func:`read_csv` undoes
#: the formula neutralising only in files that start with it.
CSV_MARK = b"\xef\xbb\xbf"


def write_csv(m: JourneyMap, folder: str | Path) -> dict[str, Path]:
    """Write the map's tables as CSV files (``map.csv``, ``stages.csv``...) into ``folder``.

    Lists and dicts are written as JSON text; files are UTF-8 with a byte-order mark so that
    spreadsheet programs read Polish and Hungarian letters correctly.  Returns the paths.

    Examples
    --------
    >>> import tempfile, journeywidgets as jw
    >>> m = jw.JourneyMap("Demo"); _ = m.add_stage("Buy")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = write_csv(m, folder)
    ...     read_csv(folder) == m
    True
    """
    folder = Path(folder)
    _make_folder(folder)
    paths = {}
    # each file whole or not at all; every file's bytes are made before the first is touched
    for name, data in csv_files(m).items():
        path = folder / f"{name}.csv"
        atomic.write_bytes(path, data)
        paths[name] = path
    return paths


def csv_files(m: JourneyMap) -> dict[str, bytes]:
    """The bytes of each CSV file :func:`write_csv` writes, by table name (for a zip file or
    an upload, where there is no folder to write to).

    >>> import journeywidgets as jw
    >>> csv_files(jw.JourneyMap("=1+1"))["map"].decode("utf-8-sig").splitlines()[1][:14]
    "journey,'=1+1,"
    """
    files = {}
    for name, frame in to_dataframes(m).items():
        # \r\n line ends make the csv writer quote any cell holding \r or \n
        text = _neutralised(_for_file(frame)).to_csv(index=False, lineterminator="\r\n")
        files[name] = CSV_MARK + text.encode("utf-8")
    return files


def _make_folder(folder: Path) -> None:
    """Create ``folder`` (not its parents: a mistyped parent should not become a folder)."""
    if folder.is_dir():
        return
    if folder.exists():
        raise FileWriteError(
            f"cannot write the CSV tables into {str(folder)!r}: it is a file, not a folder",
            path=folder,
        )
    if not folder.parent.is_dir():
        raise FileWriteError(
            f"cannot write the CSV tables into {str(folder)!r}: "
            f"the folder {str(folder.parent)!r} does not exist",
            path=folder,
        )
    try:
        folder.mkdir()
    except OSError as exc:
        raise FileWriteError(
            f"cannot create the folder {str(folder)!r}: {exc.strerror or exc}", path=folder
        ) from exc


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Label rows like the spreadsheet: the header is row 1, data starts at row 2."""
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def _read_bytes(path: Path, what: str) -> bytes:
    """The file's bytes, or a TableError naming the file when it cannot be read."""
    if path.is_dir():
        raise TableError(f"cannot read {str(path)!r}: it is a folder, not {what}", field=str(path))
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TableError(f"cannot read {str(path)!r}: no such file", field=str(path)) from None
    except OSError as exc:
        raise TableError(
            f"cannot read {str(path)!r}: {exc.strerror or exc}", field=str(path)
        ) from None


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableError(
            f"cannot read {str(path)!r}: line {line} is not UTF-8 text (byte "
            f"{raw[exc.start : exc.start + 1]!r} at offset {exc.start}); save the file as "
            "UTF-8 (in Excel: 'CSV UTF-8')",
            field=str(path),
        ) from None


def _read_csv_file(path: Path, *, ours: bool = False, **kwargs: Any) -> pd.DataFrame:
    raw = _read_bytes(path, "a CSV file")
    text = _decode(path, raw)
    if not text.strip():
        raise TableError(
            f"cannot read {str(path)!r}: the file is empty (not even a header row)",
            field=str(path),
        )
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, **kwargs)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise TableError(f"cannot read {str(path)!r}: {exc}", field=str(path)) from None
    except pd.errors.EmptyDataError:
        raise TableError(
            f"cannot read {str(path)!r}: the file is empty (not even a header row)",
            field=str(path),
        ) from None
    if ours and raw.startswith(CSV_MARK):
        # written by write_csv: undo its formula neutralising
        frame = _restored(frame)
    return _numbered(frame)


def read_csv(folder: str | Path, *, extra: Literal["error", "ignore"] = "error") -> JourneyMap:
    """Read a map from the CSV files :func:`write_csv` wrote (those present are read).

    Errors name the file's table and its spreadsheet row numbers.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise TableError(f"{folder} is not a folder of CSV tables", field=str(folder))
    tables = {}
    for name in TABLES:
        path = folder / f"{name}.csv"
        if path.exists():
            tables[name] = _read_csv_file(path, ours=True)
    if not tables:
        raise TableError(
            f"{folder} holds none of {', '.join(f'{t}.csv' for t in TABLES)}", field=str(folder)
        )
    return from_dataframes(tables, extra=extra)


# Excel stores 15-16 significant digits; numbers near the float limit round up past it.
_EXCEL_LARGEST = 9.99e307


def write_excel(m: JourneyMap, path: str | Path) -> Path:
    """Write the map as an Excel workbook, one sheet per table (lists and dicts as JSON).

    Text is always stored as text, so a card reading ``=SUM(A1)`` stays that text instead of
    becoming a formula.  An Excel file keeps numbers to 16 significant digits (a float needs
    17 to come back bit for bit) and line breaks as ``"\\n"``; use :func:`write_csv` when
    every bit matters.

    Raises
    ------
    TableError
        When some text holds control characters that Excel files cannot store.
    """
    try:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    except ImportError:  # pragma: no cover - openpyxl is a dev dependency
        raise ImportError(
            "Excel files need openpyxl: pip install 'journeywidgets[excel]'"
        ) from None

    path = Path(path)
    frames = {name: _for_file(frame) for name, frame in to_dataframes(m).items()}
    problems = []
    for name, frame in frames.items():
        for column in frame.columns:
            for label, value in frame[column].items():
                why = ""
                if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                    why = "holds control characters that an Excel file cannot store"
                elif isinstance(value, float) and abs(value) > _EXCEL_LARGEST:
                    why = f"{value!r} is beyond what an Excel file can store (about 1e307)"
                if why:
                    problems.append(TableProblem(f"{name} row {label}", str(column), why))
    if problems:
        raise TableError.from_problems(f"cannot write {path} as Excel", problems)
    try:
        with atomic.replacing(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame.to_excel(writer, sheet_name=name, index=False)
                for row in writer.sheets[name].iter_rows(min_row=2):
                    for cell in row:
                        if cell.data_type == "f":  # openpyxl reads "=..." as a formula
                            cell.data_type = "s"
    except FileWriteError:
        raise
    except Exception as exc:
        # the tables were checked above, so what fails here is the writing: lxml reports a
        # full disk as SerialisationError("IO_EFBIG"), not as an OSError
        raise FileWriteError(
            f"cannot write {str(path)!r}: {type(exc).__name__}: {exc}", path=path
        ) from exc
    return path


def _read_excel_sheets(path: Path, sheet_name: Any) -> Any:
    raw = _read_bytes(path, "an Excel workbook")
    if not raw.startswith(b"PK\x03\x04"):
        # an .xlsx is a zip archive; say so rather than zipfile's "File is not a zip file"
        what = "it is empty" if not raw else f"it starts with {raw[:12]!r}"
        raise TableError(
            f"cannot read {str(path)!r}: it is not an Excel workbook (.xlsx); {what}",
            field=str(path),
        )
    try:
        return pd.read_excel(
            io.BytesIO(raw),
            sheet_name=sheet_name,
            dtype=object,
            keep_default_na=False,
            engine="openpyxl",
        )
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        raise TableError(
            f"cannot read {str(path)!r} as an Excel workbook: {exc}", field=str(path)
        ) from None


def read_excel(path: str | Path, *, extra: Literal["error", "ignore"] = "error") -> JourneyMap:
    """Read a map from an Excel workbook with one sheet per table (as :func:`write_excel`
    writes it); sheets with other names are ignored.  Errors name the sheet and its rows.
    """
    path = Path(path)
    sheets = _read_excel_sheets(path, None)
    tables = {name: _numbered(frame) for name, frame in sheets.items() if name in TABLES}
    if not tables:
        raise TableError(
            f"{path} has none of the sheets {', '.join(TABLES)} (it has {', '.join(sheets)})",
            field=str(path),
        )
    return from_dataframes(tables, extra=extra)


def read_flat(
    path: str | Path,
    columns: Mapping[str, str] | None = None,
    *,
    sheet_name: str | int = 0,
    **options: Any,
) -> JourneyMap:
    """Read one spreadsheet-like table from a CSV or Excel file and build a map from it with
    :func:`from_flat` (same options).  Errors name the spreadsheet's row numbers.
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = _read_excel_sheets(path, sheet_name)
    else:
        frame = _read_csv_file(path, sep=None, engine="python")
    return from_flat(_numbered(frame), columns, **options)
