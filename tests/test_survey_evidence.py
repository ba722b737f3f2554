"""record / compare: survey measurements land beside the workshop's emotions, as one undo
step, and a refused recording leaves the map exactly as it was."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import journeywidgets as jw
from journeywidgets.errors import JourneyWarning, SurveyError


def energy() -> jw.JourneyMap:
    m = jw.JourneyMap("Energy", scale=(-3, 3))
    m.add_stage("Want", id="want")
    m.add_stage("Pay", id="pay")
    m.add_touchpoint("Web", id="web", stage="want", emotion=1)
    m.add_touchpoint("Invoice", id="invoice", stage="pay", emotion=-2)
    m.add_touchpoint("Hotline", id="hotline", stage="pay")
    return m


def responses() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "touchpoint": ["Web"] * 6 + ["Invoice"] * 5,
            "segment": ["a", "b"] * 3 + ["a", "b", "a", "b", "a"],
            "score": [5, 4, 4, 5, 3, 4, 2, 1, 2, 3, 0],
        }
    )


def state(m: jw.JourneyMap) -> tuple[str, int, int]:
    return json.dumps(m.to_dict(), sort_keys=True), m.version, len(m.history)


def test_record_writes_measurements_beside_the_hypothesis_in_one_undo_step() -> None:
    m = energy()
    before = m.to_dict()
    seen = []
    m.observe(seen.append)
    summary = jw.survey.summarize(responses(), na_codes=[0], map=m)
    jw.survey.record(m, summary)
    web, invoice = m["web"], m["invoice"]
    assert (web.emotion, invoice.emotion) == (1.0, -2.0)  # hypotheses untouched
    web_scores = np.array([5, 4, 4, 5, 3, 4], float)
    assert web.measured.emotion == pytest.approx(-3 + 6 * (web_scores.mean() - 1) / 4)
    row = summary.set_index("touchpoint_id").loc["web"]
    assert web.measured.low == pytest.approx(-3 + 6 * (row["ci_low"] - 1) / 4)
    assert web.measured.high == pytest.approx(-3 + 6 * (min(row["ci_high"], 5) - 1) / 4)
    assert (web.measured.n, web.measured.metric, web.measured.source) == (6, "score", "survey")
    assert invoice.measured.n == 4  # the n/a code is not a measurement
    assert m["hotline"].measured is None  # nobody was asked
    # one undo step takes the whole recording back
    assert m.undo()
    assert m.to_dict() == before
    assert m.redo()
    assert m["web"].measured.n == 6
    assert [c.action for c in seen].count("undo") == 1
    assert [c.edit.op for c in seen if c.action == "undo"] == ["batch"]


def test_record_without_map_columns_and_with_a_chosen_segment() -> None:
    m = energy()
    before = state(m)
    summary = jw.survey.summarize(responses(), na_codes=[0], segment="segment")
    with pytest.raises(SurveyError) as info:
        jw.survey.record(m, summary)
    assert str(info.value) == (
        "record: the summary has a row per segment ('a', 'b'); pass segment=... to record one "
        "of them"
    )
    with pytest.raises(SurveyError, match="segment 'c' is not in the summary"):
        jw.survey.record(m, summary, segment="c")
    assert state(m) == before
    jw.survey.record(m, summary, segment="b", metric="csat", source="panel 2024")
    assert m["web"].measured.n == 3
    assert m["web"].measured.emotion == pytest.approx(-3 + 6 * (13 / 3 - 1) / 4)
    assert (m["web"].measured.metric, m["web"].measured.source) == ("csat", "panel 2024")


def test_record_of_another_maps_summary_is_refused_and_changes_nothing() -> None:
    other = energy()
    other.add_touchpoint("Technician", id="technician", stage="pay")
    summary = jw.survey.summarize(
        pd.DataFrame({"touchpoint": ["Technician", "Web"], "score": [4, 5]}), map=other
    )
    m = energy()
    before = state(m)
    with pytest.raises(SurveyError) as info:
        jw.survey.record(m, summary)
    assert str(info.value) == (
        "record: touchpoint ids 'technician' are not touchpoints of map 'Energy'; was the "
        "summary made with another map?"
    )
    assert state(m) == before


def test_record_warns_about_names_not_on_the_map_and_records_the_rest() -> None:
    m = energy()
    summary = jw.survey.summarize(
        pd.DataFrame({"touchpoint": ["Web", "Call centre", "Call centre"], "score": [4, 2, 3]})
    )
    with pytest.warns(JourneyWarning, match=r"'Call centre' \(2 responses\)"):
        jw.survey.record(m, summary)
    assert m["web"].measured.n == 1
    before = state(m)
    with pytest.raises(SurveyError, match="'Call centre'"):
        jw.survey.record(m, summary, unmatched="error")
    assert state(m) == before


def test_record_needs_a_summary_and_its_scale() -> None:
    m = energy()
    with pytest.raises(SurveyError, match="the summary has no 'mean' column"):
        jw.survey.record(m, pd.DataFrame({"touchpoint": ["Web"], "n": [3]}))
    summary = jw.survey.summarize(pd.DataFrame({"touchpoint": ["Web"], "score": [4]}))
    summary.attrs.clear()
    with pytest.raises(SurveyError, match=r"pass scale=\(min, max\)"):
        jw.survey.record(m, summary)
    jw.survey.record(m, summary, scale=(1, 5))
    assert m["web"].measured.emotion == 1.5
    assert m["web"].measured.low is None  # one response has no interval


def test_compare_hypothesis_and_measurement() -> None:
    m = energy()
    m.update("web", measured={"emotion": 0.5, "low": 0.0, "high": 1.2, "n": 40, "metric": "csat"})
    m.update("invoice", measured={"emotion": -0.5, "low": -1.0, "high": 0.0, "n": 35})
    table = jw.survey.compare(m)
    assert list(table.columns) == [
        "touchpoint_id",
        "name",
        "stage",
        "order",
        "hypothesis",
        "measured",
        "measured_low",
        "measured_high",
        "n",
        "metric",
        "gap",
        "within_interval",
    ]
    assert table["touchpoint_id"].tolist() == ["web", "invoice", "hotline"]
    assert table["gap"].tolist()[:2] == [-0.5, 1.5]
    assert np.isnan(table["gap"].iloc[2])
    assert table["within_interval"].tolist()[:2] == [True, False]
    assert pd.isna(table["within_interval"].iloc[2])
    assert table["n"].tolist()[:2] == [40, 35]


def test_template_round_trip_record_then_compare() -> None:
    m = jw.templates.energy_utility()
    survey = jw.survey.synthetic(m, n_respondents=600, seed=9)
    jw.survey.record(m, jw.survey.summarize(survey, na_codes=[0], map=m))
    table = jw.survey.compare(m)
    assert table["measured"].notna().all()
    # synthetic scores follow the map's curve: measurement and hypothesis agree in shape
    assert np.corrcoef(table["hypothesis"], table["measured"])[0, 1] > 0.9


@pytest.mark.parametrize(
    ("column", "value"), [("mean", float("inf")), ("n", -1), ("mean", "high"), ("ci_low", "x")]
)
def test_record_refuses_a_broken_summary_with_a_survey_error(column: str, value: object) -> None:
    m = jw.JourneyMap("Demo")
    m.add_stage("Pay")
    m.add_touchpoint("Invoice", stage="pay", emotion=-2)
    summary = jw.survey.summarize(
        pd.DataFrame({"touchpoint": ["Invoice"] * 4, "score": [2, 3, 2, 3]}), scale=(1, 5)
    )
    summary[column] = summary[column].astype(object)
    summary.loc[0, column] = value
    before = m.to_json()
    with pytest.raises(jw.errors.SurveyError, match=r"record: touchpoint .(invoice|Invoice)."):
        jw.survey.record(m, summary)
    assert m.to_json() == before


def test_emotion_mappings_spread_the_curve_and_are_recorded() -> None:
    m = jw.templates.energy_utility()
    responses = jw.survey.synthetic(m, n_respondents=400, seed=2)
    linear = jw.survey.summarize(responses, na_codes=[0], map=m)
    z = jw.survey.summarize(responses, na_codes=[0], map=m, emotion_mapping="zscore")
    top2 = jw.survey.summarize(responses, na_codes=[0], map=m, emotion_mapping="top2")
    assert z.attrs["emotion_mapping"] == "zscore"
    means = z["mean"]
    want = ((means - means.mean()) / means.std() * 1.5).clip(-3, 3)
    assert z["emotion"].tolist() == pytest.approx(want.tolist())
    assert top2["emotion"].tolist() == pytest.approx((-3 + 6 * top2["top2"]).tolist())
    assert z["emotion"].std() > linear["emotion"].std()
    jw.survey.record(m, z)
    first = z.iloc[0]
    assert m[first["touchpoint_id"]].measured.emotion == pytest.approx(first["emotion"])
    with pytest.raises(jw.errors.SurveyError, match="emotion_mapping must be one of"):
        jw.survey.summarize(responses, na_codes=[0], map=m, emotion_mapping="log")
