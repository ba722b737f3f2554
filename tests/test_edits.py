"""Every edit on every entity kind: what it does, that undo/redo restore it exactly, and that
every way of getting it wrong raises an error naming the id and field and changes nothing."""

from __future__ import annotations

import math

import pytest

import journeywidgets as jw
from journeywidgets.model.edits import Add, Move, Remove, SetEmotion, Update
from model_helpers import assert_rejected, assert_undoable, small_map


@pytest.fixture
def m() -> jw.JourneyMap:
    return small_map()


def ids(entities: list) -> list[str]:
    return [e.id for e in entities]


# ============================================================================ add
def test_add_each_kind_at_the_end_and_undo(m: jw.JourneyMap) -> None:
    assert_undoable(m, lambda m: m.add_persona("Cecília", role="Student"))
    assert ids(m.personas) == ["anna", "bela", "cecilia"]
    assert_undoable(m, lambda m: m.add_stage("I leave"))
    assert ids(m.stages) == ["want", "use", "i_leave"]
    assert_undoable(m, lambda m: m.add_touchpoint("Contract", stage="want", emotion=2))
    assert ids(m.touchpoints_in("want")) == ["ad", "web", "contract"]
    assert_undoable(m, lambda m: m.add_lane("Expectations", kind="expectations"))
    assert ids(m.lanes) == ["actions", "emotions", "expectations"]
    assert_undoable(m, lambda m: m.add_card("Signs", touchpoint="contract", lane="actions"))
    assert [c.text for c in m.cards_in(touchpoint="contract")] == ["Signs"]


def test_add_returns_the_entity_with_its_fields(m: jw.JourneyMap) -> None:
    tp = m.add_touchpoint(
        "Hotline",
        stage="use",
        emotion=-3,
        channel="phone",
        owner="Care",
        moment_of_truth=True,
        metrics={"wait_s": 240, "csat": 2.5, "note": "long"},
        labels={"pl": "Infolinia"},
    )
    assert isinstance(tp, jw.Touchpoint)
    assert m["hotline"] is tp
    assert (tp.stage, tp.emotion, tp.channel, tp.owner) == ("use", -3, "phone", "Care")
    assert tp.moment_of_truth
    assert tp.metrics["wait_s"] == 240
    assert tp.label("pl") == "Infolinia"
    card = m.add_card(
        "Call back",
        touchpoint="hotline",
        lane="actions",
        tags=("care", "quick"),
        source="survey",
        owner="Ola",
        impact=5,
        effort=1,
    )
    assert card.quick_win
    assert card.tags == ("care", "quick")
    assert card.source == "survey"
    lane = m.add_lane("Backstage", kind="backstage", description="Systems")
    assert lane.id == "backstage"
    assert lane.colour == ""
    assert lane.display_colour.startswith("#")
    persona = m.add_persona(
        "Dorota",
        goals=("a", "b"),
        expectations=("c",),
        frustrations=("d",),
        segment="SME",
        quote="„Nie mam czasu”",
    )
    assert persona.frustrations == ("d",)
    assert m.kind_of("dorota") == "persona"


@pytest.mark.parametrize(
    ("add", "scope", "index"),
    [
        (lambda m: m.add_persona("P", index=0), lambda m: ids(m.personas), 0),
        (lambda m: m.add_stage("S", index=1), lambda m: ids(m.stages), 1),
        (lambda m: m.add_touchpoint("T", stage="want", index=1), lambda m: ids(m.touchpoints), 1),
        (lambda m: m.add_lane("L", index=0), lambda m: ids(m.lanes), 0),
        (
            lambda m: m.add_card("C", touchpoint="web", lane="actions", id="c", index=0),
            lambda m: ids(m.cards_in("web", "actions")),
            0,
        ),
    ],
)
def test_add_at_an_index(m: jw.JourneyMap, add, scope, index: int) -> None:
    before = scope(m)
    entity = add(m)
    after = scope(m)
    assert after.index(entity.id) == index == m.position(entity.id)
    assert [i for i in after if i != entity.id] == before
    m.undo()
    assert scope(m) == before


def test_add_at_the_end_index_equals_size(m: jw.JourneyMap) -> None:
    m.add_stage("Last", index=2)
    assert ids(m.stages)[-1] == "last"
    m.add_card("end", touchpoint="ad", lane="actions", id="end", index=1)
    assert ids(m.cards_in("ad", "actions")) == ["card_1", "end"]


def test_generated_ids(m: jw.JourneyMap) -> None:
    assert m.add_stage("I use and pay").id == "i_use_and_pay"
    assert m.add_stage("I use and pay").id == "i_use_and_pay_2"
    assert m.add_stage("Używam i płacę").id == "uzywam_i_place"
    assert m.add_stage("أريد الكهرباء").id == "stage_1"
    assert m.add_stage("🙂").id == "stage_2"
    assert m.add_card("x", touchpoint="ad", lane="actions").id == "card_6"
    # lanes take their kind as id when it is free, a slug of the name otherwise
    assert m.add_lane("Thoughts", kind="thoughts").id == "thoughts"
    assert m.add_lane("More actions", kind="actions").id == "more_actions"


def test_add_returns_the_applied_edit_with_id_and_index(m: jw.JourneyMap) -> None:
    applied = m.apply({"op": "add", "kind": "stage", "item": {"name": "Leave"}})
    assert isinstance(applied, Add)
    assert applied.item["id"] == "leave"
    assert applied.index == 2
    assert applied.item["labels"] == {}
    assert applied.item["description"] == ""


@pytest.mark.parametrize(
    ("add", "kind"),
    [
        (lambda m: m.add_persona("X", id="want"), "persona"),
        (lambda m: m.add_stage("X", id="card_1"), "stage"),
        (lambda m: m.add_touchpoint("X", id="anna", stage="use"), "touchpoint"),
        (lambda m: m.add_lane("X", id="invoice"), "lane"),
        (lambda m: m.add_card("X", id="actions", touchpoint="ad", lane="actions"), "card"),
        (lambda m: m.add_card("X", id="card_2", touchpoint="ad", lane="actions"), "card"),
    ],
)
def test_add_duplicate_id_in_any_kind(m: jw.JourneyMap, add, kind) -> None:
    exc = assert_rejected(m, add, field="id", mentions=("already used",))
    assert isinstance(exc, jw.EditError)
    assert exc.kind == kind


@pytest.mark.parametrize(
    ("add", "size"),
    [
        (lambda m: m.add_persona("X", id="x", index=3), 2),
        (lambda m: m.add_stage("X", id="x", index=3), 2),
        (lambda m: m.add_touchpoint("X", id="x", stage="use", index=2), 1),
        (lambda m: m.add_lane("X", id="x", index=9), 2),
        (lambda m: m.add_card("X", id="x", touchpoint="ad", lane="emotions", index=1), 0),
    ],
)
def test_add_index_past_the_end(m: jw.JourneyMap, add, size) -> None:
    assert_rejected(m, add, id="x", field="index", mentions=(f"0 to {size}",))


def test_add_negative_index(m: jw.JourneyMap) -> None:
    assert_rejected(m, lambda m: m.add_stage("X", id="x", index=-1), id="x", field="index")
    exc = assert_rejected(m, lambda m: m.add_stage("X", index=-1), field="index")
    assert "add stage" in str(exc)


@pytest.mark.parametrize(
    ("add", "id", "field"),
    [
        (lambda m: m.add_touchpoint("X", id="x", stage="nowhere"), "x", "stage"),
        (lambda m: m.add_touchpoint("X", id="x", stage="actions"), "x", "stage"),
        (
            lambda m: m.add_card("X", id="x", touchpoint="nowhere", lane="actions"),
            "x",
            "touchpoint",
        ),
        (lambda m: m.add_card("X", id="x", touchpoint="want", lane="actions"), "x", "touchpoint"),
        (lambda m: m.add_card("X", id="x", touchpoint="ad", lane="nowhere"), "x", "lane"),
        (lambda m: m.add_card("X", id="x", touchpoint="ad", lane="card_1"), "x", "lane"),
    ],
)
def test_add_with_a_dangling_or_wrong_kind_reference(m: jw.JourneyMap, add, id, field) -> None:
    assert_rejected(m, add, id=id, field=field)


@pytest.mark.parametrize(
    ("add", "field"),
    [
        (lambda m: m.add_stage("", id="x"), "name"),
        (lambda m: m.add_stage("X", id="x", colour="#fff"), "colour"),
        (lambda m: m.add_stage("X", id="x", labels={"": "empty language"}), "labels"),
        (lambda m: m.add_persona("X", id="x", goals="not a list", age=3), "goals"),
        (lambda m: m.add_lane("X", id="x", kind="feelings"), "kind"),
        (lambda m: m.add_lane("X", id="x", colour="pink"), "colour"),
        (lambda m: m.add_touchpoint("X", id="x", stage="use", emotion=3.5), "emotion"),
        (lambda m: m.add_touchpoint("X", id="x", stage="use", emotion=math.nan), "emotion"),
        (lambda m: m.add_touchpoint("X", id="x", stage="use", emotion="high"), "emotion"),
        (
            lambda m: m.add_touchpoint("X", id="x", stage="use", metrics={"a": math.inf}),
            "metrics.a",
        ),
        (
            lambda m: m.add_touchpoint("X", id="x", stage="use", moment_of_truth="maybe"),
            "moment_of_truth",
        ),
        (
            lambda m: m.add_touchpoint("X", id="x", stage="use", measured={"emotion": 9, "n": 30}),
            "measured.emotion",
        ),
        (
            lambda m: m.add_touchpoint("X", id="x", stage="use", measured={"emotion": 1, "n": -1}),
            "measured.n",
        ),
        (lambda m: m.add_card("X", id="x", touchpoint="ad", lane="actions", impact=6), "impact"),
        (lambda m: m.add_card("X", id="x", touchpoint="ad", lane="actions", effort=0), "effort"),
        (
            lambda m: m.add_card("X", id="x", touchpoint="ad", lane="actions", source="gut"),
            "source",
        ),
        (lambda m: m.add_card("X", id="x", touchpoint="ad", lane="actions", tags="t"), "tags"),
    ],
)
def test_add_with_an_invalid_or_unknown_field(m: jw.JourneyMap, add, field) -> None:
    assert_rejected(m, add, id="x", field=field)


@pytest.mark.parametrize("bad_id", [" padded", "padded ", "", "two\nlines", "x" * 201])
def test_add_with_an_invalid_id(m: jw.JourneyMap, bad_id: str) -> None:
    assert_rejected(m, lambda m: m.add_stage("X", id=bad_id), field="id")


# ============================================================================ update
@pytest.mark.parametrize(
    ("id", "changes"),
    [
        ("anna", {"role": "Landlord", "goals": ["Low bills", "Green power"]}),
        ("want", {"name": "Chcę prądu", "labels": {"pl": "Chcę prądu", "hu": "Áramot akarok"}}),
        (
            "web",
            {"channel": "app", "emotion": 3, "metrics": {"nps": -12}, "moment_of_truth": False},
        ),
        ("web", {"measured": {"emotion": -1.25, "low": -1.6, "high": -0.9, "n": 412}}),
        ("actions", {"name": "Doing", "kind": "custom", "colour": "#123abc"}),
        ("card_3", {"text": "Prices are confusing", "impact": None, "tags": ["x"]}),
    ],
)
def test_update_each_kind_and_undo(m: jw.JourneyMap, id: str, changes: dict) -> None:
    after = assert_undoable(m, lambda m: m.update(id, **changes))
    entity = m[id]
    for field, value in changes.items():
        got = getattr(entity, field)
        dumped = got.model_dump() if hasattr(got, "model_dump") else got
        if isinstance(value, dict) and isinstance(dumped, dict):
            assert {k: dumped[k] for k in value} == value
        else:
            assert dumped == (tuple(value) if isinstance(value, list) else value)
    assert m.to_dict() == after


def test_update_returns_new_version_and_keeps_position(m: jw.JourneyMap) -> None:
    old = m["card_2"]
    new = m.update("card_2", text="changed")
    assert new is m["card_2"]
    assert new is not old
    assert old.text == "Compares tariffs"
    assert m.position("card_2") == 0
    assert ids(m.cards_in("web", "actions")) == ["card_2"]


def test_update_records_only_the_changed_fields(m: jw.JourneyMap) -> None:
    applied = m.apply({"op": "update", "id": "web", "changes": {"owner": "Sales"}})
    assert applied.to_dict() == {
        "op": "update",
        "id": "web",
        "kind": None,
        "changes": {"owner": "Sales"},
    }


def test_update_unknown_id(m: jw.JourneyMap) -> None:
    assert_rejected(m, lambda m: m.update("nowhere", name="X"), id="nowhere", field="id")


@pytest.mark.parametrize("id", ["anna", "want", "web", "actions", "card_1"])
def test_update_of_the_id(m: jw.JourneyMap, id: str) -> None:
    assert_rejected(m, lambda m: m.update(id, id="new_id"), id=id, field="id")


@pytest.mark.parametrize(
    ("id", "field", "value"),
    [("web", "stage", "use"), ("card_1", "touchpoint", "web"), ("card_1", "lane", "emotions")],
)
def test_update_of_placement_fields_needs_a_move(m: jw.JourneyMap, id, field, value) -> None:
    assert_rejected(
        m, lambda m: m.update(id, **{field: value}), id=id, field=field, mentions=("move",)
    )


@pytest.mark.parametrize(
    ("id", "changes", "field"),
    [
        ("anna", {"nickname": "A"}, "nickname"),
        ("want", {"name": ""}, "name"),
        ("web", {"emotion": -4}, "emotion"),
        ("web", {"emotion": math.inf}, "emotion"),
        ("web", {"metrics": {"x": math.nan}}, "metrics.x"),
        ("web", {"measured": {"emotion": 12, "n": 10}}, "measured.emotion"),
        ("web", {"measured": {"emotion": 1, "n": 10, "low": math.nan}}, "measured.low"),
        ("actions", {"colour": "green"}, "colour"),
        ("card_1", {"impact": 0}, "impact"),
        ("card_1", {"source": "rumour"}, "source"),
        ("card_1", {"text": None}, "text"),
    ],
)
def test_update_with_invalid_values(m: jw.JourneyMap, id, changes, field) -> None:
    assert_rejected(m, lambda m: m.update(id, **changes), id=id, field=field)


def test_update_without_id_or_with_both_id_and_map(m: jw.JourneyMap) -> None:
    assert_rejected(m, lambda m: m.apply({"op": "update", "changes": {"name": "x"}}), field="id")
    assert_rejected(
        m,
        lambda m: m.apply({"op": "update", "id": "want", "kind": "map", "changes": {}}),
        id="want",
        field="kind",
    )


# ============================================================================ map fields
@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Kupuję prąd ⚡"},
        {"description": "d", "scenario": "Anna moves into a flat"},
        {"kind": "employee", "state": "future"},
        {"language": "pl", "labels": {"en": "Buying electricity"}},
        {"metadata": {"owner": "CX team", "n": [1, 2.5, None, True]}},
        {"persona": "bela"},
        {"scale": (-5, 5)},
        {"scale": {"min": -2, "max": 7, "neutral": 4, "step": 0.5, "labels": {"7": "great"}}},
        {"scale": jw.Scale(min=-2, max=2, step=0.5)},
    ],
)
def test_set_map_fields_and_undo(m: jw.JourneyMap, changes: dict) -> None:
    assert_undoable(m, lambda m: m.set(**changes))
    for field, value in changes.items():
        got = getattr(m.info, field)
        if field == "scale":
            assert got == jw.model.entities.as_scale(value)
        else:
            assert got == value


def test_map_properties_set_through_edits(m: jw.JourneyMap) -> None:
    version = m.version
    m.title = "New title"
    m.state = "future"
    m.scale = (-4, 4)
    m.metadata = {"a": 1}
    assert (m.title, m.state, m.scale.min, m.scale.max, m.metadata) == (
        "New title",
        "future",
        -4,
        4,
        {"a": 1},
    )
    assert m.version == version + 4
    for _ in range(4):
        m.undo()
    assert (m.title, m.state, m.scale.max) == ("Buying electricity", "current", 3)


def test_scale_change_keeps_neutral_of_a_pair() -> None:
    m = jw.JourneyMap("x")
    m.set(scale=(1, 5))
    assert (m.scale.min, m.scale.max, m.scale.neutral) == (1, 5, 1)
    m.set(scale=[-2, 2])
    assert m.scale.neutral == 0
    assert m.history[-1]["edit"]["changes"]["scale"]["max"] == 2


def test_scale_change_with_emotions_outside_names_them(m: jw.JourneyMap) -> None:
    exc = assert_rejected(
        m, lambda m: m.set(scale=(0, 10)), field="scale", mentions=("'web'", "'invoice'")
    )
    assert "'ad'" not in str(exc)
    m.update("ad", measured={"emotion": 2.5, "n": 40})
    assert_rejected(
        m, lambda m: setattr(m, "scale", (-2, 2)), field="scale", mentions=("measured",)
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "other"}, "id"),
        ({"colour": "#fff"}, "colour"),
        ({"kind": "partner"}, "kind"),
        ({"state": "past"}, "state"),
        ({"language": ""}, "language"),
        ({"persona": "want"}, "persona"),
        ({"persona": "nobody"}, "persona"),
        ({"scale": (3, -3)}, "scale"),
        ({"scale": (1, 2, 3)}, "scale"),
        ({"scale": {"min": 0, "max": 1, "neutral": 2}}, "scale"),
        ({"scale": {"min": 0, "max": 1, "step": 0}}, "scale"),
        ({"metadata": {"when": object()}}, "metadata"),
        ({"metadata": {"x": [1, math.nan]}}, "metadata"),
        ({"metadata": {"x": {1: "int key"}}}, "metadata"),
    ],
)
def test_set_invalid_map_fields(m: jw.JourneyMap, changes: dict, field: str) -> None:
    exc = assert_rejected(m, lambda m: m.set(**changes), field=field)
    assert isinstance(exc, jw.EditError)
    assert exc.kind == "map"


# ============================================================================ move
@pytest.mark.parametrize(
    ("move", "check"),
    [
        (lambda m: m.move("use", index=0), lambda m: ids(m.stages) == ["use", "want"]),
        (lambda m: m.move("want"), lambda m: ids(m.stages) == ["use", "want"]),
        (lambda m: m.move("emotions", index=0), lambda m: ids(m.lanes) == ["emotions", "actions"]),
        (lambda m: m.move("bela", index=0), lambda m: ids(m.personas) == ["bela", "anna"]),
        (
            lambda m: m.move("web", index=0),
            lambda m: ids(m.touchpoints_in("want")) == ["web", "ad"],
        ),
        (
            lambda m: m.move("ad", stage="use", index=1),
            lambda m: ids(m.touchpoints_in("use")) == ["invoice", "ad"] and m["ad"].stage == "use",
        ),
        (
            lambda m: m.move("invoice", stage="want"),
            lambda m: (
                ids(m.touchpoints) == ["ad", "web", "invoice"] and m.touchpoints_in("use") == []
            ),
        ),
        (
            lambda m: m.move("card_1", touchpoint="web", index=0),
            lambda m: ids(m.cards_in("web", "actions")) == ["card_1", "card_2"],
        ),
        (
            lambda m: m.move("card_1", lane="emotions"),
            lambda m: m["card_1"].lane == "emotions" and m.cards_in("ad", "actions") == [],
        ),
        (
            lambda m: m.move("card_4", touchpoint="web", lane="emotions", index=1),
            lambda m: ids(m.cards_in("web", "emotions")) == ["card_3", "card_4"],
        ),
    ],
)
def test_move_each_kind_and_undo(m: jw.JourneyMap, move, check) -> None:
    assert_undoable(m, move)
    assert check(m)


def test_move_within_a_cell(m: jw.JourneyMap) -> None:
    m.add_card("second", touchpoint="ad", lane="actions", id="second")
    m.add_card("third", touchpoint="ad", lane="actions", id="third")
    assert_undoable(m, lambda m: m.move("third", index=0))
    assert ids(m.cards_in("ad", "actions")) == ["third", "card_1", "second"]
    assert_undoable(m, lambda m: m.move("third", index=2))
    assert ids(m.cards_in("ad", "actions")) == ["card_1", "second", "third"]


def test_move_resolves_the_index_in_the_applied_edit(m: jw.JourneyMap) -> None:
    applied = m.apply(Move(id="card_1", touchpoint="web"))
    assert applied == Move(id="card_1", index=1, touchpoint="web", lane="actions")


def test_move_to_the_same_place_is_harmless(m: jw.JourneyMap) -> None:
    before = m.to_dict()
    m.move("card_1", index=0)
    m.move("want", index=0)
    assert m.to_dict() == before


def test_move_unknown_id(m: jw.JourneyMap) -> None:
    assert_rejected(m, lambda m: m.move("nowhere", index=0), id="nowhere", field="id")


@pytest.mark.parametrize(
    ("move", "id"),
    [
        (lambda m: m.move("want", index=2), "want"),  # 2 stages: the other one, then the end
        (lambda m: m.move("bela", index=5), "bela"),
        (lambda m: m.move("emotions", index=2), "emotions"),
        (lambda m: m.move("ad", index=2), "ad"),
        (lambda m: m.move("ad", stage="use", index=2), "ad"),
        (lambda m: m.move("card_1", index=1), "card_1"),
        (lambda m: m.move("card_1", touchpoint="web", index=2), "card_1"),
        (lambda m: m.move("card_1", index=-1), "card_1"),
    ],
)
def test_move_index_out_of_range(m: jw.JourneyMap, move, id) -> None:
    assert_rejected(m, move, id=id, field="index")


@pytest.mark.parametrize(
    ("move", "id", "field"),
    [
        (lambda m: m.move("ad", stage="nowhere"), "ad", "stage"),
        (lambda m: m.move("ad", stage="invoice"), "ad", "stage"),
        (lambda m: m.move("card_1", touchpoint="use"), "card_1", "touchpoint"),
        (lambda m: m.move("card_1", touchpoint="nowhere"), "card_1", "touchpoint"),
        (lambda m: m.move("card_1", lane="card_2"), "card_1", "lane"),
        (lambda m: m.move("card_1", stage="use"), "card_1", "stage"),
        (lambda m: m.move("ad", lane="emotions"), "ad", "lane"),
        (lambda m: m.move("want", stage="use"), "want", "stage"),
        (lambda m: m.move("actions", touchpoint="ad"), "actions", "touchpoint"),
        (lambda m: m.move("anna", lane="actions"), "anna", "lane"),
    ],
)
def test_move_to_a_wrong_place(m: jw.JourneyMap, move, id, field) -> None:
    assert_rejected(m, move, id=id, field=field)


# ============================================================================ remove
@pytest.mark.parametrize("id", ["card_3", "anna", "bela"])
def test_remove_simple_entities_and_undo(m: jw.JourneyMap, id: str) -> None:
    position = m.position(id)
    assert_undoable(m, lambda m: m.remove(id))
    m.undo()
    assert m.position(id) == position


def test_remove_empty_containers_and_undo(m: jw.JourneyMap) -> None:
    m.add_stage("Empty", id="empty", index=1)
    m.add_lane("Empty lane", id="empty_lane", index=1)
    m.add_touchpoint("Empty tp", id="empty_tp", stage="use", index=0)
    for id in ["empty_tp", "empty", "empty_lane"]:
        assert_undoable(m, lambda m, id=id: m.remove(id))
        assert id not in m


@pytest.mark.parametrize(
    ("id", "holds"), [("want", "2 touchpoints"), ("invoice", "2 cards"), ("emotions", "2 cards")]
)
def test_remove_with_content_needs_cascade_or_rehome(m: jw.JourneyMap, id: str, holds: str) -> None:
    assert_rejected(m, lambda m: m.remove(id), id=id, mentions=(holds, "cascade", "rehome"))


def test_remove_stage_with_cascade_and_undo(m: jw.JourneyMap) -> None:
    assert_undoable(m, lambda m: m.remove("want", cascade=True))
    assert ids(m.stages) == ["use"]
    assert ids(m.touchpoints) == ["invoice"]
    assert ids(m.cards) == ["card_4", "card_5"]
    assert not {"ad", "web", "card_1", "card_2", "card_3"} & {e.id for e in m}


def test_remove_touchpoint_and_lane_with_cascade_and_undo(m: jw.JourneyMap) -> None:
    assert_undoable(m, lambda m: m.remove("web", cascade=True))
    assert ids(m.cards) == ["card_1", "card_4", "card_5"]
    assert_undoable(m, lambda m: m.remove("emotions", cascade=True))
    assert ids(m.lanes) == ["actions"]
    assert ids(m.cards) == ["card_1", "card_4"]


def test_remove_stage_with_rehome_and_undo(m: jw.JourneyMap) -> None:
    assert_undoable(m, lambda m: m.remove("want", rehome="use"))
    assert ids(m.stages) == ["use"]
    assert ids(m.touchpoints) == ["invoice", "ad", "web"]
    assert all(tp.stage == "use" for tp in m.touchpoints)
    assert len(m.cards) == 5


def test_remove_touchpoint_with_rehome_keeps_lanes(m: jw.JourneyMap) -> None:
    assert_undoable(m, lambda m: m.remove("web", rehome="invoice"))
    assert ids(m.cards_in("invoice", "actions")) == ["card_4", "card_2"]
    assert ids(m.cards_in("invoice", "emotions")) == ["card_5", "card_3"]


def test_remove_lane_with_rehome(m: jw.JourneyMap) -> None:
    assert_undoable(m, lambda m: m.remove("emotions", rehome="actions"))
    assert ids(m.cards_in(lane="actions")) == ["card_1", "card_2", "card_3", "card_4", "card_5"]


@pytest.mark.parametrize(
    ("remove", "id"),
    [
        (lambda m: m.remove("want", rehome="want"), "want"),
        (lambda m: m.remove("want", rehome="ad"), "want"),
        (lambda m: m.remove("invoice", rehome="use"), "invoice"),
        (lambda m: m.remove("emotions", rehome="card_5"), "emotions"),
        (lambda m: m.remove("emotions", rehome="nowhere"), "emotions"),
        (lambda m: m.remove("want", cascade=True, rehome="use"), "want"),
        (lambda m: m.remove("card_1", rehome="card_2"), "card_1"),
        (lambda m: m.remove("anna", rehome="bela"), "anna"),
    ],
)
def test_remove_with_a_wrong_rehome(m: jw.JourneyMap, remove, id: str) -> None:
    assert_rejected(m, remove, id=id, field="rehome")


def test_remove_unknown_id(m: jw.JourneyMap) -> None:
    assert_rejected(m, lambda m: m.remove("nowhere"), id="nowhere", field="id")
    assert_rejected(m, lambda m: m.remove("nowhere", cascade=True), id="nowhere", field="id")


def test_remove_the_maps_persona_clears_it_and_undo_restores(m: jw.JourneyMap) -> None:
    m.set(persona="bela")
    assert_undoable(m, lambda m: m.remove("bela"))
    assert m.info.persona is None
    assert m.persona is not None
    assert m.persona.id == "anna"
    m.undo()
    assert m.info.persona == "bela"
    assert m.persona is not None
    assert m.persona.id == "bela"


# ============================================================================ set emotion
@pytest.mark.parametrize("value", [3, -3, 0, 0.5, None])
def test_set_emotion_and_undo(m: jw.JourneyMap, value: float | None) -> None:
    assert_undoable(m, lambda m: m.set_emotion("ad", value))
    assert m["ad"].emotion == value


def test_set_emotion_returns_the_touchpoint(m: jw.JourneyMap) -> None:
    tp = m.set_emotion("web", 2)
    assert isinstance(tp, jw.Touchpoint)
    assert tp.emotion == 2
    assert m.apply(SetEmotion(id="web", value=1)).to_dict() == {
        "op": "set_emotion",
        "id": "web",
        "value": 1.0,
    }


@pytest.mark.parametrize("value", [3.01, -4, math.nan, math.inf])
def test_set_emotion_off_the_scale(m: jw.JourneyMap, value: float) -> None:
    assert_rejected(m, lambda m: m.set_emotion("ad", value), id="ad", field="emotion")


@pytest.mark.parametrize("id", ["card_1", "want", "actions", "anna"])
def test_set_emotion_of_something_else(m: jw.JourneyMap, id: str) -> None:
    assert_rejected(m, lambda m: m.set_emotion(id, 1), id=id, field="emotion")


def test_set_emotion_unknown_id(m: jw.JourneyMap) -> None:
    assert_rejected(m, lambda m: m.set_emotion("nowhere", 1), id="nowhere", field="id")


# ============================================================================ batch and dicts
def test_batch_edit_is_one_undo_step(m: jw.JourneyMap) -> None:
    edit = {
        "op": "batch",
        "label": "new stage",
        "edits": [
            {"op": "add", "kind": "stage", "item": {"id": "leave", "name": "I leave"}},
            {
                "op": "add",
                "kind": "touchpoint",
                "item": {"id": "quit", "name": "Quit", "stage": "leave"},
            },
            {"op": "move", "id": "card_5", "touchpoint": "quit"},
            {"op": "set_emotion", "id": "quit", "value": -3},
            {"op": "update", "id": "quit", "changes": {"owner": "Retention"}},
            {"op": "update", "kind": "map", "changes": {"state": "future"}},
            {"op": "remove", "id": "card_1"},
        ],
    }
    after = assert_undoable(m, lambda m: m.apply(edit))
    assert after["state"] == "future"
    assert m["quit"].owner == "Retention"
    assert ids(m.cards_in("quit")) == ["card_5"]


@pytest.mark.parametrize("failing", range(4))
def test_failing_batch_leaves_the_map_unchanged(m: jw.JourneyMap, failing: int) -> None:
    good = [
        {"op": "add", "kind": "stage", "item": {"id": "leave", "name": "I leave"}},
        {"op": "remove", "id": "web", "cascade": True},
        {"op": "move", "id": "invoice", "stage": "leave"},
        {"op": "set_emotion", "id": "invoice", "value": 1},
    ]
    bad = {"op": "set_emotion", "id": "card_4", "value": 1}
    edits = [*good[:failing], bad, *good[failing:]]
    assert_rejected(
        m, lambda m: m.apply({"op": "batch", "edits": edits}), id="card_4", field="emotion"
    )


def test_nested_batch_edits(m: jw.JourneyMap) -> None:
    inner = {
        "op": "batch",
        "edits": [{"op": "remove", "id": "card_1"}, {"op": "remove", "id": "card_2"}],
    }
    assert_undoable(
        m, lambda m: m.apply({"op": "batch", "edits": [inner, {"op": "remove", "id": "card_3"}]})
    )
    assert "card_3" not in m
    bad_inner = {
        "op": "batch",
        "edits": [{"op": "remove", "id": "card_4"}, {"op": "remove", "id": "zz"}],
    }
    outer = {"op": "batch", "edits": [{"op": "remove", "id": "card_5"}, bad_inner]}
    assert_rejected(m, lambda m: m.apply(outer), id="zz", field="id")


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"op": "frobnicate", "id": "x"}, "op"),
        ({"id": "card_1"}, "op"),
        ({"op": "move"}, "id"),
        ({"op": "move", "id": "card_1", "index": "first"}, "index"),
        ({"op": "remove", "id": "card_1", "force": True}, "force"),
        ({"op": "add", "kind": "sticker", "item": {}}, "kind"),
        ({"op": "add", "kind": "card", "item": "text"}, "item"),
        ({"op": "set_emotion", "id": "ad"}, "value"),
        ({"op": "batch", "edits": [{"op": "remove"}]}, "edits.0.id"),
        ({"op": "batch", "edits": [{"id": "card_1"}]}, "edits.0.op"),
    ],
)
def test_malformed_edits(m: jw.JourneyMap, edit, field) -> None:
    assert_rejected(m, lambda m: m.apply(edit), field=field)


def test_an_edit_that_is_not_even_a_dict(m: jw.JourneyMap) -> None:
    exc = assert_rejected(m, lambda m: m.apply("remove card_1"))  # type: ignore[arg-type]
    assert "not a valid edit" in str(exc)


def test_edit_objects_and_their_dicts_are_interchangeable(m: jw.JourneyMap) -> None:
    edits = [
        Add(kind="card", item={"text": "x", "touchpoint": "ad", "lane": "emotions"}, index=0),
        Update(id="want", changes={"description": "d"}),
        Update(kind="map", changes={"title": "t"}),
        Move(id="card_2", touchpoint="ad", lane="actions", index=0),
        Remove(id="invoice", cascade=True),
        SetEmotion(id="ad", value=-1),
    ]
    other = small_map()
    for edit in edits:
        assert jw.parse_edit(edit.to_dict()) == edit
        m.apply(edit)
        other.apply(edit.to_dict())
    assert m == other


def test_scale_change_names_each_value_outside_it() -> None:
    m = jw.JourneyMap("x")
    m.add_stage("S", id="s")
    m.add_touchpoint("A", id="a", stage="s", emotion=-2.5)
    m.add_touchpoint("B", id="b", stage="s", measured={"emotion": 2.75, "n": 30})
    with pytest.raises(jw.EditError) as info:
        m.set(scale=(-2, 2))
    assert "'a' (-2.5), 'b' (measured 2.75) fall outside" in str(info.value)
    assert m.scale.max == 3
