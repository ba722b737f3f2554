"""Checking the tables charts receive: known columns, one row per key, aggregates only.

Charts take small aggregated tables (DESIGN principle 5).  A frame with raw survey rows is
refused with a message that names the aggregation helper to use, rather than being embedded
into the chart (which would make the spec grow with the survey and, past altair's 5,000-row
limit, raise ``MaxRowsError``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import JourneyError, SurveyError

if TYPE_CHECKING:
    # Imported where a table arrives, not with the charts: a map's own charts never need
    # pandas, and importing it costs about a second (issue #18).
    import pandas as pd

#: More rows than this in a table handed to a chart means it was not aggregated.
MAX_CHART_ROWS = 5000


def to_pandas(frame: Any, what: str, error: type[JourneyError] = SurveyError) -> pd.DataFrame:
    """A pandas copy of ``frame`` (pandas, polars, pyarrow, DuckDB... via narwhals); else
    ``error`` (the event-log charts raise :class:`EventLogError`, the survey ones
    :class:`SurveyError`)."""
    import pandas as pd

    if isinstance(frame, pd.DataFrame):
        return frame.copy()
    try:
        import narwhals as nw

        native = nw.from_native(frame)
        if isinstance(native, nw.LazyFrame):
            native = native.collect()
        return native.to_pandas()
    except TypeError as exc:
        raise error(
            f"{what} must be a DataFrame (pandas, polars, pyarrow, DuckDB...), "
            f"got {type(frame).__name__}"
        ) from exc


def require_columns(
    df: pd.DataFrame,
    columns: Iterable[str],
    what: str,
    hint: str = "",
    error: type[JourneyError] = SurveyError,
) -> None:
    """Raise ``error`` naming every missing column and the ones present."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        have = ", ".join(map(repr, df.columns)) or "none"
        raise error(
            f"{what} has no column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))} (columns: {have}){hint}",
            field=missing[0],
        )


def require_unique(
    df: pd.DataFrame,
    keys: Sequence[str],
    what: str,
    hint: str,
    error: type[JourneyError] = SurveyError,
) -> None:
    """Raise ``error`` when ``keys`` repeat: the table holds raw rows, not aggregates."""
    duplicated = df.duplicated(list(keys), keep=False)
    if duplicated.any():
        first = df.loc[duplicated, list(keys)].iloc[0].to_dict()
        count = int(duplicated.sum())
        raise error(
            f"{what} must have one row per {' x '.join(keys)}, but {count} rows share keys "
            f"(first: {first}); charts take aggregates, not raw responses: {hint}",
            field=keys[0],
        )
    if len(df) > MAX_CHART_ROWS:
        raise error(
            f"{what} has {len(df)} rows; charts take aggregates (at most {MAX_CHART_ROWS} rows): "
            f"{hint}"
        )


def numeric(df: pd.DataFrame, column: str, what: str) -> pd.Series:
    """Column ``column`` as floats; SurveyError naming the first row that is not a number."""
    import pandas as pd

    values = pd.to_numeric(df[column], errors="coerce")
    bad = values.isna() & df[column].notna()
    if bad.any():
        row = bad.to_numpy().nonzero()[0][0]
        raise SurveyError(
            f"{what}: column {column!r}, row {row}: {df[column].iloc[row]!r} is not a number",
            field=column,
        )
    return values.astype(float)


def clean(value: Any) -> Any:
    """A JSON-friendly scalar: NaN/NA become None, numpy numbers become Python numbers."""
    if value is None:
        return None
    import pandas as pd  # values come from a frame, so pandas is already loaded

    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):
        return value.item()
    return value
