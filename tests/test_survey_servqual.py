"""servqual: paired P - E gaps with t intervals (checked by hand against the t table),
dimension labels in three languages, respondent-level pairing, errors and engines."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pytest

import journeywidgets as jw
from journeywidgets.errors import SurveyError

T975_9 = 2.262157  # t(0.975, 9) from a printed table


def ten_pairs() -> pd.DataFrame:
    e = np.array([7, 6, 7, 6, 5, 7, 6, 7, 6, 7])
    p = np.array([5, 5, 6, 4, 5, 6, 3, 5, 6, 4])
    return pd.DataFrame(
        {"touchpoint": "Hotline", "dimension": "Reliability", "expectation": e, "perception": p}
    )


def test_gap_is_the_mean_paired_difference_with_a_t_interval() -> None:
    data = ten_pairs()
    row = jw.survey.servqual(data, min_n=5).iloc[0]
    d = (data.perception - data.expectation).to_numpy(float)
    half = T975_9 * d.std(ddof=1) / math.sqrt(len(d))
    assert row["dimension"] == "reliability"
    assert row["n"] == 10
    assert row["expectation"] == pytest.approx(data.expectation.mean())
    assert row["perception"] == pytest.approx(data.perception.mean())
    assert row["gap"] == pytest.approx(d.mean())
    assert row["gap_sd"] == pytest.approx(d.std(ddof=1))
    assert row["gap_low"] == pytest.approx(d.mean() - half, abs=1e-5)
    assert row["gap_high"] == pytest.approx(d.mean() + half, abs=1e-5)
    assert bool(row["small_n"]) is False
    # pairing matters: the interval is far tighter than two independent means would give
    unpaired = T975_9 * math.sqrt(data.expectation.var() / 10 + data.perception.var() / 10)
    assert half < unpaired


def test_dimension_labels_in_polish_and_hungarian_merge() -> None:
    rows = pd.DataFrame(
        {
            "dimension": [
                "Niezawodność",
                "megbízhatóság",
                "reliability",
                "Empatia",
                "empátia",
                "Materialność",
                "Pewność",
                "Reagowanie",
            ],
            "expectation": [7, 6, 5, 6, 6, 5, 6, 7],
            "perception": [5, 5, 5, 4, 6, 5, 5, 4],
        }
    )
    table = jw.survey.servqual(rows, touchpoint=None)
    assert table["dimension"].tolist() == list(jw.survey.SERVQUAL_DIMENSIONS)
    reliability = table.set_index("dimension").loc["reliability"]
    assert (reliability["n"], reliability["gap"]) == (3, pytest.approx(-1.0))
    assert np.isnan(table.set_index("dimension").loc["tangibles", "gap_low"])  # n = 1


def test_unknown_dimensions_are_listed_with_counts_and_hints() -> None:
    rows = pd.DataFrame(
        {
            "dimension": ["reliabilty", "reliabilty", "price", "empathy"],
            "expectation": [7, 6, 5, 6],
            "perception": [5, 5, 5, 4],
        }
    )
    with pytest.raises(SurveyError) as info:
        jw.survey.servqual(rows, touchpoint=None)
    assert str(info.value) == (
        "responses: column 'dimension' holds labels that are not SERVQUAL dimensions: "
        "'price' (1 rows), 'reliabilty' (2 rows; did you mean 'reliability'?); the dimensions "
        "are tangibles, reliability, responsiveness, assurance, empathy"
    )


def test_respondents_items_are_averaged_before_pairing() -> None:
    rows = pd.DataFrame(
        {
            "respondent": [1, 1, 2, 2, 3, 3, 4, 4],
            "touchpoint": "Shop",
            "dimension": "empathy",
            "expectation": [7, 5, 6, 6, 7, 7, 5, 6],
            "perception": [4, 4, 6, 5, 5, 6, 5, 3],
        }
    )
    row = jw.survey.servqual(rows, respondent="respondent", min_n=2).iloc[0]
    per = rows.groupby("respondent")[["expectation", "perception"]].mean()
    d = (per.perception - per.expectation).to_numpy()
    assert row["n"] == 4
    assert row["gap"] == pytest.approx(d.mean())
    assert row["gap_sd"] == pytest.approx(d.std(ddof=1))
    item_level = jw.survey.servqual(rows, min_n=2).iloc[0]
    assert item_level["n"] == 8
    assert item_level["gap"] == pytest.approx(d.mean())  # equal items per person: same mean


def test_na_codes_drop_the_pair_and_off_scale_scores_are_refused() -> None:
    rows = ten_pairs()
    rows.loc[0, "perception"] = 0
    table = jw.survey.servqual(rows, na_codes=[0], min_n=5)
    assert table["n"].tolist() == [9]
    rows.loc[1, "expectation"] = 9
    with pytest.raises(SurveyError, match=r"1 row hold expectation or perception scores outside "
                       r"the scale 1-7 \(perception shown\): 5 \(row 1\)"):  # fmt: skip
        jw.survey.servqual(rows, na_codes=[0])


def test_map_order_and_engines_agree() -> None:
    m = jw.templates.it_laptop()
    rows = jw.survey.synthetic_servqual(m, n_respondents=60, seed=5)
    want = jw.survey.servqual(rows, respondent="respondent", map=m)
    assert want["touchpoint_id"].tolist()[:5] == [m.touchpoints[0].id] * 5
    assert want["order"].is_monotonic_increasing
    got = jw.survey.servqual(duckdb.from_df(rows), respondent="respondent", map=m)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-10)
    # perceptions follow the map: the lowest emotion has the widest negative gap
    low = min(m.touchpoints, key=lambda t: t.emotion if t.emotion is not None else 9).id
    mean_gap = want.groupby("touchpoint_id")["gap"].mean()
    assert mean_gap.idxmin() == low
