"""Per-touchpoint survey statistics, and survey scores placed on the map's emotion scale.

The statistics (per touchpoint, and per segment when given)
-----------------------------------------------------------
Responses whose score is missing, NaN or one of ``na_codes`` ("does not apply") are left
out of every statistic and counted in ``n_na``.  With weights ``w`` (unweighted: all 1):

``n``
    Responses counted (not weighted); ``small_n`` is ``n < min_n``.
``n_eff``
    Kish's effective sample size ``(sum w)^2 / sum w^2`` (``n`` without weights); every
    interval uses it in place of ``n``, so unequal weights widen intervals as they should.
``mean``, ``sd``
    Weighted mean ``sum(w x) / sum(w)``; ``sd`` is the square root of
    ``sum(w (x - mean)^2) / sum(w) * n_eff / (n_eff - 1)``, the ordinary sample standard
    deviation when all weights are equal.
``ci_low``, ``ci_high``
    95% t interval of the mean: ``mean -+ t(0.975, n_eff - 1) * sd / sqrt(n_eff)``
    (``level`` changes the 95%).  t quantiles are computed exactly (no scipy needed).
``top2``, ``top2_low``, ``top2_high``
    Share of answers in the two highest categories (4-5 on 1-5, 9-10 on 0-10), with a Wilson
    score interval on ``n_eff``.
``nps``, ``nps_low``, ``nps_high``
    For 0-10 questions only: 100 x (share of promoters 9-10 minus share of detractors 0-6).
    The interval is ``nps -+ 100 z sqrt((p + d - (p - d)^2) / n_eff)``: the variance of the
    difference of two shares of one multinomial sample, clipped to [-100, 100].

Sums are computed inside the table's own engine (see :mod:`journeywidgets.survey._engine`):
per group only ``sum w``, ``sum w^2``, ``sum w x``, ``sum w x^2`` and the weighted counts of
top-2 answers, promoters and detractors come back to pandas.

Survey scale -> emotion scale
-----------------------------
Three mappings put a summary on the map's emotion scale (``emotion_mapping=``):

``"linear"`` (the default)
    :func:`to_emotion`: the ends of the survey scale land on the ends of the map's scale: on
    a 1-5 survey and a -3..3 map, 1 -> -3, 3 -> 0, 5 -> 3.  Means map the same way;
    interval ends are clipped to the survey scale first (a mean cannot lie outside it).
    Honest about the absolute level, but survey means crowd the middle of the scale, so the
    curve can look flat.
``"zscore"``
    Each touchpoint's mean as standard deviations from the mean of the touchpoint means:
    the map's neutral is the average touchpoint and +-2 sd reach the ends of the map's scale
    (clipped).  Shows which touchpoints are better or worse than the rest, not how good they
    are.
``"top2"``
    The top-2-box share: 0% of 4s and 5s is the bottom of the map's scale, 100% the top; its
    Wilson interval gives the band.

The default stays ``"linear"`` because it is the only one whose values mean the same from
one survey to the next; :func:`journeywidgets.charts.emotion_curve` can draw the survey on
its own scale instead.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import JourneyWarning, SurveyError, closest
from ..model.entities import Scale, as_scale
from ..model.ids import slugify
from . import _engine
from ._stats import t_values, wilson, z_value

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

ScaleLike = Any  # Scale | (min, max) | dict | JourneyMap


# ============================================================================ scales
def survey_scale(scale: ScaleLike) -> tuple[float, float]:
    """``(min, max)`` of a survey scale given as a pair, a :class:`Scale` or a dict."""
    if hasattr(scale, "scale") and isinstance(scale.scale, Scale):  # a JourneyMap
        scale = scale.scale
    try:
        built = as_scale(scale)
    except (TypeError, ValueError) as exc:
        raise SurveyError(f"scale: {exc}", field="scale") from None
    return float(built.min), float(built.max)


def to_emotion(values: Any, from_scale: ScaleLike = (1, 5), to_scale: ScaleLike = (-3, 3)) -> Any:
    """Map survey scores linearly onto a map's emotion scale (ends onto ends).

    ``values`` may be a number, a list, a numpy array or a pandas Series (returned as the
    same kind); ``to_scale`` may be a map, whose scale is used.

    Examples
    --------
    >>> to_emotion([1, 3, 5], (1, 5), (-3, 3))
    [-3.0, 0.0, 3.0]
    >>> to_emotion(7.5, (0, 10), (-2, 2))
    1.0
    """
    lo, hi = survey_scale(from_scale)
    to_lo, to_hi = survey_scale(to_scale)
    factor = (to_hi - to_lo) / (hi - lo)
    if isinstance(values, pd.Series):
        return to_lo + (values.astype(float) - lo) * factor
    if isinstance(values, np.ndarray):
        return to_lo + (values.astype(float) - lo) * factor
    if isinstance(values, list | tuple):
        return [to_lo + (float(v) - lo) * factor for v in values]
    return to_lo + (float(values) - lo) * factor


EmotionMapping = Literal["linear", "zscore", "top2"]
EMOTION_MAPPINGS: tuple[str, ...] = ("linear", "zscore", "top2")


def emotions(
    table: pd.DataFrame,
    from_scale: ScaleLike,
    to_scale: ScaleLike,
    mapping: EmotionMapping = "linear",
) -> tuple[Any, ...]:
    """The emotion, its low and its high end of each row of a summary, on ``to_scale``.

    ``mapping`` is ``"linear"``, ``"zscore"`` or ``"top2"`` (see
    :mod:`journeywidgets.survey.summary`).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"mean": [2.0, 3.0, 4.0], "ci_low": [1.8, 2.8, 3.8],
    ...                   "ci_high": [2.2, 3.2, 4.2], "top2": [0.1, 0.5, 0.9],
    ...                   "top2_low": [0.05, 0.4, 0.8], "top2_high": [0.2, 0.6, 0.95]})
    >>> [list(map(float, e)) for e in emotions(s, (1, 5), (-3, 3), "zscore")][0]
    [-1.5, 0.0, 1.5]
    >>> [round(float(v), 2) for v in emotions(s, (1, 5), (-3, 3), "top2")[0]]
    [-2.4, 0.0, 2.4]
    """
    if mapping not in EMOTION_MAPPINGS:
        raise SurveyError(
            f"emotion_mapping must be one of {', '.join(map(repr, EMOTION_MAPPINGS))}, "
            f"not {mapping!r}",
            field="emotion_mapping",
        )
    lo, hi = survey_scale(from_scale)
    to_lo, to_hi = survey_scale(to_scale)
    mean = pd.to_numeric(table["mean"], errors="coerce").to_numpy(float)
    low = pd.to_numeric(table["ci_low"], errors="coerce").to_numpy(float).clip(lo, hi)
    high = pd.to_numeric(table["ci_high"], errors="coerce").to_numpy(float).clip(lo, hi)
    if mapping == "linear":
        return tuple(to_emotion(v, (lo, hi), (to_lo, to_hi)) for v in (mean, low, high))
    if mapping == "top2":
        for column in ("top2", "top2_low", "top2_high"):
            if column not in table.columns:
                raise SurveyError(
                    f"emotion_mapping='top2' needs the summary's {column!r} column "
                    "(from jw.survey.summarize)",
                    field="emotion_mapping",
                )
        return tuple(
            to_lo + pd.to_numeric(table[c], errors="coerce").to_numpy(float) * (to_hi - to_lo)
            for c in ("top2", "top2_low", "top2_high")
        )
    present = mean[~np.isnan(mean)]
    centre = float(present.mean()) if len(present) else np.nan
    spread = float(present.std(ddof=1)) if len(present) > 1 else np.nan
    spread = spread if spread > 0 else np.nan
    neutral = (to_lo + to_hi) / 2.0
    unit = (to_hi - to_lo) / 4.0  # two standard deviations reach each end
    return tuple(
        np.clip(neutral + (v - centre) / spread * unit, to_lo, to_hi) for v in (mean, low, high)
    )


def warn_codes_inside(
    na_codes: Iterable[Any], scale: tuple[float, float], stacklevel: int = 3
) -> None:
    """Warn when a "does not apply" code is also a possible answer on ``scale``: those
    answers are left out, so the means shift (0 on a 0-5 scale usually means the scale is
    1-5)."""
    lo, hi = scale
    inside = [code for code in _numeric_codes(na_codes) if lo <= code <= hi]
    if not inside:
        return
    shown = ", ".join(f"{code:g}" for code in inside)
    suggestion = ""
    if inside == [lo] and float(lo + 1) <= hi:
        suggestion = f"; if {lo:g} means 'does not apply', the scale is ({lo + 1:g}, {hi:g})"
    warnings.warn(
        f"na_codes: {shown} lie{'s' if len(inside) == 1 else ''} inside the scale "
        f"{lo:g}-{hi:g}; answers of {shown} are left out as 'does not apply', not counted as "
        f"scores{suggestion}",
        JourneyWarning,
        stacklevel=stacklevel + 1,
    )


def check_level(level: Any) -> float:
    """A confidence level strictly between 0 and 1 (0.95, not 95 or 1.5)."""
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        hint = (
            f" (did you mean {level / 100:g}?)"
            if isinstance(level, int | float) and 1 < level < 100
            else ""
        )
        raise SurveyError(
            f"level is the confidence level, a number strictly between 0 and 1 such as 0.95; "
            f"got {level!r}{hint}",
            field="level",
        )
    return float(level)


# ============================================================================ wide -> long
def melt(
    wide: Any,
    touchpoints: Sequence[str] | Mapping[str, str] | None = None,
    *,
    id_columns: Sequence[str] | None = None,
    touchpoint: str = "touchpoint",
    score: str = "score",
) -> Any:
    """Turn wide survey data (one column per touchpoint) into long data (one row per
    response per touchpoint), in the table's own engine.

    Parameters
    ----------
    wide:
        pandas, polars, pyarrow, DuckDB... one row per respondent.
    touchpoints:
        The score columns, or ``{column: touchpoint name}`` to rename them on the way.
        Default: every column not in ``id_columns``.
    id_columns:
        Columns kept on every long row (respondent id, segment, weight, outcomes).

    Examples
    --------
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"respondent": [1, 2], "Web": [5, 4], "Invoice": [2, 0]})
    >>> melt(wide, id_columns=["respondent"])
       respondent touchpoint  score
    0           1        Web      5
    1           2        Web      4
    2           1    Invoice      2
    3           2    Invoice      0
    """
    frame = _engine.as_frame(wide, "wide responses")
    present = _engine.columns(frame)
    ids = list(id_columns or [])
    names = dict(touchpoints) if isinstance(touchpoints, Mapping) else None
    on = list(names or touchpoints or [c for c in present if c not in ids])
    _engine.require(frame, {c: c for c in [*ids, *on]}, "wide responses")
    if not on:
        raise SurveyError("wide responses: no touchpoint columns to melt", field="touchpoints")
    long = frame.unpivot(on=on, index=ids, variable_name=touchpoint, value_name=score)
    if names:
        long = long.with_columns(nw.col(touchpoint).replace_strict(names, return_dtype=nw.String))
    return nw.to_native(long)


# ============================================================================ sums
_STATS = ("n", "n_na", "sw", "sw2", "swd", "swd2", "stop", "spro", "sdet", "n_out", "n_badw")


def _numeric_codes(na_codes: Iterable[Any]) -> list[float]:
    codes = []
    for code in na_codes:
        try:
            codes.append(float(code))
        except (TypeError, ValueError):
            continue  # a text code; it was handled when the column was parsed
    return codes


def _valid(x: Any, codes: list[float]) -> Any:
    valid = ~x.is_null() & ~x.is_nan()
    if codes:
        # polars 2 refuses to compare integer columns with float codes without a cast
        valid = valid & ~x.cast(nw.Float64).is_in(codes)
    return valid


def sufficient_stats(
    frame: _engine.Frame,
    keys: list[str],
    score: str,
    weight: str | None,
    scale: tuple[float, float],
    na_codes: Iterable[Any],
) -> pd.DataFrame:
    """Per group: counts and weighted sums from which every statistic follows.

    Scores are centred on the middle of the scale before squaring, which keeps the sums of
    squares far from cancellation even over hundreds of millions of rows.
    """
    lo, hi = scale
    centre = (lo + hi) / 2.0
    x = nw.col(score)
    valid = _valid(x, _numeric_codes(na_codes))
    w = nw.col(weight) if weight else nw.lit(1.0)
    nps = (lo, hi) == (0.0, 10.0)
    native = nw.to_native(frame)
    if isinstance(native, pd.DataFrame):
        stats = _pandas_sums(native, keys, score, weight, scale, _numeric_codes(na_codes))
        _check_values(frame, stats, score, weight, scale, valid, x, w)
        return stats
    checked, frame = frame, _engine.lazy(frame)  # errors name rows of the eager frame
    if _whole_numbers(frame, score):
        stats = _engine_histogram(frame, keys, score, weight, scale, _numeric_codes(na_codes))
        _check_values(checked, stats, score, weight, scale, valid, x, w)
        return stats
    staged = frame.with_columns(
        _v=valid.cast(nw.Float64),
        _w=nw.when(valid).then(w).otherwise(0.0),
        _d=nw.when(valid).then(x - centre).otherwise(0.0),
        _out=(valid & ((x < lo) | (x > hi))).cast(nw.Float64),
        _badw=(valid & (w.is_null() | (w < 0))).cast(nw.Float64) if weight else nw.lit(0.0),
        _top=nw.when(valid & (x >= hi - 1)).then(w).otherwise(0.0),
        _pro=nw.when(valid & (x >= 9)).then(w).otherwise(0.0) if nps else nw.lit(0.0),
        _det=nw.when(valid & (x <= 6)).then(w).otherwise(0.0) if nps else nw.lit(0.0),
    ).with_columns(
        _wd=nw.col("_w") * nw.col("_d"),
        _w2=nw.col("_w") * nw.col("_w"),
    )
    staged = staged.with_columns(_wd2=nw.col("_wd") * nw.col("_d"))
    sums = {
        "n": "_v",
        "sw": "_w",
        "sw2": "_w2",
        "swd": "_wd",
        "swd2": "_wd2",
        "stop": "_top",
        "spro": "_pro",
        "sdet": "_det",
        "n_out": "_out",
        "n_badw": "_badw",
    }
    grouped = staged.group_by(*keys).agg(
        nw.len().alias("rows"), *(nw.col(c).sum().alias(name) for name, c in sums.items())
    )
    stats = _engine.to_pandas(grouped)
    stats["n_na"] = stats["rows"] - stats["n"]
    _check_values(checked, stats, score, weight, scale, valid, x, w)
    return stats


def _whole_numbers(frame: _engine.Frame, score: str) -> bool:
    """Whether every score is a whole number in a short range (one cheap pass)."""
    x = nw.col(score)
    present = ~x.is_null() & ~x.is_nan()
    probe = frame.select(
        nw.when(present).then(x).min().alias("low"),
        nw.when(present).then(x).max().alias("high"),
        (present & (x != x.round(0))).cast(nw.Int64).sum().alias("fractions"),
    )
    found = _engine.to_pandas(probe).iloc[0]
    if pd.isna(found["low"]):
        return False
    return bool(found["fractions"] == 0 and found["high"] - found["low"] < _MAX_ANSWERS)


def _engine_histogram(
    frame: _engine.Frame,
    keys: list[str],
    score: str,
    weight: str | None,
    scale: tuple[float, float],
    codes: list[float],
) -> pd.DataFrame:
    """The sums of :func:`sufficient_stats` from a histogram computed in the engine: one
    ``group_by(keys + [score])`` counting answers (and summing weights), which costs the
    engine about what a plain grouped mean does; the rest is arithmetic on a few hundred
    rows in pandas."""
    lo, hi = scale
    aggs = [nw.len().alias("count")]
    staged = frame
    if weight:
        w = nw.col(weight)
        staged = frame.with_columns(_w2=w * w, _bad=(w.is_null() | (w < 0)).cast(nw.Int64))
        aggs += [w.sum().alias("weights"), nw.col("_w2").sum(), nw.col("_bad").sum()]
    hist = _engine.to_pandas(staged.group_by(*keys, score).agg(*aggs))
    value = hist[score].to_numpy(dtype=float, na_value=np.nan)
    valid = ~np.isnan(value)
    if codes:
        valid &= ~np.isin(value, codes)
    count = hist["count"].to_numpy(float)
    c = np.where(valid, count, 0.0)
    w_ = np.where(valid, hist["weights"].to_numpy(float, na_value=0.0), 0.0) if weight else c
    w2 = np.where(valid, hist["_w2"].to_numpy(float, na_value=0.0), 0.0) if weight else c
    bad = np.where(valid, hist["_bad"].to_numpy(float), 0.0) if weight else 0.0 * c
    d = np.where(valid, value - (lo + hi) / 2.0, 0.0)
    nps = (lo, hi) == (0.0, 10.0)
    parts = pd.DataFrame(
        {
            "rows": count,
            "n": c,
            "sw": w_,
            "sw2": w2,
            "swd": w_ * d,
            "swd2": w_ * d * d,
            "stop": np.where(value >= hi - 1, w_, 0.0),
            "spro": np.where(value >= 9, w_, 0.0) if nps else 0.0,
            "sdet": np.where(value <= 6, w_, 0.0) if nps else 0.0,
            "n_out": np.where((value < lo) | (value > hi), c, 0.0),
            "n_badw": bad,
        }
    )
    for key in keys:
        parts[key] = hist[key].astype(object).where(hist[key].notna(), None)
    stats = parts.groupby(keys, dropna=False, sort=False).sum().reset_index()
    stats["n_na"] = stats["rows"] - stats["n"]
    return stats


def _pandas_sums(
    df: pd.DataFrame,
    keys: list[str],
    score: str,
    weight: str | None,
    scale: tuple[float, float],
    codes: list[float],
) -> pd.DataFrame:
    """The sums of :func:`sufficient_stats` for a pandas table, with numpy.

    For pandas the engine *is* numpy.  Group numbers come from one factorization per key
    (what a plain ``groupby(...).mean()`` does too).  Survey answers are nearly always whole
    numbers in a short range, so the sums come from a histogram: one ``bincount`` of
    (group, answer) pairs, plus one of the weights and one of their squares when weighted;
    every statistic follows from the counts per answer.  Other scores (fractions, wide
    ranges) take one ``bincount`` per sum instead.
    """
    group = np.zeros(len(df), dtype=np.int64)
    uniques = []
    for key in keys:
        codes_k, values = pd.factorize(df[key], use_na_sentinel=False)
        group = group * len(values) + codes_k
        uniques.append(values)
    size = int(np.prod([len(u) for u in uniques])) if uniques else 1
    raw = df[score].to_numpy()
    w_raw = df[weight].to_numpy(dtype=float, na_value=np.nan) if weight else None
    sums = _histogram_sums(raw, group, size, w_raw, scale, codes)
    if sums is None:
        sums = _row_sums(raw, group, size, w_raw, scale, codes)
    present = np.flatnonzero(sums["rows"] > 0)
    out: dict[str, Any] = {}
    # decode each group number back into its key values (last key varies fastest)
    rest = present.copy()
    for key, values in reversed(list(zip(keys, uniques, strict=True))):
        out[key] = np.asarray(values, dtype=object)[rest % len(values)]
        rest //= len(values)
    out = {key: out[key] for key in keys}
    for name, values in sums.items():
        out[name] = values[present]
    stats = pd.DataFrame(out)
    stats["n_na"] = stats["rows"] - stats["n"]
    return stats


_MAX_ANSWERS = 4096  # distinct whole-number answers a histogram is used for


def _histogram_sums(
    raw: Any,
    group: Any,
    size: int,
    w_raw: Any,
    scale: tuple[float, float],
    codes: list[float],
) -> dict[str, Any] | None:
    """Sums from per-group counts of each whole-number answer; None when answers are not
    whole numbers in a short range."""
    lo, hi = scale
    if raw.dtype.kind in "iu":
        answers, missing = raw, None
    elif raw.dtype.kind == "f":
        missing = np.isnan(raw)
        if np.any(np.mod(raw[~missing], 1.0)):
            return None
        answers = np.where(missing, 0, raw).astype(np.int64)
    else:
        return None
    if len(answers) == 0:
        return None
    first, last = int(answers.min()), int(answers.max())
    span = last - first + 2  # the last slot holds missing answers
    if span > _MAX_ANSWERS or size * span > 50_000_000:
        return None
    slot = group * span + (answers - first)
    if missing is not None:
        slot = np.where(missing, group * span + span - 1, slot)
    length = size * span
    counts = np.bincount(slot, minlength=length).reshape(size, span).astype(float)
    value = np.arange(first, last + 1, dtype=float)
    valid = ~np.isin(value, codes) if codes else np.ones(span - 1, dtype=bool)
    if w_raw is not None:
        weights = np.bincount(slot, weights=np.nan_to_num(w_raw, nan=0.0), minlength=length)
        squares = np.bincount(slot, weights=np.nan_to_num(w_raw * w_raw), minlength=length)
        weights, squares = weights.reshape(size, span), squares.reshape(size, span)
        bad = ~(w_raw >= 0)  # missing or negative weights
        bad_counts = np.bincount(slot[bad], minlength=length).reshape(size, span)
    else:
        weights = squares = counts
        bad_counts = np.zeros_like(counts)
    w, w2, c = weights[:, :-1] * valid, squares[:, :-1] * valid, counts[:, :-1] * valid
    centred = value - (lo + hi) / 2.0
    nps = (lo, hi) == (0.0, 10.0)
    return {
        "rows": counts.sum(axis=1),
        "n": c.sum(axis=1),
        "sw": w.sum(axis=1),
        "sw2": w2.sum(axis=1),
        "swd": w @ centred,
        "swd2": w @ (centred * centred),
        "stop": w @ (value >= hi - 1),
        "spro": w @ (value >= 9) if nps else np.zeros(size),
        "sdet": w @ (value <= 6) if nps else np.zeros(size),
        "n_out": c @ ((value < lo) | (value > hi)),
        "n_badw": (bad_counts[:, :-1] * valid).sum(axis=1),
    }


def _row_sums(
    raw: Any,
    group: Any,
    size: int,
    w_raw: Any,
    scale: tuple[float, float],
    codes: list[float],
) -> dict[str, Any]:
    """Sums with one ``bincount`` per statistic, for any numbers."""
    lo, hi = scale
    centre = (lo + hi) / 2.0
    x = np.asarray(raw, dtype=float)
    valid = ~np.isnan(x)
    if codes:
        valid &= ~np.isin(x, codes)
    d = np.where(valid, x - centre, 0.0)
    if w_raw is not None:
        w = np.where(valid, w_raw, 0.0)
        bad_w = valid & ~(w_raw >= 0)  # NaN or negative
    else:
        w = valid.astype(float)
        bad_w = np.zeros(len(x), dtype=bool)

    def total(values: Any) -> Any:
        return np.bincount(group, weights=values, minlength=size)

    wd = w * d
    nps = (lo, hi) == (0.0, 10.0)
    return {
        "rows": np.bincount(group, minlength=size).astype(float),
        "n": total(valid),
        "sw": total(w),
        "sw2": total(w * w) if w_raw is not None else total(valid),
        "swd": total(wd),
        "swd2": total(wd * d),
        "stop": total(np.where(x >= hi - 1, w, 0.0)),
        "spro": total(np.where(x >= 9, w, 0.0)) if nps else np.zeros(size),
        "sdet": total(np.where(x <= 6, w, 0.0)) if nps else np.zeros(size),
        "n_out": total(valid & ((x < lo) | (x > hi))),
        "n_badw": total(bad_w),
    }


def _check_values(
    frame: _engine.Frame,
    stats: pd.DataFrame,
    score: str,
    weight: str | None,
    scale: tuple[float, float],
    valid: Any,
    x: Any,
    w: Any,
) -> None:
    lo, hi = scale
    if stats["n_out"].sum() > 0:
        count, found = _engine.examples(frame, valid & ((x < lo) | (x > hi)), score)
        raise SurveyError(
            f"responses: column {score!r} holds {count} score{'s' if count != 1 else ''} "
            f"outside the scale {lo:g}-{hi:g}: {_engine.describe_examples(count, found)}; "
            "pass scale=(min, max) for another scale, or na_codes=(...) for codes that mean "
            "'does not apply'",
            field=score,
        )
    if weight and stats["n_badw"].sum() > 0:
        count, found = _engine.examples(frame, valid & (w.is_null() | (w < 0)), weight)
        raise SurveyError(
            f"responses: column {weight!r} holds {count} missing or negative weight"
            f"{'s' if count != 1 else ''}: {_engine.describe_examples(count, found)}",
            field=weight,
        )


def finish(stats: pd.DataFrame, scale: tuple[float, float], level: float) -> pd.DataFrame:
    """Means, intervals and shares from the sums of :func:`sufficient_stats`."""
    lo, hi = scale
    centre = (lo + hi) / 2.0
    sw, sw2 = stats["sw"].to_numpy(float), stats["sw2"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(sw2 > 0, sw * sw / sw2, 0.0)
        mean_d = stats["swd"].to_numpy(float) / sw
        v1 = np.maximum(stats["swd2"].to_numpy(float) / sw - mean_d * mean_d, 0.0)
        sd = np.where(n_eff > 1, np.sqrt(v1 * n_eff / (n_eff - 1)), np.nan)
        half = t_values(n_eff - 1, level) * sd / np.sqrt(n_eff)
        mean = np.where(sw > 0, centre + mean_d, np.nan)
        top2 = np.where(sw > 0, stats["stop"].to_numpy(float) / sw, np.nan)
        out = pd.DataFrame(
            {
                "n": stats["n"].round().astype("int64"),
                "n_na": stats["n_na"].round().astype("int64"),
                "n_eff": n_eff,
                "mean": mean,
                "sd": sd,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "top2": top2,
            },
            index=stats.index,
        )
        out["top2_low"], out["top2_high"] = wilson(top2, n_eff, level)
        if (lo, hi) == (0.0, 10.0):
            p = np.where(sw > 0, stats["spro"].to_numpy(float) / sw, np.nan)
            d = np.where(sw > 0, stats["sdet"].to_numpy(float) / sw, np.nan)
            spread = z_value(level) * np.sqrt(np.maximum(p + d - (p - d) ** 2, 0.0) / n_eff)
            out["nps"] = 100.0 * (p - d)
            out["nps_low"] = np.clip(100.0 * (p - d - spread), -100.0, 100.0)
            out["nps_high"] = np.clip(100.0 * (p - d + spread), -100.0, 100.0)
    return out


# ============================================================================ touchpoint names
def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def match_touchpoints(names: Iterable[Any], m: JourneyMap) -> dict[Any, str | None]:
    """Map survey touchpoint names onto touchpoint ids of ``m``.

    A name matches a touchpoint's id, its name, or one of its labels (translations); failing
    that, the same compared without case and extra spaces, then as slugs (``"Call-centre"``
    matches ``"call centre"``).  A name that fits several touchpoints, or none, maps to None.
    """
    tps = m.touchpoints
    exact: dict[str, set[str]] = {}
    loose: dict[str, set[str]] = {}
    slugs: dict[str, set[str]] = {}
    for tp in tps:
        for text in (tp.id, tp.name, *tp.labels.values()):
            exact.setdefault(text, set()).add(tp.id)
            loose.setdefault(_normal(text), set()).add(tp.id)
            if slugify(text):
                slugs.setdefault(slugify(text), set()).add(tp.id)
    out: dict[Any, str | None] = {}
    for name in names:
        found: set[str] = set()
        if isinstance(name, str):
            found = (
                exact.get(name)
                or loose.get(_normal(name))
                or (slugs.get(slugify(name)) if slugify(name) else None)
                or set()
            )
        out[name] = next(iter(found)) if len(found) == 1 else None
    return out


def _unmatched_message(counts: Mapping[Any, int], m: JourneyMap) -> str:
    names = [t.name for t in m.touchpoints]
    parts = []
    for name, count in sorted(counts.items(), key=lambda kv: -kv[1]):
        text = str(name)
        hint = closest(text, names)
        ambiguous = [
            t.id
            for t in m.touchpoints
            if isinstance(name, str) and _normal(t.name) == _normal(name)
        ]
        why = (
            f"; it names {len(ambiguous)} touchpoints ({', '.join(ambiguous)}), use an id"
            if len(ambiguous) > 1
            else (f"; did you mean {hint!r}?" if hint else "")
        )
        parts.append(f"{name!r} ({count} response{'s' if count != 1 else ''}{why})")
    return (
        f"{len(counts)} survey touchpoint name{'s' if len(counts) != 1 else ''} match"
        f"{'' if len(counts) != 1 else 'es'} no touchpoint of map {m.title or m.id!r}: "
        + ", ".join(parts)
        + "; their rows are kept with touchpoint_id missing"
    )


def report_unmatched(
    counts: Mapping[Any, int], m: JourneyMap, unmatched: str, stacklevel: int = 3
) -> None:
    """Warn (or raise, with ``unmatched="error"``) about survey names not on the map."""
    if not counts:
        return
    message = _unmatched_message(counts, m)
    if unmatched == "error":
        raise SurveyError(
            message.replace("; their rows are kept with touchpoint_id missing", ""),
            field="touchpoint",
        )
    warnings.warn(message, JourneyWarning, stacklevel=stacklevel + 1)


def attach_map(
    summary: pd.DataFrame,
    m: JourneyMap,
    scale: tuple[float, float],
    *,
    unmatched: str = "warn",
    responses: pd.Series[Any] | None = None,
    emotion_mapping: EmotionMapping = "linear",
) -> pd.DataFrame:
    """Add ``touchpoint_id``, ``stage``, ``order`` and the mean and interval mapped onto the
    map's emotion scale (by ``emotion_mapping``); sort in journey order (unmatched names
    last)."""
    if unmatched not in ("warn", "error"):
        raise SurveyError(
            f"unmatched must be 'warn' or 'error', not {unmatched!r}", field="unmatched"
        )
    ids = match_touchpoints(summary["touchpoint"].unique().tolist(), m)
    tp_ids = summary["touchpoint"].map(lambda name: ids.get(name))
    missing = tp_ids.isna()
    if missing.any():
        counted = responses if responses is not None else summary["n"]
        counts = counted[missing].groupby(summary["touchpoint"][missing], dropna=False).sum()
        report_unmatched({k: int(v) for k, v in counts.items()}, m, unmatched, stacklevel=4)
    order = {tp.id: n for n, tp in enumerate(m.touchpoints)}
    stage = {tp.id: tp.stage for tp in m.touchpoints}
    out = summary.copy()
    position = list(out.columns).index("touchpoint") + 1
    out.insert(position, "touchpoint_id", pd.Series(tp_ids.tolist(), index=out.index, dtype=object))
    out.insert(position + 1, "stage", out["touchpoint_id"].map(stage).astype(object))
    out.insert(
        position + 2,
        "order",
        pd.Series(out["touchpoint_id"].map(order).tolist(), index=out.index, dtype="Int64"),
    )
    out["emotion"], out["emotion_low"], out["emotion_high"] = emotions(
        out, scale, m.scale, emotion_mapping
    )
    sort = ["order"] + (["segment"] if "segment" in out.columns else [])
    return out.sort_values(sort, na_position="last", kind="stable").reset_index(drop=True)


# ============================================================================ summarize
def summarize(
    responses: Any,
    *,
    touchpoint: str = "touchpoint",
    score: str = "score",
    segment: str | None = None,
    weight: str | None = None,
    scale: ScaleLike = (1, 5),
    na_codes: Sequence[Any] = (),
    min_n: int = 30,
    map: JourneyMap | None = None,
    level: float = 0.95,
    unmatched: Literal["warn", "error"] = "warn",
    emotion_mapping: EmotionMapping = "linear",
) -> pd.DataFrame:
    """Per-touchpoint (x segment) survey statistics from long data (one row per response).

    Parameters
    ----------
    responses:
        pandas, polars, pyarrow, a DuckDB relation, a Spark DataFrame...; the sums are
        computed in that engine and only the aggregate comes back.  Wide data (one column
        per touchpoint) goes through :func:`melt` first.
    touchpoint, score, segment, weight:
        Column names.  ``segment`` splits every touchpoint's row by segment; ``weight``
        holds survey weights (non-negative).
    scale:
        The question's scale, ``(1, 5)`` by default; ``(0, 10)`` adds NPS columns.
    na_codes:
        Answers that mean "does not apply" (``0``, ``99``, ``"n/a"``...): left out and
        counted in ``n_na``.
    min_n:
        Rows with fewer responses are flagged ``small_n``.
    map:
        Join the touchpoints to this map: adds ``touchpoint_id``, ``stage``, ``order`` and
        ``emotion``, ``emotion_low``, ``emotion_high`` (on the map's scale), and sorts in
        journey order.  Survey names that match no touchpoint are kept (``touchpoint_id``
        missing) and reported in a :class:`~journeywidgets.errors.JourneyWarning` with their
        response counts, or raise with ``unmatched="error"``.
    level:
        Confidence level of every interval, strictly between 0 and 1 (0.95).
    emotion_mapping:
        How ``emotion`` is derived with ``map=``: ``"linear"`` (ends of the survey scale
        onto ends of the map's, the default), ``"zscore"`` or ``"top2"``; see
        :mod:`journeywidgets.survey.summary`.

    Returns
    -------
    pandas.DataFrame
        One row per touchpoint (x segment): ``touchpoint``, [``segment``], ``n``, ``n_na``,
        ``n_eff``, ``mean``, ``sd``, ``ci_low``, ``ci_high``, ``top2``, ``top2_low``,
        ``top2_high``, [``nps``, ``nps_low``, ``nps_high``], ``small_n``.  The methods are
        described in :mod:`journeywidgets.survey.summary`.  ``attrs`` records the scale,
        the score column and whether weights were used.

    Raises
    ------
    SurveyError
        Missing columns (with a "did you mean", and for wide data the
        :func:`melt` call to make), scores that are not numbers (naming the column, example
        values and rows), scores off the scale, weights that are negative, missing, NaN,
        infinite or all zero, a ``level`` outside (0, 1).

    Warns
    -----
    JourneyWarning
        When a ``na_codes`` value is also a possible answer on ``scale`` (0 on a 0-5 scale).

    Examples
    --------
    >>> import pandas as pd
    >>> responses = pd.DataFrame({"touchpoint": ["Web"] * 4 + ["Invoice"] * 3,
    ...                           "score": [5, 4, 4, 0, 2, 1, 3]})
    >>> s = summarize(responses, na_codes=[0], min_n=3)
    >>> s[["touchpoint", "n", "n_na", "mean", "top2", "small_n"]]
      touchpoint  n  n_na      mean  top2  small_n
    0    Invoice  3     0  2.000000   0.0    False
    1        Web  3     1  4.333333   1.0    False
    >>> round(float(s.loc[1, "ci_low"]), 3), round(float(s.loc[1, "ci_high"]), 3)
    (2.899, 5.768)
    """
    frame = _engine.as_frame(responses)
    level = check_level(level)
    if emotion_mapping not in EMOTION_MAPPINGS:
        raise SurveyError(
            f"emotion_mapping must be one of {_engine.quoted(EMOTION_MAPPINGS)}, "
            f"not {emotion_mapping!r}",
            field="emotion_mapping",
        )
    _engine.require(
        frame,
        {"touchpoint": touchpoint, "score": score, "segment": segment, "weight": weight},
        wide_hint={"respondent": "respondent", "segment": segment, "weight": weight},
    )
    lo, hi = survey_scale(scale)
    warn_codes_inside(na_codes, (lo, hi))
    frame = _engine.numeric(frame, score, na_codes)
    if weight:
        frame = _engine.numeric(frame, weight, ())
        _engine.check_weights(frame, weight)
    keys = [touchpoint] + ([segment] if segment else [])
    stats = sufficient_stats(frame, keys, score, weight, (lo, hi), na_codes)
    if weight:
        _check_group_weights(stats, keys, weight)
    table = finish(stats, (lo, hi), level)
    table.insert(0, "touchpoint", stats[touchpoint])
    if segment:
        table.insert(1, "segment", stats[segment])
    table["small_n"] = table["n"] < min_n
    sort = ["touchpoint"] + (["segment"] if segment else [])
    order = table[sort].astype(str).where(table[sort].notna(), "\uffff")  # missing names last
    table = table.loc[order.sort_values(sort, kind="stable").index].reset_index(drop=True)
    if map is not None:
        responses_per_row = (table["n"] + table["n_na"]).astype("int64")
        table = attach_map(
            table,
            map,
            (lo, hi),
            unmatched=unmatched,
            responses=responses_per_row,
            emotion_mapping=emotion_mapping,
        )
    table.attrs.update(
        {
            "scale": (lo, hi),
            "score": score,
            "weighted": weight is not None,
            "level": level,
            "min_n": min_n,
            "emotion_mapping": emotion_mapping,
        }
    )
    if segment:
        table.attrs["segment"] = segment
    return table


def _check_group_weights(stats: pd.DataFrame, keys: list[str], weight: str) -> None:
    """A touchpoint (x segment) answered only by respondents of weight 0 has no mean."""
    zero = stats[(stats["n"] > 0) & ~(stats["sw"] > 0)]
    if len(zero):
        shown = ", ".join(
            " x ".join(repr(row[k]) for k in keys) for _, row in zero.head(5).iterrows()
        )
        raise SurveyError(
            f"responses: column {weight!r}: every answer at {shown} has weight 0, so "
            f"{'it has' if len(zero) == 1 else 'they have'} no weighted mean; give those "
            "respondents a weight above 0 or leave the touchpoint out",
            field=weight,
        )
