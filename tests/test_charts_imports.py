"""The charts of a map come up without pandas (issue #18: the first chart of a kernel).

pandas costs about a second to import; only charts of tables (survey aggregates, event
summaries) need it, and whoever calls them has a table, so pandas is loaded then.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import journeywidgets as jw

# Run in a fresh Python: this test process has pandas loaded by other tests.
MAP_CHARTS_ONLY = """
import json, sys
import journeywidgets as jw
import journeywidgets.charts
m = jw.templates.energy_utility()
t = m.touchpoints[0]
m.update(t.id, measured={"emotion": 1.0, "low": 0.5, "high": 1.5, "n": 120})
for view in ("panel", "deviation", "overlay"):
    jw.charts.emotion_curve(m, measured_view=view).to_dict()
jw.charts.compare([m, jw.templates.energy_utility()], labels=["a", "b"]).to_dict()
jw.charts.emotion_curve(m)._repr_mimebundle_()
after_map_charts = "pandas" in sys.modules
from journeywidgets.charts import heatmap
print(json.dumps({"after_map_charts": after_map_charts, "heatmap": heatmap.__name__,
                  "after_table_chart": "pandas" in sys.modules}))
"""


def test_map_charts_do_not_import_pandas() -> None:
    out = subprocess.run(
        [sys.executable, "-c", MAP_CHARTS_ONLY], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["after_map_charts"] is False, "a map's charts imported pandas"
    # The table charts are still there, and bring pandas with them when first used.
    assert seen == {"after_map_charts": False, "heatmap": "heatmap", "after_table_chart": True}


def test_table_charts_are_loaded_on_first_use() -> None:
    names = {
        "distribution",
        "drop_off",
        "heatmap",
        "importance_performance",
        "journey_flow",
        "likert_counts",
        "servqual_gaps",
        "time_between",
    }
    assert names <= set(dir(jw.charts))
    assert names <= set(jw.charts.__all__)
    for name in names:
        fn = getattr(jw.charts, name)
        assert fn.__name__ == name
    with pytest.raises(AttributeError, match="no_such_chart"):
        jw.charts.no_such_chart  # noqa: B018


# ------------------------------------------------------------ the first chart of a kernel

WIDGET = "application/vnd.jupyter.widget-view+json"
KERNEL_CELLS = [
    "import sys\nimport journeywidgets as jw\nm = jw.templates.energy_utility()\n"
    "chart = jw.charts.emotion_curve(m)\nchart",
    "import json\nfrom journeywidgets.charts import offline\n"
    "shows = get_ipython().display_formatter.mimebundle_formatter.lookup(chart)\n"
    "print(json.dumps({'pandas': 'pandas' in sys.modules, 'direct': shows is offline.show,"
    " 'spec': chart.to_dict()}))",
    # The user's own renderer is theirs: the chart displays as altair displays it.
    "import altair as alt\nalt.renderers.enable('html')\njw.charts.emotion_curve(m)",
]


def test_a_kernel_shows_the_chart_itself_without_pandas(tmp_path: Path) -> None:
    """In a real kernel the chart becomes an offline JupyterChart directly (not through
    altair's dict round trip), showing the very spec the chart makes, and no pandas."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in KERNEL_CELLS]
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    shown, said, html_cell = (cell.outputs for cell in nb.cells)
    (display,) = [o for o in shown if o.output_type == "execute_result"]
    model_id = display.data[WIDGET]["model_id"]
    state = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    widget = state[model_id]["state"]
    seen = json.loads(said[0].text)
    assert seen["pandas"] is False, "the first chart of a kernel imported pandas"
    assert seen["direct"] is True
    assert widget["spec"] == seen["spec"]
    assert "__jwUniqueIds" in widget["_esm"], "not the offline bundle with page-unique ids"
    (html,) = [o for o in html_cell if o.output_type == "execute_result"]
    assert WIDGET not in html.data
    assert "vegaEmbed" in html.data["text/html"]


# altair is imported on a thread of its own (charts/fresh_stack.py): the package must still
# import from any depth, once, and an import error must reach the caller.
FRESH_STACK = """
import json, sys, threading
def deep(n):
    if n == 0:
        import journeywidgets.charts.style
        return threading.active_count()
    return deep(n - 1)
threads = deep(30)
from journeywidgets.charts.fresh_stack import import_on_fresh_stack
try:
    import_on_fresh_stack("journeywidgets_no_such_module")
    missing = None
except ModuleNotFoundError as exc:
    missing = exc.name
print(json.dumps({"altair": "altair" in sys.modules, "threads_left": threads,
                  "same": import_on_fresh_stack("altair") is sys.modules["altair"],
                  "missing": missing}))
"""


def test_altair_imports_on_a_fresh_stack_from_any_depth() -> None:
    out = subprocess.run(
        [sys.executable, "-c", FRESH_STACK], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == {
        "altair": True,
        "threads_left": 1,  # the import's thread is gone
        "same": True,
        "missing": "journeywidgets_no_such_module",
    }
