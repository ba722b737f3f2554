"""The tables as files: a CSV per table, or an Excel workbook with a sheet per table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ..errors import TableError
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
            out[column] = out[column].map(_cell_text)
    return out


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
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, frame in to_dataframes(m).items():
        path = folder / f"{name}.csv"
        # \r\n line ends make the csv writer quote any cell holding \r or \n
        _for_file(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        paths[name] = path
    return paths


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Label rows like the spreadsheet: the header is row 1, data starts at row 2."""
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def _read_csv_file(path: Path, **kwargs: Any) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise TableError(f"cannot read {path}: {exc}", field=str(path)) from None
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame()
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
            tables[name] = _read_csv_file(path)
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
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            for row in writer.sheets[name].iter_rows(min_row=2):
                for cell in row:
                    if cell.data_type == "f":  # openpyxl reads "=..." as a formula
                        cell.data_type = "s"
    return path


def _read_excel_sheets(path: Path, sheet_name: Any) -> Any:
    try:
        return pd.read_excel(
            path, sheet_name=sheet_name, dtype=object, keep_default_na=False, engine="openpyxl"
        )
    except (OSError, ValueError, KeyError) as exc:
        raise TableError(f"cannot read {path}: {exc}", field=str(path)) from None


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
