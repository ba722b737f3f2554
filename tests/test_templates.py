"""The built-in templates: valid documents with the structure the seed documents describe."""

from __future__ import annotations

import colorsys
import doctest
import itertools
import json
from importlib import resources

import pytest

import journeywidgets as jw
import journeywidgets.model.journey
import journeywidgets.templates
from journeywidgets.model.document import SCHEMA_VERSION

NAMES = ["employee_onboarding", "energy_utility", "it_laptop"]


def _text(name: str) -> str:
    return (
        resources.files("journeywidgets.templates")
        .joinpath(f"{name}.json")
        .read_text(encoding="utf-8")
    )


def _hue(colour: str) -> float:
    """Hue in degrees of a #rgb / #rrggbb colour."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360


# ------------------------------------------------------------------------ every template
def test_list_templates_names_and_titles() -> None:
    listed = jw.templates.list_templates()
    assert sorted(listed) == NAMES
    for name, title in listed.items():
        assert title == json.loads(_text(name))["title"]
        assert title.strip()


@pytest.mark.parametrize("name", NAMES)
def test_template_is_a_valid_current_document(name: str) -> None:
    raw = json.loads(_text(name))
    assert raw["schema_version"] == SCHEMA_VERSION
    assert raw["id"] == name
    # from_dict validates every field and reference and raises on any problem
    m = jw.JourneyMap.from_dict(raw)
    assert m.stages
    assert m.touchpoints
    assert m.lanes
    assert m.cards
    assert m.personas
    assert m.persona is not None
    assert m.info.persona == m.persona.id
    assert m.language == "en"
    assert m.metadata.get("source") == "workshop"


@pytest.mark.parametrize("name", NAMES)
def test_template_round_trips_json_unchanged(name: str, tmp_path) -> None:
    text = _text(name)
    m = jw.templates.load_template(name)
    # the committed file is exactly what the model writes: nothing dropped, nothing added
    assert m.to_json() == text
    assert m.to_dict() == json.loads(text)
    saved = m.save(tmp_path / f"{name}.json")
    assert jw.load(saved) == m
    assert jw.loads(m.to_json(indent=None)) == m


@pytest.mark.parametrize("name", NAMES)
def test_template_content_is_complete(name: str) -> None:
    m = jw.templates.load_template(name)
    scale = m.scale
    for tp in m.touchpoints:
        assert tp.emotion is not None, tp.id
        assert scale.contains(tp.emotion), tp.id
        assert m.cards_in(touchpoint=tp.id), f"touchpoint {tp.id} has no cards"
    for lane in m.lanes:
        assert m.cards_in(lane=lane.id), f"lane {lane.id} has no cards"
    for stage in m.stages:
        assert m.touchpoints_in(stage.id), f"stage {stage.id} is empty"
    emotions = [tp.emotion for tp in m.touchpoints]
    # a realistic curve has ups and downs, not a flat line
    assert min(emotions) < scale.neutral < max(emotions)
    assert any(tp.moment_of_truth for tp in m.touchpoints)
    opportunities = [c for c in m.cards if m[c.lane].kind == "opportunities"]  # type: ignore[attr-defined]
    assert opportunities
    assert all(c.impact and c.effort for c in opportunities)
    assert any(c.quick_win for c in opportunities)
    persona = m.persona
    assert persona is not None
    assert persona.role
    assert persona.goals
    assert persona.expectations
    assert persona.frustrations
    assert persona.quote


def test_load_template_returns_independent_copies() -> None:
    first = jw.templates.energy_utility()
    first.remove("i_leave", cascade=True)
    assert "i_leave" not in first
    assert "i_leave" in jw.templates.energy_utility()


def test_unknown_template_names_the_available_ones() -> None:
    with pytest.raises(KeyError, match="energy_utility") as info:
        jw.templates.load_template("bakery")
    assert "bakery" in str(info.value)


# ------------------------------------------------------------------------ energy utility
STAGES = [
    ("i_want_electricity", "I want electricity", "Chcę mieć prąd"),
    ("i_decide_and_buy", "I decide and buy", "Decyduję – kupuję"),
    ("i_use_and_pay", "I use and pay", "Korzystam i płacę"),
    ("i_use_and_have_a_problem", "I use and have a problem", "Korzystam i mam problem"),
    ("i_buy_more", "I buy more", "Dokupuję"),
    ("i_leave", "I leave", "Rezygnuję"),
]


def test_energy_utility_has_the_six_baskets_with_polish_labels() -> None:
    m = jw.templates.energy_utility()
    assert [(s.id, s.name, s.label("pl")) for s in m.stages] == STAGES
    assert m.kind == "customer"
    for stage in m.stages:
        assert 3 <= len(m.touchpoints_in(stage.id)) <= 5, stage.id
    # Polish text is stored as written, not as \\u escapes
    assert "Chcę mieć prąd" in _text("energy_utility")


def test_energy_utility_sticky_note_lanes() -> None:
    m = jw.templates.energy_utility()
    lanes = {lane.id: lane for lane in m.lanes}
    assert {lanes[i].kind for i in ("actions", "emotions", "expectations")} == {
        "actions",
        "emotions",
        "expectations",
    }
    assert {lane.kind for lane in m.lanes} >= {"pain_points", "opportunities"}
    for lane in m.lanes:
        assert lane.label("pl") != lane.name, f"lane {lane.id} has no Polish label"
    green, pink, orange = (
        _hue(lanes[i].display_colour) for i in ("actions", "emotions", "expectations")
    )
    assert 70 <= green <= 160
    assert pink >= 300
    assert 20 <= orange <= 50
    # the workshop wrote a green, a pink and an orange note for every touchpoint
    for tp in m.touchpoints:
        for lane in ("actions", "emotions", "expectations"):
            assert m.cards_in(touchpoint=tp.id, lane=lane), (tp.id, lane)


def test_energy_utility_touchpoints_and_moments_of_truth() -> None:
    m = jw.templates.energy_utility()
    invoice = m["invoice_arrives"]
    assert m.stage_of("invoice_arrives").id == "i_use_and_pay"
    assert invoice.moment_of_truth  # type: ignore[attr-defined]
    channels = " ".join(tp.channel for tp in m.touchpoints)
    for word in ("web", "phone", "office", "letter", "technician"):
        assert word in channels, word
    # the deepest dip is a moment of truth, and every stage touches the curve
    lowest = min(m.touchpoints, key=lambda tp: tp.emotion or 0)
    assert lowest.moment_of_truth
    assert sum(tp.moment_of_truth for tp in m.touchpoints) >= 6


# ------------------------------------------------------------------------ IT laptop
def test_it_laptop_covers_the_ten_steps() -> None:
    m = jw.templates.it_laptop()
    # an employee is IT's internal customer: an employee journey
    assert m.kind == "employee"
    assert m.metadata["internal_customer"] is True
    steps = m.metadata["ten_steps"]
    assert [s["step"] for s in steps] == list(range(1, 11))
    # steps 2, 4, 6: teams, persona, journey named with goals and expectations
    assert len(m.metadata["teams"]) >= 4
    assert len({tp.owner for tp in m.touchpoints}) >= 4
    persona = m.persona
    assert persona is not None
    assert persona.goals
    assert persona.expectations
    assert "laptop" in m.title.lower()
    assert m.scenario
    assert "Goal" in m.scenario
    # step 5: interviews feed the map
    assert any(c.source == "interview" for c in m.cards)
    # step 7: from the first request to follow-up
    assert m.touchpoints[0].stage == "request"
    assert m.stages[-1].id == "follow_up"
    follow_up = m.touchpoints_in("follow_up")
    assert any("survey" in tp.name.lower() for tp in follow_up)
    names = " ".join(tp.name.lower() for tp in m.touchpoints)
    for word in ("request", "approv", "order", "wait", "receives", "first", "survey"):
        assert word in names, word
    # step 8: emotions with ups and downs
    emotions = [tp.emotion for tp in m.touchpoints]
    assert all(e is not None for e in emotions)
    assert sum(1 for a, b in itertools.pairwise(emotions) if a != b) >= 8
    # step 9: status updates while waiting, the guide's own example
    waiting = m.cards_in(touchpoint="waiting_for_laptop", lane="opportunities")
    assert any("status" in c.text.lower() and c.quick_win for c in waiting)
    assert m.cards_in(lane="pain_points")


# ------------------------------------------------------------------------ employee journey
def test_employee_onboarding_is_an_employee_journey_with_a_blueprint() -> None:
    m = jw.templates.employee_onboarding()
    assert m.kind == "employee"
    ids = [s.id for s in m.stages]
    assert ids[0] == "recruitment"
    assert "onboarding" in ids
    assert ids[-1] == "leaving"
    assert ids.index("recruitment") < ids.index("onboarding") < ids.index("leaving")
    kinds = [lane.kind for lane in m.lanes]
    for kind in ("actions", "thoughts", "emotions", "frontstage", "backstage", "support"):
        assert kind in kinds, kind
    for tp in m.touchpoints:
        for lane in ("frontstage", "backstage", "support"):
            assert m.cards_in(touchpoint=tp.id, lane=lane), (tp.id, lane)
    assert "Ścieżka pracownika" in m.info.labels["pl"]


# ------------------------------------------------------------------------ docstrings
@pytest.mark.parametrize(
    "module",
    # journey.py's examples edit the template (``m.update("invoice_arrives", ...)``)
    [jw, journeywidgets.templates, journeywidgets.model.journey],
    ids=lambda mod: mod.__name__,
)
def test_docstring_examples_run(module) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
