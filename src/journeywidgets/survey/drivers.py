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

Quadrants
---------
Importance is *high* when it is at least ``importance_threshold`` (default: the mean
importance, i.e. the share every touchpoint would have if all mattered equally); performance
is *low* when the mean score is below ``performance_threshold`` (default: the mean of the
touchpoints' mean scores).  Then:

``"moment_of_truth"``  high importance, performance low by more than ``quick_win_gap``: a
    touchpoint that decides the outcome and falls clearly short -- where customers decide to
    stay or leave.  Fix first.
``"quick_win"``  high importance, performance below the threshold by at most
    ``quick_win_gap`` (default: 1/8 of the scale's range, half a point on 1-5): a small
    improvement lifts a touchpoint that drives the outcome up to par.
``"strength"``  high importance, performance at or above the threshold: protect it.
``"maintain"``  low importance, performance at or above the threshold.
``"low_priority"``  low importance, performance below the threshold.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import SurveyError
from . import _engine
from .summary import ScaleLike, _numeric_codes, _valid, attach_map, survey_scale

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

Method = Literal["relative_weights", "shapley", "beta", "correlation"]
METHODS: tuple[str, ...] = ("relative_weights", "shapley", "beta", "correlation")
MAX_SHAPLEY = 12


# ============================================================================ wide table
def _wide(
    frame: _engine.Frame,
    *,
    respondent: str,
    touchpoint: str,
    score: str,
    outcome: str,
    weight: str | None,
    codes: list[float],
) -> tuple[pd.DataFrame, list[Any]]:
    """One row per respondent: a score column per touchpoint, the outcome and the weight,
    pivoted inside the engine.  Also checks one answer per respondent and touchpoint and one
    outcome (and weight) per respondent."""
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
        *(
            (valid & (nw.col(touchpoint) == name)).cast(nw.Int64).alias(f"_c{j}")
            for j, name in enumerate(names)
        ),
    )
    aggs = [nw.col(c).max() for c in per]
    aggs += [nw.col(f"_c{j}").sum() for j in range(len(names))]
    aggs += [nw.col(outcome).min().alias("_y_min"), nw.col(outcome).max().alias("_y_max")]
    if weight:
        aggs += [nw.col(weight).min().alias("_w_min"), nw.col(weight).max().alias("_w_max")]
    wide = _engine.to_pandas(staged.group_by(respondent).agg(*aggs))
    problems = []
    counts = wide[[f"_c{j}" for j in range(len(names))]].to_numpy()
    twice = np.argwhere(counts > 1)
    if len(twice):
        who = wide[respondent].tolist()
        shown = [f"{who[r]!r} at {names[c]!r}" for r, c in twice[:5]]
        more = f" and {len(twice) - 5} more" if len(twice) > 5 else ""
        problems.append(
            f"{len(twice)} respondent/touchpoint pairs are answered more than once: "
            f"{', '.join(shown)}{more}"
        )
    for what, column, short in (("outcome", outcome, "_y"), ("weight", weight, "_w")):
        if column is None:
            continue
        low, high = wide[f"{short}_min"], wide[f"{short}_max"]
        differ = (low != high) & low.notna()
        if differ.any():
            shown = wide[respondent][differ].head(5).tolist()  # Python values: plain reprs
            problems.append(
                f"column {column!r}: the {what} differs between the rows of "
                f"{int(differ.sum())} respondent(s), e.g. {_engine.quoted(shown)}; "
                f"it must be one value per respondent"
            )
    if problems:
        raise SurveyError("key drivers: " + "; ".join(problems), field=respondent)
    out = pd.DataFrame(
        {name: wide[c].to_numpy(dtype=float, na_value=np.nan) for c, name in per.items()},
        index=pd.Index(wide[respondent]),
    )
    out["_y"] = wide["_y_min"].to_numpy(dtype=float, na_value=np.nan)
    out["_w"] = wide["_w_min"].to_numpy(dtype=float, na_value=np.nan) if weight else 1.0
    return out, names


# ============================================================================ correlations
def pairwise_correlation(data: NDArray[np.float64], weights: NDArray[np.float64]) -> Any:
    """Weighted correlations of the columns of ``data`` (NaN = missing), each pair over the
    rows where both are present.  Returns (correlations, pair counts)."""
    present = ~np.isnan(data)
    filled = np.where(present, data, 0.0)
    m = present.astype(float)
    wm = m * weights[:, None]
    s0 = wm.T @ m  # sum of weights where both j and k are present
    s1 = (wm * filled).T @ m  # sum w x_j over rows where both are present
    s2 = (wm * filled * filled).T @ m
    sxy = (wm * filled).T @ filled
    counts = m.T @ m
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
    method: Method = "relative_weights",
    map: JourneyMap | None = None,
    min_n: int = 30,
    importance_threshold: float | None = None,
    performance_threshold: float | None = None,
    quick_win_gap: float | None = None,
    unmatched: Literal["warn", "error"] = "warn",
) -> pd.DataFrame:
    """Rank touchpoints by how strongly they drive an overall outcome, and place them on an
    importance x performance grid.

    Parameters
    ----------
    responses:
        Long survey data (one row per respondent per touchpoint) in any engine, with the
        overall ``outcome`` repeated on each of a respondent's rows (satisfaction, NPS
        0-10 likelihood to recommend, or a 0/1 or boolean churn flag).
    outcome, respondent, touchpoint, score, weight:
        Column names; weights are per respondent.
    scale, na_codes:
        As for :func:`~journeywidgets.survey.summarize`.
    method:
        ``"relative_weights"`` (default), ``"shapley"``, ``"beta"`` or ``"correlation"``
        (see :mod:`journeywidgets.survey.drivers`).
    map:
        Adds ``touchpoint_id``, ``stage`` and ``order`` from this map.
    min_n:
        Touchpoints rated by fewer respondents (with an outcome) are flagged ``small_n``.
    importance_threshold, performance_threshold, quick_win_gap:
        Quadrant rules (see the module documentation); defaults are the mean importance,
        the mean performance and 1/8 of the scale's range.

    Returns
    -------
    pandas.DataFrame
        One row per touchpoint, most important first: ``touchpoint``, [``touchpoint_id``,
        ``stage``, ``order``], ``n``, ``importance``, ``share``, ``rank``, ``r`` (correlation
        with the outcome), ``beta`` (standardized coefficient), ``performance`` (weighted
        mean score), ``quadrant``, ``small_n``.  ``attrs`` holds ``r2``, ``method``,
        ``respondents`` and the thresholds used.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.energy_utility()
    >>> responses = jw.survey.synthetic(m, n_respondents=2000, seed=7)
    >>> drivers = key_drivers(responses, outcome="satisfaction", na_codes=[0], map=m)
    >>> top = drivers.head(len(responses.attrs["drivers"]))
    >>> sorted(top.touchpoint) == sorted(responses.attrs["drivers"])
    True
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
    )
    lo, hi = survey_scale(scale)
    frame = _engine.numeric(frame, score, na_codes)
    frame = _engine.numeric(frame, outcome, (), booleans=True)
    if weight:
        frame = _engine.numeric(frame, weight, ())
    wide, names = _wide(
        frame,
        respondent=respondent,
        touchpoint=touchpoint,
        score=score,
        outcome=outcome,
        weight=weight,
        codes=_numeric_codes(na_codes),
    )
    _check_scores(wide, names, lo, hi, score)
    if weight and ((wide["_w"] < 0) | wide["_w"].isna()).any():
        raise SurveyError(f"column {weight!r}: weights must be present and >= 0", field=weight)
    scores = wide[names].to_numpy(float)
    w_all = wide["_w"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        performance = np.nansum(scores * w_all[:, None], axis=0) / np.nansum(
            np.where(np.isnan(scores), 0.0, w_all[:, None]), axis=0
        )
    sample = wide[wide["_y"].notna()]
    data = sample[[*names, "_y"]].to_numpy(float)
    corr, counts = pairwise_correlation(data, sample["_w"].to_numpy(float))
    _check_sample(corr, counts, names, outcome, len(sample))
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
            "performance": performance,
        }
    )
    total = float(np.sum(np.abs(importance)))
    table.insert(3, "share", np.abs(importance) / total if total > 0 else np.nan)
    imp_thr = float(np.mean(importance)) if importance_threshold is None else importance_threshold
    perf_thr = (
        float(np.nanmean(performance)) if performance_threshold is None else performance_threshold
    )
    gap_limit = (hi - lo) / 8.0 if quick_win_gap is None else quick_win_gap
    table["quadrant"] = [
        _quadrant(i, perf, imp_thr, perf_thr, gap_limit)
        for i, perf in zip(importance, performance, strict=True)
    ]
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
            "respondents": len(sample),
            "importance_threshold": imp_thr,
            "performance_threshold": perf_thr,
            "quick_win_gap": gap_limit,
            "scale": (lo, hi),
        }
    )
    return table


def _quadrant(importance: float, performance: float, imp: float, perf: float, gap: float) -> str:
    if importance >= imp:
        if performance >= perf:
            return "strength"
        return "quick_win" if perf - performance <= gap else "moment_of_truth"
    return "maintain" if performance >= perf else "low_priority"


def _check_scores(wide: pd.DataFrame, names: list[Any], lo: float, hi: float, score: str) -> None:
    values = wide[names].to_numpy(float)
    outside = (values < lo) | (values > hi)
    if outside.any():
        bad = sorted({float(v) for v in values[outside]})[:5]
        raise SurveyError(
            f"responses: column {score!r} holds scores outside the scale {lo:g}-{hi:g} "
            f"({', '.join(f'{v:g}' for v in bad)}); pass scale=(min, max), or na_codes=(...) "
            "for codes that mean 'does not apply'",
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
