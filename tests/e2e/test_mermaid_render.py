"""Exported Mermaid text renders with the real mermaid package in Chromium, offline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sharing_pages import dump, render_mermaid, squash

import journeywidgets as jw
from journeywidgets import mermaid
from sharing_maps import small_map

# What hostile text tries in Mermaid: a directive that loads a URL, statements smuggled in
# after a newline or a ":", comments, an accDescr block, keywords, HTML.
PAYLOADS = [
    "%%{init: {'themeCSS': '.x{background:url(http://example.invalid/a.png)}'}}%%",
    "%%{init: {'theme': 'dark'",  # an unclosed directive swallows the rest of the text
    "a\nsection Injected\n  Evil: 5: Mallory",
    "b: 1: Mallory",
    "section Evil",
    "%% comment; x",
    "} accDescr { y",
    "title Evil title",
    "journey",
    "<img src='http://example.invalid/b.png'> & #35; 100%",
]


def payload_map() -> jw.JourneyMap:
    """Every field Mermaid gets holds a payload: title, accTitle, accDescr, sections, tasks,
    actors."""
    m = jw.JourneyMap(PAYLOADS[0], description=PAYLOADS[1] + " " + PAYLOADS[2])
    m.set(metadata={"mermaid": {"acc_title": PAYLOADS[0] + PAYLOADS[6]}})
    for i, text in enumerate(PAYLOADS):
        m.add_persona(text + f" {i}")
    for i, text in enumerate(PAYLOADS):
        stage = m.add_stage(text, id=f"s{i}")
        m.add_touchpoint(PAYLOADS[-1 - i], stage=stage.id, emotion=(i % 7) - 3)
        m.add_touchpoint(text + " task", stage=stage.id)
    return m


def drawn(text: str) -> str:
    """``text`` as Mermaid draws it: escaped, marks invisible, whitespace ignored."""
    return squash(text).replace(mermaid.MARK, "")


def reserved_characters_map() -> jw.JourneyMap:
    m = jw.JourneyMap("Title #1; 100% sure: yes")
    m.add_persona("Smith, John: CEO")
    m.add_stage("Section: one; #two")
    m.add_stage("section inside")
    m.add_touchpoint("a: b; c # d % e\nf", stage="section_one_two", emotion=1)
    m.add_touchpoint("Title page", stage="section_inside", emotion=-3)
    m.add_touchpoint("journey planner", stage="section_inside", emotion=3)
    m.add_touchpoint("%% not a comment", stage="section_inside")
    return m


@pytest.mark.parametrize(
    ("name", "build", "language"),
    [
        ("small", small_map, None),
        ("energy_pl", jw.templates.energy_utility, "pl"),
        ("reserved", reserved_characters_map, None),
        ("payloads", payload_map, None),
    ],
)
def test_exported_text_renders_every_section_and_task(
    page: Page,
    tmp_path: Path,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
    name: str,
    build: object,
    language: str | None,
) -> None:
    assert callable(build)
    m: jw.JourneyMap = build()
    text = jw.to_mermaid(m, language=language)
    result = render_mermaid(page, tmp_path, text)
    assert result["ok"], f"mermaid could not render it: {result.get('error')}\n{text}"
    assert result["svg"]
    shown = [drawn(t) for t in result["texts"]]
    # Mermaid draws each name as escaped (reserved characters as look-alikes)...
    for stage in m.stages:
        label = drawn(mermaid.escape(stage.label(language)))
        assert label in shown, f"{stage.name!r} not drawn: {dump(shown)}"
    for tp in m.touchpoints:
        label = drawn(mermaid.escape(tp.label(language)))
        assert label in shown, f"{tp.name!r} not drawn: {dump(shown)}"
    # ... and has as many sections and tasks as the map has stages and touchpoints
    counts = page.evaluate(
        """() => ({
          sections: document.querySelectorAll('#out svg rect.journey-section').length,
          tasks: document.querySelectorAll('#out svg rect.task').length,
        })"""
    )
    sections = [s for s in m.stages if m.touchpoints_in(s.id)]  # Mermaid draws no empty one
    assert counts == {"sections": len(sections), "tasks": len(m.touchpoints)}, text
    again = jw.from_mermaid(text)  # and reads back to the same structure and names
    names = [" ".join(s.label(language).split()) for s in m.stages]
    assert [s.name for s in again.stages] == names
    assert len(again.touchpoints) == len(m.touchpoints)
    assert blocked_requests == []
    screenshot(name)


def test_the_payloads_do_break_mermaid_when_written_raw(
    page: Page, tmp_path: Path, blocked_requests: list[str]
) -> None:
    # The check above can fail: the same payloads written without escape() do damage.
    raw = (
        "journey\n  title T\n"
        f"  accDescr: {PAYLOADS[0]}\n"
        "  section One\n    Tea: 5: Me\n"
        f"  section {PAYLOADS[1]}\n"
        "  section Three\n    Work: 1: Me\n"
    )
    render_mermaid(page, tmp_path, raw)
    counts = page.evaluate(
        "() => document.querySelectorAll('#out svg rect.journey-section').length"
    )
    assert counts < 3 or blocked_requests, (counts, blocked_requests)


def test_invalid_text_fails_in_mermaid_too(page: Page, tmp_path: Path) -> None:
    # The reader's errors match what Mermaid itself refuses.
    bad = "journey\n  section S\n    Make tea\n"
    result = render_mermaid(page, tmp_path, bad)
    assert not result["ok"]
    with pytest.raises(jw.MermaidError, match="line 3"):
        jw.from_mermaid(bad)
