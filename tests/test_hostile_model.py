"""Hostile and unlucky input to the model: every case is refused with a journeywidgets error
that names where the problem is, and leaves the map exactly as it was (document, version,
history, undo state).

The cases are data: one table for edits made through the Python API or sent as the widget
sends them, one for JSON documents, one for tables.  Random sequences of valid and invalid
edits, and random text (lone surrogates, control characters, right-to-left marks), follow.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeywidgets as jw
from journeywidgets.errors import ReadOnlyError
from journeywidgets.model import rules
from model_helpers import assert_rejected, small_map, snapshot

SURROGATE = "\ud83d"  # the first half of an emoji, as a spreadsheet may cut it
LOW_SURROGATE = "\ude00"


def nested(depth: int) -> dict[str, Any]:
    """``{"a": {"a": ...}}`` ``depth`` levels deep."""
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def nested_batch(depth: int) -> dict[str, Any]:
    """A batch of a batch of ... ``depth`` levels around one valid edit."""
    edit: dict[str, Any] = {"op": "set_emotion", "id": "ad", "value": 1}
    for _ in range(depth):
        edit = {"op": "batch", "edits": [edit]}
    return edit


Action = Callable[[jw.JourneyMap], Any]

#: (case id, what the user does, the error, the id and the field the error must name)
EDIT_CASES: list[tuple[str, Action, type[Exception], str | None, str | None]] = [
    # ---------------------------------------------------------------- the map's own fields
    (
        "metadata nested 300 levels",
        lambda m: m.set(metadata=nested(300)),
        jw.EditError,
        None,
        "metadata",
    ),
    (
        "metadata nested 33 levels",
        lambda m: m.set(metadata=nested(rules.MAX_DEPTH + 1)),
        jw.EditError,
        None,
        "metadata",
    ),
    ("metadata key not text", lambda m: m.set(metadata={1: "x"}), jw.EditError, None, "metadata"),
    ("metadata NaN", lambda m: m.set(metadata={"a": math.nan}), jw.EditError, None, "metadata"),
    (
        "metadata infinity",
        lambda m: m.set(metadata={"a": [math.inf]}),
        jw.EditError,
        None,
        "metadata",
    ),
    ("metadata object", lambda m: m.set(metadata={"a": object()}), jw.EditError, None, "metadata"),
    ("metadata set", lambda m: m.set(metadata={"a": {1, 2}}), jw.EditError, None, "metadata"),
    ("metadata huge int", lambda m: m.set(metadata={"a": 10**400}), jw.EditError, None, "metadata"),
    ("metadata unsafe int", lambda m: m.set(metadata={"a": 2**53}), jw.EditError, None, "metadata"),
    (
        "metadata surrogate value",
        lambda m: m.set(metadata={"a": SURROGATE}),
        jw.EditError,
        None,
        "metadata",
    ),
    (
        "metadata surrogate key",
        lambda m: m.set(metadata={SURROGATE: 1}),
        jw.EditError,
        None,
        "metadata",
    ),
    ("metadata not a dict", lambda m: m.set(metadata=[1, 2]), jw.EditError, None, "metadata"),
    ("title surrogate", lambda m: m.set(title=SURROGATE), jw.EditError, None, "title"),
    (
        "title low surrogate",
        lambda m: m.set(title=f"ok {LOW_SURROGATE}"),
        jw.EditError,
        None,
        "title",
    ),
    (
        "title property surrogate",
        lambda m: setattr(m, "title", "x" + SURROGATE),
        jw.EditError,
        None,
        "title",
    ),
    (
        "description surrogate",
        lambda m: m.set(description=SURROGATE),
        jw.EditError,
        None,
        "description",
    ),
    ("scenario surrogate", lambda m: m.set(scenario=SURROGATE), jw.EditError, None, "scenario"),
    ("language surrogate", lambda m: m.set(language=SURROGATE), jw.EditError, None, "language"),
    (
        "map label surrogate",
        lambda m: m.set(labels={"pl": SURROGATE}),
        jw.EditError,
        None,
        "labels.pl",
    ),
    (
        "map label key surrogate",
        lambda m: m.set(labels={SURROGATE: "x"}),
        jw.EditError,
        None,
        "labels",
    ),
    ("title a number", lambda m: m.set(title=5), jw.EditError, None, "title"),
    ("title bytes", lambda m: m.set(title=b"Buying"), jw.EditError, None, "title"),
    ("kind unknown", lambda m: m.set(kind="partner"), jw.EditError, None, "kind"),
    ("state a bool", lambda m: m.set(state=True), jw.EditError, None, "state"),
    ("scale pair with text", lambda m: m.set(scale=(1, "5")), jw.EditError, None, "scale"),
    (
        "scale min a bool",
        lambda m: m.set(scale={"min": True, "max": 3}),
        jw.EditError,
        None,
        "scale.min",
    ),
    (
        "scale max huge",
        lambda m: m.set(scale={"min": -3, "max": 10**400}),
        jw.EditError,
        None,
        "scale.max",
    ),
    (
        "scale step text",
        lambda m: m.set(scale={"min": -3, "max": 3, "step": "1"}),
        jw.EditError,
        None,
        "scale.step",
    ),
    ("scale cuts emotions", lambda m: m.set(scale=(0, 1)), jw.EditError, None, "scale"),
    ("persona unknown", lambda m: m.set(persona="nobody"), jw.EditError, None, "persona"),
    ("persona is a touchpoint", lambda m: m.set(persona="web"), jw.EditError, None, "persona"),
    ("map id changes", lambda m: m.set(id="other"), jw.EditError, None, "id"),
    ("map field unknown", lambda m: m.set(colour="red"), jw.EditError, None, "colour"),
    (
        "undo limit negative",
        lambda m: setattr(m, "undo_limit", -1),
        jw.EditError,
        None,
        "undo_limit",
    ),
    ("undo limit text", lambda m: setattr(m, "undo_limit", "10"), jw.EditError, None, "undo_limit"),
    (
        "undo limit huge",
        lambda m: setattr(m, "undo_limit", 10**400),
        jw.EditError,
        None,
        "undo_limit",
    ),
    ("move index huge", lambda m: m.move("card_1", index=10**400), jw.EditError, "card_1", "index"),
    # ---------------------------------------------------------------- adding entities
    (
        "card text surrogate",
        lambda m: m.add_card(SURROGATE, touchpoint="ad", lane="actions"),
        jw.EditError,
        "card_6",
        "text",
    ),
    (
        "card text a number",
        lambda m: m.add_card(5, touchpoint="ad", lane="actions"),
        jw.EditError,
        "card_6",
        "text",
    ),
    (
        "card tag surrogate",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", tags=(SURROGATE,)),
        jw.EditError,
        "card_6",
        "tags.0",
    ),
    (
        "card owner surrogate",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", owner=SURROGATE),
        jw.EditError,
        "card_6",
        "owner",
    ),
    (
        "card impact a bool",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", impact=True),
        jw.EditError,
        "card_6",
        "impact",
    ),
    (
        "card impact text",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", impact="4"),
        jw.EditError,
        "card_6",
        "impact",
    ),
    (
        "card impact a float",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", impact=4.0),
        jw.EditError,
        "card_6",
        "impact",
    ),
    (
        "card impact huge",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", impact=10**400),
        jw.EditError,
        "card_6",
        "impact",
    ),
    (
        "card effort negative",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", effort=-1),
        jw.EditError,
        "card_6",
        "effort",
    ),
    (
        "card source unknown",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", source="rumour"),
        jw.EditError,
        "card_6",
        "source",
    ),
    (
        "card label surrogate",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", labels={"pl": "\ud800"}),
        jw.EditError,
        "card_6",
        "labels.pl",
    ),
    (
        "card label key too long",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", labels={"x" * 36: "y"}),
        jw.EditError,
        "card_6",
        "labels",
    ),
    (
        "card touchpoint unknown",
        lambda m: m.add_card("x", touchpoint="nowhere", lane="actions"),
        jw.EditError,
        "card_6",
        "touchpoint",
    ),
    (
        "card lane is a touchpoint",
        lambda m: m.add_card("x", touchpoint="ad", lane="web"),
        jw.EditError,
        "card_6",
        "lane",
    ),
    (
        "card touchpoint a number",
        lambda m: m.add_card("x", touchpoint=7, lane="actions"),
        jw.EditError,
        "card_6",
        "touchpoint",
    ),
    (
        "card id surrogate",
        lambda m: m.add_card("x", id=SURROGATE, touchpoint="ad", lane="actions"),
        jw.EditError,
        SURROGATE,
        "id",
    ),
    (
        "card id padded",
        lambda m: m.add_card("x", id=" c ", touchpoint="ad", lane="actions"),
        jw.EditError,
        " c ",
        "id",
    ),
    (
        "card id too long",
        lambda m: m.add_card("x", id="c" * 201, touchpoint="ad", lane="actions"),
        jw.EditError,
        "c" * 201,
        "id",
    ),
    (
        "card id taken",
        lambda m: m.add_card("x", id="card_1", touchpoint="ad", lane="actions"),
        jw.EditError,
        "card_1",
        "id",
    ),
    (
        "card id taken by a stage",
        lambda m: m.add_card("x", id="want", touchpoint="ad", lane="actions"),
        jw.EditError,
        "want",
        "id",
    ),
    (
        "card index text",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", index="1"),
        jw.EditError,
        None,
        "index",
    ),
    (
        "card index negative",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", index=-1),
        jw.EditError,
        None,
        "index",
    ),
    (
        "card index past the end",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", index=99),
        jw.EditError,
        "card_6",
        "index",
    ),
    (
        "card index a bool",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", index=True),
        jw.EditError,
        None,
        "index",
    ),
    (
        "card field unknown",
        lambda m: m.add_card("x", touchpoint="ad", lane="actions", colour="x"),
        jw.EditError,
        "card_6",
        "colour",
    ),
    ("stage name a number", lambda m: m.add_stage(5), jw.EditError, "stage_1", "name"),
    ("stage name a list", lambda m: m.add_stage(["Buy"]), jw.EditError, "stage_1", "name"),
    ("stage name empty", lambda m: m.add_stage(""), jw.EditError, "stage_1", "name"),
    ("stage name only spaces", lambda m: m.add_stage("   "), jw.EditError, "stage_1", "name"),
    (
        "metric nested 5,000 levels",
        lambda m: m.update("ad", metrics=nested(5000)),
        jw.EditError,
        "ad",
        "metrics.a",
    ),
    (
        "labels nested 5,000 levels",
        lambda m: m.update("ad", labels=nested(5000)),
        jw.EditError,
        "ad",
        "labels.a",
    ),
    ("batch nested 3,000 levels", lambda m: m.apply(nested_batch(3000)), jw.EditError, None, None),
    (
        "lane renamed to a tab",
        lambda m: m.update("actions", name="\t"),
        jw.EditError,
        "actions",
        "name",
    ),
    ("stage name surrogate", lambda m: m.add_stage(SURROGATE), jw.EditError, "stage_1", "name"),
    (
        "stage description bytes",
        lambda m: m.add_stage("S", description=b"x"),
        jw.EditError,
        "s",
        "description",
    ),
    (
        "touchpoint emotion a bool",
        lambda m: m.add_touchpoint("T", stage="want", emotion=True),
        jw.EditError,
        "t",
        "emotion",
    ),
    (
        "touchpoint emotion text",
        lambda m: m.add_touchpoint("T", stage="want", emotion="1"),
        jw.EditError,
        "t",
        "emotion",
    ),
    (
        "touchpoint emotion off the scale",
        lambda m: m.add_touchpoint("T", stage="want", emotion=9),
        jw.EditError,
        "t",
        "emotion",
    ),
    (
        "touchpoint emotion NaN",
        lambda m: m.add_touchpoint("T", stage="want", emotion=math.nan),
        jw.EditError,
        "t",
        "emotion",
    ),
    (
        "touchpoint emotion huge",
        lambda m: m.add_touchpoint("T", stage="want", emotion=10**400),
        jw.EditError,
        "t",
        "emotion",
    ),
    (
        "touchpoint moment of truth 'yes'",
        lambda m: m.add_touchpoint("T", stage="want", moment_of_truth="yes"),
        jw.EditError,
        "t",
        "moment_of_truth",
    ),
    (
        "touchpoint moment of truth 1",
        lambda m: m.add_touchpoint("T", stage="want", moment_of_truth=1),
        jw.EditError,
        "t",
        "moment_of_truth",
    ),
    (
        "touchpoint stage unknown",
        lambda m: m.add_touchpoint("T", stage="nowhere"),
        jw.EditError,
        "t",
        "stage",
    ),
    (
        "touchpoint stage is a touchpoint",
        lambda m: m.add_touchpoint("T", stage="ad"),
        jw.EditError,
        "t",
        "stage",
    ),
    (
        "touchpoint metric a bool",
        lambda m: m.add_touchpoint("T", stage="want", metrics={"csat": True}),
        jw.EditError,
        "t",
        "metrics.csat",
    ),
    (
        "touchpoint metric infinite",
        lambda m: m.add_touchpoint("T", stage="want", metrics={"csat": math.inf}),
        jw.EditError,
        "t",
        "metrics.csat",
    ),
    (
        "touchpoint metric unsafe int",
        lambda m: m.add_touchpoint("T", stage="want", metrics={"n": 2**60}),
        jw.EditError,
        "t",
        "metrics.n",
    ),
    (
        "touchpoint metric key surrogate",
        lambda m: m.add_touchpoint("T", stage="want", metrics={SURROGATE: 1}),
        jw.EditError,
        "t",
        "metrics",
    ),
    (
        "measured emotion text",
        lambda m: m.add_touchpoint("T", stage="want", measured={"emotion": "1", "n": 3}),
        jw.EditError,
        "t",
        "measured.emotion",
    ),
    (
        "measured n a float",
        lambda m: m.add_touchpoint("T", stage="want", measured={"emotion": 1, "n": 3.5}),
        jw.EditError,
        "t",
        "measured.n",
    ),
    (
        "measured n a bool",
        lambda m: m.add_touchpoint("T", stage="want", measured={"emotion": 1, "n": True}),
        jw.EditError,
        "t",
        "measured.n",
    ),
    (
        "measured emotion off the scale",
        lambda m: m.add_touchpoint("T", stage="want", measured={"emotion": 30, "n": 3}),
        jw.EditError,
        "t",
        "measured.emotion",
    ),
    (
        "touchpoint channel surrogate",
        lambda m: m.add_touchpoint("T", stage="want", channel=SURROGATE),
        jw.EditError,
        "t",
        "channel",
    ),
    ("lane colour a name", lambda m: m.add_lane("L", colour="red"), jw.EditError, "l", "colour"),
    ("lane kind unknown", lambda m: m.add_lane("L", kind="feelings"), jw.EditError, None, "kind"),
    ("lane name surrogate", lambda m: m.add_lane(SURROGATE + "x"), jw.EditError, "x", "name"),
    (
        "persona goal surrogate",
        lambda m: m.add_persona("P", goals=(SURROGATE,)),
        jw.EditError,
        "p",
        "goals.0",
    ),
    (
        "persona quote surrogate",
        lambda m: m.add_persona("P", quote=SURROGATE),
        jw.EditError,
        "p",
        "quote",
    ),
    ("persona goals a number", lambda m: m.add_persona("P", goals=5), jw.EditError, "p", "goals"),
    # ---------------------------------------------------------------- changing entities
    (
        "update emotion a bool",
        lambda m: m.update("ad", emotion=True),
        jw.EditError,
        "ad",
        "emotion",
    ),
    ("update emotion text", lambda m: m.update("ad", emotion="1"), jw.EditError, "ad", "emotion"),
    (
        "update moment of truth 'yes'",
        lambda m: m.update("ad", moment_of_truth="yes"),
        jw.EditError,
        "ad",
        "moment_of_truth",
    ),
    ("update name surrogate", lambda m: m.update("ad", name=SURROGATE), jw.EditError, "ad", "name"),
    ("update stage (a move)", lambda m: m.update("ad", stage="use"), jw.EditError, "ad", "stage"),
    ("update id", lambda m: m.update("ad", id="x"), jw.EditError, "ad", "id"),
    (
        "update impact text",
        lambda m: m.update("card_1", impact="4"),
        jw.EditError,
        "card_1",
        "impact",
    ),
    ("update text None", lambda m: m.update("card_1", text=None), jw.EditError, "card_1", "text"),
    ("update unknown id", lambda m: m.update("nowhere", name="x"), jw.EditError, "nowhere", "id"),
    (
        "update unknown field",
        lambda m: m.update("card_1", colour="x"),
        jw.EditError,
        "card_1",
        "colour",
    ),
    ("set_emotion a bool", lambda m: m.set_emotion("ad", True), jw.EditError, "ad", "value"),
    ("set_emotion text", lambda m: m.set_emotion("ad", "1"), jw.EditError, "ad", "value"),
    ("set_emotion huge", lambda m: m.set_emotion("ad", 10**400), jw.EditError, "ad", "value"),
    ("set_emotion off the scale", lambda m: m.set_emotion("ad", 9), jw.EditError, "ad", "emotion"),
    (
        "set_emotion infinite",
        lambda m: m.set_emotion("ad", math.inf),
        jw.EditError,
        "ad",
        "emotion",
    ),
    (
        "set_emotion on a card",
        lambda m: m.set_emotion("card_1", 1),
        jw.EditError,
        "card_1",
        "emotion",
    ),
    ("move index text", lambda m: m.move("card_1", index="0"), jw.EditError, "card_1", "index"),
    ("move index a bool", lambda m: m.move("card_1", index=True), jw.EditError, "card_1", "index"),
    (
        "move index past the end",
        lambda m: m.move("card_1", index=50),
        jw.EditError,
        "card_1",
        "index",
    ),
    (
        "move to no touchpoint",
        lambda m: m.move("card_1", touchpoint="nowhere"),
        jw.EditError,
        "card_1",
        "touchpoint",
    ),
    (
        "move to a lane that is a touchpoint",
        lambda m: m.move("card_1", lane="ad"),
        jw.EditError,
        "card_1",
        "lane",
    ),
    (
        "move touchpoint into a touchpoint",
        lambda m: m.move("ad", stage="web"),
        jw.EditError,
        "ad",
        "stage",
    ),
    (
        "move a stage into a lane",
        lambda m: m.move("want", lane="actions"),
        jw.EditError,
        "want",
        "lane",
    ),
    (
        "move target surrogate",
        lambda m: m.move("card_1", lane=SURROGATE),
        jw.EditError,
        "card_1",
        "lane",
    ),
    ("remove a stage with content", lambda m: m.remove("want"), jw.EditError, "want", None),
    (
        "remove cascade 'yes'",
        lambda m: m.remove("want", cascade="yes"),
        jw.EditError,
        "want",
        "cascade",
    ),
    (
        "remove rehome unknown",
        lambda m: m.remove("want", rehome="nowhere"),
        jw.EditError,
        "want",
        "rehome",
    ),
    (
        "remove rehome a card",
        lambda m: m.remove("card_1", rehome="card_2"),
        jw.EditError,
        "card_1",
        "rehome",
    ),
    ("remove unknown id", lambda m: m.remove("nowhere"), jw.EditError, "nowhere", "id"),
    # ---------------------------------------------------------------- edits as the widget sends
    ("edit op unknown", lambda m: m.apply({"op": "explode"}), jw.EditError, None, "op"),
    ("edit not a dict", lambda m: m.apply(["move"]), jw.EditError, None, None),
    ("edit move without id", lambda m: m.apply({"op": "move"}), jw.EditError, None, "id"),
    (
        "edit add surrogate",
        lambda m: m.apply(
            {
                "op": "add",
                "kind": "card",
                "item": {"text": SURROGATE, "touchpoint": "ad", "lane": "actions"},
            }
        ),
        jw.EditError,
        "card_6",
        "text",
    ),
    (
        "edit emotion true",
        lambda m: m.apply({"op": "set_emotion", "id": "ad", "value": True}),
        jw.EditError,
        "ad",
        "value",
    ),
    (
        "edit update emotion true",
        lambda m: m.apply({"op": "update", "id": "ad", "changes": {"emotion": True}}),
        jw.EditError,
        "ad",
        "emotion",
    ),
    (
        "edit move index '1'",
        lambda m: m.apply({"op": "move", "id": "card_1", "index": "1"}),
        jw.EditError,
        "card_1",
        "index",
    ),
    (
        "edit update title surrogate",
        lambda m: m.apply({"op": "update", "kind": "map", "changes": {"title": SURROGATE}}),
        jw.EditError,
        None,
        "title",
    ),
    (
        "edit id surrogate",
        lambda m: m.apply({"op": "remove", "id": SURROGATE}),
        jw.EditError,
        SURROGATE,
        "id",
    ),
    (
        "edit batch with a bad step",
        lambda m: m.apply(
            {
                "op": "batch",
                "edits": [
                    {"op": "set_emotion", "id": "ad", "value": 2},
                    {"op": "set_emotion", "id": "web", "value": 99},
                ],
            }
        ),
        jw.EditError,
        "web",
        "emotion",
    ),
    (
        "edit batch label surrogate",
        lambda m: m.apply({"op": "batch", "edits": [], "label": SURROGATE}),
        jw.EditError,
        None,
        "label",
    ),
    (
        "edit item not a dict",
        lambda m: m.apply({"op": "add", "kind": "card", "item": "text"}),
        jw.EditError,
        None,
        "item",
    ),
    # ---------------------------------------------------------------- snapshots changed in place
    (
        "card text assigned",
        lambda m: setattr(m["card_1"], "text", "x"),
        ReadOnlyError,
        "card_1",
        "text",
    ),
    (
        "touchpoint emotion assigned",
        lambda m: setattr(m["ad"], "emotion", 2),
        ReadOnlyError,
        "ad",
        "emotion",
    ),
    ("map info assigned", lambda m: setattr(m.info, "title", "x"), ReadOnlyError, None, "title"),
    ("scale assigned", lambda m: setattr(m.scale, "min", 0), ReadOnlyError, None, "min"),
    ("label dict changed", lambda m: m["want"].labels.update(hu="x"), ReadOnlyError, None, None),
    (
        "metrics dict changed",
        lambda m: m["invoice"].metrics.__setitem__("csat", 5),
        ReadOnlyError,
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("action", "error", "id", "field"),
    [pytest.param(*case[1:], id=case[0]) for case in EDIT_CASES],
)
def test_a_hostile_edit_is_refused_and_changes_nothing(
    action: Action, error: type[Exception], id: str | None, field: str | None
) -> None:
    m = small_map()
    m.set_emotion("ad", 2)  # something to undo: the undo state must survive too
    exc = assert_rejected(m, action, error=error)
    assert isinstance(exc, jw.JourneyError)
    message = str(exc)
    if id is not None:
        assert repr(id) in message, f"{id!r} not named in: {message}"
    if field is not None:
        assert repr(field) in message, f"field {field!r} not named in: {message}"
        assert exc.field == field or isinstance(exc, ReadOnlyError), (exc.field, message)
    assert jw.loads(m.to_json()) == m  # still savable
    assert m.undo() is True  # and the undo history still undoes the right thing
    assert m["ad"].emotion == 1


def test_there_are_enough_hostile_cases() -> None:
    assert len(EDIT_CASES) + len(DOCUMENT_CASES) + len(TABLE_CASES) >= 100


def test_a_map_cannot_be_made_with_hostile_fields() -> None:
    with pytest.raises(jw.EditError, match="field 'title': contains a lone surrogate"):
        jw.JourneyMap(SURROGATE)
    with pytest.raises(jw.EditError, match="field 'metadata'"):
        jw.JourneyMap("x", metadata=nested(100))
    with pytest.raises(jw.EditError, match="field 'undo_limit'"):
        jw.JourneyMap("x", undo_limit=True)  # type: ignore[arg-type]


# ==================================================================================== documents
def document(**changes: Any) -> dict[str, Any]:
    doc = small_map().to_dict()
    doc.update(changes)
    return doc


def touchpoint_doc(**fields: Any) -> str:
    doc = document()
    doc["touchpoints"][1] = {**doc["touchpoints"][1], **fields}
    return json.dumps(doc)


def card_doc(**fields: Any) -> str:
    doc = document()
    doc["cards"][0] = {**doc["cards"][0], **fields}
    return json.dumps(doc)


#: (case id, the JSON text (or bytes), what the message must contain)
DOCUMENT_CASES: list[tuple[str, str | bytes, tuple[str, ...]]] = [
    ("title surrogate", json.dumps(document(title=SURROGATE)), ("map, field 'title'", "surrogate")),
    ("escaped surrogate", '{"title": "\\ud83d"}', ("field 'title'", "surrogate")),
    ("emotion true", touchpoint_doc(emotion=True), ("touchpoint #1 ('web')", "'emotion'")),
    ("emotion text", touchpoint_doc(emotion="1"), ("touchpoint #1 ('web')", "'emotion'")),
    ("emotion 1e400", touchpoint_doc(emotion=1e400), ("touchpoint #1 ('web')", "'emotion'")),
    (
        "moment of truth 'yes'",
        touchpoint_doc(moment_of_truth="yes"),
        ("touchpoint #1", "'moment_of_truth'"),
    ),
    ("metric a bool", touchpoint_doc(metrics={"csat": True}), ("touchpoint #1", "'metrics")),
    (
        "metric huge int",
        touchpoint_doc(metrics={"n": 10**30}),
        ("touchpoint #1", "'metrics.n'", "too large"),
    ),
    (
        "metric NaN",
        touchpoint_doc(metrics={"n": math.nan}),
        ("touchpoint #1", "'metrics.n'", "finite"),
    ),
    (
        "measured n text",
        touchpoint_doc(measured={"emotion": 1, "n": "3"}),
        ("touchpoint #1", "'measured.n'"),
    ),
    (
        "touchpoint name surrogate",
        touchpoint_doc(name=LOW_SURROGATE),
        ("touchpoint #1 ('web')", "'name'"),
    ),
    (
        "card text surrogate",
        card_doc(text=SURROGATE),
        ("card #0 ('card_1')", "'text'", "surrogate"),
    ),
    ("card impact text", card_doc(impact="4"), ("card #0 ('card_1')", "'impact'")),
    ("card impact float", card_doc(impact=4.5), ("card #0 ('card_1')", "'impact'")),
    ("card tags surrogate", card_doc(tags=["ok", SURROGATE]), ("card #0", "'tags.1'")),
    ("card label key surrogate", card_doc(labels={SURROGATE: "x"}), ("card #0", "'labels'")),
    ("card id surrogate", card_doc(id=SURROGATE), ("card #0", "'id'")),
    (
        "metadata nested",
        json.dumps(document(metadata=nested(40))),
        ("map, field 'metadata'", "nested deeper"),
    ),
    (
        "metadata unsafe int",
        json.dumps(document(metadata={"id": 2**63})),
        ("'metadata'", "too large"),
    ),
    ("deep arrays", "[" * 100_000 + "]" * 100_000, ("nests too deeply",)),
    ("deep objects", '{"a":' * 100_000 + "1" + "}" * 100_000, ("nests too deeply",)),
    (
        "int of 5,000 digits",
        '{"title": "x", "metadata": {"n": ' + "9" * 5000 + "}}",
        ("not valid JSON",),
    ),
    ("not UTF-8", b'{"title": "\xff"}', ("not UTF-8", "offset")),
    ("not an object", "[]", ("JSON object",)),
    ("schema version a bool", json.dumps(document(schema_version=True)), ("'schema_version'",)),
    ("scale min a bool", json.dumps(document(scale={"min": True, "max": 3})), ("'scale.min'",)),
    ("scale max text", json.dumps(document(scale={"min": -3, "max": "3"})), ("'scale.max'",)),
    (
        "persona a card",
        json.dumps(document(persona="card_1")),
        ("map, field 'persona'", "it is a card"),
    ),
]


@pytest.mark.parametrize(
    ("text", "mentions"), [pytest.param(*case[1:], id=case[0]) for case in DOCUMENT_CASES]
)
def test_a_hostile_document_is_refused_naming_where(
    text: str | bytes, mentions: tuple[str, ...]
) -> None:
    with pytest.raises(jw.DocumentError) as info:
        jw.loads(text)
    for words in mentions:
        assert words in str(info.value), f"{words!r} not in: {info.value}"


def test_a_document_that_loads_can_be_saved(tmp_path: Any) -> None:
    """Depth limits are the same on load and on save: the deepest accepted metadata saves."""
    doc = document(metadata=nested(rules.MAX_DEPTH))
    m = jw.loads(json.dumps(doc))
    assert jw.load(m.save(tmp_path / "deep.json")) == m


def test_loading_a_file_that_is_not_a_document_names_it(tmp_path: Any) -> None:
    path = tmp_path / "latin2.json"
    path.write_bytes('{"title": "Zażółć"}'.encode("iso-8859-2"))
    with pytest.raises(jw.DocumentError, match=r"latin2\.json is not UTF-8"):
        jw.load(path)


# ==================================================================================== tables
def tables(**cards: list[Any]) -> dict[str, pd.DataFrame]:
    base = jw.frames.to_dataframes(small_map())
    frame = base["cards"].copy()
    for column, values in cards.items():
        frame[column] = pd.Series(
            values + [frame[column].iloc[-1]] * (len(frame) - len(values)), dtype=object
        )
    return {**base, "cards": frame}


#: (case id, the tables, what the message must contain)
TABLE_CASES: list[tuple[str, Callable[[], dict[str, pd.DataFrame]], tuple[str, ...]]] = [
    (
        "card text surrogate",
        lambda: tables(text=[SURROGATE]),
        ("cards row 0, column 'text'", "surrogate"),
    ),
    (
        "card owner surrogate",
        lambda: tables(owner=["ok", "x" + LOW_SURROGATE]),
        ("cards row 1, column 'owner'",),
    ),
    ("card impact 'many'", lambda: tables(impact=["many"]), ("cards row 0, column 'impact'",)),
    ("card impact 4.5", lambda: tables(impact=[4.5]), ("cards row 0, column 'impact'",)),
    (
        "card touchpoint surrogate",
        lambda: tables(touchpoint=[SURROGATE]),
        ("cards row 0, column 'touchpoint'",),
    ),
    ("card tags surrogate", lambda: tables(tags=[[SURROGATE]]), ("cards row 0, column 'tags'",)),
]


@pytest.mark.parametrize(
    ("make", "mentions"), [pytest.param(*case[1:], id=case[0]) for case in TABLE_CASES]
)
def test_hostile_tables_are_refused_naming_row_and_column(
    make: Callable[[], dict[str, pd.DataFrame]], mentions: tuple[str, ...]
) -> None:
    with pytest.raises(jw.TableError) as info:
        jw.frames.from_dataframes(make())
    for words in mentions:
        assert words in str(info.value), f"{words!r} not in: {info.value}"


# ==================================================================================== widget
def test_a_widget_zoom_message_past_float_range_is_answered() -> None:
    widget = jw.JourneyWidget(small_map())
    sent: list[Any] = []
    widget.send = sent.append  # type: ignore[method-assign]
    widget._on_message(widget, {"type": "zoom", "value": 10**400}, [])
    assert sent == [{"type": "status", "message": "zoom: not a usable number"}]
    assert widget.zoom == 1


# ==================================================================================== random
#: Text of every kind: lone surrogates, control characters, right-to-left marks, emoji.
awkward_text = st.text(
    alphabet=st.one_of(
        st.characters(codec=None, categories=("Cs", "Cc", "Cf", "Zs", "Lo", "So")),
        st.sampled_from(["\u200f", "\u202e", "\u2066", "\x00", "\r", "\t", "=", "%", "}"]),
        st.characters(),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=awkward_text)
def test_random_text_round_trips_or_is_refused(text: str) -> None:
    """Any text is either kept exactly (through JSON and tables) or refused naming the field,
    leaving the map unchanged; only lone surrogates are refused."""
    m = small_map()
    before = snapshot(m)
    if rules.text_problem(text):
        with pytest.raises(jw.EditError, match="field 'text'"):
            m.update("card_1", text=text)
        assert snapshot(m) == before
        return
    m.update("card_1", text=text)
    m.set(title=text)
    assert jw.loads(m.to_json()) == m
    assert jw.frames.from_dataframes(jw.frames.to_dataframes(m)) == m


def _edit_strategy() -> st.SearchStrategy[dict[str, Any]]:
    ids = st.sampled_from(
        [
            "ad",
            "web",
            "invoice",
            "card_1",
            "card_3",
            "want",
            "use",
            "actions",
            "anna",
            "nowhere",
            SURROGATE,
        ]
    )
    value = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 5),
        st.floats(allow_nan=True),
        st.text(max_size=3),
        st.just(10**400),
        st.just(SURROGATE),
    )
    return st.one_of(
        st.fixed_dictionaries({"op": st.just("set_emotion"), "id": ids, "value": value}),
        st.fixed_dictionaries(
            {
                "op": st.just("move"),
                "id": ids,
                "index": st.one_of(st.none(), st.integers(-1, 4), value),
            }
        ),
        st.fixed_dictionaries({"op": st.just("move"), "id": ids, "touchpoint": ids, "lane": ids}),
        st.fixed_dictionaries(
            {
                "op": st.just("update"),
                "id": ids,
                "changes": st.dictionaries(
                    st.sampled_from(
                        ["name", "text", "emotion", "impact", "moment_of_truth", "owner"]
                    ),
                    value,
                    max_size=2,
                ),
            }
        ),
        st.fixed_dictionaries(
            {
                "op": st.just("update"),
                "kind": st.just("map"),
                "changes": st.dictionaries(
                    st.sampled_from(["title", "metadata", "persona", "scale"]),
                    st.one_of(value, st.just(nested(50)), st.just((-1, 1))),
                    max_size=2,
                ),
            }
        ),
        st.fixed_dictionaries(
            {
                "op": st.just("add"),
                "kind": st.sampled_from(["card", "stage", "touchpoint"]),
                "item": st.fixed_dictionaries(
                    {"name": value, "text": value, "touchpoint": ids, "lane": ids, "stage": ids}
                ),
            }
        ),
        st.fixed_dictionaries(
            {"op": st.just("remove"), "id": ids, "cascade": st.one_of(st.booleans(), value)}
        ),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(_edit_strategy(), max_size=12))
def test_random_edits_with_invalid_ones_mixed_in(edits: list[dict[str, Any]]) -> None:
    """Each edit applies whole (one new version) or is refused with an EditError changing
    nothing; at the end the map saves and loads, and undoing everything restores it."""
    m = small_map()
    start = m.to_dict()
    start_version = m.version
    applied = 0
    for edit in edits:
        before = snapshot(m)
        try:
            m.apply(edit)
        except jw.EditError:
            assert snapshot(m) == before
        else:
            applied += 1
            assert m.version == before[1] + 1
    assert jw.loads(m.to_json()) == m
    assert m.version == start_version + applied
    for _ in range(applied):
        assert m.undo()
    assert m.to_dict() == start
