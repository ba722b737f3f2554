"""The report notebook reads on GitHub: its map and charts carry static pictures, and with a
survey it shows the map with the measured values."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
from nbconvert import HTMLExporter

from journeywidgets import notebook
from sharing_maps import small_map

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_report_with_a_survey_carries_pictures_everywhere(tmp_path: Path) -> None:
    m = small_map()
    rng = np.random.default_rng(3)
    means = {"Website": 4.2, "Call centre": 2.1, "Invoice arrives": 3.0}
    responses = pd.DataFrame(
        [
            {"respondent": r, "step": name, "csat": int(np.clip(round(rng.normal(mu, 0.8)), 1, 5))}
            for r in range(40)
            for name, mu in means.items()
        ]
    )
    path = tmp_path / "report.ipynb"
    nb = notebook.report(
        m,
        survey=responses,
        path=path,
        survey_options={"touchpoint": "step", "score": "csat", "scale": (1, 5)},
        execute=True,
    )
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    shown = [
        (c.source, o["data"])
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "data" in o
    ]
    pictures = [source for source, data in shown if "image/png" in data]
    # The map widget, the emotion curve, the map with the measurements, the measured curve.
    assert any("jw.JourneyWidget(m)" in s for s in pictures)
    assert any(s.startswith("jw.charts.with_picture(jw.charts.emotion_curve(m))") for s in pictures)
    assert "jw.export.picture(m)" in pictures
    assert any("survey=summary" in s for s in pictures)
    # No map or chart relies on HTML a sanitiser would strip (tables are HTML, and fine).
    for source, data in shown:
        if WIDGET_VIEW in data or source == "jw.export.picture(m)":
            assert "text/html" not in data, source
    # Rendered the way GitHub does (no widget state, sanitised HTML): four pictures show.
    saved = nbformat.read(path, as_version=4)
    saved.metadata.pop("widgets", None)
    page, _ = HTMLExporter(sanitize_html=True).from_notebook_node(saved)
    assert len(re.findall(r"<img[^>]+src=\"data:image/png;base64,", page)) >= 4
