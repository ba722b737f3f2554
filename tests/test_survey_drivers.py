"""key_drivers: importances checked against independent computations (least squares,
brute-force Shapley over orderings, pandas correlations); synthetic drivers recovered;
quadrant rules; errors; engines."""

from __future__ import annotations

import itertools
import math

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest

import journeywidgets as jw
from journeywidgets.errors import SurveyError


def long_survey(scores: np.ndarray, outcome: np.ndarray, names: list[str]) -> pd.DataFrame:
    """Long rows from a respondents x touchpoints matrix (NaN = not answered)."""
    rows = [
        {"respondent": r, "touchpoint": names[j], "score": scores[r, j], "y": outcome[r]}
        for r in range(scores.shape[0])
        for j in range(scores.shape[1])
        if not np.isnan(scores[r, j])
    ]
    return pd.DataFrame(rows)


def complete_data(seed: int = 1, n: int = 400, p: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(n, 1))
    latent = 3 + 0.6 * common + rng.normal(size=(n, p))
    scores = np.clip(np.rint(latent), 1, 5)
    outcome = scores @ np.linspace(0.8, 0.0, p) + rng.normal(scale=1.0, size=n)
    return scores, outcome


def r2_lstsq(x: np.ndarray, y: np.ndarray) -> float:
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    return float(1 - residual.var() / y.var())


NAMES = ["A", "B", "C", "D"]


def test_relative_weights_add_up_to_r2_of_least_squares() -> None:
    scores, y = complete_data()
    table = jw.survey.key_drivers(long_survey(scores, y, NAMES), outcome="y")
    assert table.attrs["r2"] == pytest.approx(r2_lstsq(scores, y), rel=1e-9)
    assert table["importance"].sum() == pytest.approx(table.attrs["r2"], rel=1e-9)
    assert table["share"].sum() == pytest.approx(1.0)
    assert table["touchpoint"].tolist()[0] == "A"
    assert table["rank"].tolist() == [1, 2, 3, 4]


def test_shapley_equals_brute_force_over_every_ordering() -> None:
    scores, y = complete_data(seed=3)
    table = jw.survey.key_drivers(long_survey(scores, y, NAMES), outcome="y", method="shapley")
    got = table.set_index("touchpoint")["importance"]
    p = len(NAMES)
    want = np.zeros(p)
    for order in itertools.permutations(range(p)):
        entered: list[int] = []
        for j in order:
            before = r2_lstsq(scores[:, entered], y) if entered else 0.0
            entered.append(j)
            want[j] += (r2_lstsq(scores[:, entered], y) - before) / math.factorial(p)
    assert [got[name] for name in NAMES] == pytest.approx(want.tolist(), rel=1e-8)


def test_beta_and_correlation_methods() -> None:
    scores, y = complete_data(seed=4)
    data = long_survey(scores, y, NAMES)
    z = (scores - scores.mean(0)) / scores.std(0)
    beta, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(y)), z]), (y - y.mean()) / y.std())
    got = jw.survey.key_drivers(data, outcome="y", method="beta").set_index("touchpoint")
    assert [got.loc[n, "importance"] for n in NAMES] == pytest.approx(beta[1:].tolist())
    assert [got.loc[n, "beta"] for n in NAMES] == pytest.approx(beta[1:].tolist())
    corr = jw.survey.key_drivers(data, outcome="y", method="correlation").set_index("touchpoint")
    frame = pd.DataFrame(scores, columns=NAMES).assign(y=y)
    assert [corr.loc[n, "importance"] for n in NAMES] == pytest.approx(
        frame.corr()["y"][NAMES].tolist()
    )


def test_pairwise_correlations_with_missing_answers_match_pandas() -> None:
    scores, y = complete_data(seed=5, n=300)
    rng = np.random.default_rng(0)
    scores[rng.random(scores.shape) < 0.25] = np.nan
    table = jw.survey.key_drivers(long_survey(scores, y, NAMES), outcome="y", min_n=100)
    frame = pd.DataFrame(scores, columns=NAMES).assign(y=y)
    got = table.set_index("touchpoint")
    assert [got.loc[n, "r"] for n in NAMES] == pytest.approx(frame.corr()["y"][NAMES].tolist())
    assert [got.loc[n, "n"] for n in NAMES] == frame[NAMES].notna().sum().tolist()
    assert got["performance"].tolist() == pytest.approx(frame[got.index].mean().tolist())


def test_uncorrelated_drivers_get_their_squared_correlation() -> None:
    rng = np.random.default_rng(8)
    n = 2000
    x = rng.normal(size=(n, 3))
    x -= x.mean(0)
    q, _ = np.linalg.qr(x)  # exactly orthogonal columns
    y = q @ np.array([3.0, 2.0, 1.0]) + rng.normal(size=n)
    table = jw.survey.key_drivers(
        long_survey(q, y, ["A", "B", "C"]), outcome="y", scale=(-1, 1)
    ).set_index("touchpoint")
    r = pd.DataFrame(q, columns=["A", "B", "C"]).assign(y=y).corr()["y"]
    assert [table.loc[k, "importance"] for k in "ABC"] == pytest.approx(
        [r[k] ** 2 for k in "ABC"], abs=1e-9
    )


@pytest.mark.parametrize("outcome", ["satisfaction", "nps", "churn"])
def test_synthetic_drivers_are_recovered(outcome: str) -> None:
    m = jw.templates.energy_utility()
    survey = jw.survey.synthetic(m, n_respondents=2500, seed=12)
    drivers = survey.attrs["drivers"]
    table = jw.survey.key_drivers(survey, outcome=outcome, na_codes=[0], weight="weight", map=m)
    if outcome == "churn":
        # a yes/no outcome carries less information: the two strongest drivers lead
        strongest = sorted(drivers, key=drivers.get, reverse=True)[:2]
        assert set(strongest) <= set(table["touchpoint"].head(3))
    else:
        assert set(table["touchpoint"].head(len(drivers))) == set(drivers)
    assert table["touchpoint_id"].notna().all()
    assert list(table.columns[:4]) == ["touchpoint", "touchpoint_id", "stage", "order"]


def test_quadrants_follow_the_documented_rules() -> None:
    m = jw.templates.energy_utility()
    survey = jw.survey.synthetic(m, n_respondents=1500, seed=13)
    table = jw.survey.key_drivers(survey, outcome="satisfaction", na_codes=[0])
    imp, perf = table["importance"].mean(), table["performance"].mean()
    assert table.attrs["importance_threshold"] == pytest.approx(imp)
    assert table.attrs["performance_threshold"] == pytest.approx(perf)
    for row in table.itertuples():
        if row.importance >= imp and row.performance >= perf:
            want = "strength"
        elif row.importance >= imp:
            want = "quick_win" if perf - row.performance <= 0.5 else "moment_of_truth"
        else:
            want = "maintain" if row.performance >= perf else "low_priority"
        assert row.quadrant == want, row
    # the synthetic drivers sit at the map's low points: decisive and failing
    drivers = set(survey.attrs["drivers"])
    assert set(table[table.quadrant == "moment_of_truth"].touchpoint) >= drivers
    custom = jw.survey.key_drivers(
        survey,
        outcome="satisfaction",
        na_codes=[0],
        importance_threshold=0.0,
        performance_threshold=5.0,
        quick_win_gap=10,
    )
    assert set(custom["quadrant"]) == {"quick_win"}


def test_inconsistent_or_duplicated_answers_are_refused() -> None:
    data = pd.DataFrame(
        {
            "respondent": [1, 1, 2, 2, 2, 3],
            "touchpoint": ["A", "B", "A", "B", "B", "A"],
            "score": [4, 3, 5, 2, 3, 1],
            "y": [3, 4, 5, 5, 5, 1],
        }
    )
    with pytest.raises(SurveyError) as info:
        jw.survey.key_drivers(data, outcome="y")
    message = str(info.value)
    assert "1 respondent/touchpoint pairs are answered more than once: 2 at 'B'" in message
    assert "column 'y': the outcome differs between the rows of 1 respondent(s), e.g. 1" in message


def test_too_little_data_and_bad_methods_are_named() -> None:
    data = pd.DataFrame(
        {
            "respondent": [1, 2, 3, 4],
            "touchpoint": ["A", "A", "B", "B"],
            "score": [4, 3, 5, 5],
            "y": [3, 4, 5, 2],
        }
    )
    with pytest.raises(SurveyError, match="touchpoints 'A', 'B' have fewer than 3 respondents"):
        jw.survey.key_drivers(data, outcome="y")
    with pytest.raises(SurveyError, match="method must be one of 'relative_weights', "):
        jw.survey.key_drivers(data, outcome="y", method="lmg")  # type: ignore[arg-type]
    m = jw.templates.energy_utility()
    survey = jw.survey.synthetic(m, n_respondents=100)
    with pytest.raises(SurveyError, match=r"24 touchpoints are more than 12: use "):
        jw.survey.key_drivers(survey, outcome="nps", na_codes=[0], method="shapley")
    flat = survey.assign(nps=5)
    with pytest.raises(SurveyError, match="the outcome 'nps' does not vary"):
        jw.survey.key_drivers(flat, outcome="nps", na_codes=[0])


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_engines_give_pandas_numbers(engine: str) -> None:
    m = jw.templates.it_laptop()
    survey = jw.survey.synthetic(m, n_respondents=500, seed=21)
    options = {"outcome": "churn", "na_codes": [0], "weight": "weight", "map": m}
    want = jw.survey.key_drivers(survey, **options)
    native = pl.from_pandas(survey) if engine == "polars" else duckdb.from_df(survey)
    got = jw.survey.key_drivers(native, **options)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-9)
    assert got.attrs["r2"] == pytest.approx(want.attrs["r2"])
