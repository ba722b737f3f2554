"""Survey tables in any engine: pandas, polars, pyarrow, DuckDB, PySpark (via narwhals).

The survey functions never pull raw responses into pandas.  They express per-row arithmetic
and group sums as narwhals expressions, so that DuckDB, polars or Spark compute the sums in
their own engine; only the small aggregate (one row per touchpoint x segment) comes back, as
a pandas DataFrame.  Lazy tables (a DuckDB relation, a polars LazyFrame) stay lazy until then,
so a survey larger than memory works.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import SurveyError, closest

Frame = Any  # nw.DataFrame | nw.LazyFrame: narwhals' generics are invariant in the native type

# A number as text: "4", " 4.5 ", "-1e3"; decimal commas are not guessed.
_NUMBER = r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$"
NUMBER = _NUMBER
EXAMPLES = 5


def quoted(items: Iterable[Any]) -> str:
    """``'a', 'b', 'c'``: names listed in a message."""
    return ", ".join(repr(item) for item in items)


def as_frame(data: Any, what: str = "responses") -> Frame:
    """A narwhals frame over ``data`` (pandas, polars, pyarrow, DuckDB, PySpark...)."""
    if (
        isinstance(data, list | tuple)
        and data
        and not all(isinstance(row, Mapping) for row in data)
    ):
        raise SurveyError(
            f"{what}: expected a table (pandas, polars, pyarrow, DuckDB or Spark, or a list "
            f"of dicts, one per row), got a {type(data).__name__} of "
            f"{type(next(r for r in data if not isinstance(r, Mapping))).__name__}"
        )
    if isinstance(data, Mapping) or (isinstance(data, list) and data):
        data = pd.DataFrame(data)
    try:
        return nw.from_native(data)
    except TypeError:
        raise SurveyError(
            f"{what}: expected a table (pandas, polars, pyarrow, DuckDB or Spark), "
            f"got {type(data).__name__}"
        ) from None


def lazy(frame: Frame) -> Frame:
    """An eager polars frame as a lazy one, so that polars plans the whole chain of
    per-row expressions and the group-by at once (about 4x faster than step by step);
    other frames as they are."""
    if isinstance(frame, nw.DataFrame) and frame.implementation.is_polars():
        return frame.lazy()
    return frame


def is_lazy(frame: Frame) -> bool:
    return isinstance(frame, nw.LazyFrame)


def columns(frame: Frame) -> list[str]:
    return list(frame.collect_schema().names())


def require(
    frame: Frame,
    wanted: Mapping[str, str | None],
    what: str = "responses",
    *,
    wide_hint: Mapping[str, str | None] | None = None,
) -> None:
    """Every named column exists; else one error naming each missing one, with a hint.

    ``wide_hint`` names the columns a long table keeps on every row (respondent, segment,
    weight, outcome): when the touchpoint or score column is missing and the table has
    several other numeric columns, it is wide, and the error shows the
    :func:`~journeywidgets.survey.melt` call that makes it long.
    """
    present = columns(frame)
    missing = []
    for parameter, column in wanted.items():
        if column is not None and column not in present:
            match = closest(str(column), [str(c) for c in present])
            hint = f" (did you mean {match!r}?)" if match else ""
            named = f"column {column!r}" if parameter == column else f"{parameter}={column!r}"
            missing.append(f"{named}: no such column{hint}")
    if missing:
        message = f"{what}: " + "; ".join(missing) + f". The columns are {quoted(present)}"
        long_columns = {wanted.get("touchpoint"), wanted.get("score")}
        if wide_hint is not None and any(c not in present for c in long_columns if c):
            ids = [c for c in dict.fromkeys(wide_hint.values()) if c is not None and c in present]
            schema = frame.collect_schema()
            scored = [c for c in present if c not in ids and _is_numeric(schema[c])]
            if len(scored) >= 2:
                message += (
                    f". These responses look wide (a column per touchpoint: "
                    f"{quoted(scored[:4])}{', ...' if len(scored) > 4 else ''}); make them "
                    f"long, one row per answer, with jw.survey.melt(responses, "
                    f"id_columns={ids!r}) and pass that"
                )
        raise SurveyError(
            message,
            field=next(c for c in wanted.values() if c is not None and c not in present),
        )


def check_weights(frame: Frame, weight: str, what: str = "responses") -> None:
    """Survey weights must be finite and >= 0, and not all zero: a negative weight would
    turn a respondent's answer around and a missing one would drop the respondent
    silently.  Raises :class:`SurveyError` naming the column and example rows."""
    w = nw.col(weight)
    bad = w.is_null() | w.is_nan() | (w < 0) | (w.abs() == float("inf"))
    count, found = examples(frame, bad, weight)
    if count:
        raise SurveyError(
            f"{what}: column {weight!r} holds {count} weight{'s' if count != 1 else ''} that "
            f"{'are' if count != 1 else 'is'} negative, missing, NaN or infinite: "
            f"{describe_examples(count, found)}; survey weights must be finite numbers >= 0",
            field=weight,
        )
    total = to_pandas(lazy(frame).select(w.sum().alias("total")))["total"].iloc[0]
    if not total > 0:
        raise SurveyError(
            f"{what}: every weight in column {weight!r} is zero; survey weights must not all "
            "be zero",
            field=weight,
        )


def to_pandas(frame: Frame) -> pd.DataFrame:
    """Collect a (small, aggregated) frame into pandas."""
    if is_lazy(frame):
        frame = frame.collect()
    return frame.to_pandas()


def _row_labels(frame: Frame, positions: Sequence[int]) -> list[Any]:
    native = nw.to_native(frame)
    if isinstance(native, pd.DataFrame):
        return [native.index[p] for p in positions]
    return list(positions)


def examples(frame: Frame, condition: Any, column: str) -> tuple[int, list[tuple[Any, Any]]]:
    """How many rows meet ``condition``, and a few of them as (row, value of ``column``).

    Rows are the pandas index labels (positions for other eager tables); lazy tables have
    no row order, so their rows are ``None``.
    """
    if is_lazy(frame):
        total = to_pandas(frame.select(condition.cast(nw.Int64).sum().alias("n")))["n"]
        count = int(total.fillna(0).astype("int64").iloc[0])
        rows = to_pandas(frame.filter(condition).select(column).head(EXAMPLES))
        return count, [(None, v) for v in rows[column].tolist()]
    flags = frame.select(condition.fill_null(value=False).alias("_flag"))["_flag"].to_numpy()
    positions = np.flatnonzero(flags.astype(bool))
    values = frame[column].to_list()
    labels = _row_labels(frame, positions[:EXAMPLES].tolist())
    return len(positions), [(label, values[p]) for label, p in zip(labels, positions, strict=False)]


def describe_examples(count: int, found: list[tuple[Any, Any]]) -> str:
    """``"'abc' (row 3), 'x' (row 9) and 2 more"``."""
    parts = [repr(v) if row is None else f"{v!r} (row {row})" for row, v in found]
    more = f" and {count - len(found)} more" if count > len(found) else ""
    where = (
        " (row numbers are not available for lazy tables)" if found and found[0][0] is None else ""
    )
    return ", ".join(parts) + more + where


def _is_numeric(dtype: Any) -> bool:
    return bool(dtype.is_numeric()) and dtype != nw.Boolean


def numeric(
    frame: Frame,
    column: str,
    na_codes: Iterable[Any],
    what: str = "responses",
    *,
    booleans: bool = False,
) -> Frame:
    """``column`` as Float64, text numbers parsed; "not applicable" text codes become null.
    ``booleans`` reads True/False columns as 1/0 (a churn flag).

    Raises :class:`SurveyError` naming the column, with example values and their rows, when
    some cells are neither numbers nor not-applicable codes.
    """
    dtype = frame.collect_schema()[column]
    if _is_numeric(dtype):
        # left as it is: arithmetic promotes it, and an engine groups small integers faster
        # than doubles (and pandas does not copy 10M values)
        return frame
    if booleans and dtype == nw.Boolean:
        return frame.with_columns(nw.col(column).cast(nw.Float64))
    codes = [str(c).strip().casefold() for c in na_codes]
    native = nw.to_native(frame)
    if isinstance(native, pd.DataFrame):
        return _numeric_pandas(native, column, codes, what)
    text = nw.col(column).cast(nw.String).str.strip_chars()
    is_code = text.str.to_lowercase().is_in(codes) if codes else nw.lit(value=False)
    is_number = text.str.contains(_NUMBER)
    bad = ~text.is_null() & (text != "") & ~is_number & ~is_code
    count, found = examples(frame, bad, column)
    if count:
        raise _not_numbers(column, count, found, what)
    return frame.with_columns(
        nw.when(is_number & ~is_code).then(text.cast(nw.Float64)).alias(column)
    )


def _numeric_pandas(native: pd.DataFrame, column: str, codes: list[str], what: str) -> Frame:
    # pandas object columns mix numbers and text ("4", 5, "n/a"): look at each cell
    cells = native[column]
    text = cells.astype("string").str.strip()
    is_code = text.str.casefold().isin(codes).fillna(False).astype(bool)
    numbers = pd.to_numeric(text.where(~is_code), errors="coerce")
    bad = (numbers.isna() & cells.notna() & (text != "").fillna(False) & ~is_code).astype(bool)
    if bad.any():
        found = [(label, cells[label]) for label in cells.index[bad.to_numpy()][:EXAMPLES]]
        raise _not_numbers(column, int(bad.sum()), found, what)
    return nw.from_native(native.assign(**{column: numbers.astype(float)}))


def _not_numbers(column: str, count: int, found: list[tuple[Any, Any]], what: str) -> SurveyError:
    return SurveyError(
        f"{what}: column {column!r} holds {count} value{'s' if count != 1 else ''} that "
        f"{'are' if count != 1 else 'is'} not a number: {describe_examples(count, found)}; "
        "pass na_codes=(...) for answers such as 'n/a' that mean 'does not apply'",
        field=column,
    )
