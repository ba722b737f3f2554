"""The saved document: JSON text and files, text in any script, schema versions and
migration, whole-document validation, and the published JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import journeywidgets as jw
from journeywidgets.model.document import SCHEMA_VERSION, generate_schema
from model_helpers import AWKWARD_TEXTS, small_map

SCHEMA_FILE = Path(jw.__file__).parent / "schema" / "journeymap.schema.json"


# ============================================================================ round trips
def test_save_and_load_a_file(tmp_path: Path) -> None:
    m = small_map()
    path = m.save(tmp_path / "map.json")
    assert path == tmp_path / "map.json"
    back = jw.load(path)
    assert back == m
    assert back.to_dict() == m.to_dict()
    assert jw.load(str(path)) == m
    assert json.loads(path.read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION


def test_text_round_trip(tmp_path: Path) -> None:
    m = small_map()
    for text in (m.to_json(), m.to_json(indent=None), m.to_json().encode("utf-8")):
        assert jw.loads(text) == m
        assert jw.JourneyMap.from_json(text) == m
    assert "\n" not in m.to_json(indent=None)
    assert json.loads(m.to_json()) == m.to_dict()


def test_copy_is_equal_and_independent() -> None:
    m = small_map()
    other = m.copy()
    assert other == m
    assert other is not m
    other.set_emotion("ad", 3)
    assert other != m
    assert m["ad"].emotion == 1
    assert not other.can_undo or other.history[0]["edit"]["op"] == "set_emotion"
    assert (m == "not a map") is False


def test_document_lists_entities_in_map_order() -> None:
    m = small_map()
    m.move("use", index=0)
    m.move("card_5", index=0)  # alone in its cell: stays
    m.move("emotions", index=0)
    doc = m.to_dict()
    assert [s["id"] for s in doc["stages"]] == ["use", "want"]
    assert [t["id"] for t in doc["touchpoints"]] == ["invoice", "ad", "web"]
    assert [c["id"] for c in doc["cards"]] == ["card_5", "card_4", "card_1", "card_3", "card_2"]
    assert [c.id for c in m.cards] == [c["id"] for c in doc["cards"]]


def test_a_document_in_any_order_loads_into_map_order() -> None:
    doc = small_map().to_dict()
    doc["cards"].reverse()
    doc["touchpoints"] = [doc["touchpoints"][2], doc["touchpoints"][0], doc["touchpoints"][1]]
    m = jw.JourneyMap.from_dict(doc)
    assert [t.id for t in m.touchpoints] == ["ad", "web", "invoice"]
    assert [c.id for c in m.cards_in("web")] == ["card_2", "card_3"]
    assert jw.JourneyMap.from_dict(m.to_dict()) == m


def test_reading_a_document_leaves_it_as_it_was() -> None:
    doc = small_map().to_dict()
    del doc["schema_version"]
    copy = json.loads(json.dumps(doc))
    assert jw.JourneyMap.from_dict(doc) == small_map()
    assert doc == copy


def test_an_empty_document_is_an_empty_map() -> None:
    m = jw.loads("{}")
    assert m == jw.JourneyMap()
    assert (m.title, m.kind, m.state, m.scale.min, m.scale.max) == (
        "",
        "customer",
        "current",
        -3,
        3,
    )


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_text_in_any_script_survives_byte_for_byte(tmp_path: Path, text: str) -> None:
    m = jw.JourneyMap(text, description=text, labels={"ar": text}, metadata={text: [text]})
    m.add_persona(text, id="p", quote=text, goals=(text,))
    m.add_stage(text, id="s", labels={"he": text, "pl": text})
    m.add_lane(text, id="l", description=text)
    m.add_touchpoint(text, id="t", stage="s", channel=text, metrics={text: text})
    m.add_card(text, id="c", touchpoint="t", lane="l", tags=(text,), owner=text)
    for back in (
        jw.loads(m.to_json()),
        jw.loads(m.to_json(indent=None)),
        jw.load(m.save(tmp_path / "m.json")),
        jw.JourneyMap.from_dict(json.loads(json.dumps(m.to_dict()))),
    ):
        assert back == m
        strings = [
            back.title,
            back.description,
            back.info.labels["ar"],
            back.metadata[text][0],
            back["p"].name,
            back["p"].quote,
            back["p"].goals[0],
            back["s"].name,
            back["s"].label("he"),
            back["l"].description,
            back["t"].channel,
            back["t"].metrics[text],
            back["c"].text,
            back["c"].tags[0],
            back["c"].owner,
        ]
        assert all(s.encode("utf-8") == text.encode("utf-8") for s in strings)


def test_non_ascii_is_written_as_utf8_not_escaped(tmp_path: Path) -> None:
    m = jw.JourneyMap("Zażółć gęślą jaźń 🙂 أريد <script>alert(1)</script>")
    raw = m.save(tmp_path / "m.json").read_bytes()
    assert "Zażółć gęślą jaźń 🙂 أريد".encode() in raw
    assert b"<script>alert(1)</script>" in raw
    assert b"\\u" not in raw


# ============================================================================ versions
@pytest.mark.parametrize("version", [3, 99])
def test_newer_schema_version_is_refused(tmp_path: Path, version: int) -> None:
    doc = {**small_map().to_dict(), "schema_version": version}
    for read in (
        lambda: jw.JourneyMap.from_dict(doc),
        lambda: jw.loads(json.dumps(doc)),
        lambda: jw.load(_write(tmp_path / "new.json", doc)),
    ):
        with pytest.raises(jw.SchemaVersionError) as info:
            read()
        message = str(info.value)
        assert f"schema version {version}" in message
        assert "upgrade" in message
        assert info.value.field == "schema_version"
        assert isinstance(info.value, jw.DocumentError)


@pytest.mark.parametrize("version", ["2", 0, -1, 1.5, True, None])
def test_nonsense_schema_version(version: object) -> None:
    with pytest.raises(jw.DocumentError, match="schema_version") as info:
        jw.JourneyMap.from_dict({"schema_version": version})
    assert not isinstance(info.value, jw.SchemaVersionError)


def _write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


VERSION_1 = {
    "schema_version": 1,
    "title": "Prąd",
    "emotion_scale": [1, 5],
    "stages": [{"id": "s", "name": "Chcę mieć prąd"}],
    "touchpoints": [{"id": "t", "stage": "s", "name": "Umowa", "emotion": 4}],
    "lanes": [
        {"id": "actions", "name": "Działania", "kind": "actions", "color": "#8bc34a"},
        {"id": "x", "name": "Bez koloru"},
    ],
    "cards": [{"id": "c", "touchpoint": "t", "lane": "actions", "text": "Podpisuję"}],
}


def test_version_1_document_migrates() -> None:
    m = jw.JourneyMap.from_dict(VERSION_1)
    assert (m.scale.min, m.scale.max, m.scale.neutral) == (1, 5, 1)
    assert m["actions"].colour == "#8bc34a"
    assert m["x"].colour == ""
    assert m["t"].emotion == 4
    doc = m.to_dict()
    assert doc["schema_version"] == SCHEMA_VERSION
    assert "emotion_scale" not in doc
    assert "color" not in doc["lanes"][0]
    assert jw.loads(m.to_json()) == m
    spanning = jw.JourneyMap.from_dict({**VERSION_1, "emotion_scale": [-2, 4.5]})
    assert spanning.scale.neutral == 0
    assert VERSION_1["lanes"][0]["color"] == "#8bc34a"  # the input is not modified


@pytest.mark.parametrize("pair", [[1], [1, 2, 3], "1-5", [1, "5"], {"min": 1}])
def test_version_1_with_a_broken_scale(pair: object) -> None:
    with pytest.raises(jw.DocumentError) as info:
        jw.JourneyMap.from_dict({**VERSION_1, "emotion_scale": pair})
    assert "'emotion_scale'" in str(info.value)
    assert info.value.field == "emotion_scale"


def test_version_1_with_broken_lanes_reports_them() -> None:
    with pytest.raises(jw.DocumentError) as info:
        jw.JourneyMap.from_dict({**VERSION_1, "lanes": [1, {"id": "y", "name": "Y", "color": 7}]})
    message = str(info.value)
    assert "lane #0" in message
    assert "lane #1 ('y'), field 'colour'" in message


# ============================================================================ broken documents
def broken_document() -> dict:
    doc = small_map().to_dict()
    doc["stages"].append({"id": "card_2", "name": "Same id as a card"})
    doc["touchpoints"].append({"id": "ghost", "stage": "nowhere", "name": "Ghost"})
    doc["touchpoints"].append({"id": "loud", "stage": "want", "name": "Loud", "emotion": 7})
    doc["touchpoints"][0]["measured"] = {"emotion": -30, "n": 5}
    doc["lanes"].append({"id": "actions", "name": "Duplicate lane"})
    doc["cards"].append({"id": "c_lost", "touchpoint": "ghost", "lane": "actions", "text": "?"})
    doc["cards"].append({"id": "c_lane", "touchpoint": "web", "lane": "web", "text": "?"})
    doc["cards"].append(
        {"id": "c_bad", "touchpoint": "web", "lane": "actions", "text": "?", "impact": 9}
    )
    doc["cards"].append({"id": "card_1", "touchpoint": "web", "lane": "actions", "text": "dup"})
    doc["persona"] = "nobody"
    return doc


EXPECTED_PROBLEMS = [
    ("card #1 ('card_2')", "id", "already used by a stage"),
    ("touchpoint #3 ('ghost')", "stage", "'nowhere' is not a stage"),
    ("touchpoint #4 ('loud')", "emotion", "7 is outside the map's scale [-3, 3]"),
    ("touchpoint #0 ('ad')", "measured.emotion", "-30 is outside the map's scale"),
    ("lane #2 ('actions')", "id", "already used by a lane"),
    ("card #5 ('c_lost')", "touchpoint", "'ghost' is not a touchpoint"),
    ("card #6 ('c_lane')", "lane", "'web' is not a lane"),
    ("card #7 ('c_bad')", "impact", "less than or equal to 5"),
    ("card #8 ('card_1')", "id", "already used by a card"),
    ("map", "persona", "'nobody' is not a persona"),
]


def test_a_broken_document_reports_every_problem_at_once() -> None:
    with pytest.raises(jw.DocumentError) as info:
        jw.JourneyMap.from_dict(broken_document())
    error = info.value
    message = str(error)
    assert f"({len(EXPECTED_PROBLEMS)} problems)" in message
    found = [(p.where, p.field) for p in error.problems]
    for where, field, text in EXPECTED_PROBLEMS:
        assert (where, field) in found, (where, field, message)
        problem = error.problems[found.index((where, field))]
        assert text in problem.message
        assert f"{where}, field {field!r}: {problem.message}" in message
    assert len(error.problems) == len(EXPECTED_PROBLEMS)


def test_reference_problems_are_reported_without_field_errors_too() -> None:
    doc = broken_document()
    doc["cards"] = [c for c in doc["cards"] if c["id"] != "c_bad"]
    with pytest.raises(jw.DocumentError) as info:
        jw.JourneyMap.from_dict(doc)
    assert len(info.value.problems) == len(EXPECTED_PROBLEMS) - 1


@pytest.mark.parametrize(
    ("change", "where", "field"),
    [
        ({"colour": "red"}, "map", "colour"),
        ({"kind": "partner"}, "map", "kind"),
        ({"scale": {"min": 5, "max": 1}}, "map", "scale"),
        ({"metadata": {"x": float("nan")}}, "map", "metadata"),
        ({"stages": [{"id": "s"}]}, "stage #0 ('s')", "name"),
        ({"stages": [{"id": "s", "name": "S", "extra": 1}]}, "stage #0 ('s')", "extra"),
        ({"lanes": [{"id": "l", "name": "L", "kind": "feelings"}]}, "lane #0 ('l')", "kind"),
        ({"stages": "not a list"}, "map", "stages"),
        ({"stages": [{"id": "s", "name": "S", "labels": {"": "x"}}]}, "stage #0 ('s')", "labels"),
    ],
)
def test_invalid_fields_name_the_entity_and_field(change: dict, where: str, field: str) -> None:
    with pytest.raises(jw.DocumentError) as info:
        jw.JourneyMap.from_dict({**jw.JourneyMap("x").to_dict(), **change})
    assert (where, field) in [(p.where, p.field) for p in info.value.problems], str(info.value)


@pytest.mark.parametrize("text", ["", "not json", "{'single': 1}", '{"a": 1', "[1, 2", "\ufeff{}x"])
def test_text_that_is_not_json(text: str) -> None:
    with pytest.raises(jw.DocumentError, match=r"not valid JSON: .* line 1, column"):
        jw.loads(text)


@pytest.mark.parametrize("text", ["[]", "[{}]", '"a map"', "42", "null", "true"])
def test_json_that_is_not_an_object(text: str) -> None:
    with pytest.raises(jw.DocumentError, match="JSON object"):
        jw.loads(text)


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(jw.DocumentError, match="cannot read"):
        jw.load(tmp_path / "missing.json")
    with pytest.raises(jw.DocumentError, match="cannot read"):
        jw.load(tmp_path)
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(jw.DocumentError, match=r"bad\.json is not valid JSON"):
        jw.load(tmp_path / "bad.json")


# ============================================================================ JSON Schema
def test_packaged_schema_is_the_generated_one() -> None:
    """Fails when an entity changed without ``python scripts/generate_schema.py``."""
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == generate_schema()
    assert jw.json_schema() == generate_schema()
    assert jw.json_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_accepts_real_documents() -> None:
    validator = jsonschema.Draft202012Validator(jw.json_schema())
    validator.check_schema(jw.json_schema())
    documents = [small_map().to_dict(), jw.JourneyMap().to_dict()]
    documents += [jw.templates.load_template(n).to_dict() for n in jw.templates.list_templates()]
    for doc in documents:
        assert list(validator.iter_errors(doc)) == []
        assert list(validator.iter_errors(json.loads(json.dumps(doc)))) == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["cards"][0].update(impact=9), ["cards", 0, "impact"]),
        (lambda d: d["cards"][0].pop("text"), ["cards", 0]),
        (lambda d: d["lanes"][0].update(colour="green"), ["lanes", 0, "colour"]),
        (lambda d: d["stages"][0].update(owner="x"), ["stages", 0]),
        (lambda d: d.update(kind="partner"), ["kind"]),
        (lambda d: d["touchpoints"][0].update(emotion="high"), ["touchpoints", 0, "emotion"]),
        (lambda d: d.update(schema_version=0), ["schema_version"]),
    ],
)
def test_schema_rejects_broken_documents(change, path: list) -> None:
    doc = small_map().to_dict()
    change(doc)
    errors = list(jsonschema.Draft202012Validator(jw.json_schema()).iter_errors(doc))
    assert errors
    assert any(list(e.absolute_path) == path for e in errors), [e.message for e in errors]
    with pytest.raises(jw.DocumentError):
        jw.JourneyMap.from_dict(doc)


def test_a_blank_name_is_told_in_words_not_as_a_pattern() -> None:
    doc = {**jw.JourneyMap("x").to_dict(), "stages": [{"id": "s", "name": "   "}]}
    with pytest.raises(jw.DocumentError) as info:
        jw.JourneyMap.from_dict(doc)
    (problem,) = info.value.problems
    assert (problem.where, problem.field) == ("stage #0 ('s')", "name")
    assert problem.message == "must not be empty or only spaces"
