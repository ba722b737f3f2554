"""Mermaid journey export and import: round trips, rescaling, errors and warnings by line."""

from __future__ import annotations

import re

import pytest

import journeywidgets as jw
from journeywidgets import mermaid
from sharing_maps import small_map

DOCS_EXAMPLE = """\
---
title: "My working day: a study"
config:
  theme: forest
---
journey
    accTitle: A day at work
    accDescr {
      Tea, stairs and work,
      as Mermaid's documentation draws them.
    }
    %% a comment line
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me # a trailing comment
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me
"""


def test_export_of_a_small_map() -> None:
    text = jw.to_mermaid(small_map())
    assert text == (
        "journey\n"
        "  title Buying electricity\n"
        "  accDescr: How a household gets connected.\n"
        "  %% journeywidgets: a Mermaid journey cannot hold, so this leaves out:\n"
        "  %% 3 lanes, 4 cards, 2 channels, 1 moment of truth, 1 persona profile, "
        "2 translated labels\n"
        "  section I want electricity\n"
        "    Website: 4: Anna Kowalska\n"
        "    Call centre: 1: Anna Kowalska\n"
        "  section I use and pay\n"
        "    Invoice arrives: 3: Anna Kowalska\n"
    )
    assert jw.interop.to_mermaid is jw.to_mermaid


def test_unsupported_lists_what_is_left_out() -> None:
    m = small_map()
    assert mermaid.unsupported(m) == [
        "3 lanes",
        "4 cards",
        "2 channels",
        "1 moment of truth",
        "1 persona profile",
        "2 translated labels",
    ]
    m.set(scenario="Moving house", state="future")
    m.add_touchpoint("Meter", stage="i_use_and_pay", owner="Field team")
    m.add_stage("Empty")
    left_out = mermaid.unsupported(m)
    assert "the scenario" in left_out
    assert "map kind and state (customer, future)" in left_out
    assert "1 touchpoint owner" in left_out
    assert "1 touchpoint without emotion" in left_out
    assert "1 empty stage" in left_out
    blank = jw.JourneyMap("Plain")
    blank.add_stage("One")
    blank.add_touchpoint("Step", stage="one", emotion=0)
    assert mermaid.unsupported(blank) == []
    assert "%%" not in jw.to_mermaid(blank)


def test_map_round_trip_keeps_structure_emotions_and_actors() -> None:
    m = small_map()
    again = jw.from_mermaid(jw.to_mermaid(m), scale=m.scale)
    assert again.title == m.title
    assert again.description == m.description
    assert [s.name for s in again.stages] == [s.name for s in m.stages]
    assert [(t.name, t.emotion, again.stage_of(t.id).name) for t in again.touchpoints] == [
        (t.name, t.emotion, m.stage_of(t.id).name) for t in m.touchpoints
    ]
    assert [p.name for p in again.personas] == ["Anna Kowalska"]
    # Written again, the diagram is the same apart from the list of what was left out.
    strip = re.compile(r"^\s*%%.*\n", re.MULTILINE)
    assert jw.to_mermaid(again) == strip.sub("", jw.to_mermaid(m))


def test_template_round_trip_on_a_different_scale() -> None:
    m = jw.templates.energy_utility()
    again = jw.from_mermaid(jw.to_mermaid(m))
    assert [t.emotion for t in again.touchpoints] == [t.emotion for t in m.touchpoints]
    assert len(again.stages) == 6
    m.scale = (-5, 5)
    on_wide = jw.from_mermaid(jw.to_mermaid(m), scale=(-5, 5))
    assert [t.emotion for t in on_wide.touchpoints] == [t.emotion for t in m.touchpoints]


def test_docs_example_reads_every_part() -> None:
    m = jw.from_mermaid(DOCS_EXAMPLE)
    assert m.title == "My working day: a study"
    assert m.description == "Tea, stairs and work,\nas Mermaid's documentation draws them."
    assert m.metadata["mermaid"]["acc_title"] == "A day at work"
    assert m.metadata["mermaid"]["config"] == {"theme": "forest"}
    assert [s.name for s in m.stages] == ["Go to work", "Go home"]
    assert [(t.name, t.emotion) for t in m.touchpoints] == [
        ("Make tea", 3.0),
        ("Go upstairs", 0.0),
        ("Do work", -3.0),
        ("Go downstairs", 3.0),
        ("Sit down", 3.0),
    ]
    assert [p.name for p in m.personas] == ["Me", "Cat"]
    assert m.metadata["mermaid"]["actors"]["do_work"] == ["me", "cat"]
    # Written back: same tasks, scores and actors; the title keeps its colon as a look-alike.
    text = jw.to_mermaid(m)
    assert "    Do work: 1: Me, Cat\n" in text
    assert "  accTitle: A day at work\n" in text
    assert "  title My working day\ua789 a study\n" in text
    assert jw.from_mermaid(text).metadata["mermaid"]["actors"] == m.metadata["mermaid"]["actors"]


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        ((-3, 3), [-3.0, -1.5, 0.0, 1.5, 3.0]),
        ((-2, 2), [-2.0, -1.0, 0.0, 1.0, 2.0]),
        ((0, 10), [0.0, 2.5, 5.0, 7.5, 10.0]),
        ({"min": 1, "max": 5, "neutral": 3}, [1.0, 2.0, 3.0, 4.0, 5.0]),
    ],
)
def test_scores_rescale_linearly_onto_the_map_scale(
    scale: tuple[float, float] | dict[str, float], expected: list[float]
) -> None:
    text = "journey\n  section S\n" + "".join(f"    t{s}: {s}: Me\n" for s in range(1, 6))
    m = jw.from_mermaid(text, scale=scale)
    assert [t.emotion for t in m.touchpoints] == expected
    assert [line.split(": ")[1] for line in jw.to_mermaid(m).splitlines()[2:]] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]


def test_fractional_scores_and_tasks_without_actors() -> None:
    m = jw.from_mermaid("journey\n  section S\n    Half: 2.5\n    Quarter: 4.25\n")
    assert [t.emotion for t in m.touchpoints] == [-0.75, 1.875]
    assert m.personas == []
    assert "    Half: 2.5\n" in jw.to_mermaid(m)


def test_touchpoints_without_emotion_get_the_neutral_score() -> None:
    m = jw.JourneyMap("N", scale=(-2, 4))
    m.add_stage("S")
    m.add_touchpoint("Blank", stage="s")
    assert "    Blank: 2.33\n" in jw.to_mermaid(m)


def test_reserved_characters_become_look_alikes_and_parse_back_exactly() -> None:
    m = jw.JourneyMap("Title #1; 100% <sure> & more")
    m.add_persona("Smith, John: CEO")
    m.add_stage("Section: one; #two")
    m.add_stage("section inside")
    m.add_touchpoint("a: b; c # d % e\nf", stage="section_one_two", emotion=1)
    m.add_touchpoint("Title page", stage="section_inside", emotion=0)
    m.add_touchpoint("Section review", stage="section_inside", emotion=0)
    m.add_touchpoint("journey planner", stage="section_inside", emotion=0)
    m.add_touchpoint("%% not a comment", stage="section_inside", emotion=0)
    m.add_touchpoint("user's own \ua789 and \u2060", stage="section_inside", emotion=0)
    text = jw.to_mermaid(m)
    # what Mermaid reads: look-alikes, so nothing ends a statement or starts a comment
    assert "  title \u2060Title \u266f1\u037e 100\u066a \u02c2sure\u02c3 \uff06 more\n" in text
    assert "    a\ua789 b\u037e c \u266f d \u066a e f: 3.67: Smith" in text
    assert "    \u2060Title page: 3: " in text
    assert ": 3: Smith\u201a John\ua789 CEO\n" in text
    again = jw.from_mermaid(text)
    assert again.title == m.title
    assert [s.name for s in again.stages] == [s.name for s in m.stages]
    assert [t.name for t in again.touchpoints] == [
        " ".join(t.name.split())
        for t in m.touchpoints  # newlines become spaces
    ]
    assert [p.name for p in again.personas] == ["Smith, John: CEO"]


def test_language_labels() -> None:
    text = jw.to_mermaid(small_map(), language="pl")
    assert "  section Chcę mieć prąd\n" in text
    assert "  section Używam i płacę\n" in text


def test_actor_ids_in_metadata_follow_persona_renames() -> None:
    m = jw.from_mermaid("journey\n  section S\n    Tea: 5: Me, Cat\n    Work: 1: Cat\n")
    m.update("cat", name="Tom")
    assert jw.to_mermaid(m).splitlines()[2:] == ["    Tea: 5: Me, Tom", "    Work: 1: Tom"]
    m.remove("me")
    assert jw.to_mermaid(m).splitlines()[2] == "    Tea: 5: Tom"


def test_comments_directives_blank_lines_and_case() -> None:
    text = (
        "%%{init: {'theme': 'dark'}}%%\n"
        "\n"
        "%% leading comment\n"
        "JOURNEY\n"
        "  Title Upper case keywords\n"
        "  # hash comment\n"
        "  SECTION S\n"
        "    Tea: 4: Me\n"
    )
    m = jw.from_mermaid(text)
    assert m.title == "Upper case keywords"
    assert [t.name for t in m.touchpoints] == ["Tea"]


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("flowchart LR\n  A --> B\n", 1, "starts with 'journey'"),
        ("", 1, "no 'journey' line"),
        ("journey\n  section S\n    Make tea\n", 3, "task 'Make tea' has no score"),
        ("journey\n  section S\n    Tea: abc: Me\n", 3, "'abc' is not a number"),
        ("journey\n  section S\n    Tea: : Me\n", 3, "'' is not a number"),
        ("journey\n  section S\n    Tea: nan\n", 3, "'nan' is not a number"),
        ("journey\n  section S\n    Tea: 0x10\n", 3, "'0x10' is not a number"),
        ("journey\n  section S\n    Tea: 6: Me\n", 3, "score 6 is outside Mermaid's 1 to 5"),
        ("journey\n  section S\n\n    Tea: 0\n", 4, "score 0 is outside"),
        ("journey\n  section S\n    Tea: -1: Me\n", 3, "score -1 is outside"),
        ("journey\n  title A; B\n", 2, "';' is not allowed"),
        ("journey\n  section A: B\n", 2, "':' is not allowed in a section name"),
        ("journey\n  section S\n    : 3: Me\n", 3, "the task has no name"),
        ("journey\n  section  \n", 2, "the section has no name"),
        ("journey\njourney\n", 2, "'journey' may appear only once"),
        ("---\ntitle: x\njourney\n", 1, "never closed by '---'"),
        ("---\ntitle: [unclosed\n---\njourney\n", 2, "not valid YAML"),
        ("---\ntitle: a\nb: [c\nd: e\n---\njourney\n", 4, "not valid YAML"),
        ("---\n- a list\n---\njourney\n", 2, "key: value pairs"),
        ("---\ntitle: {a: 1}\n---\njourney\n", 2, "title must be text"),
        ("journey\n  accDescr {\n  never closed\n", 2, "never closed by '}'"),
        ("journey\n  accDescr { a } b\n", 2, "task 'b' has no score"),
    ],
)
def test_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(jw.MermaidError) as info:
        jw.from_mermaid(text)
    assert [p.where for p in info.value.problems] == [f"line {line}"]
    assert message in str(info.value)
    assert f"line {line}" in str(info.value)


def test_every_error_is_reported_at_once() -> None:
    text = "journey\n  section S\n    A: 9\n    B: x: Me\n    C\n"
    with pytest.raises(jw.MermaidError) as info:
        jw.from_mermaid(text)
    assert [p.where for p in info.value.problems] == ["line 3", "line 4", "line 5"]
    assert "(3 problems)" in str(info.value)


def test_bad_arguments() -> None:
    with pytest.raises(jw.MermaidError, match="must be a string"):
        jw.from_mermaid(b"journey")  # type: ignore[arg-type]
    with pytest.raises(jw.MermaidError, match="scale"):
        jw.from_mermaid("journey\n", scale=(3, -3))


# --------------------------------------------------------------------------- warnings
@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("journey\n  section S\n    Tea: 5: Me, \n", 3, "empty actor name"),
        ("journey\n  section S\n    Tea: 5:\n", 3, "empty actor name"),
        ("journey\n  section S\n    Tea: 5: Me: extra\n", 3, "after the second ':'"),
        ("journey\n  title T\n    Tea: 5: Me\n", 3, "comes before any section"),
    ],
)
def test_suspicious_input_warns_with_the_line(text: str, line: int, message: str) -> None:
    with pytest.warns(jw.JourneyWarning, match=f"line {line}: .*{re.escape(message)}"):
        m = jw.from_mermaid(text)
    assert [t.name for t in m.touchpoints] == ["Tea"]


def test_tasks_before_any_section_go_into_a_default_stage() -> None:
    with pytest.warns(jw.JourneyWarning):
        m = jw.from_mermaid("journey\n  Tea: 5: Me\n  section Later\n    Work: 1: Me\n")
    assert [s.name for s in m.stages] == [mermaid.UNSECTIONED, "Later"]
    assert [m.stage_of(t.id).name for t in m.touchpoints] == [mermaid.UNSECTIONED, "Later"]


# ------------------------------------------------------------ what Mermaid's grammar accepts
# Cases from Mermaid 11's journey parser spec (user-journey/parser/journey.spec.js) and from
# its jison lexer: statements are tokens, not lines.
@pytest.mark.parametrize(
    ("text", "title", "descr", "sections", "tasks"),
    [
        pytest.param(
            "journey\ntitle Adding journey diagram functionality to mermaid",
            "Adding journey diagram functionality to mermaid",
            "",
            [],
            [],
            id="title",
        ),
        pytest.param(
            "journey\naccDescr: A user journey for family shopping\ntitle Adding journey",
            "Adding journey",
            "A user journey for family shopping",
            [],
            [],
            id="accDescr",
        ),
        pytest.param(
            "journey\naccDescr {\nA user journey for\nfamily shopping\n}\ntitle Adding journey",
            "Adding journey",
            "A user journey for\nfamily shopping",
            [],
            [],
            id="multi-line accDescr",
        ),
        pytest.param(
            "journey\naccDescr {\nA user journey\n}section Order\nVisit: 5: Me",
            "",
            "A user journey",
            ["Order"],
            ["Visit"],
            id="text right after the closing brace",
        ),
        pytest.param(
            "journey\naccDescr { one line }  title After\nsection S\nT: 3",
            "After",
            "one line",
            ["S"],
            ["T"],
            id="one-line braces then a statement",
        ),
        pytest.param(
            "journey title Same line\nsection S\nT: 3",
            "Same line",
            "",
            ["S"],
            ["T"],
            id="a statement on the journey line",
        ),
        pytest.param(
            "journey\ntitle Adding journey diagram functionality to mermaid\n"
            "section Order from website",
            "Adding journey diagram functionality to mermaid",
            "",
            ["Order from website"],
            [],
            id="section",
        ),
        pytest.param(
            "journey\ntitle T\nsection Checkout from website\n  Add to cart: 5: Me, Kim\n"
            "  Checkout: 3 # a comment\n",
            "T",
            "",
            ["Checkout from website"],
            ["Add to cart", "Checkout"],
            id="tasks",
        ),
        pytest.param(
            "%%{init: {\n  'theme': 'forest'\n}}%%\njourney\n%%{init: {'theme': 'dark'}}%%\n"
            "section S\nT: 3\n",
            "",
            "",
            ["S"],
            ["T"],
            id="multi-line directives",
        ),
        pytest.param(
            "journey\nsection S\n  Pay 100%: 4\n  a%%b: 2\n  x %% not a comment: 3\n",
            "",
            "",
            ["S"],
            ["Pay 100%", "x %% not a comment"],
            id="percent signs (a char then %% starts a comment, as in Mermaid)",
        ),
        pytest.param(
            "journey\nsection S\n  %% a comment line: 3\n  T: 3\n",
            "",
            "",
            ["S"],
            ["T"],
            id="comment line",
        ),
        pytest.param(
            "journey\r\nsection S\r\n\tT: 3\r\n",
            "",
            "",
            ["S"],
            ["T"],
            id="CRLF and tabs",
        ),
    ],
)
def test_reads_what_mermaid_parses(
    text: str, title: str, descr: str, sections: list[str], tasks: list[str]
) -> None:
    m = jw.from_mermaid(text)
    assert m.title == title
    assert m.description == descr
    assert [s.name for s in m.stages] == sections
    assert [t.name for t in m.touchpoints] == tasks


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("journey\n  section S\n    journey planner: 3\n", 3, "'journey' may appear only once"),
        ("journey\n  section S\n    Tea:\n", 3, "task 'Tea' has no score"),
        ("journey\n  section S\n    Tea: 3; x\n", 3, "';' is not allowed"),
        ("journey\n  accTitle: a\n  section\n", 3, "the section has no name"),
        ("journey\n  section S\n    Tea: ٣\n", 3, "'٣' is not a number"),
    ],
)
def test_refuses_what_mermaid_refuses(text: str, line: int, message: str) -> None:
    with pytest.raises(jw.MermaidError) as info:
        jw.from_mermaid(text)
    assert f"line {line}" in str(info.value)
    assert message in str(info.value)


def test_every_field_goes_through_one_escape() -> None:
    payload = "%%{init: {'theme': 'dark'}}%%\nsection X\n: 1 } accDescr { #;"
    m = jw.JourneyMap(payload, description=payload)
    m.set(metadata={"mermaid": {"acc_title": payload}})
    m.add_persona(payload + ", Kim")
    stage = m.add_stage(payload)
    m.add_touchpoint(payload, stage=stage.id, emotion=1)
    text = jw.to_mermaid(m)
    body = [line for line in text.splitlines() if not line.startswith("  %% journeywidgets")]
    assert "%" not in "".join(body[2:])  # no comment, no directive
    assert len(body) == 6  # journey, title, accTitle, accDescr, section, task
    again = jw.from_mermaid(text)
    flat = " ".join(payload.split())
    assert again.title == again.description == again.metadata["mermaid"]["acc_title"] == flat
    assert [s.name for s in again.stages] == [flat]
    assert [t.name for t in again.touchpoints] == [flat]
    assert [p.name for p in again.personas] == [flat + ", Kim"]
