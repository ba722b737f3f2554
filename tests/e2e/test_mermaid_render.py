"""Exported Mermaid text renders with the real mermaid package in Chromium, offline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sharing_pages import dump, render_mermaid, squash

import journeywidgets as jw
from sharing_maps import small_map


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
    shown = [squash(t) for t in result["texts"]]
    # What Mermaid draws is the exported text (reserved characters as look-alikes).
    again = jw.from_mermaid(text)
    for stage in again.stages:
        assert squash(stage.name) in shown, f"{stage.name!r} not drawn: {dump(shown)}"
    for tp in again.touchpoints:
        assert squash(tp.name) in shown, f"{tp.name!r} not drawn: {dump(shown)}"
    for persona in again.personas:
        assert squash(persona.name) in shown, f"{persona.name!r} not drawn: {dump(shown)}"
    assert len(again.touchpoints) == len(m.touchpoints)
    assert blocked_requests == []
    screenshot(name)


def test_invalid_text_fails_in_mermaid_too(page: Page, tmp_path: Path) -> None:
    # The reader's errors match what Mermaid itself refuses.
    bad = "journey\n  section S\n    Make tea\n"
    result = render_mermaid(page, tmp_path, bad)
    assert not result["ok"]
    with pytest.raises(jw.MermaidError, match="line 3"):
        jw.from_mermaid(bad)
