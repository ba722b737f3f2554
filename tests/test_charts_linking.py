"""Linking a chart and the widget in Python, and offline rendering.

The front end is simulated the way altair's own JupyterChart tests do it: by assigning the
synced ``_vl_selections`` / ``_params`` traits the browser would send.  The browser suite
(tests/e2e/test_e2e_charts_linking.py) clicks the real thing.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import pytest

import journeywidgets as jw
from chart_helpers import journey
from journeywidgets.charts import offline
from journeywidgets.charts.selection import LINKED_PARAM, SELECTED_PARAM, SELECTION


def click(chart: alt.JupyterChart, *ids: str) -> None:
    """What the browser sends when touchpoints are clicked on the chart (as vega-embed does)."""
    value = {"vlPoint": {"or": [{"touchpoint_id": i} for i in ids]}} if ids else None
    store = [
        {"unit": "", "fields": [{"field": "touchpoint_id", "type": "E"}], "values": [i]}
        for i in ids
    ]
    chart._vl_selections = {SELECTION: {"value": value, "store": store}}


@pytest.fixture
def linked() -> tuple[jw.JourneyMap, Any, alt.JupyterChart]:
    m = journey()
    w = jw.JourneyWidget(m)
    chart = jw.charts.link(jw.charts.emotion_curve(m), w)
    yield m, w, chart
    jw.charts.unlink(chart)
    w.close()


def test_link_returns_an_offline_jupyter_chart_starting_linked(linked: Any) -> None:
    _, _, chart = linked
    assert isinstance(chart, alt.JupyterChart)
    assert chart._selection_types == {SELECTION: "point"}
    params = {p["name"]: p for p in chart.spec["params"]}
    assert params[LINKED_PARAM]["value"] is True
    assert params[SELECTED_PARAM]["value"] == []
    # Vega comes from vl-convert's bundle, not a CDN.
    assert alt.JupyterChart._is_offline
    assert not re.search(r"""(import|from)\s*["']https?://""", chart._esm)
    assert "esm.sh" not in chart._esm


def test_clicking_the_chart_selects_in_the_widget(linked: Any) -> None:
    _, w, chart = linked
    click(chart, "call")
    assert w.selected == ["call"]
    assert chart.params.jw_selected == ["call"]  # and the chart highlights it
    click(chart, "call", "invoice")  # shift-click adds
    assert w.selected == ["call", "invoice"]
    click(chart)  # double-click clears
    assert w.selected == []
    assert chart.params.jw_selected == []


def test_selecting_in_the_widget_highlights_on_the_chart(linked: Any) -> None:
    m, w, chart = linked
    w.selected = ["web"]
    assert chart.params.jw_selected == ["web"]
    assert chart._params[SELECTED_PARAM] == ["web"]  # the synced trait the browser reads
    card = m.cards_in(touchpoint="invoice")[0].id
    w.selected = [card, "web", "call"]  # a card highlights its touchpoint
    assert chart.params.jw_selected == ["invoice", "web", "call"]


def test_a_render_reporting_an_empty_selection_does_not_clear_the_widget(linked: Any) -> None:
    _, w, chart = linked
    w.selected = ["web"]
    # A new view of the chart reports its initial, empty, selection and the spec's params.
    click(chart)
    chart._params = {SELECTED_PARAM: [], LINKED_PARAM: True}
    assert w.selected == ["web"]
    assert chart._params[SELECTED_PARAM] == ["web"]  # sent again to the new view


def test_linking_starts_from_the_widgets_current_selection() -> None:
    m = journey()
    w = jw.JourneyWidget(m, selected=["contract"])
    chart = jw.charts.link(jw.charts.compare([m, m.copy()], labels=["a", "b"]), w)
    params = {p["name"]: p for p in chart.spec["params"]}
    assert params[SELECTED_PARAM]["value"] == ["contract"]
    click(chart, "ad")
    assert w.selected == ["ad"]
    jw.charts.unlink(chart)


def test_unlink_stops_both_directions(linked: Any) -> None:
    _, w, chart = linked
    jw.charts.unlink(chart)
    click(chart, "call")
    assert w.selected == []
    w.selected = ["web"]
    assert chart.params.jw_selected == []
    assert not chart.params.jw_linked  # the chart highlights its own clicks again


def test_relinking_a_jupyter_chart_replaces_the_old_link() -> None:
    m = journey()
    w1, w2 = jw.JourneyWidget(m), jw.JourneyWidget(m)
    chart = jw.charts.link(jw.charts.emotion_curve(m), w1)
    same = jw.charts.link(chart, w2)
    assert same is chart
    click(chart, "ad")
    assert (w1.selected, w2.selected) == ([], ["ad"])
    jw.charts.unlink(chart)


@pytest.mark.parametrize(
    "make",
    [
        lambda m: jw.charts.heatmap(
            __import__("pandas").DataFrame({"touchpoint": ["ad", "web"], "mean": [3.0, 4.0]}),
            map=m,
        ),
        lambda m: jw.charts.distribution(
            jw.charts.likert_counts(
                __import__("pandas").DataFrame({"touchpoint": ["ad", "web"], "score": [3, 4]})
            ),
            map=m,
        ),
        lambda m: jw.charts.servqual_gaps(
            __import__("pandas").DataFrame(
                {"touchpoint": ["ad"], "dimension": ["empathy"], "gap": [-0.5]}
            ),
            map=m,
        ),
    ],
    ids=["heatmap", "distribution", "servqual"],
)
def test_survey_charts_link_too(make: Any) -> None:
    m = journey()
    w = jw.JourneyWidget(m)
    chart = jw.charts.link(make(m), w)
    click(chart, "ad")
    assert w.selected == ["ad"]
    w.selected = ["web"]
    assert chart.params.jw_selected == ["web"]
    jw.charts.unlink(chart)


def test_link_refuses_charts_without_the_selection_and_non_widgets() -> None:
    m = journey()
    plain = alt.Chart(alt.InlineData(values=[{"a": 1}])).mark_point().encode(x="a:Q")
    with pytest.raises(ValueError, match=r"no point selection named 'touchpoint'"):
        jw.charts.link(plain, jw.JourneyWidget(m))
    with pytest.raises(TypeError, match="needs a widget with a synced 'selected' list"):
        jw.charts.link(jw.charts.emotion_curve(m), object())


def test_enable_offline_switches_the_renderer_and_back() -> None:
    before = alt.renderers.active
    try:
        jw.charts.enable_offline()
        assert alt.renderers.active == "jupyter"
        assert alt.JupyterChart._is_offline
        bundle = jw.charts.emotion_curve(journey())._repr_mimebundle_()
        bundle = bundle[0] if isinstance(bundle, tuple) else bundle
        assert "application/vnd.jupyter.widget-view+json" in bundle
    finally:
        jw.charts.enable_offline(False)
        alt.renderers.enable(before)
        offline.ensure_bundle()  # leave JupyterChart offline for the other tests


def test_outside_a_kernel_importing_charts_changes_no_renderer() -> None:
    assert not offline.in_kernel()
    assert not offline.auto_enable()
