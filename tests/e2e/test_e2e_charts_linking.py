"""A linked emotion curve and widget in real JupyterLab, offline: selection flows both ways.

Clicking a point on the chart selects that touchpoint in the widget (checked in the widget's
DOM and, in the next cell, in ``w.selected``); setting ``w.selected`` in Python, or clicking
a touchpoint in the widget, highlights it on the chart (checked in the chart's SVG and in
the chart's ``jw_selected`` param in the next cell).  The chart is linked with a builder, so
dragging an emotion point in the widget, or setting an emotion in a cell, redraws it (checked
in the chart's SVG, keeping the highlight); a chart whose builder fails on the dragged map
keeps its drawing and says so under its title.  The chart's Vega comes from vl-convert's
bundle: every non-local request is blocked and none may be attempted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from harness import UI, NotebookPage
from playwright.sync_api import Locator, expect
from widget_helpers import drag_vertically, settled

from journeywidgets.charts import style

pytestmark = pytest.mark.e2e

SELECTION = style.colours("auto")["selection"]
SELECTED_CLASS = re.compile(r"\bjw-selected\b")
REPORT = (
    "print(json.dumps({'widget': w.selected, 'chart': chart.params.jw_selected, "
    "'clicked': [p.get('touchpoint_id') for p in chart.selections.touchpoint.value]}))"
)
EMOTION = (
    "print(json.dumps({'widget': w.selected, 'chart': chart.params.jw_selected, "
    "'emotion': m['vpn_problem'].emotion}))"
)


def highlight(chart: Locator, tp: str) -> Locator:
    """The chart's highlight rect of touchpoint ``tp`` (the selection-coloured column)."""
    return chart.locator(f'path[aria-label="touchpoint_id: {tp}"][fill="{SELECTION}"]')


def vpn_point(chart: Locator, emotion: int) -> Locator:
    """The chart's point of the VPN touchpoint, found by its accessible label and emotion."""
    label = f"VPN and printer fail at home (First use): emotion {emotion}, moment of truth"
    return chart.locator(f'path[aria-label="{label}"]')


def report(nb: NotebookPage, cell: int) -> dict[str, Any]:
    nb.run_cell(cell)
    text = nb.output_text(cell).strip()
    assert text.startswith("{"), f"cell {cell} printed {text!r}; stderr: {nb.stderr()}"
    return dict(json.loads(text))


def test_chart_and_widget_select_each_other(
    open_notebook: Callable[[str, Iterable[str], UI], NotebookPage],
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    nb = open_notebook(
        "charts-linking.ipynb",
        [
            "import json\n"
            "import journeywidgets as jw\n"
            "m = jw.templates.it_laptop()\n"
            "w = jw.JourneyWidget(m, height=260)\n"
            "display(w)",
            "chart = jw.charts.link(jw.charts.emotion_curve, w,\n"
            "                       embed_options={'renderer': 'svg', 'actions': False})\n"
            "chart",
            REPORT,
            "w.selected = ['laptop_handover']",
            REPORT,
            REPORT,
            EMOTION,
            "_ = m.set_emotion('vpn_problem', -3)",
            "def fussy(m):\n"
            "    if m['vpn_problem'].emotion > 0:\n"
            "        raise ValueError('a happy VPN is not plausible')\n"
            "    return jw.charts.emotion_curve(m)\n"
            "fussy_chart = jw.charts.link(fussy, w,\n"
            "                             embed_options={'renderer': 'svg', 'actions': False})\n"
            "fussy_chart",
        ],
        "lab",
    )
    nb.run_cell(0)
    widget = nb.output(0)
    expect(widget.locator('[data-kind="touchpoint"][data-id="vpn_problem"]')).to_be_visible(
        timeout=20_000
    )
    nb.run_cell(1, timeout=90)  # the first offline chart builds vl-convert's bundle
    chart = nb.output(1).locator(".vega-embed svg")
    expect(chart).to_be_visible(timeout=30_000)
    assert chart.locator("path[aria-label]").count() > 20, "the chart drew no marks"

    # Chart -> widget: click the VPN touchpoint's point.
    point = chart.locator('path[aria-label^="VPN and printer fail at home ("]')
    expect(point).to_have_count(1)
    point.click()
    expect(widget.locator('[data-kind="touchpoint"][data-id="vpn_problem"]')).to_have_class(
        SELECTED_CLASS, timeout=10_000
    )
    expect(highlight(chart, "vpn_problem")).to_have_attribute("opacity", "0.22", timeout=10_000)
    assert report(nb, 2) == {
        "widget": ["vpn_problem"],
        "chart": ["vpn_problem"],
        "clicked": ["vpn_problem"],
    }
    screenshot("chart-clicked")

    # Python -> chart: the widget's selection set in a cell highlights it on the chart.
    nb.run_cell(3)
    expect(highlight(chart, "laptop_handover")).to_have_attribute("opacity", "0.22", timeout=10_000)
    expect(highlight(chart, "vpn_problem")).to_have_attribute("opacity", "0", timeout=10_000)
    expect(widget.locator('[data-kind="touchpoint"][data-id="laptop_handover"]')).to_have_class(
        SELECTED_CLASS, timeout=10_000
    )
    got = report(nb, 4)
    assert got["widget"] == got["chart"] == ["laptop_handover"], got

    # Widget -> chart: clicking a touchpoint in the widget highlights it on the chart.
    widget.locator('[data-kind="touchpoint"][data-id="budget_approval"]').click()
    expect(highlight(chart, "budget_approval")).to_have_attribute("opacity", "0.22", timeout=10_000)
    expect(highlight(chart, "laptop_handover")).to_have_attribute("opacity", "0", timeout=10_000)
    got = report(nb, 5)
    assert got["widget"] == got["chart"] == ["budget_approval"], got

    # Widget edit -> chart: drag the VPN emotion point from -2 up to +1; the chart is rebuilt
    # from the map and still highlights the widget's selection.
    expect(vpn_point(chart, -2)).to_have_count(1)
    root = widget.locator(".jw-root")
    point = root.locator('g.jw-point[data-tp="vpn_problem"]')
    point.scroll_into_view_if_needed()
    curve = root.locator(".jw-curve-svg").bounding_box()
    assert curve is not None
    # js/src/curve.ts: 16 px padding in a 140 px curve; +1 on -3..3 is 16 + 2/6 * 108 px down.
    drag_vertically(nb.page, point, curve["y"] + curve["height"] * 52 / 140)
    settled(root)
    expect(vpn_point(chart, 1)).to_have_count(1, timeout=10_000)
    expect(vpn_point(chart, -2)).to_have_count(0)
    expect(highlight(chart, "budget_approval")).to_have_attribute("opacity", "0.22")
    screenshot("chart-redrawn-after-drag")
    got = report(nb, 6)
    assert got == {"widget": ["budget_approval"], "chart": ["budget_approval"], "emotion": 1}, got

    # Python edit -> chart, and the rebuilt chart still links: a click in the widget.
    nb.run_cell(7)
    expect(vpn_point(chart, -3)).to_have_count(1, timeout=10_000)
    widget.locator('[data-kind="touchpoint"][data-id="vpn_problem"]').click()
    expect(highlight(chart, "vpn_problem")).to_have_attribute("opacity", "0.22", timeout=10_000)
    expect(highlight(chart, "budget_approval")).to_have_attribute("opacity", "0", timeout=10_000)

    # A builder that fails on the map a gesture made: that chart keeps its last drawing and
    # says so under its title (the warning of a gesture goes to no cell in JupyterLab).
    nb.run_cell(8)
    fussy = nb.output(8).locator(".vega-embed svg")
    expect(vpn_point(fussy, -3)).to_have_count(1, timeout=30_000)
    point.scroll_into_view_if_needed()
    curve = root.locator(".jw-curve-svg").bounding_box()
    assert curve is not None
    drag_vertically(nb.page, point, curve["y"] + curve["height"] * 52 / 140)
    settled(root)
    expect(vpn_point(chart, 1)).to_have_count(1, timeout=10_000)
    expect(fussy.locator("text", has_text="Not redrawn: fussy raised ValueError")).to_have_count(
        1, timeout=10_000
    )
    expect(vpn_point(fussy, -3)).to_have_count(1)
    expect(highlight(fussy, "vpn_problem")).to_have_attribute("opacity", "0.22")

    fussy.scroll_into_view_if_needed()
    screenshot("final")
    assert not [e for e in nb.stderr() if "Error" in e or "Traceback" in e], nb.stderr()
    assert blocked_requests == [], f"non-local requests were attempted: {blocked_requests}"


def _rgb(css: str) -> str:
    """``rgb(r, g, b)`` (as the browser reports colours) to ``#rrggbb``."""
    parts = [int(float(p)) for p in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]
    return "#" + "".join(f"{p:02x}" for p in parts)


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_chart_reads_on_light_and_dark_jupyterlab(
    open_notebook: Callable[[str, Iterable[str], UI], NotebookPage],
    jupyter_server: Any,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
    theme: str,
) -> None:
    settings = "/lab/api/settings/@jupyterlab/apputils-extension:themes"
    jupyter_server.api("PUT", settings, {"raw": json.dumps({"theme": theme})})
    try:
        nb = open_notebook(
            f"charts-theme-{theme.split()[-1].lower()}.ipynb",
            [
                "import journeywidgets as jw\n"
                "m = jw.templates.energy_utility()\n"
                "jw.charts.emotion_curve(m, language='pl')",
            ],
            "lab",
        )
        body = nb.page.locator("body")
        expect(body).to_have_attribute(
            "data-jp-theme-light", "true" if theme.endswith("Light") else "false"
        )
        # The plain altair chart at the end of a cell: importing journeywidgets.charts in a
        # kernel made altair render it offline (no enable_offline() call in the notebook).
        nb.run_cell(0, timeout=90)
        embed = nb.output(0).locator(".vega-embed")
        expect(embed.locator("canvas, svg").first).to_be_visible(timeout=30_000)
        background = nb.page.evaluate(
            "() => getComputedStyle(document.querySelector('.jp-Notebook')).backgroundColor"
        )
        embed_bg = embed.evaluate("el => getComputedStyle(el).backgroundColor")
        assert embed_bg in ("rgba(0, 0, 0, 0)", "transparent"), embed_bg
        text = style.colours("auto")["text"]
        ratio = style.contrast(text, _rgb(background))
        assert ratio >= 4.0, f"axis text {text} on {background}: contrast {ratio:.2f}"
        screenshot(theme.split()[-1].lower())
        assert blocked_requests == [], f"non-local requests were attempted: {blocked_requests}"
    finally:
        jupyter_server.api("PUT", settings, {"raw": json.dumps({"theme": "JupyterLab Light"})})
