"""The small exact statistics behind the survey summaries, against textbook values and
independent computations (closed forms, numerical integration)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from journeywidgets.survey._stats import beta_inc, t_cdf, t_quantile, t_values, wilson, z_value

# Two-sided 95% critical values t(0.975, df) from a printed t table.
T_TABLE = {
    1: 12.706205,
    2: 4.302653,
    3: 3.182446,
    4: 2.776445,
    5: 2.570582,
    9: 2.262157,
    10: 2.228139,
    19: 2.093024,
    29: 2.045230,
    30: 2.042272,
    60: 2.000298,
    120: 1.979930,
}


@pytest.mark.parametrize(("df", "value"), sorted(T_TABLE.items()))
def test_t_quantile_matches_the_printed_table(df: int, value: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(value, abs=5e-7)


def test_t_quantile_other_levels_from_the_table() -> None:
    assert t_quantile(0.995, 3) == pytest.approx(5.840909, abs=5e-7)
    assert t_quantile(0.95, 10) == pytest.approx(1.812461, abs=5e-7)
    assert t_quantile(0.025, 9) == pytest.approx(-2.262157, abs=5e-7)
    assert t_quantile(0.5, 4) == 0.0


@pytest.mark.parametrize("p", [0.6, 0.9, 0.975, 0.999])
def test_t_quantile_closed_forms(p: float) -> None:
    # df = 1 is the Cauchy distribution; df = 2 has an algebraic quantile
    assert t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-10)
    assert t_quantile(p, 2) == pytest.approx((2 * p - 1) / math.sqrt(2 * p * (1 - p)), rel=1e-10)


@pytest.mark.parametrize("df", [1.5, 4.3, 17.8])
def test_t_cdf_agrees_with_numerical_integration_for_fractional_df(df: float) -> None:
    # integrate the t density with the trapezoid rule, nothing shared with the code under
    # test; by symmetry P(T <= 2.1) = 1/2 + the integral from 0 to 2.1
    t = np.linspace(0.0, 2.1, 200_001)
    density = (
        math.gamma((df + 1) / 2)
        / (math.sqrt(df * math.pi) * math.gamma(df / 2))
        * (1 + t * t / df) ** (-(df + 1) / 2)
    )
    integral = 0.5 + float(np.trapezoid(density, t))
    assert t_cdf(2.1, df) == pytest.approx(integral, abs=1e-9)
    # and the quantile inverts the distribution function
    assert t_cdf(t_quantile(0.975, df), df) == pytest.approx(0.975, abs=1e-12)


def test_t_quantile_approaches_the_normal() -> None:
    assert t_quantile(0.975, 1e9) == pytest.approx(1.959964, abs=5e-7)
    assert z_value(0.95) == pytest.approx(1.959964, abs=5e-7)
    assert t_quantile(0.975, 1000) > t_quantile(0.975, 10_000) > z_value(0.95)


def test_beta_inc_closed_forms() -> None:
    x = 0.37
    assert beta_inc(1, 1, x) == pytest.approx(x)
    assert beta_inc(2, 3, x) == pytest.approx(1 - (1 - x) ** 4 - 4 * x * (1 - x) ** 3)
    assert beta_inc(1, 0.5, x) == pytest.approx(1 - math.sqrt(1 - x))
    assert (beta_inc(3, 2, 0), beta_inc(3, 2, 1)) == (0.0, 1.0)


def test_t_values_vectorised_with_nan_for_no_df() -> None:
    out = t_values([9, 0, np.nan, 29])
    assert out[0] == pytest.approx(T_TABLE[9], abs=5e-7)
    assert out[3] == pytest.approx(T_TABLE[29], abs=5e-7)
    assert np.isnan(out[1])
    assert np.isnan(out[2])


def test_t_quantile_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="p must lie strictly between 0 and 1"):
        t_quantile(1.0, 5)
    with pytest.raises(ValueError, match="degrees of freedom must be positive"):
        t_quantile(0.9, 0)


def test_wilson_interval_textbook_values() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 -> 0.2553 to 0.3662;
    # 0/10 -> 0 to 0.2775; 1/29 -> 0.0061 to 0.1718
    for successes, n, low, high in [(81, 263, 0.2553, 0.3662), (0, 10, 0.0, 0.2775),
                                    (1, 29, 0.0061, 0.1718)]:  # fmt: skip
        got_low, got_high = wilson(successes / n, n)
        assert float(got_low) == pytest.approx(low, abs=5e-5)
        assert float(got_high) == pytest.approx(high, abs=5e-5)
    low, high = wilson([0.5, 0.2], [0, np.nan])
    assert np.isnan(low).all()
    assert np.isnan(high).all()
