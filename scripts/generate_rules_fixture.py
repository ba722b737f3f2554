"""Write js/tests/fixtures/rules-fixture.json: the map's rules as the Python model applies them.

Fields at their schema default are left out, and the document after an edit names each
entity it did not change by its id alone (a string in the entity list).

Each case is a document, an edit (as the widget would send it), and what the real Python
model did with it: accepted (the edit as applied, its inverse and the document after) or
rejected (the field at fault and the message).  js/tests/rules-fixture.test.ts replays every
case through the browser's optimistic store (js/src/store.ts) and the standalone page's
local model (js/src/local-kernel.ts) and asserts they agree with Python.

Run after changing a rule: ``.venv/bin/python scripts/generate_rules_fixture.py``.
tests/test_rules.py fails while the committed fixture and the model disagree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import journeywidgets as jw
from journeywidgets import atomic

TARGET = Path(__file__).resolve().parent.parent / "js/tests/fixtures/rules-fixture.json"
SURROGATE = "\ud83d"


def _small() -> dict[str, Any]:
    """Every entity kind, few fields: 1 persona, 2 stages, 3 touchpoints, 2 lanes, 4 cards."""
    m = jw.JourneyMap("Buying electricity", scale=(-3, 3))
    m.add_persona("Anna", id="anna")
    m.add_stage("I want electricity", id="want")
    m.add_stage("I use and pay", id="use")
    m.add_stage("Leave", id="leave")
    m.add_lane("Actions", kind="actions")
    m.add_lane("Emotions", kind="emotions")
    m.add_touchpoint("Advert", id="ad", stage="want", emotion=1)
    m.add_touchpoint("Website", id="web", stage="want", emotion=-1, moment_of_truth=True)
    m.add_touchpoint("Invoice", id="invoice", stage="use", emotion=-2)
    m.add_card("Sees the advert", touchpoint="ad", lane="actions")
    m.add_card("Compares tariffs", touchpoint="web", lane="actions")
    m.add_card("Confused", touchpoint="web", lane="actions", impact=4, effort=2)
    m.add_card("Angry", touchpoint="invoice", lane="emotions")
    m.set(persona="anna")
    return m.to_dict()


def _five_point() -> dict[str, Any]:
    """A 1-5 scale with a touchpoint at each end."""
    m = jw.JourneyMap("Survey scale", scale=(1, 5))
    m.add_stage("Use", id="use")
    m.add_lane("Thoughts", kind="thoughts")
    m.add_touchpoint("Low", id="low", stage="use", emotion=1)
    m.add_touchpoint("High", id="high", stage="use", emotion=5)
    return m.to_dict()


#: The default of every field, by entity kind ("map" for the document's own fields), from
#: the shipped JSON Schema: fields at their default are left out of the fixture (and the
#: replay leaves them out of the TypeScript side's documents the same way).
_SCHEMA = jw.json_schema()
DEFAULTS: dict[str, dict[str, Any]] = {
    kind: {k: v["default"] for k, v in props.items() if "default" in v}
    for kind, props in [
        ("map", _SCHEMA["properties"]),
        *((k.lower(), d["properties"]) for k, d in _SCHEMA["$defs"].items()),
    ]
}
LISTS = {
    "personas": "persona",
    "stages": "stage",
    "touchpoints": "touchpoint",
    "lanes": "lane",
    "cards": "card",
}


def strip(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` of an entity of ``kind`` without those at their default."""
    defaults = DEFAULTS[kind]
    return {k: v for k, v in fields.items() if k not in defaults or defaults[k] != v}


def strip_doc(doc: dict[str, Any]) -> dict[str, Any]:
    out = strip("map", {k: v for k, v in doc.items() if k not in LISTS})
    for key, kind in LISTS.items():
        out[key] = [strip(kind, item) for item in doc.get(key, [])]
    return out


def compact(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """``after`` with each entity that is unchanged from ``before`` given by its id alone (a
    string): the lists keep their order, and the fixture stays small."""
    out = {k: v for k, v in after.items() if k not in LISTS}
    for key in LISTS:
        old = {item["id"]: item for item in before[key]}
        out[key] = [item["id"] if old.get(item["id"]) == item else item for item in after[key]]
    return out


def strip_edit(edit: dict[str, Any]) -> dict[str, Any]:
    if edit["op"] == "add":
        return {**edit, "item": strip(edit["kind"], edit["item"])}
    if edit["op"] == "batch":
        return {**edit, "edits": [strip_edit(e) for e in edit["edits"]]}
    return edit


DOCS = [_small(), jw.JourneyMap("Empty").to_dict(), _five_point()]


def _cases() -> list[tuple[int, dict[str, Any]]]:
    """(document index, edit) pairs: valid edits and edits the model refuses."""
    out: list[tuple[int, dict[str, Any]]] = []

    def add(doc: int, edit: dict[str, Any]) -> None:
        out.append((doc, edit))

    def item(entity: str, doc: int = 0, index: Any = None, **fields: Any) -> None:
        edit: dict[str, Any] = {"op": "add", "kind": entity, "item": fields}
        if index is not None:
            edit["index"] = index
        add(doc, edit)

    # --------------------------------------------------------------- adding: ids and names
    for name in [
        "Leave",
        "   ",
        "Używam i płacę",
        "Új laptop igénylése!",
        "I want electricity",
        "🧾⚡",
        "أريد الكهرباء",
        "straße Øl łódź",
        "  padded  ",
        "x" * 60,
        "want",
    ]:
        item("stage", name=name)
        item("stage", doc=1, name=name)
        item("lane", name=name)
    for bad in ["", 5, None, True, ["Leave"], SURROGATE, "ok" + SURROGATE]:
        item("stage", name=bad)
    item("stage", id="leave", name="Taken")
    item("stage", id="ad", name="Taken by a touchpoint")
    item("stage", id=" x ", name="Padded id")
    item("stage", id="", name="Empty id")
    item("stage", id=SURROGATE, name="Surrogate id")
    item("stage", id="x" * 201, name="Long id")
    item("stage", id="new", name="New", description="d")
    item("stage", name="Unknown field", colour="red")
    for index in [0, 1, 3, 4, 99, -1, "1", True, 1.5]:
        item("stage", name="At index", index=index)
        item("card", text="At index", touchpoint="web", lane="actions", index=index)
    # ---------------------------------------------------------------- touchpoints
    for stage in ["want", "use", "leave", "nowhere", "ad", "", None]:
        item("touchpoint", name="Call", stage=stage)
    for emotion in [0, 3, -3, 2.5, 4, -3.5, None, True, "1", [1]]:
        item("touchpoint", name="Call", stage="use", emotion=emotion)
        item("touchpoint", doc=2, name="Call", stage="use", emotion=emotion)
    for flag in [True, False, "yes", 1, None]:
        item("touchpoint", name="Call", stage="use", moment_of_truth=flag)
    for metrics in [{"csat": 3.5}, {"n": 12}, {"label": "x"}, {"ok": True}, {"x": None}, []]:
        item("touchpoint", name="Call", stage="use", metrics=metrics)
    for measured in [
        {"emotion": 1, "n": 3},
        {"emotion": 9, "n": 3},
        {"emotion": 1, "n": -1},
        {"emotion": "1", "n": 3},
        {"emotion": 1, "n": 2.5},
        {"emotion": 1},
    ]:
        item("touchpoint", name="Call", stage="use", measured=measured)
    item("touchpoint", name="Call", stage="use", channel=SURROGATE)
    item("touchpoint", name="Call", stage="use", labels={"pl": "Telefon"})
    item("touchpoint", name="Call", stage="use", labels={"pl": 5})
    item("touchpoint", name="Call", stage="use", labels={"x" * 36: "long key"})
    # ---------------------------------------------------------------- lanes
    for kind in ["actions", "thoughts", "custom", "feelings", 5]:
        item("lane", name="Row", kind=kind)
    for colour in ["#fff", "#ff00aa", "", "red", "#ggg", "#ff00aa0"]:
        item("lane", name="Row", colour=colour)
    # ---------------------------------------------------------------- cards
    for text in ["New note", "", "   ", "<b>bold</b>", SURROGATE, 5, None]:
        item("card", text=text, touchpoint="ad", lane="emotions")
    for touchpoint, lane in [
        ("ad", "actions"),
        ("nowhere", "actions"),
        ("ad", "nowhere"),
        ("want", "actions"),
        ("ad", "web"),
        (5, "actions"),
    ]:
        item("card", text="Ref", touchpoint=touchpoint, lane=lane)
    for field in ["impact", "effort"]:
        # no 3.0: JSON from a browser cannot tell it from 3 (Python refuses a float here)
        for value in [1, 5, 0, 6, 2.5, "3", True, None]:
            item("card", text="Score", touchpoint="ad", lane="actions", **{field: value})
    for source in ["interview", "rumour"]:
        item("card", text="Source", touchpoint="ad", lane="actions", source=source)
    item("card", text="Tags", touchpoint="ad", lane="actions", tags=["a", "b"])
    item("card", text="Tags", touchpoint="ad", lane="actions", tags=["a", 5])
    item("card", text="Tags", touchpoint="ad", lane="actions", tags="a")
    item("card", text="Counted", touchpoint="ad", lane="actions", id="card_9")
    item("card", text="No lane", touchpoint="ad")
    item("persona", name="Béla", role="Owner", goals=["Cheap"])
    item("persona", name="Béla", goals="Cheap")
    item("persona", name="")
    add(0, {"op": "add", "kind": "journey", "item": {"name": "x"}})
    add(0, {"op": "add", "kind": "card", "item": "text"})

    # ---------------------------------------------------------------- updates
    def update(target: str, changes: dict[str, Any] | None = None, **more: Any) -> None:
        add(0, {"op": "update", "id": target, "changes": {**(changes or {}), **more}})

    for changes in [
        {"name": "Renamed"},
        {"name": ""},
        {"name": "   "},
        {"name": SURROGATE},
        {"name": 5},
        {"emotion": 2},
        {"emotion": 3.5},
        {"emotion": None},
        {"emotion": True},
        {"emotion": "1"},
        {"moment_of_truth": True},
        {"moment_of_truth": "yes"},
        {"stage": "use"},
        {"id": "other"},
        {"channel": "Phone", "owner": "Sales"},
        {"colour": "red"},
        {"measured": {"emotion": 1, "n": 5}},
        {"measured": None},
    ]:
        update("ad", changes)
    for changes in [
        {"text": "New text"},
        {"text": ""},
        {"text": None},
        {"text": SURROGATE},
        {"impact": 5},
        {"impact": "5"},
        {"impact": 6},
        {"touchpoint": "ad"},
        {"lane": "emotions"},
        {"tags": ["x"]},
        {"source": "survey"},
    ]:
        update("card_1", changes)
    update("actions", name="Doing", kind="thoughts")
    update("actions", colour="#123")
    update("actions", colour="blue")
    update("anna", quote="Prąd!", goals=["a"])
    update("want", name="Wanting")
    update("nowhere", name="x")
    add(0, {"op": "update", "changes": {"name": "no id"}})

    # ---------------------------------------------------------------- the map's own fields
    def map_update(doc: int = 0, changes: dict[str, Any] | None = None, **more: Any) -> None:
        add(doc, {"op": "update", "kind": "map", "changes": {**(changes or {}), **more}})

    for changes in [
        {"title": "New title"},
        {"title": SURROGATE},
        {"title": 5},
        {"description": "d", "scenario": "s"},
        {"kind": "employee"},
        {"kind": "partner"},
        {"state": "future"},
        {"state": True},
        {"persona": None},
        {"persona": "anna"},
        {"persona": "nobody"},
        {"persona": "ad"},
        {"language": "pl"},
        {"language": ""},
        {"labels": {"pl": "Kupuję prąd"}},
        {"metadata": {"a": [1, {"b": None}]}},
        {"metadata": {"a": SURROGATE}},
        {"id": "other"},
        {"colour": "x"},
        {"scale": {"min": -5, "max": 5, "neutral": 0, "step": 1}},
        {"scale": {"min": -1, "max": 1, "neutral": 0, "step": 1}},
        {"scale": {"min": 3, "max": -3}},
        {"scale": {"min": True, "max": 3}},
    ]:
        map_update(0, changes)
    map_update(doc=2, scale={"min": 1, "max": 4, "neutral": 1, "step": 1})
    map_update(doc=2, scale={"min": 0, "max": 10, "neutral": 5, "step": 0.5})
    map_update(doc=1, persona="anna")
    map_update(doc=1, metadata={"deep": json.loads('{"a":' * 40 + "1" + "}" * 40)})
    add(0, {"op": "update", "id": "ad", "kind": "map", "changes": {"title": "x"}})

    # ---------------------------------------------------------------- moves
    def move(id: str, doc: int = 0, **fields: Any) -> None:
        add(doc, {"op": "move", "id": id, **fields})

    for fields in [
        {"index": 0},
        {"index": 1},
        {"index": 2},
        {"index": 3},
        {"index": None},
        {"touchpoint": "ad"},
        {"touchpoint": "ad", "index": 0},
        {"touchpoint": "ad", "index": 2},
        {"lane": "emotions"},
        {"touchpoint": "invoice", "lane": "emotions", "index": 1},
        {"touchpoint": "nowhere"},
        {"lane": "ad"},
        {"stage": "use"},
        {"index": "0"},
        {"index": True},
        {"index": -1},
    ]:
        move("card_2", **fields)
    for fields in [
        {"index": 0},
        {"stage": "use"},
        {"stage": "use", "index": 0},
        {"stage": "leave"},
        {"stage": "use", "index": 5},
        {"stage": "ad"},
        {"lane": "actions"},
    ]:
        move("web", **fields)
    for id, fields in [
        ("want", {"index": 2}),
        ("want", {"index": 3}),
        ("leave", {"index": 0}),
        ("emotions", {"index": 0}),
        ("anna", {"index": 0}),
        ("want", {"touchpoint": "ad"}),
        ("nowhere", {"index": 0}),
    ]:
        move(id, **fields)

    # ---------------------------------------------------------------- removes
    def remove(id: str, doc: int = 0, **fields: Any) -> None:
        add(doc, {"op": "remove", "id": id, **fields})

    for id, fields in [
        ("card_1", {}),
        ("leave", {}),
        ("want", {}),
        ("want", {"cascade": True}),
        ("want", {"rehome": "use"}),
        ("want", {"rehome": "leave"}),
        ("want", {"rehome": "nowhere"}),
        ("want", {"rehome": "want"}),
        ("want", {"rehome": "ad"}),
        ("want", {"cascade": True, "rehome": "use"}),
        ("web", {}),
        ("web", {"cascade": True}),
        ("web", {"rehome": "ad"}),
        ("actions", {"cascade": True}),
        ("actions", {"rehome": "emotions"}),
        ("anna", {}),
        ("card_1", {"rehome": "card_2"}),
        ("nowhere", {}),
        ("want", {"cascade": "yes"}),
        ("invoice", {"cascade": True}),
    ]:
        remove(id, **fields)
    # ---------------------------------------------------------------- emotions
    for id, value in [
        ("ad", 2),
        ("ad", -3),
        ("ad", 3),
        ("ad", 0.5),
        ("ad", None),
        ("ad", 4),
        ("ad", -4),
        ("ad", True),
        ("ad", "1"),
        ("card_1", 1),
        ("want", 1),
        ("nowhere", 1),
    ]:
        add(0, {"op": "set_emotion", "id": id, "value": value})
    add(2, {"op": "set_emotion", "id": "low", "value": 0})
    add(2, {"op": "set_emotion", "id": "low", "value": 2})
    add(0, {"op": "set_emotion", "id": "ad"})
    # ---------------------------------------------------------------- batches and bad edits
    ok_step = {"op": "set_emotion", "id": "ad", "value": 2}
    add(0, {"op": "batch", "edits": [ok_step, {"op": "move", "id": "card_1", "index": 0}]})
    add(0, {"op": "batch", "edits": [ok_step, {"op": "set_emotion", "id": "web", "value": 9}]})
    add(
        0,
        {
            "op": "batch",
            "edits": [
                {"op": "add", "kind": "stage", "item": {"name": "Batch"}},
                {"op": "add", "kind": "touchpoint", "item": {"name": "In batch", "stage": "batch"}},
            ],
        },
    )
    add(
        0,
        {
            "op": "batch",
            "edits": [
                {
                    "op": "add",
                    "kind": "card",
                    "item": {"text": "a", "touchpoint": "ad", "lane": "actions"},
                },
                {
                    "op": "add",
                    "kind": "card",
                    "item": {"text": "b", "touchpoint": "ad", "lane": "actions"},
                },
            ],
        },
    )
    add(
        0,
        {
            "op": "batch",
            "edits": [
                ok_step,
                {
                    "op": "batch",
                    "edits": [{"op": "remove", "id": "card_4"}, {"op": "remove", "id": "card_4"}],
                },
            ],
        },
    )
    add(0, {"op": "batch", "edits": [], "label": "nothing"})
    add(
        0,
        {
            "op": "batch",
            "edits": [
                {"op": "remove", "id": "want", "cascade": True},
                {"op": "add", "kind": "stage", "item": {"name": "Want"}},
            ],
        },
    )
    for bad in [
        {},
        {"op": "explode"},
        {"op": "move"},
        {"op": "remove", "id": 5},
        {"op": "move", "id": "card_1", "extra": 1},
    ]:
        add(0, bad)
    return out


def build() -> dict[str, Any]:
    """The fixture as a dict (what the file holds)."""
    cases = []
    for doc_index, edit in _cases():
        m = jw.JourneyMap.from_dict(DOCS[doc_index])
        case: dict[str, Any] = {"doc": doc_index, "edit": edit}
        try:
            applied = m.apply(edit)
        except jw.EditError as exc:
            case.update(ok=False, field=exc.field, reason=str(exc))
        else:
            inverse = m._history.undo_stack[-1][1]
            case.update(ok=True, applied=strip_edit(applied.to_dict()))
            after = compact(strip_doc(m.to_dict()), strip_doc(DOCS[doc_index]))
            case.update(inverse=strip_edit(inverse.to_dict()), after=after)
        cases.append(case)
    return {
        "about": "Generated by scripts/generate_rules_fixture.py from the Python model; "
        "do not edit.",
        "defaults": DEFAULTS,
        "docs": [strip_doc(doc) for doc in DOCS],
        "cases": cases,
    }


def text() -> str:
    """The fixture file's text: ASCII JSON (lone surrogates travel as escapes)."""
    return json.dumps(build(), ensure_ascii=True, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(TARGET, text())
    fixture = build()
    accepted = sum(case["ok"] for case in fixture["cases"])
    print(
        f"wrote {TARGET.name}: {len(fixture['cases'])} cases ({accepted} accepted), "
        f"{TARGET.stat().st_size / 1024:.0f} KiB",
        file=sys.stderr,
    )
