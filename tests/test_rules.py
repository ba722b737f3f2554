"""The map's rules, written once (journeywidgets.model.rules): the checks themselves, the
same verdict and wording from every entry point (edits, documents, tables), and the fixture
that holds the TypeScript side to them (js/tests/rules-fixture.test.ts)."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import journeywidgets as jw
from journeywidgets.model import rules
from journeywidgets.model.entities import Scale
from model_helpers import small_map

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "js/tests/fixtures/rules-fixture.json"


# ==================================================================================== the checks
@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("plain", False),
        ("Zażółć 😡👍🏽 أريد \u200f\u202e", False),
        ("tab\tnul\x00", False),
        ("\ud83d", True),
        ("cut 😡\ud83d", True),
        ("\ude00 low half", True),
    ],
)
def test_text_is_valid_unicode(text: str, bad: bool) -> None:
    assert (rules.text_problem(text) is not None) is bad


def test_a_surrogate_is_located_by_character() -> None:
    assert "U+DE00) at character 2" in str(rules.text_problem("ab\ude00"))


@pytest.mark.parametrize(
    ("value", "field", "says"),
    [
        ({"a": [1, {"b": None}]}, None, None),
        ({"a": {1: 2}}, "metadata['a']", "keys must be text"),
        ({"a": math.nan}, "metadata['a']", "finite"),
        ({"a": [2**53]}, "metadata['a'][0]", "too large"),
        ({"a": b"x"}, "metadata['a']", "bytes is not JSON data"),
        ({"\ud83d": 1}, "metadata", "surrogate"),
    ],
)
def test_json_data(value: Any, field: str | None, says: str | None) -> None:
    issues = rules.json_issues(value, "metadata")
    if field is None:
        assert issues == []
    else:
        assert issues[0].field == field
        assert says in issues[0].message


def test_json_depth_is_the_limit_on_load_and_save() -> None:
    deep: Any = 1
    for _ in range(rules.MAX_DEPTH):
        deep = {"a": deep}
    assert rules.json_issues(deep, "m") == []
    assert "nested deeper" in rules.json_issues({"a": deep}, "m")[0].message


def test_json_depth_check_survives_hostile_nesting() -> None:
    deep: Any = []
    for _ in range(100_000):  # far past Python's recursion limit
        deep = [deep]
    assert "nested deeper" in rules.json_issues(deep, "m")[0].message


@pytest.mark.parametrize(
    ("value", "ok"),
    [(1, True), (-2.5, True), ("x", True), (True, False), (None, False), (math.inf, False)],
)
def test_a_metric_is_a_number_or_text(value: Any, ok: bool) -> None:
    if ok:
        assert rules.check_scalar(value) == value
    else:
        with pytest.raises(ValueError):  # noqa: PT011 - the message is checked elsewhere
            rules.check_scalar(value)


def test_number_text_never_raises() -> None:
    assert rules.number_text(2.5) == "2.5"
    assert "digits" in rules.number_text(10**400)


def test_references_and_scale() -> None:
    kinds = {"t": "touchpoint", "l": "lane", "c": "card"}.get
    issues = rules.reference_issues("card", {"touchpoint": "c", "lane": "nowhere"}, kinds)
    assert issues == [
        rules.Issue("touchpoint", "'c' is not a touchpoint of this map (it is a card)"),
        rules.Issue("lane", "'nowhere' is not a lane of this map"),
    ]
    scale = Scale(min=-2, max=2)
    issues = rules.scale_issues({"emotion": 3, "measured": {"emotion": 2 + 1e-12}}, scale)
    assert issues == [rules.Issue("emotion", "3 is outside the map's scale [-2, 2]")]
    assert rules.persona_issues("t", kinds) == [
        rules.Issue("persona", "'t' is not a persona of this map (it is a touchpoint)")
    ]


# ==================================================================== one verdict, every entry
def _edit_error(action: Any) -> str:
    m = small_map()
    with pytest.raises(jw.EditError) as info:
        action(m)
    return str(info.value)


def _document_error(change: Any) -> str:
    doc = small_map().to_dict()
    change(doc)
    with pytest.raises(jw.DocumentError) as info:
        jw.JourneyMap.from_dict(doc)
    return str(info.value)


def _table_error(change: Any) -> str:
    tables = jw.frames.to_dataframes(small_map())
    change(tables)
    with pytest.raises(jw.TableError) as info:
        jw.frames.from_dataframes(tables)
    return str(info.value)


def _set(frame: pd.DataFrame, column: str, value: Any) -> None:
    frame[column] = frame[column].astype(object)
    frame.at[frame.index[0], column] = value


@pytest.mark.parametrize(
    ("edit", "document", "table", "says"),
    [
        pytest.param(
            lambda m: m.move("card_1", lane="nowhere"),
            lambda d: d["cards"][0].update(lane="nowhere"),
            lambda t: _set(t["cards"], "lane", "nowhere"),
            "'nowhere' is not a lane of this map",
            id="dangling reference",
        ),
        pytest.param(
            lambda m: m.set_emotion("ad", 7),
            lambda d: d["touchpoints"][0].update(emotion=7),
            lambda t: _set(t["touchpoints"], "emotion", 7),
            "7 is outside the map's scale [-3, 3]",
            id="emotion off the scale",
        ),
        pytest.param(
            lambda m: m.update("card_1", text="\ud83d"),
            lambda d: d["cards"][0].update(text="\ud83d"),
            lambda t: _set(t["cards"], "text", "\ud83d"),
            "contains a lone surrogate (U+D83D) at character 0",
            id="lone surrogate",
        ),
        pytest.param(
            lambda m: m.set(persona="ad"),
            lambda d: d.update(persona="ad"),
            lambda t: _set(t["map"], "persona", "ad"),
            "'ad' is not a persona of this map",
            id="persona",
        ),
    ],
)
def test_edits_documents_and_tables_say_the_same(
    edit: Any, document: Any, table: Any, says: str
) -> None:
    assert says in _edit_error(edit)
    assert says in _document_error(document)
    assert says in _table_error(table)


# ==================================================================================== the fixture
def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "generate_rules_fixture", ROOT / "scripts/generate_rules_fixture.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_fixture_is_what_the_model_does_now() -> None:
    """The TypeScript replay tests the fixture; this tests the fixture is today's Python.
    After changing a rule: ``.venv/bin/python scripts/generate_rules_fixture.py``."""
    assert FIXTURE.read_text(encoding="utf-8") == _generator().text()


def test_the_fixture_covers_every_edit_and_both_verdicts() -> None:
    cases = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 250
    ops = {c["edit"].get("op") for c in cases if c["ok"]}
    assert ops >= {"add", "update", "move", "remove", "set_emotion", "batch"}
    fields = {c["field"] for c in cases if not c["ok"]}
    assert fields >= {"id", "name", "text", "emotion", "index", "stage", "lane", "scale", None}
