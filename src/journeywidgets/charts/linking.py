"""Link a chart to a journey map widget: selecting a touchpoint in one selects it in the other.

:func:`link` wraps a chart in altair's :class:`~altair.JupyterChart` (offline) and joins
its touchpoint selection to the widget's synced ``selected`` trait, both ways:

* chart -> widget: clicking a touchpoint on the chart (shift-click for several,
  double-click to clear) sets ``widget.selected`` to those touchpoint ids;
* widget -> chart: selecting touchpoints or cards in the widget (or assigning
  ``widget.selected`` in Python) highlights those touchpoints (a card's touchpoint) on the
  chart, through the chart's ``jw_selected`` param.

Both directions pass through the kernel, so linking needs a running kernel.  Without one
(a saved notebook opened later, nbconvert HTML, a static viewer) the chart is what it was
when last rendered: tooltips and its own click highlighting still work in any Vega-Lite
renderer, and a JupyterChart whose widget state was saved shows its last highlight, but
nothing reaches the widget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import altair as alt
from altair.utils.selection import PointSelection

from . import offline
from .selection import FIELD, LINKED_PARAM, SELECTED_PARAM, SELECTION


@dataclass
class _Link:
    chart: Any
    widget: Any
    #: Touchpoints the chart should highlight (what the widget has selected).
    desired: list[str] = field(default_factory=list)
    #: The chart's own selection as last seen, to tell user clicks from re-renders.
    last_chart: list[str] = field(default_factory=list)
    undo: list[Callable[[], None]] = field(default_factory=list)


def _touchpoints_of(widget: Any, ids: Iterable[str]) -> list[str]:
    """Touchpoint ids for a widget selection: touchpoints as they are, cards -> their touchpoint."""
    m = getattr(widget, "map", None)
    out: list[str] = []
    for id in ids:
        tp: str | None = id
        if m is not None:
            kind = m.kind_of(id)
            if kind == "card":
                tp = m[id].touchpoint
            elif kind != "touchpoint":
                tp = None
        if tp is not None and tp not in out:
            out.append(tp)
    return out


def _with_params(chart: Any, selected: list[str]) -> Any:
    """A copy of ``chart`` whose link params start linked, highlighting ``selected``."""
    chart = chart.copy(deep=True)
    params = chart.params if chart.params is not alt.Undefined else []
    names = set()
    for param in params:
        raw = param["name"] if isinstance(param, dict) else param.name
        name = raw if isinstance(raw, str) else raw.to_json().strip('"')
        names.add(name)
        if name == SELECTED_PARAM:
            _set_value(param, list(selected))
        elif name == LINKED_PARAM:
            _set_value(param, True)
    missing = {SELECTED_PARAM, LINKED_PARAM} - names
    if missing:
        chart = chart.add_params(
            *(
                alt.param(name=n, value=list(selected) if n == SELECTED_PARAM else True)
                for n in sorted(missing)
            )
        )
    return chart


def _set_value(param: Any, value: Any) -> None:
    if isinstance(param, dict):
        param["value"] = value
    else:
        param.value = value


def link(
    chart: Any, widget: Any, *, embed_options: dict[str, Any] | None = None
) -> alt.JupyterChart:
    """Join a chart's touchpoint selection to a widget's ``selected``, both ways.

    Parameters
    ----------
    chart : altair chart or altair.JupyterChart
        A chart from :mod:`journeywidgets.charts` (any chart with a point selection named
        ``"touchpoint"`` on the ``touchpoint_id`` field works).
    widget : JourneyWidget
        The widget to link (anything with a ``selected`` list trait and a ``map``).
    embed_options : dict, optional
        vega-embed options for a new JupyterChart, e.g. ``{"renderer": "svg"}``.

    Returns
    -------
    altair.JupyterChart
        The linked chart, rendered offline; display it (end a cell with it).  Its
        ``selections.touchpoint`` is the chart's own click selection and ``params.jw_selected``
        the touchpoints it highlights for the widget.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.it_laptop()
    >>> w = jw.JourneyWidget(m)
    >>> chart = jw.charts.link(jw.charts.emotion_curve(m), w)
    >>> w.selected = ["vpn_problem"]
    >>> chart.params.jw_selected
    ['vpn_problem']
    >>> jw.charts.unlink(chart)
    """
    offline.ensure_bundle()
    if isinstance(chart, alt.JupyterChart):
        jchart = chart
        unlink(jchart)
        spec = jchart.chart
    else:
        jchart = None
        spec = chart
    if getattr(widget, "selected", None) is None or not hasattr(widget, "observe"):
        raise TypeError(
            f"link() needs a widget with a synced 'selected' list, got {type(widget).__name__}"
        )
    state = _Link(chart=None, widget=widget)
    state.desired = _touchpoints_of(widget, widget.selected)
    baked = _with_params(spec, state.desired)
    if jchart is None:
        jchart = alt.JupyterChart(baked, embed_options=embed_options)
    else:
        if embed_options is not None:
            jchart.embed_options = embed_options
        jchart.chart = baked
    if jchart._selection_types.get(SELECTION) != "point":
        raise ValueError(
            f"link(): the chart has no point selection named {SELECTION!r}; build it with "
            "journeywidgets.charts (emotion_curve, compare, distribution, heatmap...) or add "
            f"alt.selection_point(name={SELECTION!r}, fields=[{FIELD!r}]) to it"
        )
    state.chart = jchart

    def chart_selected(change: dict[str, Any]) -> None:
        raw = (change["new"] or {}).get(SELECTION)
        if raw is None:
            return
        points = PointSelection.from_vega(SELECTION, raw.get("value"), raw.get("store", [])).value
        ids = _touchpoints_of(widget, [p[FIELD] for p in points if isinstance(p.get(FIELD), str)])
        if ids == state.last_chart:
            return  # a (re-)render reporting the selection we already know
        state.last_chart = ids
        if list(widget.selected) != ids:
            widget.selected = ids

    def widget_selected(change: dict[str, Any]) -> None:
        state.desired = _touchpoints_of(widget, change["new"])
        if jchart.params.trait_values().get(SELECTED_PARAM) != state.desired:
            setattr(jchart.params, SELECTED_PARAM, list(state.desired))

    def params_changed(change: dict[str, Any]) -> None:
        # A freshly rendered view reports the spec's initial values: if the widget's
        # selection changed since the spec was built, send it again.
        new = change["new"] or {}
        if SELECTED_PARAM in new and list(new[SELECTED_PARAM] or []) != state.desired:
            setattr(jchart.params, SELECTED_PARAM, list(state.desired))
        if LINKED_PARAM in new and not new[LINKED_PARAM]:
            setattr(jchart.params, LINKED_PARAM, True)

    jchart.observe(chart_selected, names="_vl_selections")
    jchart.observe(params_changed, names="_params")
    widget.observe(widget_selected, names="selected")
    state.undo = [
        lambda: jchart.unobserve(chart_selected, names="_vl_selections"),
        lambda: jchart.unobserve(params_changed, names="_params"),
        lambda: widget.unobserve(widget_selected, names="selected"),
    ]
    jchart._jw_link = state
    return jchart


def unlink(chart: alt.JupyterChart) -> None:
    """Stop a chart made by :func:`link` following its widget (and the widget the chart).

    The chart keeps its current highlight and goes back to highlighting its own clicks.
    """
    state: _Link | None = getattr(chart, "_jw_link", None)
    if state is None:
        return
    for undo in state.undo:
        undo()
    chart._jw_link = None
    if LINKED_PARAM in chart.params.trait_values():
        setattr(chart.params, LINKED_PARAM, False)
