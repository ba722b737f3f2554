"""synthetic: seeded, on the scale, shaped by the map and the segments, with per-respondent
outcomes driven by the touchpoints it names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import journeywidgets as jw
from journeywidgets.errors import SurveyError


@pytest.fixture(scope="module")
def energy() -> jw.JourneyMap:
    return jw.templates.energy_utility()


def test_seeded_and_shaped_as_documented(energy: jw.JourneyMap) -> None:
    a = jw.survey.synthetic(energy, n_respondents=300, seed=5)
    assert a.equals(jw.survey.synthetic(energy, n_respondents=300, seed=5))
    assert not a.equals(jw.survey.synthetic(energy, n_respondents=300, seed=6))
    assert list(a.columns) == [
        "respondent",
        "segment",
        "touchpoint",
        "score",
        "satisfaction",
        "nps",
        "churn",
        "weight",
    ]
    assert set(a["touchpoint"]) == {t.name for t in energy.touchpoints}
    assert set(a["score"]) <= {0, 1, 2, 3, 4, 5}
    assert a["satisfaction"].between(1, 5).all()
    assert a["nps"].between(0, 10).all()
    assert a["churn"].dtype == bool
    assert a.attrs["na_codes"] == [0]
    # every respondent carries one outcome and one weight on all rows
    per = a.groupby("respondent")[["satisfaction", "nps", "churn", "weight", "segment"]].nunique()
    assert (per == 1).all().all()
    assert a.groupby("respondent")["weight"].first().mean() == pytest.approx(1.0)


def test_coverage_and_not_applicable_rates(energy: jw.JourneyMap) -> None:
    survey = jw.survey.synthetic(energy, n_respondents=2000, coverage=0.8, na_rate=0.1, seed=1)
    asked = 2000 * len(energy.touchpoints)
    assert len(survey) / asked == pytest.approx(0.8, abs=0.01)
    assert (survey["score"] == 0).mean() == pytest.approx(0.1, abs=0.01)
    full = jw.survey.synthetic(energy, n_respondents=10, coverage=1.0, na_rate=0.0)
    assert len(full) == 10 * len(energy.touchpoints)
    assert (full["score"] > 0).all()


def test_scores_follow_the_map_and_the_segments(energy: jw.JourneyMap) -> None:
    survey = jw.survey.synthetic(energy, n_respondents=3000, seed=2)
    valid = survey[survey.score > 0]
    means = valid.groupby("touchpoint", sort=False)["score"].mean()
    emotions = pd.Series({t.name: t.emotion for t in energy.touchpoints})
    assert np.corrcoef(means[emotions.index], emotions)[0, 1] > 0.95
    by_segment = valid.groupby("segment")["score"].mean()
    assert by_segment["new"] > by_segment["regular"] > by_segment["at_risk"]
    order = {t.name: n for n, t in enumerate(energy.touchpoints)}
    new = valid[valid.segment == "new"]
    early = new[new.touchpoint.map(order) < 8]["score"].mean()
    late = new[new.touchpoint.map(order) >= 16]["score"].mean()
    regular = valid[valid.segment == "regular"]
    # new customers sour along the journey compared with regular ones
    early_r = regular[regular.touchpoint.map(order) < 8]["score"].mean()
    late_r = regular[regular.touchpoint.map(order) >= 16]["score"].mean()
    assert (early - late) > (early_r - late_r)


def test_drivers_default_and_chosen(energy: jw.JourneyMap) -> None:
    default = jw.survey.synthetic(energy, n_respondents=50).attrs["drivers"]
    assert list(default.values()) == [0.5, 0.3, 0.2]
    # moments of truth first, then the lowest emotions, in journey order
    tps = energy.touchpoints
    ranked = sorted(tps, key=lambda t: (not t.moment_of_truth, t.emotion, tps.index(t)))
    assert list(default) == [t.name for t in ranked[:3]]
    chosen = jw.survey.synthetic(
        energy, n_respondents=2000, drivers={"payment": 1.0, "Retention call": 0.5}, seed=4
    )
    assert chosen.attrs["drivers"] == {"Pays the bill": 1.0, "Retention call": 0.5}
    table = jw.survey.key_drivers(chosen, outcome="satisfaction", na_codes=[0])
    assert table["touchpoint"].head(2).tolist() == ["Pays the bill", "Retention call"]


def test_segments_and_scales_can_be_chosen(energy: jw.JourneyMap) -> None:
    survey = jw.survey.synthetic(
        energy, n_respondents=400, segments={"B2B": 1, "B2C": 3}, scale=(0, 10), seed=3
    )
    shares = survey.groupby("respondent")["segment"].first().value_counts(normalize=True)
    assert shares["B2C"] == pytest.approx(0.75, abs=0.06)
    assert set(survey["score"]) <= set(range(11)) | {99}
    summary = jw.survey.summarize(survey, scale=(0, 10), na_codes=[99])
    assert {"nps", "nps_low", "nps_high"} <= set(summary.columns)


def test_bad_requests_are_named(energy: jw.JourneyMap) -> None:
    with pytest.raises(SurveyError, match="the map has no touchpoints"):
        jw.survey.synthetic(jw.JourneyMap("Empty"))
    with pytest.raises(SurveyError, match=r"coverage must lie in \[0, 1\], not 1.5"):
        jw.survey.synthetic(energy, coverage=1.5)
    with pytest.raises(SurveyError, match="drivers: 'Nowhere' is not a touchpoint of this map"):
        jw.survey.synthetic(energy, drivers=["Nowhere"])
    with pytest.raises(SurveyError, match="segments: give at least one segment"):
        jw.survey.synthetic(energy, segments={"a": 0})


def test_servqual_survey(energy: jw.JourneyMap) -> None:
    rows = jw.survey.synthetic_servqual(energy, n_respondents=20, seed=1)
    assert len(rows) == 20 * len(energy.touchpoints) * 5 * 2
    assert rows["expectation"].between(1, 7).all()
    assert rows["perception"].between(1, 7).all()
    assert rows.equals(jw.survey.synthetic_servqual(energy, n_respondents=20, seed=1))
