"""Property-based tests: random valid maps round-trip through JSON unchanged; random edits,
valid or not, either apply as one undoable step or raise and leave the map unchanged."""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import journeywidgets as jw
from journeywidgets.model.entities import LANE_KINDS, SOURCES
from model_helpers import AWKWARD_TEXTS

#: Modest by default so the file runs in seconds; ``JW_EXAMPLES=1000`` for a deeper search.
SETTINGS = settings(
    max_examples=int(os.environ.get("JW_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# ---------------------------------------------------------------------------- strategies
#: Any text a user can type: every script, emoji, controls, but no lone surrogates (which
#: cannot be written as UTF-8 at all).
texts = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
    st.sampled_from(AWKWARD_TEXTS),
)
names = texts.filter(lambda s: re.search(r"\S", s) is not None)  # a name is not only spaces
#: Ids given by the user: readable characters (letters from several scripts, emoji).
ids = st.text(st.sampled_from("abcxyz_019-.ąęłóśźżőűáé🙂ש"), min_size=1, max_size=8)
languages = st.sampled_from(["pl", "hu", "en", "ar", "he", "de-AT"])
labels = st.dictionaries(languages, names, max_size=2)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53 - 1), 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def scales(draw: st.DrawFn) -> jw.Scale:
    low = draw(st.sampled_from([-3, -2, -5, 0, 1, -1.5]))
    high = low + draw(st.sampled_from([1, 2, 4, 6, 10, 2.5]))
    neutral = draw(st.floats(low, high, allow_nan=False))
    step = draw(st.sampled_from([1, 0.5, 0.25]))
    return jw.Scale(
        min=low,
        max=high,
        neutral=neutral,
        step=step,
        labels=draw(
            st.dictionaries(st.sampled_from(["-3", "0", "3", "low", "high"]), names, max_size=2)
        ),
    )


@st.composite
def maps(draw: st.DrawFn) -> jw.JourneyMap:
    """A random valid map built through the edit API."""
    scale = draw(scales())
    emotions = st.none() | st.floats(scale.min, scale.max, allow_nan=False)
    m = jw.JourneyMap(
        draw(texts),
        description=draw(texts),
        scenario=draw(texts),
        kind=draw(st.sampled_from(["customer", "employee"])),
        state=draw(st.sampled_from(["current", "future"])),
        scale=scale,
        language=draw(languages),
        labels=draw(labels),
        metadata=draw(st.dictionaries(texts, json_values, max_size=3)),
    )

    def maybe_id() -> str | None:
        return draw(st.none() | ids.filter(lambda i: i not in m))

    for _ in range(draw(st.integers(0, 2))):
        m.add_persona(
            draw(names),
            id=maybe_id(),
            role=draw(texts),
            goals=tuple(draw(st.lists(texts, max_size=2))),
            frustrations=tuple(draw(st.lists(texts, max_size=2))),
            quote=draw(texts),
            labels=draw(labels),
        )
    for _ in range(draw(st.integers(1, 3))):
        m.add_stage(draw(names), id=maybe_id(), labels=draw(labels))
    for _ in range(draw(st.integers(1, 3))):
        m.add_lane(
            draw(names),
            id=maybe_id(),
            kind=draw(st.sampled_from(LANE_KINDS)),
            colour=draw(st.sampled_from(["", "#abc", "#A1B2C3"])),
        )
    for _ in range(draw(st.integers(0, 5))):
        stage = draw(st.sampled_from([s.id for s in m.stages]))
        size = len(m.touchpoints_in(stage))
        measured = draw(
            st.none()
            | st.builds(
                dict,
                emotion=st.floats(scale.min, scale.max, allow_nan=False),
                n=st.integers(0, 5000),
                metric=texts,
            )
        )
        m.add_touchpoint(
            draw(names),
            id=maybe_id(),
            stage=stage,
            index=draw(st.none() | st.integers(0, size)),
            emotion=draw(emotions),
            channel=draw(texts),
            moment_of_truth=draw(st.booleans()),
            metrics=draw(
                st.dictionaries(
                    texts,
                    st.integers(-(2**53 - 1), 2**53 - 1)
                    | st.floats(allow_nan=False, allow_infinity=False)
                    | texts,
                    max_size=2,
                )
            ),
            measured=measured,
        )
    if m.touchpoints:
        for _ in range(draw(st.integers(0, 10))):
            tp = draw(st.sampled_from([t.id for t in m.touchpoints]))
            lane = draw(st.sampled_from([lane.id for lane in m.lanes]))
            m.add_card(
                draw(texts),
                id=maybe_id(),
                touchpoint=tp,
                lane=lane,
                index=draw(st.none() | st.integers(0, len(m.cards_in(tp, lane)))),
                tags=tuple(draw(st.lists(texts, max_size=2))),
                source=draw(st.sampled_from(SOURCES)),
                impact=draw(st.none() | st.integers(1, 5)),
                effort=draw(st.none() | st.integers(1, 5)),
            )
    if m.personas and draw(st.booleans()):
        m.set(persona=draw(st.sampled_from([p.id for p in m.personas])))
    return m


# ---------------------------------------------------------------------------- round trips
@SETTINGS
@given(maps())
def test_random_maps_round_trip_through_json_unchanged(m: jw.JourneyMap) -> None:
    doc = m.to_dict()
    text = m.to_json()
    for back in (
        jw.loads(text),
        jw.loads(m.to_json(indent=None)),
        jw.loads(text.encode("utf-8")),
        jw.JourneyMap.from_dict(json.loads(json.dumps(doc))),
    ):
        assert back == m
        assert back.to_dict() == doc
    assert jw.loads(text).to_json() == text  # the text itself is stable


# ---------------------------------------------------------------------------- random edits
BOGUS_IDS = ["nowhere", "", " padded", "card_999"]
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.floats(),  # nan and infinities included
    texts,
    st.lists(texts, max_size=2),
    st.dictionaries(texts, st.integers(-3, 3) | texts, max_size=2),
)
FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "name": names,
    "text": texts,
    "description": texts,
    "emotion": st.floats(-12, 12) | st.none(),
    "kind": st.sampled_from([*LANE_KINDS, "feelings"]),
    "colour": st.sampled_from(["", "#fff", "#123456", "red"]),
    "impact": st.integers(0, 6) | st.none(),
    "effort": st.integers(0, 6) | st.none(),
    "source": st.sampled_from([*SOURCES, "rumour"]),
    "tags": st.lists(texts, max_size=2),
    "labels": labels,
    "moment_of_truth": st.booleans(),
    "metrics": st.dictionaries(texts, st.floats() | st.integers(-5, 5), max_size=2),
    "measured": st.none() | st.builds(dict, emotion=st.floats(-12, 12), n=st.integers(-1, 9)),
    "goals": st.lists(texts, max_size=2),
}
FIELDS_OF = {kind: list(cls.model_fields) for kind, cls in jw.model.entities.ENTITY_TYPES.items()}


@st.composite
def edits(draw: st.DrawFn, m: jw.JourneyMap, depth: int = 0) -> dict[str, Any]:
    """A random edit for ``m``: often valid, often not (unknown ids, wrong kinds, indices
    past the end, values off the scale or of the wrong type, unknown fields)."""
    existing = [e.id for e in m]
    some_id = st.sampled_from(existing + BOGUS_IDS) if existing else st.sampled_from(BOGUS_IDS)

    def ids_of(kind: str) -> st.SearchStrategy[str]:
        own = [e.id for e in m if m.kind_of(e.id) == kind]
        return st.sampled_from(own) if own and draw(st.integers(0, 4)) else some_id

    index = st.none() | st.integers(-1, 6)
    ops = ["add", "update", "move", "remove", "set_emotion", "map"]
    op = draw(st.sampled_from([*ops, "batch"] if depth == 0 else ops))
    if op == "add":
        kind = draw(st.sampled_from(list(FIELDS_OF)))
        item: dict[str, Any] = {"name": draw(names), "text": draw(texts)}
        if kind != "card":
            item.pop("text")
        else:
            item.pop("name")
        if kind == "touchpoint":
            item["stage"] = draw(ids_of("stage"))
            item["emotion"] = draw(FIELD_VALUES["emotion"])
        if kind == "card":
            item["touchpoint"] = draw(ids_of("touchpoint"))
            item["lane"] = draw(ids_of("lane"))
        if draw(st.booleans()):
            item["id"] = draw(ids | some_id)
        if draw(st.integers(0, 3)) == 0:
            field = draw(st.sampled_from([*FIELDS_OF[kind], "bogus"]))
            item[field] = draw(FIELD_VALUES.get(field, ANY_VALUE))
        return {"op": "add", "kind": kind, "item": item, "index": draw(index)}
    if op == "update":
        target = draw(some_id)
        kind = m.kind_of(target) or "card"
        field = draw(st.sampled_from([*FIELDS_OF[kind], "bogus"]))
        return {
            "op": "update",
            "id": target,
            "changes": {field: draw(FIELD_VALUES.get(field, ANY_VALUE))},
        }
    if op == "move":
        target = draw(some_id)
        edit: dict[str, Any] = {"op": "move", "id": target, "index": draw(index)}
        kind = m.kind_of(target)
        if kind == "touchpoint" and draw(st.booleans()):
            edit["stage"] = draw(ids_of("stage"))
        if kind == "card" and draw(st.booleans()):
            edit["touchpoint"] = draw(ids_of("touchpoint"))
        if kind == "card" and draw(st.booleans()):
            edit["lane"] = draw(ids_of("lane"))
        if draw(st.integers(0, 5)) == 0:
            edit[draw(st.sampled_from(["stage", "touchpoint", "lane"]))] = draw(some_id)
        return edit
    if op == "remove":
        target = draw(some_id)
        edit = {"op": "remove", "id": target, "cascade": draw(st.booleans())}
        if draw(st.booleans()):
            edit["rehome"] = draw(ids_of(m.kind_of(target) or "stage"))
        return edit
    if op == "set_emotion":
        value = draw(st.floats(-12, 12) | st.none() | st.floats())
        return {"op": "set_emotion", "id": draw(ids_of("touchpoint")), "value": value}
    if op == "map":
        field = draw(
            st.sampled_from(["title", "kind", "state", "scale", "persona", "metadata", "bogus"])
        )
        value = {
            "title": texts,
            "kind": st.sampled_from(["customer", "employee", "partner"]),
            "state": st.sampled_from(["current", "future", "past"]),
            "scale": st.sampled_from([(-3, 3), (-1, 1), (0, 10), (3, -3), [-5, 5], (1,)]),
            "persona": st.none() | ids_of("persona"),
            "metadata": st.dictionaries(texts, json_values | st.floats(), max_size=2),
            "bogus": ANY_VALUE,
        }[field]
        return {"op": "update", "kind": "map", "changes": {field: draw(value)}}
    return {
        "op": "batch",
        "label": draw(texts),
        "edits": draw(st.lists(edits(m, depth=1), min_size=1, max_size=3)),
    }


@SETTINGS
@given(maps(), st.data())
def test_random_edits_apply_whole_or_not_at_all(m: jw.JourneyMap, data: st.DataObject) -> None:
    m = jw.JourneyMap.from_dict(m.to_dict())  # start without history
    start = m.to_dict()
    applied = rejected = 0
    for _ in range(data.draw(st.integers(1, 20), label="steps")):
        edit = data.draw(edits(m), label="edit")
        before, version = m.to_dict(), m.version
        try:
            m.apply(edit, origin="hypothesis")
        except jw.JourneyError:
            rejected += 1
            event(f"{edit['op']} rejected")
            assert m.to_dict() == before
            assert m.version == version
            continue
        applied += 1
        event(f"{edit['op']} applied")
        after = m.to_dict()
        assert m.version == version + 1
        # what an edit leaves behind is itself a valid document
        assert jw.JourneyMap.from_dict(json.loads(m.to_json())).to_dict() == after
        assert m.undo()
        assert m.to_dict() == before
        assert m.redo()
        assert m.to_dict() == after
    end = m.to_dict()
    log = json.loads(json.dumps(m.history))
    while m.undo():
        pass
    assert m.to_dict() == start
    replay = jw.JourneyMap.from_dict(start)
    for entry in log:
        replay.apply(entry["edit"])
    assert replay.to_dict() == end
    assert applied + rejected > 0


@SETTINGS
@given(maps(), st.data())
def test_a_failing_batch_changes_nothing(m: jw.JourneyMap, data: st.DataObject) -> None:
    good = data.draw(st.lists(edits(m, depth=1), max_size=3), label="edits")
    bad = {"op": "set_emotion", "id": "no such touchpoint", "value": 0}
    at = data.draw(st.integers(0, len(good)), label="at")
    before, version = m.to_dict(), m.version
    try:
        m.apply({"op": "batch", "edits": [*good[:at], bad, *good[at:]]})
    except jw.JourneyError:
        pass
    else:  # pragma: no cover - the bad step always fails
        raise AssertionError("a batch with a bad step was applied")
    assert m.to_dict() == before
    assert m.version == version


def test_floats_that_are_not_json_never_enter_a_map() -> None:
    m = jw.JourneyMap("x")
    m.add_stage("S")
    for value in (math.nan, math.inf, -math.inf):
        for edit in (
            {
                "op": "add",
                "kind": "touchpoint",
                "item": {"name": "T", "stage": "s", "emotion": value},
            },
            {
                "op": "add",
                "kind": "touchpoint",
                "item": {"name": "T", "stage": "s", "metrics": {"a": value}},
            },
            {"op": "update", "kind": "map", "changes": {"metadata": {"a": [value]}}},
            {"op": "update", "kind": "map", "changes": {"scale": {"min": value, "max": 1}}},
        ):
            try:
                m.apply(edit)
            except jw.EditError:
                continue
            raise AssertionError(f"{edit} was accepted")
    assert "NaN" not in m.to_json()
    assert "Infinity" not in m.to_json()
