"""The touchpoint selection every chart shares, so that :func:`link` can join it to a widget.

Each chart that shows touchpoints carries

* a point selection named :data:`SELECTION` on the ``touchpoint_id`` field (click a
  touchpoint to select it, shift-click to add, double-click to clear), which works in any
  Vega-Lite renderer, with or without a kernel;
* two variable params, :data:`SELECTED_PARAM` (a list of touchpoint ids) and
  :data:`LINKED_PARAM` (false until :func:`journeywidgets.charts.link` sets it).  Once linked,
  the chart highlights what the widget has selected (the kernel writes the list) instead of
  its own clicks, so chart and widget never disagree.
"""

from __future__ import annotations

from typing import Any

import altair as alt

#: Name of the point selection (field ``touchpoint_id``) in every chart.
SELECTION = "touchpoint"
#: Field the selection and the linking use.
FIELD = "touchpoint_id"
#: Variable param holding the touchpoint ids selected in the linked widget.
SELECTED_PARAM = "jw_selected"
#: Variable param: true once the chart is linked to a widget.
LINKED_PARAM = "jw_linked"


def point_selection() -> Any:
    """The point selection on ``touchpoint_id`` (no initial value, empty selects nothing)."""
    return alt.selection_point(
        name=SELECTION, fields=[FIELD], on="click", clear="dblclick", toggle="event.shiftKey"
    )


def variable_params() -> list[Any]:
    """The two variable params :func:`link` drives from the kernel."""
    return [
        alt.param(name=SELECTED_PARAM, value=[]),
        alt.param(name=LINKED_PARAM, value=False),
    ]


def selected_test() -> dict[str, Any]:
    """A predicate true for the selected touchpoints (own clicks, or the widget's when linked)."""
    return {
        "or": [
            {"and": [f"!{LINKED_PARAM}", {"param": SELECTION, "empty": False}]},
            f"{LINKED_PARAM} && indexof({SELECTED_PARAM}, datum.{FIELD}) >= 0",
        ]
    }


def if_selected(value: Any) -> dict[str, Any]:
    """``condition=`` keyword for a channel: ``value`` for the selected touchpoints.

    Use as ``alt.Size(value=90, **if_selected(300))``.
    """
    return {"condition": {"test": selected_test(), "value": value}}
