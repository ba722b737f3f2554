"""The one layout of a journey map's grid: which columns and rows, in which order.

The widget (``js/src/layout.ts``) and every static picture (:mod:`journeywidgets.svg`, and
the HTML and PDF exports drawn from it) place their columns and rows by the same rule, read
from one data file, ``layout.json`` beside this module, so the two cannot drift apart:

- **Columns**: stages left to right in map order, each stage's touchpoints in order; a stage
  with no touchpoints keeps one placeholder column so that it still shows (and, in the
  widget, can be dropped into).
- **Rows**: the lanes top to bottom in map order, with the emotion row (the emotion curve)
  just above the first *emotions* lane, or below every lane when the map has none. A map
  with no columns has no emotion row.

Sizes (column widths, fonts) are each view's own business; only the order is shared.

Examples
--------
>>> import journeywidgets as jw
>>> from journeywidgets import layout
>>> m = jw.templates.energy_utility()
>>> [row.name for row in layout.rows(m)]
['actions', 'emotion', 'emotions', 'expectations', 'pain_points', 'opportunities']
>>> first = layout.columns(m)[0]
>>> first.stage.id, first.touchpoint.id if first.touchpoint else None
('i_want_electricity', 'searches_for_information')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from .model.entities import Lane, Stage, Touchpoint
from .model.journey import JourneyMap

#: The shared description, shipped with the package and bundled into the widget.
RULES_PATH = Path(__file__).with_name("layout.json")


@cache
def rules() -> dict[str, Any]:
    """The layout description that the widget and the static pictures share.

    Examples
    --------
    >>> from journeywidgets import layout
    >>> layout.rules()["rows"]["emotion_above_lane_kind"]
    'emotions'
    """
    data: dict[str, Any] = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Column:
    """One grid column: a touchpoint of ``stage``, or (``touchpoint`` None) the placeholder
    column of a stage with no touchpoints."""

    stage: Stage
    touchpoint: Touchpoint | None


@dataclass(frozen=True)
class Row:
    """One grid row: a lane, or (``lane`` None) the emotion row."""

    lane: Lane | None

    @property
    def kind(self) -> Literal["lane", "emotion"]:
        """``"lane"`` or ``"emotion"``."""
        return "emotion" if self.lane is None else "lane"

    @property
    def name(self) -> str:
        """The lane's id, or ``"emotion"`` for the emotion row."""
        return "emotion" if self.lane is None else self.lane.id


def columns(m: JourneyMap) -> list[Column]:
    """The map's columns, left to right.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> from journeywidgets import layout
    >>> m = jw.JourneyMap(title="Two stages")
    >>> _ = m.add_stage("Look", id="look")
    >>> _ = m.add_stage("Buy", id="buy")
    >>> _ = m.add_touchpoint("Shop", stage="buy", id="shop")
    >>> [(c.stage.id, c.touchpoint.id if c.touchpoint else None) for c in layout.columns(m)]
    [('look', None), ('buy', 'shop')]
    """
    placeholders = int(rules()["columns"]["empty_stage_columns"])
    out: list[Column] = []
    for stage in m.stages:
        tps = m.touchpoints_in(stage.id)
        if tps:
            out += [Column(stage, tp) for tp in tps]
        else:
            out += [Column(stage, None)] * placeholders
    return out


def rows(m: JourneyMap, *, lanes: list[Lane] | None = None, emotion: bool = True) -> list[Row]:
    """The map's rows, top to bottom.

    Parameters
    ----------
    m:
        The map.
    lanes:
        The lanes to lay out (default: all of the map's, in order); a page or poster tile
        passes the lanes it shows.
    emotion:
        Whether the emotion row is wanted at all.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> from journeywidgets import layout
    >>> m = jw.templates.it_laptop()
    >>> [row.name for row in layout.rows(m)][:4]
    ['actions', 'thoughts', 'emotion', 'emotions']
    >>> [row.name for row in layout.rows(m, emotion=False)][:3]
    ['actions', 'thoughts', 'emotions']
    """
    rule = rules()["rows"]
    shown = m.lanes if lanes is None else lanes
    out = [Row(lane) for lane in shown]
    if not emotion or (rule["emotion_needs_columns"] and not m.stages):
        return out
    for i, lane in enumerate(shown):
        if lane.kind == rule["emotion_above_lane_kind"]:
            out.insert(i, Row(None))
            return out
    if rule["emotion_without_that_lane"] == "below_lanes":
        out.append(Row(None))
    else:
        out.insert(0, Row(None))
    return out
