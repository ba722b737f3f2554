"""The charts of a map come up without pandas (issue #18: the first chart of a kernel).

pandas costs about a second to import; only charts of tables (survey aggregates, event
summaries) need it, and whoever calls them has a table, so pandas is loaded then.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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
