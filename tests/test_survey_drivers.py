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


def test_quadrants_follow_importance_performance_analysis() -> None:
    m = jw.templates.energy_utility()
    survey = jw.survey.synthetic(m, n_respondents=1500, seed=13)
    table = jw.survey.key_drivers(survey, outcome="satisfaction", na_codes=[0])
    imp, perf = table["importance"].mean(), table["performance"].mean()
    assert table.attrs["importance_threshold"] == pytest.approx(imp)
    assert table.attrs["performance_threshold"] == pytest.approx(perf)
    assert table.attrs["target"] == pytest.approx(perf)
    for row in table.itertuples():
        want = {
            (True, False): "concentrate_here",
            (True, True): "keep_up_the_good_work",
            (False, False): "low_priority",
            (False, True): "possible_overkill",
        }[(row.importance >= imp, row.performance >= perf)]
        assert row.quadrant == want, row
        assert row.gap == pytest.approx(perf - row.performance)
        if row.direction == "positive":
            assert row.priority == pytest.approx(row.share * (perf - row.performance))
        else:
            assert math.isnan(row.priority)
    # the synthetic drivers sit at the map's low points: decisive and failing
    drivers = set(survey.attrs["drivers"])
    assert set(table[table.quadrant == "concentrate_here"].touchpoint) >= drivers
    ranked = table.sort_values("priority_rank")
    assert set(ranked.touchpoint.head(len(drivers))) == drivers
    midpoint = jw.survey.key_drivers(
        survey, outcome="satisfaction", na_codes=[0], performance_threshold="midpoint", target=4
    )
    assert midpoint.attrs["performance_threshold"] == 3.0
    assert midpoint.attrs["target"] == 4.0
    assert (midpoint["gap"] == 4 - midpoint["performance"]).all()
    custom = jw.survey.key_drivers(
        survey,
        outcome="satisfaction",
        na_codes=[0],
        importance_threshold=0.0,
        performance_threshold=5.0,
    )
    assert set(custom["quadrant"]) == {"concentrate_here"}
    with pytest.raises(SurveyError, match="performance_threshold must be 'mean', 'median', "):
        jw.survey.key_drivers(
            survey, outcome="satisfaction", na_codes=[0], performance_threshold="middle"
        )


def planted_survey(n: int = 4000, seed: int = 5) -> pd.DataFrame:
    """Eight touchpoints rated 1-5 (0 = does not apply) and an overall satisfied / not
    satisfied answer as text.  "Invoice" drives satisfaction most and scores lowest;
    "Hotline" drives it the other way (a planted negative driver)."""
    rng = np.random.default_rng(seed)
    names = ["Web", "Invoice", "Hotline", "Shop", "App", "Meter", "Letter", "Portal"]
    means = np.array([3.6, 2.3, 3.4, 3.7, 3.8, 3.5, 3.6, 3.7])
    latent = rng.normal(size=(n, len(names)))
    scores = np.clip(np.rint(means + 0.9 * latent), 1, 5)
    effect = np.array([0.15, 0.9, -0.5, 0.1, 0.1, 0.05, 0.05, 0.1])
    happy = latent @ effect + rng.normal(scale=0.6, size=n) > 0
    scores[rng.random(scores.shape) < 0.05] = 0
    rated = rng.random(scores.shape) < 0.9
    r, c = np.nonzero(rated)
    words = np.where(happy, "satisfied", "neutral or dissatisfied")
    return pd.DataFrame(
        {
            "id": r + 100,
            "step": np.asarray(names, dtype=object)[c],
            "rating": scores[r, c].astype(int),
            "overall": words[r],
        }
    )


def test_a_planted_negative_driver_and_concentrate_here_touchpoint_come_out_as_planted() -> None:
    data = planted_survey()
    table = jw.survey.key_drivers(
        data,
        outcome="overall",
        positive="satisfied",
        respondent="id",
        touchpoint="step",
        score="rating",
        na_codes=[0],
    ).set_index("touchpoint")
    assert table.loc["Invoice", "quadrant"] == "concentrate_here"
    assert table.loc["Invoice", "priority_rank"] == 1
    assert table.loc["Invoice", "direction"] == "positive"
    hotline = table.loc["Hotline"]
    assert hotline["direction"] == "negative"
    assert hotline["r"] < 0
    assert hotline["beta"] < 0
    assert hotline["importance"] > 0  # a share of R^2 ...
    assert math.isnan(hotline["priority"])  # ... but no reason to raise its score
    assert hotline["priority_rank"] == len(table)
    others = table.drop(["Invoice", "Hotline"])
    assert set(others["direction"]) == {"positive"}
    # the same answers as a mapping, as booleans and as 0/1 give the same drivers
    same = {
        "mapping": {"outcome_values": {"satisfied": 1, "neutral or dissatisfied": 0}},
        "booleans": {"data": data.assign(overall=data["overall"] == "satisfied")},
        "zero_one": {"data": data.assign(overall=(data["overall"] == "satisfied").astype(int))},
    }
    for options in same.values():
        frame = options.pop("data", data)
        got = jw.survey.key_drivers(
            frame,
            outcome="overall",
            respondent="id",
            touchpoint="step",
            score="rating",
            na_codes=[0],
            **options,
        ).set_index("touchpoint")
        pd.testing.assert_series_equal(got["importance"], table["importance"])


def test_text_outcomes_without_positive_say_how_counting_respondents() -> None:
    data = planted_survey(n=300)
    respondents = data.drop_duplicates("id")["overall"].value_counts()
    options = {"respondent": "id", "touchpoint": "step", "score": "rating", "na_codes": [0]}
    with pytest.raises(SurveyError) as info:
        jw.survey.key_drivers(data, outcome="overall", **options)
    message = str(info.value)
    assert "positive='neutral or dissatisfied'" in message or "positive='satisfied'" in message
    for answer, count in respondents.items():
        assert f"{answer!r} ({count} respondents)" in message, message
    assert str(len(data)) not in message  # respondents, not long rows
    with pytest.raises(SurveyError, match="positive='happy' is not an answer in column"):
        jw.survey.key_drivers(data, outcome="overall", positive="happy", **options)
    with pytest.raises(SurveyError, match=r"outcome_values does not map: 'neutral or dis"):
        jw.survey.key_drivers(data, outcome="overall", outcome_values={"satisfied": 1}, **options)


def test_nps_outcome_and_promoters_as_positive() -> None:
    m = jw.templates.it_laptop()
    survey = jw.survey.synthetic(m, n_respondents=800, seed=4)
    scored = jw.survey.key_drivers(survey, outcome="nps", na_codes=[0])
    promoters = jw.survey.key_drivers(survey, outcome="nps", na_codes=[0], positive=[9, 10])
    assert scored["touchpoint"].iloc[0] == promoters["touchpoint"].iloc[0]
    assert not np.allclose(scored["importance"].sort_index(), promoters["importance"].sort_index())


def test_wide_data_errors_show_the_melt_call() -> None:
    wide = pd.DataFrame(
        {"respondent": [1, 2, 3], "Web": [4, 5, 3], "Invoice": [2, 1, 3], "overall": [1, 0, 1]}
    )
    with pytest.raises(SurveyError) as info:
        jw.survey.key_drivers(wide, outcome="overall")
    assert "jw.survey.melt(responses, id_columns=['respondent', 'overall'])" in str(info.value)
    with pytest.raises(SurveyError) as info:
        jw.survey.summarize(wide)
    assert "jw.survey.melt(responses, id_columns=['respondent'])" in str(info.value)


def test_na_code_inside_the_scale_warns() -> None:
    data = planted_survey(n=200)
    with pytest.warns(
        jw.JourneyWarning, match=r"0 lies inside the scale 0-5.*the scale is \(1, 5\)"
    ):
        jw.survey.summarize(data, touchpoint="step", score="rating", scale=(0, 5), na_codes=[0])
    with pytest.warns(jw.JourneyWarning, match="inside the scale"):
        jw.survey.key_drivers(
            data,
            outcome="overall",
            positive="satisfied",
            respondent="id",
            touchpoint="step",
            score="rating",
            scale=(0, 5),
            na_codes=[0],
        )


def test_a_million_respondents_pivot_like_the_engine_path() -> None:
    """The numpy pivot of pandas tables gives DuckDB's numbers (categorical touchpoints
    too), and pairwise sums over blocks equal sums over the whole table."""
    data = planted_survey(n=3000)
    options = {"outcome": "overall", "positive": "satisfied", "respondent": "id",
               "touchpoint": "step", "score": "rating", "na_codes": [0]}  # fmt: skip
    want = jw.survey.key_drivers(duckdb.from_df(data), **options)
    got = jw.survey.key_drivers(data.assign(step=data["step"].astype("category")), **options)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-9)
    from journeywidgets.survey.drivers import pairwise_correlation

    rng = np.random.default_rng(0)
    x = rng.normal(size=(1000, 3))
    x[rng.random(x.shape) < 0.2] = np.nan
    w = rng.random(1000)
    whole, counts = pairwise_correlation(x, w, chunk=10_000)
    blocks, counts_b = pairwise_correlation(x, w, chunk=7)
    np.testing.assert_allclose(blocks, whole, rtol=1e-12)
    np.testing.assert_array_equal(counts, counts_b)


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
    for native in (duckdb.from_df(data), pl.from_pandas(data).lazy()):
        with pytest.raises(SurveyError, match="answered more than once: 2 at 'B'"):
            jw.survey.key_drivers(native, outcome="y")


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
