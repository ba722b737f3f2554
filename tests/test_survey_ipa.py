"""Importance-performance analysis: each quadrant rule, the crosshair choices and both
priority rankings, checked against values computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import journeywidgets as jw
from journeywidgets.errors import SurveyError


def stated() -> pd.DataFrame:
    """Stated importance and performance (1-5) of six attributes, in the manner of Martilla
    and James's example; the means are importance 3.5, performance 3.5."""
    return pd.DataFrame(
        {
            "touchpoint": ["Billing", "Website", "Shop", "App", "Hotline", "Letter"],
            "importance": [4.6, 4.2, 2.5, 2.7, 3.5, 3.5],
            "performance": [2.4, 4.3, 3.0, 4.3, 3.5, 3.5],
        }
    )


def test_each_quadrant_rule_with_the_crosshair_at_the_means() -> None:
    out = jw.survey.ipa(stated()).set_index("touchpoint")
    assert out.attrs["importance_threshold"] == pytest.approx(3.5)
    assert out.attrs["performance_threshold"] == pytest.approx(3.5)
    assert out["quadrant"].to_dict() == {
        "Billing": "concentrate_here",  # 4.6 >= 3.5, 2.4 < 3.5
        "Website": "keep_up_the_good_work",  # 4.2 >= 3.5, 4.3 >= 3.5
        "Shop": "low_priority",  # 2.5 < 3.5, 3.0 < 3.5
        "App": "possible_overkill",  # 2.7 < 3.5, 4.3 >= 3.5
        "Hotline": "keep_up_the_good_work",  # on both lines: counts as high
        "Letter": "keep_up_the_good_work",
    }
    assert out.attrs["crosshair"] == {"importance": "mean", "performance": "mean"}


def test_scale_midpoint_median_and_numbers_move_the_crosshair() -> None:
    mid = jw.survey.ipa(stated(), performance_threshold="midpoint", scale=(1, 5))
    assert mid.attrs["performance_threshold"] == 3.0
    assert mid.set_index("touchpoint").loc["Shop", "quadrant"] == "possible_overkill"  # 3.0 >= 3
    median = jw.survey.ipa(stated(), importance_threshold="median")
    assert median.attrs["importance_threshold"] == pytest.approx(3.5)  # (3.5 + 3.5) / 2
    fixed = jw.survey.ipa(stated(), importance_threshold=4.0, performance_threshold=4.0)
    assert fixed.set_index("touchpoint")["quadrant"].to_dict()["Website"] == (
        "keep_up_the_good_work"
    )
    assert fixed.set_index("touchpoint")["quadrant"].to_dict()["Hotline"] == "low_priority"
    with pytest.raises(SurveyError, match="needs the survey scale"):
        jw.survey.ipa(stated(), performance_threshold="midpoint")
    with pytest.raises(SurveyError, match="importance_threshold must be 'mean', 'median' or a"):
        jw.survey.ipa(stated(), importance_threshold=math.inf)
    with pytest.raises(SurveyError, match="priority must be 'gap' or 'diagonal'"):
        jw.survey.ipa(stated(), priority="bigger")  # type: ignore[arg-type]
    with pytest.raises(SurveyError, match="no 'importance' column"):
        jw.survey.ipa(stated().drop(columns="importance"))


def test_gap_priority_is_share_times_shortfall_against_the_target() -> None:
    out = jw.survey.ipa(stated(), target=4.0).set_index("touchpoint")
    total = 4.6 + 4.2 + 2.5 + 2.7 + 3.5 + 3.5  # 21.0
    assert out.loc["Billing", "gap"] == pytest.approx(1.6)
    assert out.loc["Billing", "priority"] == pytest.approx(4.6 / total * 1.6)
    assert out.loc["Shop", "priority"] == pytest.approx(2.5 / total * 1.0)
    assert out.loc["Website", "priority"] == pytest.approx(4.2 / total * -0.3)
    # Billing .350, Hotline = Letter .083, Shop .119, App -.039, Website -.060
    assert out["priority_rank"].to_dict() == {
        "Billing": 1, "Shop": 2, "Hotline": 3, "Letter": 4, "App": 5, "Website": 6,
    }  # fmt: skip
    listed = jw.survey.priorities(out.reset_index())
    assert listed["touchpoint"].tolist()[:2] == ["Billing", "Shop"]
    assert listed["quadrant"].tolist()[0] == "Concentrate here"
    assert listed["target"].iloc[0] == 4.0


def test_diagonal_priority_is_the_distance_above_the_iso_priority_line() -> None:
    table = stated()
    out = jw.survey.ipa(table, priority="diagonal").set_index("touchpoint")
    sd_i, sd_p = table["importance"].std(), table["performance"].std()
    want = ((4.6 - 3.5) / sd_i - (2.4 - 3.5) / sd_p) / math.sqrt(2)
    assert out.loc["Billing", "priority"] == pytest.approx(want)
    assert out.loc["Hotline", "priority"] == pytest.approx(0.0)
    assert out.loc["Billing", "priority_rank"] == 1
    assert out.loc["App", "priority_rank"] == 6  # least important, performs well


def test_drivers_that_are_not_positive_get_no_priority() -> None:
    table = stated().assign(direction=["negative", *["positive"] * 5])
    out = jw.survey.ipa(table).set_index("touchpoint")
    assert math.isnan(out.loc["Billing", "priority"])
    assert out.loc["Billing", "priority_rank"] == 6
    assert out.loc["Billing", "quadrant"] == "concentrate_here"  # still where it lies
    listed = jw.survey.priorities(out.reset_index())
    assert listed["priority"].isna().tolist() == [False] * 5 + [True]
