"""Undo, redo, batches, change events and the serializable history of a map."""

from __future__ import annotations

import json

import pytest

import journeywidgets as jw
from model_helpers import assert_rejected, fresh, small_map, snapshot


def edit_everything(m: jw.JourneyMap) -> None:
    """One of each edit, on each kind of entity, including cascades and rehomes."""
    m.add_stage("I leave", id="leave")
    m.add_touchpoint("Termination", id="quit", stage="leave", emotion=-3)
    m.add_lane("Pain points", kind="pain_points")
    m.add_card("Long notice", touchpoint="quit", lane="pain_points", impact=5, effort=1)
    m.add_persona("Cecília", id="cecilia")
    m.update("want", description="Before the contract")
    m.update("card_2", text="Compares three tariffs", tags=["price"])
    m.set(title="Buying and leaving", persona="cecilia", scale=(-4, 4))
    m.move("use", index=0)
    m.move("ad", stage="leave", index=0)
    m.move("card_3", touchpoint="quit", lane="pain_points")
    m.set_emotion("web", 4)
    m.set_emotion("invoice", None)
    m.remove("emotions", rehome="actions")
    m.remove("web", cascade=True)
    m.remove("want")
    m.remove("cecilia")
    with m.batch("tidy"):
        m.remove("use", rehome="leave")
        m.add_card("Done", touchpoint="quit", lane="actions", index=0)


def test_undo_everything_then_redo_everything() -> None:
    m = fresh(small_map())  # no history of its own making
    assert not m.can_undo
    start = m.to_dict()
    states = [start]

    def record(change: jw.Change) -> None:
        if change.action == "edit" and m._batch is None:
            states.append(m.to_dict())

    m.observe(record)
    edit_everything(m)
    states.append(m.to_dict())  # the batch is one step, recorded after it closes
    end = m.to_dict()
    steps = 0
    while m.can_undo:
        assert m.to_dict() == states[-1 - steps]
        assert m.undo()
        steps += 1
    assert m.to_dict() == start
    assert steps == len(states) - 1 == 18
    assert m.undo() is False
    while m.can_redo:
        assert m.redo()
    assert m.redo() is False
    assert m.to_dict() == end


def test_a_new_edit_clears_redo() -> None:
    m = small_map()
    m.set_emotion("ad", 3)
    m.set_emotion("ad", 2)
    m.undo()
    assert m.can_redo
    m.update("ad", name="Billboard")
    assert not m.can_redo
    assert m.redo() is False
    assert m["ad"].emotion == 3


def test_a_rejected_edit_keeps_redo() -> None:
    m = small_map()
    m.set_emotion("ad", 3)
    m.undo()
    assert_rejected(m, lambda m: m.set_emotion("ad", 99), id="ad", field="emotion")
    assert m.can_redo


def test_version_grows_by_one_per_change() -> None:
    m = small_map()
    v = m.version
    m.set_emotion("ad", 0)
    m.undo()
    m.redo()
    assert m.version == v + 3
    with pytest.raises(jw.EditError):
        m.remove("want")
    assert m.version == v + 3
    assert [h["version"] for h in m.history] == list(range(1, m.version + 1))


def test_undo_stack_is_bounded() -> None:
    m = jw.JourneyMap("x")
    m.add_stage("S")
    m.add_touchpoint("T", stage="s")
    for i in range(1001):
        m.set_emotion("t", (i % 3) - 1)
    undone = 0
    while m.can_undo:
        assert m.undo()
        undone += 1
    assert undone == 1000
    with pytest.warns(jw.JourneyWarning, match=r"undo limit \(1000 steps\) forgot 3 older"):
        assert not m.undo()
    assert [s.id for s in m.stages] == ["s"]  # the oldest steps are forgotten, not undone
    assert len(m.history) == 1000  # the log is bounded the same way
    assert m.history[-1]["action"] == "undo"


# ============================================================================ batches
def test_batch_is_one_undo_step() -> None:
    m = small_map()
    before = m.to_dict()
    with m.batch("new stage"):
        m.add_stage("I leave", id="leave")
        m.move("invoice", stage="leave")
        m.set_emotion("invoice", 3)
    after = m.to_dict()
    assert m.undo()
    assert m.to_dict() == before
    assert not m.can_undo or m.to_dict() != after
    assert m.redo()
    assert m.to_dict() == after


def test_empty_batch_adds_no_undo_step() -> None:
    m = small_map()
    m.set_emotion("ad", 0)
    with m.batch():
        pass
    m.undo()
    assert m["ad"].emotion == 1


@pytest.mark.parametrize("error", [RuntimeError("boom"), jw.EditError("bad"), KeyboardInterrupt()])
def test_batch_rolls_back_when_the_block_raises(error: BaseException) -> None:
    m = small_map()
    m.set_emotion("ad", 0)
    before = m.to_dict()

    def block() -> None:
        with m.batch():
            m.remove("want", cascade=True)
            m.add_stage("Other", id="other")
            m.move("invoice", stage="other")
            m.remove("emotions", rehome="actions")
            raise error

    with pytest.raises(type(error)):
        block()
    assert m.to_dict() == before
    assert not m.can_redo
    assert m.undo()  # the step before the batch is still the last one
    assert m["ad"].emotion == 1


def test_batch_with_a_rejected_edit_caught_inside_keeps_the_rest() -> None:
    m = small_map()
    with m.batch():
        m.set_emotion("ad", 2)
        with pytest.raises(jw.EditError):
            m.set_emotion("ad", 20)
        m.set_emotion("web", 2)
    assert (m["ad"].emotion, m["web"].emotion) == (2, 2)
    m.undo()
    assert (m["ad"].emotion, m["web"].emotion) == (1, -1)


def test_nested_batch_failing_inside_takes_back_only_its_own_edits() -> None:
    m = small_map()
    before = m.to_dict()

    def inner() -> None:
        with m.batch("inner"):
            m.set_emotion("web", 3)
            m.remove("invoice", cascade=True)
            raise ValueError("inner")

    with m.batch("outer"):
        m.set_emotion("ad", 3)
        with pytest.raises(ValueError, match="inner"):
            inner()
        m.set_emotion("invoice", 3)
    assert (m["ad"].emotion, m["web"].emotion, m["invoice"].emotion) == (3, -1, 3)
    assert len(m.cards) == 5
    m.undo()
    assert m.to_dict() == before


def test_undo_and_redo_are_refused_inside_a_batch() -> None:
    m = small_map()
    m.set_emotion("ad", 0)
    with m.batch():
        m.set_emotion("web", 0)
        exc = assert_rejected(m, lambda m: m.undo())
        assert "batch" in str(exc)
        assert_rejected(m, lambda m: m.redo())
    assert m["web"].emotion == 0


# ============================================================================ observers
def test_observers_hear_every_change_with_version_and_origin() -> None:
    m = small_map()
    heard: list[jw.Change] = []
    stop = m.observe(heard.append)
    start = m.version
    m.set_emotion("ad", 2)
    m.apply({"op": "move", "id": "card_2", "lane": "emotions"}, origin="widget-1")
    m.undo(origin="widget-1")
    m.redo()
    with pytest.raises(jw.EditError):
        m.set_emotion("ad", 99)
    assert [(c.action, c.origin, c.version) for c in heard] == [
        ("edit", "python", start + 1),
        ("edit", "widget-1", start + 2),
        ("undo", "widget-1", start + 3),
        ("redo", "python", start + 4),
    ]
    assert heard[0].edit == jw.SetEmotion(id="ad", value=2)
    assert heard[0].inverse == jw.SetEmotion(id="ad", value=1)
    assert heard[2].edit == heard[1].inverse
    assert heard[3].edit == heard[1].edit
    stop()
    m.set_emotion("ad", 0)
    assert len(heard) == 4
    stop()  # stopping twice is harmless


def test_each_change_carries_its_inverse() -> None:
    """A view that keeps its own copy can follow the map with the edits alone, and undo
    with the inverses alone."""
    m = small_map()
    mirror = fresh(m)
    changes: list[jw.Change] = []
    m.observe(changes.append)
    m.observe(lambda change: mirror.apply(change.edit))
    edit_everything(m)
    m.undo()
    m.undo()
    m.redo()
    assert mirror == m
    for change in reversed(changes):
        mirror.apply(change.inverse)
    assert mirror == small_map()


def test_batch_rollback_is_heard_as_undo() -> None:
    m = small_map()
    heard: list[jw.Change] = []
    m.observe(heard.append)

    def block() -> None:
        with m.batch():
            m.set_emotion("ad", 2)
            m.remove("card_1")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        block()
    assert [c.action for c in heard] == ["edit", "edit", "undo", "undo"]
    assert heard[2].edit == heard[1].inverse
    assert heard[3].edit == heard[0].inverse


def test_observer_may_unsubscribe_while_being_called() -> None:
    m = small_map()
    calls: list[int] = []
    stops: list = []

    def once(change: jw.Change) -> None:
        calls.append(change.version)
        stops[0]()

    stops.append(m.observe(once))
    m.set_emotion("ad", 0)
    m.set_emotion("ad", 1)
    assert len(calls) == 1


def test_a_failing_observer_does_not_stop_the_others_or_the_edit() -> None:
    m = small_map()
    heard: list[int] = []

    def broken(change: jw.Change) -> None:
        raise RuntimeError("view crashed")

    m.observe(broken)
    m.observe(lambda change: heard.append(change.version))
    with pytest.raises(RuntimeError, match="view crashed"):
        m.set_emotion("ad", 3)
    # the edit happened, completely, and can be undone
    assert m["ad"].emotion == 3
    assert heard == [m.version]
    with pytest.raises(RuntimeError):
        m.undo()
    assert m["ad"].emotion == 1
    assert len(heard) == 2


def test_a_failing_observer_in_a_batch_rolls_the_batch_back_completely() -> None:
    m = small_map()
    before = m.to_dict()
    calls = []

    def broken(change: jw.Change) -> None:
        calls.append(change.action)
        if change.edit == jw.Remove(id="card_2"):
            raise RuntimeError("view crashed")

    m.observe(broken)

    def block() -> None:
        with m.batch():
            m.remove("card_1")
            m.remove("card_2")
            m.remove("card_3")

    with pytest.raises(RuntimeError, match="view crashed"):
        block()
    assert m.to_dict() == before
    assert calls == ["edit", "edit", "undo", "undo"]


# ============================================================================ history
def test_history_is_json_and_replays_to_the_same_map() -> None:
    m = small_map()
    start = fresh(m)
    skip = len(m.history)  # building the small map is history too
    edit_everything(m)
    log = m.history[skip:]
    text = json.dumps(log)
    assert json.loads(text) == log
    assert {entry["action"] for entry in log} == {"edit"}
    assert all(set(entry) == {"version", "action", "origin", "edit"} for entry in log)
    replay = fresh(start)
    for entry in json.loads(text):
        replay.apply(entry["edit"])
    assert replay == m


def test_whole_log_replays_even_with_undo_and_redo() -> None:
    """Undo and redo entries hold the edit as applied, so the full log replays too."""
    m = jw.JourneyMap("From scratch")
    edit_everything_from_scratch(m)
    for _ in range(5):
        m.undo()
    for _ in range(5):
        m.redo()  # the last one redoes the batch
    m.undo()
    m.undo()
    m.redo()
    m.add_card("after undo", touchpoint="t2", lane="actions")
    actions = {entry["action"] for entry in m.history}
    assert actions == {"edit", "undo", "redo"}
    replay = jw.JourneyMap("From scratch")
    for entry in json.loads(json.dumps(m.history)):
        replay.apply(entry["edit"])
    assert replay == m


def edit_everything_from_scratch(m: jw.JourneyMap) -> None:
    m.add_stage("One")
    m.add_stage("Two")
    m.add_lane("Actions", kind="actions")
    m.add_touchpoint("T1", stage="one", emotion=1)
    m.add_touchpoint("T2", stage="two", emotion=-1)
    for i in range(6):
        m.add_card(f"card {i}", touchpoint=("t1", "t2")[i % 2], lane="actions")
    m.remove("one", rehome="two")
    m.move("card_3", index=0)
    with m.batch("tidy"):
        m.remove("t1", cascade=True)
        m.add_lane("Emotions", kind="emotions", index=0)
        m.move("card_2", lane="emotions")


def test_history_of_a_rejected_edit_is_empty() -> None:
    m = small_map()
    before = snapshot(m)
    with pytest.raises(jw.EditError):
        m.apply({"op": "batch", "edits": [{"op": "remove", "id": "card_1"}, {"op": "zap"}]})
    assert snapshot(m) == before
