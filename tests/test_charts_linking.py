"""Linking a chart and the widget in Python, and offline rendering.

The front end is simulated the way altair's own JupyterChart tests do it: by assigning the
synced ``_vl_selections`` / ``_params`` traits the browser would send.  The browser suite
(tests/e2e/test_e2e_charts_linking.py) clicks the real thing.
"""

from __future__ import annotations

import asyncio
import re
import warnings
from typing import Any

import altair as alt
import pytest
from IPython.core.interactiveshell import InteractiveShell

import journeywidgets as jw
from chart_helpers import journey
from comm_helpers import from_browser
from journeywidgets.charts import offline
from journeywidgets.charts.selection import LINKED_PARAM, SELECTED_PARAM, SELECTION
from model_helpers import run_on_event_loop


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


# ---------------------------------------------------------------- a chart that follows the map


def points(chart: alt.JupyterChart) -> dict[str, tuple[str, float | None]]:
    """Touchpoint id -> (name, emotion) as drawn: the rows of the spec the browser renders."""
    return {
        row["touchpoint_id"]: (row["touchpoint"], row["emotion"])
        for rows in chart.spec["datasets"].values()
        for row in rows
        if "touchpoint_id" in row and "emotion" in row
    }


def notice(chart: alt.JupyterChart) -> str | None:
    """The line under the chart's title saying it could not be redrawn, if any."""
    subtitle = chart.spec.get("title", {}).get("subtitle")
    return subtitle if isinstance(subtitle, str) and "Not redrawn" in subtitle else None


def but_title(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k != "title"}


def highlighted(chart: alt.JupyterChart) -> list[str]:
    """The ``jw_selected`` value the spec starts with (what a freshly embedded view shows)."""
    [value] = [p["value"] for p in chart.spec["params"] if p["name"] == SELECTED_PARAM]
    return list(value)


class Counting:
    """A real builder (the emotion curve) that counts its calls."""

    def __init__(self, **options: Any) -> None:
        self.versions: list[int] = []
        self.options = options

    def __call__(self, m: jw.JourneyMap) -> alt.LayerChart:
        self.versions.append(m.version)
        return jw.charts.emotion_curve(m, **self.options)


@pytest.fixture
def live() -> Any:
    m = journey()
    w = jw.JourneyWidget(m)
    builder = Counting()
    chart = jw.charts.link(builder, w)
    yield m, w, chart, builder
    jw.charts.unlink(chart)
    w.close()


def test_a_builder_chart_is_redrawn_after_python_edits(live: Any) -> None:
    m, _, chart, builder = live
    assert points(chart)["ad"] == ("Advert", 1.0)
    assert builder.versions == [m.version]
    m.set_emotion("ad", -3)
    assert points(chart)["ad"] == ("Advert", -3.0)
    m.update("ad", name="Billboard")
    assert points(chart)["ad"] == ("Billboard", -3.0)
    assert chart.chart.to_dict()["datasets"] == chart.spec["datasets"]  # .chart replaced too
    assert builder.versions[-1] == m.version


def test_a_snapshot_chart_stays_as_it_was(linked: Any) -> None:
    m, _, chart = linked
    m.set_emotion("ad", -3)
    assert points(chart)["ad"] == ("Advert", 1.0)


def test_a_builder_chart_follows_gestures_in_the_widget_and_undo(live: Any) -> None:
    m, w, chart, _ = live
    from_browser(
        w, {"type": "edit", "seq": 1, "edit": {"op": "set_emotion", "id": "web", "value": 3}}
    )
    assert m["web"].emotion == 3
    assert points(chart)["web"][1] == 3.0
    from_browser(w, {"type": "undo"})
    assert points(chart)["web"][1] == -1.0
    m.redo()
    assert points(chart)["web"][1] == 3.0
    m.undo()
    assert points(chart)["web"][1] == -1.0
    # Reordering in the widget reorders the curve.
    from_browser(
        w, {"type": "edit", "seq": 2, "edit": {"op": "move", "id": "invoice", "stage": "want"}}
    )
    assert list(points(chart)).index("invoice") < list(points(chart)).index("office")


def test_the_highlight_survives_a_rebuild(live: Any) -> None:
    m, w, chart, _ = live
    w.selected = ["web"]
    m.set_emotion("web", 2)
    assert highlighted(chart) == ["web"]  # the new spec starts highlighted
    assert chart.params.jw_selected == ["web"]
    assert w.selected == ["web"]  # the new view's empty click selection did not clear it
    click(chart, "call")
    m.set_emotion("call", 0)
    assert w.selected == ["call"]
    assert highlighted(chart) == ["call"]
    click(chart, "call", "ad")  # the chart's selection after the rebuild still selects
    assert w.selected == ["call", "ad"]
    # A selected card moved to another touchpoint: the rebuilt chart highlights that one.
    card = m.cards_in(touchpoint="invoice")[0].id
    w.selected = [card]
    m.move(card, touchpoint="web", lane="emotions")
    assert highlighted(chart) == chart.params.jw_selected == ["web"]


def test_unlink_stops_the_rebuilds(live: Any) -> None:
    m, _, chart, builder = live
    jw.charts.unlink(chart)
    calls = len(builder.versions)
    m.set_emotion("ad", -3)
    assert len(builder.versions) == calls
    assert points(chart)["ad"] == ("Advert", 1.0)


def test_a_closed_chart_stops_following_the_map(live: Any) -> None:
    m, _, chart, builder = live
    chart.close()
    m.set_emotion("ad", -3)
    m.set_emotion("ad", -2)
    assert builder.versions == [m.version - 2]
    assert chart._jw_link is None


def test_relinking_a_builder_chart_follows_the_new_widgets_map() -> None:
    m1, m2 = journey(), journey()
    w1, w2 = jw.JourneyWidget(m1), jw.JourneyWidget(m2)
    chart = jw.charts.link(lambda m: jw.charts.emotion_curve(m), w1)
    assert jw.charts.link(chart, w2) is chart
    m1.set_emotion("ad", -3)
    assert points(chart)["ad"][1] == 1.0  # no longer following m1
    m2.set_emotion("ad", 2)
    assert points(chart)["ad"][1] == 2.0
    jw.charts.unlink(chart)


def survey_naming(*tps: str) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "touchpoint_id": list(tps),
            "emotion": [0.5] * len(tps),
            "emotion_low": [0.0] * len(tps),
            "emotion_high": [1.0] * len(tps),
        }
    )


def test_a_failing_builder_keeps_the_last_chart_and_warns_once_per_error() -> None:
    m = journey()
    w = jw.JourneyWidget(m)
    summary = survey_naming("ad", "invoice")

    def with_survey(m: jw.JourneyMap) -> alt.LayerChart:
        return jw.charts.emotion_curve(m, survey=summary)

    chart = jw.charts.link(with_survey, w)
    good = chart.spec
    with pytest.warns(jw.JourneyWarning) as caught:
        m.remove("invoice", cascade=True)  # the summary still names it
    [warning] = caught
    text = str(warning.message)
    assert "with_survey" in text
    assert "SurveyError" in text
    assert "'invoice' is not on the map" in text
    assert f"still shows version {m.version - 1}" in text
    assert warning.filename == __file__  # pointed at the builder
    # The last good chart, saying under its title that it is out of date and why.
    assert but_title(chart.spec) == but_title(good)
    assert notice(chart) == (
        "\u26a0 Not redrawn: with_survey raised SurveyError: survey summary: touchpoint_id "
        "'invoice' is not on the map 'journey'"
    )
    assert chart.spec["title"]["text"] == good["title"]["text"]
    assert m.kind_of("invoice") is None  # the edit itself stands
    noted = chart.spec

    # The same error again (a gesture this time): no new warning, the comm handler answers.
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        from_browser(
            w, {"type": "edit", "seq": 1, "edit": {"op": "set_emotion", "id": "ad", "value": 3}}
        )
    assert again == []
    assert m["ad"].emotion == 3
    assert w.error == ""  # accepted, not rejected
    assert chart.spec == noted

    # Undoing the deletion makes the builder work again...
    m.undo()
    m.undo()
    assert points(chart)["invoice"] == ("First invoice", -2.0)
    assert chart.spec["title"] == good["title"]  # no notice any more
    # ... and the same error in a new episode is reported again.
    with pytest.warns(jw.JourneyWarning, match="SurveyError"):
        m.redo()
    jw.charts.unlink(chart)


def test_a_builder_returning_no_linkable_chart_is_reported() -> None:
    m = journey()
    w = jw.JourneyWidget(m)
    plain = alt.Chart(alt.InlineData(values=[{"a": 1}])).mark_point().encode(x="a:Q")
    broken: list[bool] = []
    chart = jw.charts.link(lambda m: plain if broken else jw.charts.emotion_curve(m), w)
    good = chart.spec
    broken.append(True)
    with pytest.warns(jw.JourneyWarning, match=r"<lambda> raised ValueError.*'touchpoint'"):
        m.set_emotion("ad", 3)
    assert but_title(chart.spec) == but_title(good)
    assert notice(chart).startswith("\u26a0 Not redrawn: <lambda> raised ValueError: link():")
    assert len(notice(chart)) == 150  # long errors are cut short on the chart
    assert notice(chart).endswith("\u2026")
    jw.charts.unlink(chart)

    def invalid(m: jw.JourneyMap) -> alt.LayerChart:
        chart = jw.charts.emotion_curve(m)
        if broken:
            chart.width = "wide"  # refused by altair's validation, as the chart is replaced
        return chart

    broken.clear()
    chart = jw.charts.link(invalid, w)
    good = chart.spec
    broken.append(True)
    w.selected = ["web"]
    with pytest.warns(jw.JourneyWarning, match=r"invalid raised SchemaValidationError.*'wide'"):
        m.set_emotion("ad", -3)
    assert but_title(chart.spec) == {**but_title(good), "params": chart.spec["params"]}
    assert highlighted(chart) == ["web"]  # the noted chart is highlighted as the widget is
    assert notice(chart).startswith("\u26a0 Not redrawn: invalid raised SchemaValidationError")
    click(chart, "call")  # still linked both ways
    assert w.selected == ["call"]
    w.selected = ["ad"]
    assert chart.params.jw_selected == ["ad"]
    jw.charts.unlink(chart)
    with pytest.raises(TypeError, match=r"the chart builder .*<lambda> returned str"):
        jw.charts.link(lambda m: "not a chart", w)
    with pytest.raises(TypeError, match="with a chart builder needs a widget with an observable"):
        jw.charts.link(jw.charts.emotion_curve, type("W", (), {"selected": [], "observe": 1})())


def test_warnings_made_errors_are_printed_not_raised_into_the_map(
    capsys: pytest.CaptureFixture[str],
) -> None:
    m = journey()
    w = jw.JourneyWidget(m)
    summary = survey_naming("invoice")
    chart = jw.charts.link(lambda m: jw.charts.emotion_curve(m, survey=summary), w)
    with warnings.catch_warnings():
        warnings.simplefilter("error", jw.JourneyWarning)
        m.remove("invoice", cascade=True)  # does not raise: the edit has been applied
    assert "JourneyWarning: link(): the chart builder" in capsys.readouterr().err
    jw.charts.unlink(chart)


def test_in_an_event_loop_a_batch_of_edits_costs_one_rebuild(live: Any) -> None:
    m, _, chart, builder = live

    async def edit() -> None:
        before = len(builder.versions)
        with m.batch("three"):
            m.set_emotion("ad", -3)
            m.set_emotion("web", 3)
            m.set_emotion("call", 0)
        m.set_emotion("office", 1)
        assert len(builder.versions) == before  # not yet: the loop is busy with this task
        assert points(chart)["ad"][1] == 1.0
        await asyncio.sleep(0)  # what a kernel does once the widget's message is answered
        assert builder.versions[before:] == [m.version]
        assert points(chart)["ad"][1] == -3.0
        assert points(chart)["office"][1] == 1.0

    run_on_event_loop(edit)


def test_in_ipython_the_chart_is_rebuilt_once_after_the_cell(live: Any) -> None:
    m, _, chart, builder = live
    shell = InteractiveShell.instance()
    try:
        shell.user_ns["m"] = m
        before = len(builder.versions)
        shell.run_cell(
            "for tp, value in [('ad', -3), ('web', 3), ('call', 0)]:\n"
            "    m.set_emotion(tp, value)\n"
        ).raise_error()
        assert builder.versions[before:] == [m.version]
        assert points(chart)["web"][1] == 3.0
        shell.run_cell("x = 1").raise_error()
        assert len(builder.versions) == before + 1  # nothing changed: no rebuild
    finally:
        InteractiveShell.clear_instance()


def test_offline_bundle_makes_vega_svg_ids_unique_per_copy_and_is_cached(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Vega's SVG renderer counts gradient and clip ids from zero in every copy of the bundle
    # (one per chart): the patch prefixes them with a random token per copy.
    src = 'r=t.id="gradient_"+B12++;s=e.clip_id||(e.clip_id="clip"+$t2++)'
    patched = offline.unique_ids(src)
    assert '"gradient_"+__jwUniqueIds+B12++' in patched
    assert '"clip"+__jwUniqueIds+$t2++' in patched
    assert patched.startswith("const __jwUniqueIds=")
    with pytest.raises(offline.BundleChangedError, match="gradient_"):
        offline.unique_ids("no counters here")
    # The real bundle has exactly one of each site (unique_ids raises otherwise), is
    # patched in place, and is cached for the next process.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(alt.JupyterChart, "_jw_unique_ids", False, raising=False)
    offline.ensure_bundle()
    assert '"gradient_"+__jwUniqueIds+' in alt.JupyterChart._esm
    cached = list((tmp_path / "journeywidgets").glob("jupyterchart-*.js"))
    assert [p.read_text(encoding="utf-8") for p in cached] == [alt.JupyterChart._esm]
    # altair's own offline switch keeps the patched bundle (it returns early when offline).
    alt.JupyterChart.enable_offline(True)
    assert "__jwUniqueIds" in alt.JupyterChart._esm


def test_rebuild_with_new_data_only_is_sent_without_validating_again() -> None:
    m = journey()
    w = jw.JourneyWidget(m, selected=["call"])
    options: dict[str, Any] = {}
    chart = jw.charts.link(lambda m: jw.charts.emotion_curve(m, **options), w)

    def emotion(tp: str) -> Any:
        rows = [r for d in chart.spec["datasets"].values() for r in d]
        return next(r["emotion"] for r in rows if r.get("touchpoint_id") == tp)

    facade = chart.params  # JupyterChart makes new param facades when it validates a chart
    _ = m.set_emotion("ad", 0)  # inside the curve's range: only the data changes
    assert emotion("ad") == 0
    assert chart.params is facade
    assert chart.params.jw_selected == ["call"]
    assert chart.chart.to_dict(validate=False)["datasets"] == chart.spec["datasets"]
    # A change of shape (here the chart's width) is validated whole, as a new chart.
    options["width"] = 500
    _ = m.set_emotion("ad", 1)
    assert chart.params is not facade
    assert chart.spec["width"] == 500
    assert emotion("ad") == 1
    assert chart.params.jw_selected == ["call"]
    jw.charts.unlink(chart)
