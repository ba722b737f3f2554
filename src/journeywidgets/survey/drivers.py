"""Key drivers: which touchpoints move an overall outcome, and where to act.

Given one overall outcome per respondent (satisfaction, likelihood to recommend, a churn flag)
and each respondent's touchpoint scores, every touchpoint gets an *importance* (how strongly
its scores go with the outcome) and a *performance* (its mean score); together they name the
candidate moments of truth and quick wins.

Importance methods
------------------
All work from the correlation matrix of the touchpoint scores and the outcome.  Respondents
rarely rate every touchpoint, so correlations are *pairwise*: each uses the respondents who
rated both (weighted when weights are given).  A pairwise matrix that is not positive definite
is repaired by raising its eigenvalues to a small floor.

``"relative_weights"`` (default)
    Johnson's relative weights (Johnson 2000, *Multivariate Behavioral Research* 35:1): the
    scores are replaced by their closest orthogonal counterparts ``Z = X R^-1/2``, the
    outcome is regressed on ``Z``, and each touchpoint gets back the share of the explained
    variance carried through its loadings: ``eps_j = sum_k (R^1/2)_jk^2 beta_k^2`` with
    ``beta = R^-1/2 r``.  The importances add up to the model's R^2 and, unlike regression
    coefficients, stay meaningful when touchpoint scores correlate with each other.
``"shapley"``
    The LMG / Shapley decomposition of R^2: each touchpoint's R^2 gain averaged over every
    order of entering the model.  Exact, over 2^p subsets, so limited to 12 touchpoints.
``"beta"``
    Standardized regression coefficients ``R^-1 r`` (signed; unstable when scores correlate).
``"correlation"``
    The correlation of each touchpoint with the outcome (the simplest fallback).

``share`` is each importance divided by their sum (for relative weights and Shapley: the
touchpoint's share of the explained variance).

Direction
---------
Relative weights and Shapley values are shares of R^2: never negative, whatever the sign of
the effect.  ``direction`` says which way a touchpoint works, from the signs of its
correlation ``r`` with the outcome and its standardized coefficient ``beta``:

``"positive"``  both positive: better scores go with a better outcome.
``"negative"``  both negative: better scores go with a *worse* outcome (check the question's
    wording or coding before acting on it).
``"suppressor"``  the signs differ: on its own the touchpoint goes one way, with the others
    held equal the other way (a suppressor variable, Conger 1974, *Educational and
    Psychological Measurement* 34:1).  Its importance is real but not a reason to act.

Quadrants and priorities
------------------------
Each touchpoint is then placed by importance-performance analysis (Martilla and James 1977):
``concentrate_here``, ``keep_up_the_good_work``, ``low_priority`` or ``possible_overkill``,
with the crosshair at the mean importance and mean performance unless told otherwise, and a
``priority`` (share of importance x shortfall against the target) that orders where to act;
see :mod:`journeywidgets.survey.ipa`.  Touchpoints that are not positive drivers get no
priority.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import SurveyError
from . import _engine
from .ipa import Priority, Threshold, ipa
from .summary import (
    ScaleLike,
    _numeric_codes,
    _valid,
    attach_map,
    survey_scale,
    warn_codes_inside,
)

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

Method = Literal["relative_weights", "shapley", "beta", "correlation"]
METHODS: tuple[str, ...] = ("relative_weights", "shapley", "beta", "correlation")
MAX_SHAPLEY = 12


# ============================================================================ wide table
class Wide:
    """One row per respondent: the touchpoint scores (NaN = not rated), outcome and weight."""

    def __init__(
        self, scores: NDArray[np.float64], y: NDArray[np.float64], w: NDArray[np.float64]
    ) -> None:
        self.scores, self.y, self.w = scores, y, w


def _wide(
    frame: _engine.Frame,
    *,
    respondent: str,
    touchpoint: str,
    score: str,
    outcome: str,
    weight: str | None,
    codes: list[float],
) -> tuple[Wide, list[Any]]:
    """One row per respondent: a score column per touchpoint, the outcome and the weight.
    Also checks one answer per respondent and touchpoint and one outcome (and weight) per
    respondent.  pandas tables are pivoted with numpy; other engines pivot inside."""
    native = nw.to_native(frame)
    if not _engine.is_lazy(frame) and not isinstance(native, pd.DataFrame):
        # an eager table (polars, pyarrow) is in memory already: its four columns pivot
        # faster in numpy than through a group-by with a column per touchpoint
        wanted = [respondent, touchpoint, score, outcome, *([weight] if weight else [])]
        picked = frame.select(*dict.fromkeys(wanted))
        schema = picked.collect_schema()
        text = [c for c in (respondent, touchpoint) if schema[c] == nw.String]
        if text and frame.implementation.is_polars():
            # categories cross to pandas as codes, not as millions of Python strings
            picked = picked.with_columns(*(nw.col(c).cast(nw.Categorical) for c in text))
        native = picked.to_pandas()
    if isinstance(native, pd.DataFrame):
        return _wide_pandas(
            native,
            respondent=respondent,
            touchpoint=touchpoint,
            score=score,
            outcome=outcome,
            weight=weight,
            codes=codes,
        )
    frame = _engine.lazy(frame)
    names = sorted(
        _engine.to_pandas(frame.select(touchpoint).unique())[touchpoint].dropna().tolist(), key=str
    )
    x = nw.col(score)
    valid = _valid(x, codes)
    per = {f"_s{j}": name for j, name in enumerate(names)}
    staged = frame.with_columns(
        *(
            nw.when(valid & (nw.col(touchpoint) == name)).then(x).alias(f"_s{j}")
            for j, name in enumerate(names)
        ),
    )
    aggs = [nw.col(c).max() for c in per]
    # answers per touchpoint: the non-null values of its column (more than one is refused)
    aggs += [nw.col(c).count().alias(f"_c{j}") for j, c in enumerate(per)]
    aggs += [nw.col(outcome).min().alias("_y_min"), nw.col(outcome).max().alias("_y_max")]
    if weight:
        aggs += [nw.col(weight).min().alias("_w_min"), nw.col(weight).max().alias("_w_max")]
    wide = _engine.to_pandas(staged.group_by(respondent).agg(*aggs))
    who = wide[respondent].tolist()
    counts = wide[[f"_c{j}" for j in range(len(names))]].to_numpy()
    problems = _twice(np.argwhere(counts > 1), who, names)
    for what, column, short in (("outcome", outcome, "_y"), ("weight", weight, "_w")):
        if column is None:
            continue
        low, high = wide[f"{short}_min"], wide[f"{short}_max"]
        differ = ((low != high) & low.notna()).to_numpy(bool)
        problems += _differ(differ, who, what, column)
    if problems:
        raise SurveyError("key drivers: " + "; ".join(problems), field=respondent)
    scores = np.column_stack(
        [wide[c].to_numpy(dtype=float, na_value=np.nan) for c in per] or [np.empty((len(wide), 0))]
    )
    y = wide["_y_min"].to_numpy(dtype=float, na_value=np.nan)
    w = wide["_w_min"].to_numpy(dtype=float, na_value=np.nan) if weight else np.ones(len(wide))
    return Wide(scores, y, w), names


def _twice(pairs: Any, who: list[Any], names: list[Any]) -> list[str]:
    if not len(pairs):
        return []
    shown = [f"{who[r]!r} at {names[c]!r}" for r, c in pairs[:5]]
    more = f" and {len(pairs) - 5} more" if len(pairs) > 5 else ""
    return [
        f"{len(pairs)} respondent/touchpoint pairs are answered more than once: "
        f"{', '.join(shown)}{more}"
    ]


def _differ(differ: Any, who: list[Any], what: str, column: str) -> list[str]:
    if not differ.any():
        return []
    shown = [who[r] for r in np.flatnonzero(differ)[:5]]
    return [
        f"column {column!r}: the {what} differs between the rows of "
        f"{int(differ.sum())} respondent(s), e.g. {_engine.quoted(shown)}; "
        f"it must be one value per respondent"
    ]


def _per_respondent(values: Any, rows: Any, count: int) -> tuple[Any, Any]:
    """One value per respondent from the long rows (missing values ignored), and which
    respondents gave different values on different rows."""
    present = ~np.isnan(values)
    out = np.full(count, np.nan)
    differ = np.zeros(count, dtype=bool)
    if present.all():  # the usual case: no copies of the long columns
        out[rows] = values  # any one of a respondent's values
        differ[rows[values != out[rows]]] = True
        return out, differ
    out[rows[present]] = values[present]
    differ[rows[present & (values != out[rows])]] = True
    return out, differ


def _wide_pandas(
    df: pd.DataFrame,
    *,
    respondent: str,
    touchpoint: str,
    score: str,
    outcome: str,
    weight: str | None,
    codes: list[float],
) -> tuple[Wide, list[Any]]:
    """The pivot in numpy: respondents and touchpoints become integer codes once (a
    categorical column's own codes are used as they are), then one fill of a respondents x
    touchpoints array.  About 1 s and 0.5 GB for a million respondents x 14 touchpoints,
    where a group-by per touchpoint took 10 s and 4 GB."""
    rows, who = pd.factorize(df[respondent], use_na_sentinel=False)
    column = df[touchpoint]
    if isinstance(column.dtype, pd.CategoricalDtype):
        tp = column.cat.codes.to_numpy()
        found = np.flatnonzero(np.bincount(tp[tp >= 0], minlength=len(column.cat.categories)))
        uniques = column.cat.categories.take(found)
        remap = np.full(len(column.cat.categories), -1, dtype=np.int64)
        remap[found] = np.arange(len(found))
        tp = np.where(tp >= 0, remap[np.maximum(tp, 0)], -1)
    else:
        tp, uniques = pd.factorize(column)
    order = sorted(range(len(uniques)), key=lambda j: str(uniques[j]))
    names = [uniques[j] for j in order]
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    count, p = len(who), len(names)
    x = df[score].to_numpy(dtype=float, na_value=np.nan)
    valid = (tp >= 0) & ~np.isnan(x)
    if codes:
        valid &= ~np.isin(x, codes)
    cell = rows[valid].astype(np.int64) * p + position[tp[valid]]
    scores = np.full(count * p, np.nan)
    scores[cell] = x[valid]
    problems = []
    if np.count_nonzero(~np.isnan(scores)) < len(cell):  # some cell was filled twice
        answers = np.bincount(cell, minlength=count * p)
        problems = _twice(np.argwhere(answers.reshape(count, p) > 1), list(who), names)
    y, differ = _per_respondent(df[outcome].to_numpy(dtype=float, na_value=np.nan), rows, count)
    problems += _differ(differ, list(who), "outcome", outcome)
    w = np.ones(count)
    if weight:
        w_rows = df[weight].to_numpy(dtype=float, na_value=np.nan)
        w, differ = _per_respondent(w_rows, rows, count)
        problems += _differ(differ, list(who), "weight", weight)
    if problems:
        raise SurveyError("key drivers: " + "; ".join(problems), field=respondent)
    return Wide(scores.reshape(count, p), y, w), names


# ============================================================================ outcomes
def _outcome(
    frame: _engine.Frame,
    outcome: str,
    respondent: str,
    positive: Any,
    outcome_values: Mapping[Any, float] | None,
) -> _engine.Frame:
    """The outcome as numbers: booleans as 0/1, text through ``positive`` or
    ``outcome_values``, numbers (and numbers written as text) as they are."""
    if positive is not None and outcome_values is not None:
        raise SurveyError(
            "key drivers: pass positive=... or outcome_values={...}, not both", field="positive"
        )
    y = nw.col(outcome)
    if positive is not None:
        wanted = (
            list(positive) if isinstance(positive, list | tuple | set | frozenset) else [positive]
        )
        dtype = frame.collect_schema()[outcome]
        if dtype == nw.String or dtype == nw.Categorical or dtype == nw.Enum:
            wanted = [str(v) for v in wanted]
            y = y.cast(nw.String)
        _check_outcome_present(frame, outcome, respondent, y, wanted, "positive")
        return frame.with_columns(nw.when(~y.is_null()).then(y.is_in(wanted).cast(nw.Float64)))
    if outcome_values is not None:
        mapping = {str(k): float(v) for k, v in outcome_values.items()}
        text = y.cast(nw.String)
        unknown = ~text.is_null() & ~text.is_in(list(mapping))
        _refuse_outcome(frame, outcome, respondent, unknown, "outcome_values", mapping)
        return frame.with_columns(
            text.replace_strict(mapping, default=None, return_dtype=nw.Float64).alias(outcome)
        )
    dtype = frame.collect_schema()[outcome]
    if dtype == nw.Boolean or (dtype.is_numeric()):
        return _engine.numeric(frame, outcome, (), booleans=True)
    text = y.cast(nw.String).str.strip_chars()
    words = ~text.is_null() & (text != "") & ~text.str.contains(_engine.NUMBER)
    _refuse_outcome(frame, outcome, respondent, words, None, None)
    return _engine.numeric(frame, outcome, ())


def _outcome_counts(
    frame: _engine.Frame, outcome: str, respondent: str, condition: Any
) -> list[tuple[Any, int]]:
    """The outcome values meeting ``condition`` with how many respondents gave each."""
    table = _engine.to_pandas(
        _engine.lazy(frame)
        .filter(condition)
        .group_by(outcome)
        .agg(nw.col(respondent).n_unique().alias("_respondents"))
    )
    table = table.sort_values("_respondents", ascending=False, kind="stable")
    return list(
        zip(table[outcome].tolist(), table["_respondents"].astype(int).tolist(), strict=True)
    )


def _describe(found: list[tuple[Any, int]]) -> str:
    shown = [f"{v!r} ({n} respondent{'s' if n != 1 else ''})" for v, n in found[:5]]
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    return ", ".join(shown) + more


def _refuse_outcome(
    frame: _engine.Frame,
    outcome: str,
    respondent: str,
    condition: Any,
    given: str | None,
    mapping: Mapping[str, float] | None,
) -> None:
    found = _outcome_counts(frame, outcome, respondent, condition)
    if not found:
        return
    if given == "outcome_values":
        raise SurveyError(
            f"key drivers: column {outcome!r} holds answers outcome_values does not map: "
            f"{_describe(found)}; it maps {_engine.quoted(mapping or {})}",
            field=outcome,
        )
    everything = _outcome_counts(frame, outcome, respondent, ~nw.col(outcome).is_null())
    first = everything[0][0] if everything else found[0][0]
    values = ", ".join(f"{v!r}: {1 if j == 0 else 0}" for j, (v, _) in enumerate(everything[:3]))
    raise SurveyError(
        f"key drivers: the outcome column {outcome!r} holds text, not numbers: "
        f"{_describe(everything)}; say which answer is the good outcome with "
        f"positive={first!r}, or give each answer a number with outcome_values={{{values}}}",
        field=outcome,
    )


def _check_outcome_present(
    frame: _engine.Frame, outcome: str, respondent: str, y: Any, wanted: list[Any], what: str
) -> None:
    hits = _engine.to_pandas(_engine.lazy(frame).select(y.is_in(wanted).cast(nw.Int64).sum()))
    if not pd.to_numeric(hits.iloc[:, 0]).fillna(0).sum():
        everything = _outcome_counts(frame, outcome, respondent, ~nw.col(outcome).is_null())
        raise SurveyError(
            f"key drivers: {what}={wanted[0] if len(wanted) == 1 else wanted!r} is not an "
            f"answer in column {outcome!r}; its answers are {_describe(everything)}",
            field=what,
        )


# ============================================================================ correlations
def pairwise_correlation(
    data: NDArray[np.float64], weights: NDArray[np.float64], chunk: int = 65_536
) -> Any:
    """Weighted correlations of the columns of ``data`` (NaN = missing), each pair over the
    rows where both are present.  Returns (correlations, pair counts).

    The sums are taken over blocks of ``chunk`` rows, so that the temporary arrays stay a
    few megabytes however many respondents there are."""
    k = data.shape[1]
    s0, s1, s2, sxy, counts = (np.zeros((k, k)) for _ in range(5))
    for start in range(0, len(data), chunk):
        block = data[start : start + chunk]
        present = ~np.isnan(block)
        filled = np.where(present, block, 0.0)
        m = present.astype(float)
        wm = m * weights[start : start + chunk, None]
        wx = wm * filled
        s0 += wm.T @ m  # sum of weights where both j and k are present
        s1 += wx.T @ m  # sum w x_j over rows where both are present
        s2 += (wx * filled).T @ m
        sxy += wx.T @ filled
        counts += m.T @ m
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_j, mean_k = s1 / s0, s1.T / s0
        cov = sxy / s0 - mean_j * mean_k
        var_j = s2 / s0 - mean_j**2
        var_k = s2.T / s0 - mean_k**2
        # a constant column has no correlation (rounding leaves a variance of ~1e-16, not 0)
        flat_j = var_j <= 1e-12 * (mean_j**2 + 1.0)
        flat_k = var_k <= 1e-12 * (mean_k**2 + 1.0)
        corr = np.where(flat_j | flat_k, np.nan, cov / np.sqrt(var_j * var_k))
    np.fill_diagonal(corr, 1.0)
    return np.clip(corr, -1.0, 1.0), counts


def _positive_definite(r: NDArray[np.float64], floor: float = 1e-6) -> NDArray[np.float64]:
    values, vectors = np.linalg.eigh(r)
    if values.min() >= floor:
        return r
    fixed = (vectors * np.maximum(values, floor)) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    return np.asarray(fixed / np.outer(scale, scale), dtype=float)


def relative_weights(rxx: NDArray[np.float64], rxy: NDArray[np.float64]) -> Any:
    """Johnson's relative weights; they sum to R^2."""
    values, vectors = np.linalg.eigh(rxx)
    root = (vectors * np.sqrt(values)) @ vectors.T  # R^(1/2)
    beta = (vectors / np.sqrt(values)) @ vectors.T @ rxy  # R^(-1/2) r
    return (root**2) @ (beta**2)


def r_squared(rxx: NDArray[np.float64], rxy: NDArray[np.float64]) -> float:
    if len(rxy) == 0:
        return 0.0
    return float(rxy @ np.linalg.solve(rxx, rxy))


def shapley(rxx: NDArray[np.float64], rxy: NDArray[np.float64]) -> Any:
    """The exact LMG / Shapley decomposition of R^2 over every subset of predictors."""
    p = len(rxy)
    r2 = np.zeros(1 << p)
    for mask in range(1, 1 << p):
        idx = [j for j in range(p) if mask >> j & 1]
        r2[mask] = r_squared(rxx[np.ix_(idx, idx)], rxy[idx])
    weight = [math.factorial(s) * math.factorial(p - s - 1) / math.factorial(p) for s in range(p)]
    out = np.zeros(p)
    for mask in range(1 << p):
        size = bin(mask).count("1")
        for j in range(p):
            if not mask >> j & 1:
                out[j] += weight[size] * (r2[mask | 1 << j] - r2[mask])
    return out


# ============================================================================ key drivers
def key_drivers(
    responses: Any,
    *,
    outcome: str,
    respondent: str = "respondent",
    touchpoint: str = "touchpoint",
    score: str = "score",
    weight: str | None = None,
    scale: ScaleLike = (1, 5),
    na_codes: Sequence[Any] = (),
    positive: Any = None,
    outcome_values: Mapping[Any, float] | None = None,
    method: Method = "relative_weights",
    map: JourneyMap | None = None,
    min_n: int = 30,
    importance_threshold: float | Literal["mean", "median"] | None = "mean",
    performance_threshold: Threshold = "mean",
    target: float | None = None,
    priority: Priority = "gap",
    unmatched: Literal["warn", "error"] = "warn",
) -> pd.DataFrame:
    """Rank touchpoints by how strongly they drive an overall outcome, say which way each
    works, and place them by importance-performance analysis.

    Parameters
    ----------
    responses:
        Long survey data (one row per respondent per touchpoint) in any engine, with the
        overall ``outcome`` repeated on each of a respondent's rows.  Wide data (a column
        per touchpoint) goes through :func:`~journeywidgets.survey.melt` first.
    outcome, respondent, touchpoint, score, weight:
        Column names; weights are per respondent.
    scale, na_codes:
        As for :func:`~journeywidgets.survey.summarize`.
    positive, outcome_values:
        The outcome as it comes: numbers (a 1-5 satisfaction, a 0-10 likelihood to
        recommend, 0/1) and booleans are used as they are.  Text needs either ``positive``
        -- the answer (or list of answers) that counts as the good outcome, e.g.
        ``positive="satisfied"``, read as 1 and every other answer as 0 -- or
        ``outcome_values``, a number for each answer (``{"satisfied": 1, "neutral or
        dissatisfied": 0}``).  ``positive`` works on numbers too (``positive=[9, 10]``:
        promoters).
    method:
        ``"relative_weights"`` (default), ``"shapley"``, ``"beta"`` or ``"correlation"``
        (see :mod:`journeywidgets.survey.drivers`).
    map:
        Adds ``touchpoint_id``, ``stage`` and ``order`` from this map.
    min_n:
        Touchpoints rated by fewer respondents (with an outcome) are flagged ``small_n``.
    importance_threshold, performance_threshold, target, priority:
        The importance-performance analysis (see :func:`~journeywidgets.survey.ipa`): the
        crosshair at the mean importance and mean performance by default
        (``performance_threshold="midpoint"`` puts it at the middle of the scale, a number
        anywhere), the target performance of the priority (default: the performance line),
        and how priority is computed (``"gap"`` or ``"diagonal"``).

    Returns
    -------
    pandas.DataFrame
        One row per touchpoint, most important first: ``touchpoint``, [``touchpoint_id``,
        ``stage``, ``order``], ``n``, ``importance``, ``share``, ``rank``, ``r`` (correlation
        with the outcome), ``beta`` (standardized coefficient), ``direction``
        (``"positive"``, ``"negative"`` or ``"suppressor"``), ``performance`` (weighted mean
        score), ``gap`` (target - performance), ``priority``, ``priority_rank``,
        ``quadrant`` (``"concentrate_here"``, ``"keep_up_the_good_work"``,
        ``"low_priority"``, ``"possible_overkill"``), ``small_n``.  ``attrs`` holds ``r2``,
        ``method``, ``respondents``, ``scale``, ``outcome`` and the thresholds, target and
        priority method used.

    Raises
    ------
    SurveyError
        Missing columns (wide data: with the ``melt`` call to make), an outcome in text
        without ``positive=`` (listing its answers with their numbers of respondents),
        scores off the scale, one respondent answering a touchpoint twice, too few
        respondents.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.energy_utility()
    >>> responses = jw.survey.synthetic(m, n_respondents=2000, seed=7)
    >>> drivers = key_drivers(responses, outcome="satisfaction", na_codes=[0], map=m)
    >>> top = drivers.head(len(responses.attrs["drivers"]))
    >>> sorted(top.touchpoint) == sorted(responses.attrs["drivers"])
    True
    >>> set(top.direction), set(top.quadrant)
    ({'positive'}, {'concentrate_here'})
    """
    if method not in METHODS:
        raise SurveyError(
            f"method must be one of {_engine.quoted(METHODS)}, not {method!r}", field="method"
        )
    frame = _engine.as_frame(responses)
    _engine.require(
        frame,
        {
            "outcome": outcome,
            "respondent": respondent,
            "touchpoint": touchpoint,
            "score": score,
            "weight": weight,
        },
        wide_hint={"respondent": respondent, "outcome": outcome, "weight": weight},
    )
    lo, hi = survey_scale(scale)
    warn_codes_inside(na_codes, (lo, hi), stacklevel=3)
    frame = _engine.numeric(frame, score, na_codes)
    frame = _outcome(frame, outcome, respondent, positive, outcome_values)
    if weight:
        frame = _engine.numeric(frame, weight, ())
        _engine.check_weights(frame, weight)
    wide, names = _wide(
        frame,
        respondent=respondent,
        touchpoint=touchpoint,
        score=score,
        outcome=outcome,
        weight=weight,
        codes=_numeric_codes(na_codes),
    )
    _check_scores(wide.scores, lo, hi, score)
    scores, w_all = wide.scores, wide.w
    with np.errstate(invalid="ignore", divide="ignore"):
        rated = ~np.isnan(scores)
        performance = np.where(rated, scores, 0.0).T @ w_all / (rated.T @ w_all)
    has_y = ~np.isnan(wide.y)
    if has_y.all():
        data = np.column_stack([scores, wide.y])
        corr, counts = pairwise_correlation(data, w_all)
    else:
        data = np.column_stack([scores[has_y], wide.y[has_y]])
        corr, counts = pairwise_correlation(data, w_all[has_y])
    respondents = int(has_y.sum())
    del data
    _check_sample(corr, counts, names, outcome, respondents)
    p = len(names)
    rxx, rxy = _positive_definite(corr[:p, :p]), corr[:p, p]
    beta = np.linalg.solve(rxx, rxy)
    if method == "relative_weights":
        importance = relative_weights(rxx, rxy)
    elif method == "shapley":
        if p > MAX_SHAPLEY:
            raise SurveyError(
                f"method='shapley' goes through all 2^p subsets of touchpoints; {p} touchpoints "
                f"are more than {MAX_SHAPLEY}: use method='relative_weights', which approximates "
                "it closely",
                field="method",
            )
        importance = shapley(rxx, rxy)
    elif method == "beta":
        importance = beta
    else:
        importance = rxy
    table = pd.DataFrame(
        {
            "touchpoint": names,
            "n": counts[:p, p].astype("int64"),
            "importance": importance,
            "r": rxy,
            "beta": beta,
            "direction": [direction(r, b) for r, b in zip(rxy, beta, strict=True)],
            "performance": performance,
        }
    )
    total = float(np.sum(np.abs(importance)))
    table.insert(3, "share", np.abs(importance) / total if total > 0 else np.nan)
    table = ipa(
        table,
        importance_threshold=importance_threshold,
        performance_threshold=performance_threshold,
        target=target,
        scale=(lo, hi),
        priority=priority,
    )
    thresholds = dict(table.attrs)
    table = table[[c for c in table.columns if c != "quadrant"] + ["quadrant"]]
    table["small_n"] = table["n"] < min_n
    table = table.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(4, "rank", np.arange(1, len(table) + 1))
    if map is not None:
        mapped = attach_map(
            table.assign(mean=table["performance"], ci_low=np.nan, ci_high=np.nan),
            map,
            (lo, hi),
            unmatched=unmatched,
            responses=table["n"],
        )
        table = mapped.drop(
            columns=["mean", "ci_low", "ci_high", "emotion", "emotion_low", "emotion_high"]
        )
        table = table.sort_values("rank", kind="stable").reset_index(drop=True)
    table.attrs.update(
        {
            "r2": r_squared(rxx, rxy),
            "method": method,
            "respondents": respondents,
            **thresholds,
            "scale": (lo, hi),
            "outcome": outcome,
            "min_n": min_n,
        }
    )
    return table


def direction(r: float, beta: float) -> str:
    """``"positive"``, ``"negative"`` or ``"suppressor"`` from the signs of a driver's
    correlation with the outcome and its standardized coefficient.

    Examples
    --------
    >>> direction(0.4, 0.2), direction(-0.06, -0.19), direction(0.46, -0.08)
    ('positive', 'negative', 'suppressor')
    """
    if r >= 0 and beta >= 0:
        return "positive"
    if r <= 0 and beta <= 0:
        return "negative"
    return "suppressor"


def _check_scores(values: NDArray[np.float64], lo: float, hi: float, score: str) -> None:
    with np.errstate(invalid="ignore"):
        outside = (values < lo) | (values > hi)
    if outside.any():
        bad = sorted({float(v) for v in values[outside][:10_000]})[:5]
        raise SurveyError(
            f"responses: column {score!r} holds scores outside the scale {lo:g}-{hi:g} "
            f"({', '.join(f'{v:g}' for v in bad)}) from {int(outside.any(axis=1).sum())} "
            "respondent(s); pass scale=(min, max), or na_codes=(...) for codes that mean "
            "'does not apply'",
            field=score,
        )


def _check_sample(
    corr: NDArray[np.float64], counts: NDArray[np.float64], names: list[Any], outcome: str, n: int
) -> None:
    p = len(names)
    problems = []
    if n < 3:
        problems.append(f"only {n} respondent(s) have an outcome in {outcome!r}")
    few = [names[j] for j in range(p) if counts[j, p] < 3]
    if few:
        problems.append(
            f"touchpoints {_engine.quoted(few)} have fewer than 3 respondents with an outcome"
        )
    flat = [names[j] for j in range(p) if names[j] not in few and np.isnan(corr[j, p])]
    if np.isnan(corr[p, :p]).all() and n >= 3:
        problems.append(f"the outcome {outcome!r} does not vary")
    elif flat:
        problems.append(f"touchpoints {_engine.quoted(flat)} do not vary (every score equal)")
    broken = [
        (names[j], names[k])
        for j, k in itertools.combinations(range(p), 2)
        if np.isnan(corr[j, k]) and names[j] not in few + flat and names[k] not in few + flat
    ]
    if broken:
        shown = ", ".join(f"{a!r} & {b!r}" for a, b in broken[:5])
        problems.append(f"too few respondents rated both of {shown} to correlate them")
    if problems:
        raise SurveyError(
            "key drivers: " + "; ".join(problems) + "; leave those touchpoints out of responses",
            field=outcome,
        )
