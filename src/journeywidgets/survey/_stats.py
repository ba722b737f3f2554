"""Small exact statistics the survey summaries need, without scipy.

Student's t quantiles come from the regularized incomplete beta function (a continued
fraction, as in any numerical-methods text) inverted by safeguarded Newton steps; they match
published tables to every printed digit and work for fractional degrees of freedom, which
weighted data (Kish's effective n) produce.  Normal quantiles come from the standard library.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike, NDArray

_TINY = 1e-300
_EPS = 1e-15


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def beta_inc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b).

    Examples
    --------
    >>> round(beta_inc(2, 3, 0.4), 10)  # 1 - (1-x)^4 - 4x(1-x)^3
    0.5248
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # the fraction converges fast below the mean of the beta distribution; use symmetry above
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` (> 0, may be fractional) degrees of freedom."""
    if math.isinf(df):
        return NormalDist().cdf(t)
    tail = 0.5 * beta_inc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def _t_pdf(t: float, df: float) -> float:
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))


@lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom.

    Examples
    --------
    >>> round(t_quantile(0.975, 10), 6)  # the familiar table value
    2.228139
    >>> round(t_quantile(0.975, 1), 4)  # df = 1 is the Cauchy distribution: tan(0.475 pi)
    12.7062
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must lie strictly between 0 and 1, not {p}")
    if not df > 0:
        raise ValueError(f"degrees of freedom must be positive, not {df}")
    if p == 0.5:
        return 0.0
    if df > 1e7 or math.isinf(df):
        return NormalDist().inv_cdf(p)
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    # bracket the root, then Newton steps that fall back to bisection when they leave it
    low, high = 0.0, max(1.0, NormalDist().inv_cdf(p))
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
    t = min(max(NormalDist().inv_cdf(p), low), high)
    for _ in range(200):
        f = t_cdf(t, df) - p
        if f > 0:
            high = t
        else:
            low = t
        step = f / max(_t_pdf(t, df), _TINY)
        if abs(step) < 1e-14 * max(1.0, abs(t)):
            return t - step
        candidate = t - step
        t = candidate if low < candidate < high else (low + high) / 2.0
        if high - low < 1e-14 * max(1.0, abs(t)):
            break
    return t


def z_value(level: float = 0.95) -> float:
    """The two-sided normal critical value for a confidence ``level`` (1.96 for 95%)."""
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def t_values(df: ArrayLike, level: float = 0.95) -> NDArray[np.float64]:
    """Two-sided t critical values for each degrees of freedom; NaN where df <= 0 or NaN."""
    dfs = np.asarray(df, dtype=float)
    out = np.full(dfs.shape, np.nan)
    p = 0.5 + level / 2.0
    flat, result = dfs.ravel(), out.ravel()
    for n, value in enumerate(flat):
        if value > 0:  # NaN compares False
            result[n] = t_quantile(p, float(value))
    return result.reshape(dfs.shape)


def wilson(
    p: ArrayLike, n: ArrayLike, level: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score interval of a proportion ``p`` observed on ``n`` cases (n may be an
    effective, fractional n).  NaN where n <= 0.

    Examples
    --------
    >>> low, high = wilson(0.5, 100)
    >>> round(float(low), 4), round(float(high), 4)
    (0.4038, 0.5962)
    """
    p_arr = np.asarray(p, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1.0 + z * z / n_arr
        centre = (p_arr + z * z / (2.0 * n_arr)) / denom
        half = z / denom * np.sqrt(p_arr * (1.0 - p_arr) / n_arr + z * z / (4.0 * n_arr * n_arr))
        low = np.where(n_arr > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n_arr > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high
