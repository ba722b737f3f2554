"""The one layout description (layout.json) and its Python reading (journeywidgets.layout).

The widget reads the same file (js/src/layout.ts); tests/e2e/test_layout_parity.py checks in
Chromium that the drawn SVG and the drawn widget agree.
"""

from __future__ import annotations

import doctest
import json

import journeywidgets as jw
from journeywidgets import layout


def test_examples_run() -> None:
    result = doctest.testmod(layout, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0


def test_the_description_is_the_shipped_json_file() -> None:
    assert layout.rules() == json.loads(layout.RULES_PATH.read_text(encoding="utf-8"))
    assert layout.RULES_PATH.parent.name == "journeywidgets"  # shipped inside the package


def test_emotion_row_goes_above_the_first_emotions_lane() -> None:
    m = jw.templates.employee_onboarding()
    names = [row.name for row in layout.rows(m)]
    assert names.index("emotion") == names.index("emotions") - 1
    assert names.count("emotion") == 1
    assert [row.lane.id for row in layout.rows(m) if row.lane] == [lane.id for lane in m.lanes]


def test_emotion_row_without_an_emotions_lane_goes_below_the_lanes() -> None:
    m = jw.templates.energy_utility()
    m.remove("emotions", cascade=True)
    assert [row.kind for row in layout.rows(m)][-1] == "emotion"


def test_a_map_without_stages_has_no_emotion_row() -> None:
    m = jw.JourneyMap(title="Empty")
    m.add_lane("Actions", kind="actions")
    assert [row.kind for row in layout.rows(m)] == ["lane"]
    assert layout.columns(m) == []


def test_an_empty_stage_keeps_a_placeholder_column() -> None:
    m = jw.templates.it_laptop()
    m.add_stage("Nothing yet", id="nothing_yet", index=0)
    first = layout.columns(m)[0]
    assert (first.stage.id, first.touchpoint) == ("nothing_yet", None)
    assert len(layout.columns(m)) == len(m.touchpoints) + 1
