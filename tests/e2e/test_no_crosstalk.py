"""Many outputs on one page, no cross-talk: every id an output uses is its own.

A page resolves ``url(#id)`` to the first element with that id anywhere in the document, so
two outputs using one id draw with each other's clip paths and gradients (the curve area of
the second widget coloured by the first one's clip, a heatmap legend filled with the
curve's gradient, fills vanishing when another tab closes).  In real JupyterLab, offline:
two JourneyWidgets, two linked emotion curves and a survey heatmap drawn by Vega's SVG
renderer in each of two notebooks open in two tabs (two kernels); then the second tab is closed
and opened again (its views made afresh from its kernel's widget models).  Each time
every ``url(#...)`` inside an output must resolve inside that same output, and no id
inside an output may occur twice in the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from harness import UI, JupyterServer, NotebookPage, wait_until, write_notebook
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

SVG = "embed_options={'renderer': 'svg', 'actions': False}"
CELLS = [
    "import altair as alt\n"
    "import journeywidgets as jw\n"
    "m1 = jw.templates.energy_utility()\n"
    "w1 = jw.JourneyWidget(m1, height=300)\n"
    "w1",
    "m2 = jw.templates.it_laptop()\nw2 = jw.JourneyWidget(m2, height=300)\nw2",
    f"curve1 = jw.charts.link(jw.charts.emotion_curve, w1, {SVG})\ncurve1",
    "responses = jw.survey.synthetic(m1, n_respondents=300, seed=1)\n"
    "summary = jw.survey.summarize(responses, scale=(1, 5), na_codes=[0], map=m1,\n"
    "                              segment='segment')\n"
    f"alt.JupyterChart(jw.charts.heatmap(summary, map=m1), {SVG})",
    f"curve2 = jw.charts.link(jw.charts.emotion_curve, w2, {SVG})\ncurve2",
]
WIDGETS = (0, 1)
CHARTS = (2, 3, 4)

#: For every output of the open notebook: the url(#...) references that do not resolve
#: inside that output; and every id used inside an output that occurs more than once in
#: the whole document.
CHECK = """
() => {
  const counts = new Map();
  for (const el of document.querySelectorAll("[id]")) {
    counts.set(el.id, (counts.get(el.id) || 0) + 1);
  }
  const outputs = [...document.querySelectorAll(".jp-NotebookPanel .jp-OutputArea-output")];
  const unresolved = [];
  const duplicated = new Set();
  let references = 0;
  let ids = 0;
  outputs.forEach((out, index) => {
    for (const el of out.querySelectorAll("*")) {
      if (el.id) {
        ids += 1;
        if (counts.get(el.id) > 1) duplicated.add(el.id);
      }
      for (const attr of el.attributes) {
        // Vega writes url(<page address>#id): the same document, so the same lookup.
        for (const m of attr.value.matchAll(/url\\(\\s*['"]?[^'")#]*#([^'")\\s]+)/g)) {
          references += 1;
          if (!out.querySelector("#" + CSS.escape(m[1]))) {
            unresolved.push(`output ${index}: ${el.tagName} ${attr.name}=${attr.value}`);
          }
        }
      }
    }
  });
  return {outputs: outputs.length, references, ids, unresolved, duplicated: [...duplicated]};
}
"""


def _drawn(nb: NotebookPage) -> None:
    """Wait until both widgets drew their curves and the three charts their SVG."""
    for cell in WIDGETS:
        expect(nb.output(cell).locator(".jw-curve-svg path.jw-area-pos")).to_have_count(
            1, timeout=30_000
        )
    for cell in CHARTS:
        expect(nb.output(cell).locator(".vega-embed svg").first).to_be_visible(timeout=60_000)
    # Vega draws gradients into <defs> after the marks: wait for the curves' and the legend's.
    wait_until(
        lambda: all(nb.output(cell).locator("linearGradient").count() > 0 for cell in CHARTS),
        30,
        "the charts' gradients",
    )


def _check(nb: NotebookPage, when: str, notebooks: int) -> dict[str, Any]:
    found: dict[str, Any] = nb.page.evaluate(CHECK)
    assert found["outputs"] >= notebooks * len(CELLS), (when, found)
    # Not vacuous: both widgets' curves clip, the curves' areas and the heatmap's legend
    # use gradients, Vega clips its plots.
    assert found["references"] >= notebooks * (2 * len(WIDGETS) + len(CHARTS)), (when, found)
    assert found["unresolved"] == [], f"{when}: references resolved elsewhere: {found}"
    assert found["duplicated"] == [], f"{when}: ids used twice in the page: {found}"
    return found


def _open_from_file_browser(page: Page, server: JupyterServer, name: str) -> NotebookPage:
    """Open notebook ``name`` in a new tab of the JupyterLab already on ``page``."""
    page.locator(f'.jp-DirListing-item[title*="{name}"]').first.dblclick()
    nb = NotebookPage(page, server, name, "lab")
    expect(
        page.locator(f'.lm-DockPanel-tabBar li.lm-TabBar-tab.jp-mod-current[title*="{name}"]')
    ).to_have_count(1, timeout=30_000)
    nb.cells.first.wait_for(state="visible", timeout=30_000)
    nb.wait_for_kernel_idle(60)
    return nb


def _close_tab(nb: NotebookPage) -> None:
    """Save the notebook, then close its tab (its outputs leave the page)."""
    page = nb.page
    page.keyboard.press("Control+s")
    wait_until(lambda: page.locator(".jp-mod-current.jp-mod-dirty").count() == 0, 15, "the save")
    tab = page.locator(f'.lm-DockPanel-tabBar li.lm-TabBar-tab[title*="{nb.notebook}"]')
    tab.locator(".lm-TabBar-tabCloseIcon").click()
    expect(tab).to_have_count(0, timeout=15_000)


def test_widgets_and_charts_of_two_notebooks_keep_their_own_ids(
    open_notebook: Callable[[str, Iterable[str], UI], NotebookPage],
    jupyter_server: JupyterServer,
    blocked_requests: list[str],
    screenshot: Callable[[str], Path],
) -> None:
    # Two notebooks in two tabs: two kernels, so every output of one is drawn by other
    # copies of the widget's and of Vega's code than the other's (each copy counting its
    # ids from the start); JupyterLab keeps the hidden tab's outputs in the page.
    write_notebook(jupyter_server.root_dir / "crosstalk-b.ipynb", CELLS)
    a = open_notebook("crosstalk-a.ipynb", CELLS, "lab")
    for cell in range(len(CELLS)):
        a.run_cell(cell, timeout=120)
    _drawn(a)
    _check(a, "one notebook", 1)
    clips = [
        a.output(cell).locator(".jw-curve-svg clipPath").evaluate_all("els => els.map(e => e.id)")
        for cell in WIDGETS
    ]
    assert all(len(c) == 2 for c in clips), clips
    assert not set(clips[0]) & set(clips[1]), clips
    a.output(1).scroll_into_view_if_needed()
    screenshot("widgets")
    a.output(3).scroll_into_view_if_needed()
    screenshot("heatmap")

    b = _open_from_file_browser(a.page, jupyter_server, "crosstalk-b.ipynb")
    try:
        for cell in range(len(CELLS)):
            b.run_cell(cell, timeout=120)
        _drawn(b)
        _check(b, "two notebooks open", 2)
        b.output(2).scroll_into_view_if_needed()
        screenshot("second-notebook")

        # Close the second tab, then open it again: its outputs are drawn afresh from its
        # kernel's widget models, beside the first notebook's.
        _close_tab(b)
        a.page.locator('.lm-DockPanel-tabBar li.lm-TabBar-tab[title*="crosstalk-a"]').click()
        _drawn(a)
        _check(a, "after closing the second tab", 1)
        a.output(2).scroll_into_view_if_needed()
        screenshot("first-after-second-closed")
        b = _open_from_file_browser(a.page, jupyter_server, "crosstalk-b.ipynb")
        _drawn(b)
        _check(b, "after reopening the second tab", 2)
        b.output(3).scroll_into_view_if_needed()
        screenshot("second-reopened")
        assert a.tracebacks() == []
    finally:
        b.close()
    assert blocked_requests == [], f"non-local requests were attempted: {blocked_requests}"
