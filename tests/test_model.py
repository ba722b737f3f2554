"""The map's reading API, its entities, ids, scale, error family and the cost of importing it."""

from __future__ import annotations

import copy
import doctest
import importlib
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import journeywidgets as jw
from journeywidgets.errors import Problem
from journeywidgets.model.entities import LANE_COLOURS, as_scale
from journeywidgets.model.ids import new_id, slugify
from model_helpers import small_map


# ============================================================================ construction
def test_constructor_fields() -> None:
    m = jw.JourneyMap(
        "Onboarding",
        description="d",
        scenario="s",
        kind="employee",
        state="future",
        scale=(1, 5),
        language="hu",
        id="onboarding_v2",
        labels={"pl": "Wdrożenie"},
        metadata={"team": "HR"},
    )
    assert (m.title, m.description, m.scenario, m.kind, m.state) == (
        "Onboarding",
        "d",
        "s",
        "employee",
        "future",
    )
    assert (m.language, m.id, m.info.labels, m.metadata) == (
        "hu",
        "onboarding_v2",
        {"pl": "Wdrożenie"},
        {"team": "HR"},
    )
    assert (m.scale.min, m.scale.max, m.scale.neutral, m.scale.step) == (1, 5, 1, 1)
    assert m.version == 0
    assert m.history == []
    assert not m.can_undo
    assert not m.can_redo


@pytest.mark.parametrize(
    "scale",
    [(-2, 2), [-2, 2], {"min": -2, "max": 2}, jw.Scale(min=-2, max=2), {"min": -2.0, "max": 2.0}],
)
def test_scale_forms(scale: object) -> None:
    m = jw.JourneyMap("x", scale=scale)  # type: ignore[arg-type]
    assert (m.scale.min, m.scale.max, m.scale.neutral) == (-2, 2, 0)


def test_unknown_keyword_argument_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="colour_scheme"):
        jw.JourneyMap("x", colour_scheme="dark")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="stages"):
        jw.JourneyMap("x", stages=[])  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "partner"}, "kind"),
        ({"state": "past"}, "state"),
        ({"scale": (3, -3)}, "scale"),
        ({"scale": (0, 1, 2)}, "scale"),
        ({"scale": {"min": 0, "max": 1, "neutral": 5}}, "scale"),
        ({"scale": {"min": 0, "max": 1, "colour": "red"}}, "scale.colour"),
        ({"id": " spaced"}, "id"),
        ({"language": ""}, "language"),
        ({"metadata": {"when": object()}}, "metadata"),
        ({"labels": {"": "x"}}, "labels"),
    ],
)
def test_constructor_errors_name_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(jw.EditError) as info:
        jw.JourneyMap("x", **kwargs)
    assert info.value.field == field
    assert f"field {field!r}" in str(info.value)
    assert "pydantic" not in str(info.value)


# ============================================================================ reading
def test_collections_in_order() -> None:
    m = small_map()
    assert [p.id for p in m.personas] == ["anna", "bela"]
    assert [s.id for s in m.stages] == ["want", "use"]
    assert [t.id for t in m.touchpoints] == ["ad", "web", "invoice"]
    assert [lane.id for lane in m.lanes] == ["actions", "emotions"]
    assert [c.id for c in m.cards] == ["card_1", "card_2", "card_3", "card_4", "card_5"]
    assert [e.id for e in m][:4] == ["anna", "bela", "want", "use"]
    assert len(list(m)) == 14


def test_lookups() -> None:
    m = small_map()
    assert m["web"].name == "Website"
    assert m.get("web") is m["web"]
    assert m.get("nowhere") is None
    assert m.get("nowhere", 0) == 0
    assert "web" in m
    assert "nowhere" not in m
    assert 3 not in m
    assert [m.kind_of(i) for i in ("anna", "want", "ad", "actions", "card_1", "x")] == [
        "persona",
        "stage",
        "touchpoint",
        "lane",
        "card",
        None,
    ]
    assert m.stage_of("invoice").id == "use"
    assert [t.id for t in m.touchpoints_in("want")] == ["ad", "web"]
    assert [c.id for c in m.cards_in("web", "emotions")] == ["card_3"]
    assert [c.id for c in m.cards_in(touchpoint="invoice")] == ["card_4", "card_5"]
    assert [c.id for c in m.cards_in(lane="emotions")] == ["card_3", "card_5"]
    assert [c.id for c in m.cards_in()] == [c.id for c in m.cards]
    assert m.cards_in("ad", "emotions") == []
    assert [m.position(i) for i in ("use", "web", "card_5", "emotions", "bela")] == [1, 1, 0, 1, 1]


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m["nowhere"],
        lambda m: m.position("nowhere"),
        lambda m: m.touchpoints_in("ad"),
        lambda m: m.touchpoints_in("nowhere"),
        lambda m: m.cards_in(touchpoint="want"),
        lambda m: m.cards_in(lane="card_1"),
        lambda m: m.stage_of("want"),
    ],
)
def test_lookups_of_missing_or_wrong_kind_ids(call) -> None:
    with pytest.raises(KeyError) as info:
        call(small_map())
    assert "'" in str(info.value)  # names the id


def test_persona_defaults_to_the_first() -> None:
    m = small_map()
    assert m.info.persona is None
    assert m.persona is not None
    assert m.persona.id == "anna"
    m.set(persona="bela")
    assert m.persona is not None
    assert m.persona.id == "bela"
    assert jw.JourneyMap("empty").persona is None


def test_repr_and_equality() -> None:
    m = small_map()
    assert repr(m) == (
        "<JourneyMap 'Buying electricity': 2 stages, 3 touchpoints, 2 lanes, 5 cards>"
    )
    assert m == small_map()
    assert m != jw.JourneyMap("other")
    with pytest.raises(TypeError):
        hash(m)


# ============================================================================ entities
def test_entities_are_immutable() -> None:
    m = small_map()
    with pytest.raises(jw.errors.ReadOnlyError, match=r"snapshot.*m\.update\('web', name=\.\.\.\)"):
        m["web"].name = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError, match=r"m\.set\(title=\.\.\.\)"):
        m.info.title = "changed"  # type: ignore[misc]
    assert m["web"].name == "Website"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda m: m["web"].labels.__setitem__("pl", "Strona"),
        lambda m: m["want"].labels.update(hu="Akarok"),
        lambda m: m["invoice"].metrics.__setitem__("csat", 5),
        lambda m: m["invoice"].metrics.pop("csat"),
        lambda m: m["card_1"].labels.setdefault("pl", "x"),
        lambda m: m.info.metadata.clear(),
        lambda m: m.info.labels.__delitem__("pl"),
        lambda m: m.scale.labels.__setitem__("3", "great"),
        lambda m: m["anna"].labels.__ior__({"pl": "Ania"}),
    ],
)
def test_dict_fields_cannot_be_changed_behind_the_edits_back(mutate) -> None:
    m = small_map()
    before = m.to_dict()
    with pytest.raises(TypeError, match="read-only"):
        mutate(m)
    assert m.to_dict() == before


def test_dict_fields_are_still_dicts() -> None:
    m = small_map()
    metrics = m["invoice"].metrics
    assert isinstance(metrics, dict)
    assert metrics == {"csat": 3.1}
    assert json.dumps(metrics) == '{"csat": 3.1}'
    assert {**metrics, "nps": 10} == (metrics | {"nps": 10}) == {"csat": 3.1, "nps": 10}
    copied = copy.deepcopy(m["invoice"])
    assert copied == m["invoice"]
    assert pickle.loads(pickle.dumps(copied)) == copied
    changed = m.update("invoice", metrics={**metrics, "nps": 10})
    assert changed.metrics == {"csat": 3.1, "nps": 10}
    own = m.metadata  # a copy the caller may change
    own["x"] = 1
    assert "x" not in m.metadata


def test_labels_fall_back_to_name_or_text() -> None:
    m = small_map()
    assert m["want"].label("pl") == "Chcę mieć prąd"
    assert m["want"].label("hu") == m["want"].label() == "I want electricity"
    assert m["card_1"].label("pl") == "Sees the advert"


def test_lane_colours() -> None:
    m = small_map()
    assert m["actions"].display_colour == LANE_COLOURS["actions"] == "#8bc34a"
    assert m["emotions"].display_colour == "#ff00aa"
    assert set(LANE_COLOURS) == set(jw.LANE_KINDS)


@pytest.mark.parametrize(
    ("impact", "effort", "quick"),
    [(5, 1, True), (4, 2, True), (3, 1, False), (5, 3, False), (None, 1, False), (5, None, False)],
)
def test_quick_win(impact, effort, quick: bool) -> None:
    card = jw.Card(id="c", touchpoint="t", lane="l", text="x", impact=impact, effort=effort)
    assert card.quick_win is quick


def test_measurement_sits_beside_the_hypothesis() -> None:
    m = small_map()
    m.update("web", measured={"emotion": 0.4, "low": 0.1, "high": 0.7, "n": 212, "metric": "csat"})
    tp = m["web"]
    assert tp.emotion == -1
    assert isinstance(tp.measured, jw.Measurement)
    assert (tp.measured.emotion, tp.measured.n, tp.measured.metric) == (0.4, 212, "csat")
    # a mean mapped onto the scale may land a rounding error past the end: still accepted
    m.update("web", measured={"emotion": 3 + 1e-12, "n": 5})


def test_scale_helpers() -> None:
    scale = jw.Scale(min=-3, max=3, step=0.5)
    assert scale.contains(3)
    assert scale.contains(-3)
    assert not scale.contains(3.01)
    assert scale.snap(1.3) == 1.5
    assert scale.snap(9) == 3
    assert scale.snap(-1.24) == -1
    assert as_scale(None) == jw.Scale()
    assert as_scale(scale) is scale
    assert as_scale((1, 7)).neutral == 1
    assert as_scale((-1, 1)).neutral == 0


# ============================================================================ ids
@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("I use and pay", "i_use_and_pay"),
        ("Używam i płacę", "uzywam_i_place"),
        ("Łódź – Gdańsk", "lodz_gdansk"),
        ("Árvíztűrő tükörfúrógép", "arvizturo_tukorfurogep"),
        ("Straße", "strasse"),
        ("  --Mixed CASE!!  ", "mixed_case"),
        ("أريد الكهرباء", ""),
        ("😡👍", ""),
        ("x" * 60, "x" * 40),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_new_id() -> None:
    assert new_id("stage", "Pay", taken=set()) == "pay"
    assert new_id("stage", "Pay", taken={"pay", "pay_2"}) == "pay_3"
    assert new_id("card", None, taken=set()) == "card_1"
    assert new_id("card", None, taken={"card_1", "card_2"}, start=1) == "card_3"
    assert new_id("persona", "أحمد", taken={"persona_1"}) == "persona_2"


def test_generated_card_ids_never_collide_with_given_ones() -> None:
    m = small_map()
    m.add_card("given", id="card_7", touchpoint="ad", lane="actions")
    new = [m.add_card(str(i), touchpoint="ad", lane="actions").id for i in range(3)]
    assert new == ["card_6", "card_8", "card_9"]


def test_ids_are_unique_across_kinds() -> None:
    m = small_map()
    taken = {e.id for e in m}
    for kind in ("stage", "lane", "persona"):
        name = "Actions" if kind != "stage" else "Invoice"
        entity = getattr(m, f"add_{kind}")(name)
        assert entity.id not in taken
        taken.add(entity.id)


# ============================================================================ errors
def test_error_family() -> None:
    for cls in (
        jw.EditError,
        jw.DocumentError,
        jw.SchemaVersionError,
        jw.TableError,
        jw.SurveyError,
        jw.MermaidError,
    ):
        assert issubclass(cls, jw.JourneyError)
        assert issubclass(cls, ValueError)
    assert issubclass(jw.SchemaVersionError, jw.DocumentError)
    assert issubclass(jw.JourneyWarning, UserWarning)


def test_error_from_problems_lists_each_on_its_own_line() -> None:
    problems = [Problem("row 3", "score", "not a number"), Problem("line 4", None, "bad arrow")]
    error = jw.TableError.from_problems("cannot read the table", problems)
    assert isinstance(error, jw.TableError)
    assert str(error).splitlines() == [
        "cannot read the table (2 problems):",
        "  - row 3, field 'score': not a number",
        "  - line 4: bad arrow",
    ]
    assert error.problems == tuple(problems)
    one = jw.JourneyError.from_problems("x", problems[:1])
    assert "(1 problem)" in str(one)


# ============================================================================ docs and import
@pytest.mark.parametrize(
    "module",
    [
        "model.entities",
        "model.ids",
        "model.edits",
        "model.history",
        "model.journey",
        "model.document",
        "errors",
        "model.store",
        "model.rules",
        "model.explain",
        "atomic",
    ],
)
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(f"journeywidgets.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_import_does_not_load_heavy_dependencies() -> None:
    """``import journeywidgets`` must stay light: the widget, pandas and altair load on use."""
    heavy = ["pandas", "altair", "anywidget", "ipywidgets", "IPython", "numpy", "traitlets"]
    code = (
        "import sys, journeywidgets\n"
        "m = journeywidgets.JourneyMap('x'); m.add_stage('S'); m.to_json(); m.undo()\n"
        f"print(' '.join(name for name in {heavy!r} if name in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "journeywidgets.model.journey" in imported
    assert not {"pandas", "altair", "anywidget", "ipywidgets", "IPython"} & imported


# ============================================================================ API convention
def test_to_x_returns_the_text_and_writes_the_path(tmp_path: Path) -> None:
    m = small_map()
    for method, name in [("to_json", "m.json"), ("to_mermaid", "m.mmd"), ("to_svg", "m.svg")]:
        text = getattr(m, method)()
        assert getattr(m, method)(tmp_path / name) == text
        assert (tmp_path / name).read_text(encoding="utf-8") == text
    assert set(m.to_dataframes()) == {"map", "personas", "stages", "touchpoints", "lanes", "cards"}


def test_to_x_into_a_missing_folder_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(jw.FileWriteError, match="nowhere"):
        small_map().to_mermaid(tmp_path / "nowhere" / "m.mmd")


def test_from_x_and_read_x_read_back_what_to_x_wrote(tmp_path: Path) -> None:
    m = small_map()
    assert jw.JourneyMap.from_json(m.to_json()) == m
    assert jw.read_json(m.to_json(tmp_path / "m.json") and tmp_path / "m.json") == m
    assert jw.JourneyMap.from_dataframes(m.to_dataframes()) == m
    mermaid = m.to_mermaid(tmp_path / "m.mmd")
    assert jw.read_mermaid(tmp_path / "m.mmd") == jw.JourneyMap.from_mermaid(mermaid)
    assert jw.read_csv is jw.frames.read_csv
    assert jw.read_excel is jw.frames.read_excel


def test_old_spellings_are_aliases(tmp_path: Path) -> None:
    m = small_map()
    assert jw.load(m.save(tmp_path / "m.json")) == jw.read_json(tmp_path / "m.json") == m
    assert jw.loads(m.to_json()) == m
    assert jw.from_mermaid(m.to_mermaid()) == jw.JourneyMap.from_mermaid(m.to_mermaid())


def test_read_mermaid_names_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin2.mmd"
    path.write_bytes("journey\n  section Ż\n    Herbata: 5: Ja\n".encode("iso-8859-2"))
    with pytest.raises(jw.MermaidError, match=r"latin2\.mmd is not UTF-8"):
        jw.read_mermaid(path)


def test_entities_are_hashable_snapshots() -> None:
    m = small_map()
    cards = set(m.cards)
    assert len(cards) == len(m.cards)
    card = m["card_1"]
    assert card in m
    assert "card_1" in m
    m.update("card_1", text="changed")
    assert card not in m  # the map no longer holds that version
    assert m["card_1"] in m
    assert hash(m["want"]) == hash(m.get("want"))
    assert [] not in m  # an unhashable key is simply not an id
