"""add_evidence: survey findings as cards in evidence, pain-point and opportunity lanes, in one
undoable step, lanes created when missing, figures in the text, three languages."""

from __future__ import annotations

import pandas as pd
import pytest

import journeywidgets as jw
from journeywidgets.errors import SurveyError
from test_survey_drivers import planted_survey


@pytest.fixture(scope="module")
def energy_survey() -> tuple[pd.DataFrame, pd.DataFrame]:
    m = jw.templates.energy_utility()
    responses = jw.survey.synthetic(m, n_respondents=1500, seed=7)
    drivers = jw.survey.key_drivers(responses, outcome="satisfaction", na_codes=[0], map=m)
    summary = jw.survey.summarize(responses, na_codes=[0], map=m)
    return drivers, summary


def test_findings_become_cards_with_their_figures_in_one_undo_step(
    energy_survey: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    drivers, summary = energy_survey
    m = jw.templates.energy_utility()
    before = m.to_json()
    cards = jw.survey.add_evidence(m, drivers, summary=summary)
    evidence = [c for c in cards if c.lane == "evidence"]
    assert len(evidence) == len(drivers)  # every touchpoint of the table
    assert m["evidence"].name == "Survey evidence"  # created: the template has no such lane
    assert m["evidence"].labels == {"pl": "Dowody z badania", "hu": "Felmérési bizonyítékok"}
    top = drivers.sort_values("priority_rank").iloc[0]
    row = summary.set_index("touchpoint_id").loc[top["touchpoint_id"]]
    card = next(c for c in evidence if c.touchpoint == top["touchpoint_id"])
    assert card.text.startswith(
        f"Survey: mean {row['mean']:.2f} of 5 (95% CI {row['ci_low']:.2f}–{row['ci_high']:.2f}), "
        f"n = {row['n']:,}."
    )
    assert f"Importance for satisfaction: {100 * top['share']:.1f}% (rank {top['rank']} of" in (
        card.text
    )
    assert card.source == "survey"
    assert "survey-evidence" in card.tags
    concentrate = drivers[
        (drivers.quadrant == "concentrate_here") & (drivers.direction == "positive")
    ].sort_values("priority_rank")
    pains = [c for c in cards if c.lane == "pain_points"]
    chances = [c for c in cards if c.lane == "opportunities"]
    assert [c.touchpoint for c in pains] == concentrate["touchpoint_id"].tolist()
    assert [c.touchpoint for c in chances] == concentrate["touchpoint_id"].tolist()
    target = drivers.attrs["target"]
    assert chances[0].text == (
        f"Priority 1: raise the score from {top['performance']:.2f} to {target:.2f} "
        f"(+{target - top['performance']:.2f})."
    )
    assert chances[0].labels["pl"].startswith("Priorytet 1: podnieść ocenę z ")
    assert "," in chances[0].labels["hu"]  # decimal comma
    # the measurement is recorded on the touchpoint, in the same step
    assert m[top["touchpoint_id"]].measured.n == row["n"]
    assert m.undo()
    assert m.to_json() == before


def test_a_second_call_replaces_the_first_and_named_lanes_are_used(
    energy_survey: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    drivers, _ = energy_survey
    m = jw.templates.energy_utility()
    jw.survey.add_evidence(m, drivers)
    count = len(m.cards)
    jw.survey.add_evidence(m, drivers)
    assert len(m.cards) == count
    m.add_lane("Notes from the survey", id="notes")
    jw.survey.add_evidence(m, drivers, lanes={"evidence": "notes"})
    assert {c.lane for c in m.cards if "evidence" in c.tags} == {"notes"}
    before = m.to_json()
    with pytest.raises(SurveyError, match=r"lanes\['pain_points'\] = 'nope' is not a lane"):
        jw.survey.add_evidence(m, drivers, lanes={"pain_points": "nope"})
    with pytest.raises(SurveyError, match="unknown role"):
        jw.survey.add_evidence(m, drivers, lanes={"pains": "notes"})
    assert m.to_json() == before


def test_lanes_are_created_in_the_maps_language_on_a_bare_map() -> None:
    m = jw.JourneyMap("Pomiar", language="hu")
    m.add_stage("Számlázás", id="billing")
    names = ["Web", "Invoice", "Hotline", "Shop", "App", "Meter", "Letter", "Portal"]
    for name in names:
        m.add_touchpoint(name, stage="billing")
    drivers = jw.survey.key_drivers(
        planted_survey(), outcome="overall", positive="satisfied", respondent="id",
        touchpoint="step", score="rating", na_codes=[0], map=m,
    )  # fmt: skip
    cards = jw.survey.add_evidence(m, drivers)
    assert [lane.kind for lane in m.lanes] == ["custom", "pain_points", "opportunities"]
    assert [lane.name for lane in m.lanes] == ["Felmérési bizonyítékok", "Problémák", "Lehetőségek"]
    hotline = next(c for c in cards if c.touchpoint == "hotline")
    assert "Negatív hatótényező" in hotline.text
    assert "Negative driver: higher scores go with a worse overall" in hotline.labels["en"]
    assert not [c for c in cards if c.touchpoint == "hotline" and c.lane != "evidence"]
    assert any(c.touchpoint == "invoice" and c.lane == "opportunities" for c in cards)
    assert m.undo()
    assert not m.lanes
