"""Every chart helper's chart saves as PNG, SVG and PDF offline (jw.charts.save).

PDFs are read back with poppler's pdftotext: the chart's labels must be real text with their
diacritics.  No network is needed (vl-convert bundles Vega).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import journeywidgets as jw
from chart_helpers import likert_responses
from journeywidgets.errors import ExportError


def _servqual(m: jw.JourneyMap) -> pd.DataFrame:
    rows = []
    for n, t in enumerate(m.touchpoints[:4]):
        for d, dim in enumerate(["reliability", "empathy"]):
            gap = -0.8 + 0.3 * n - 0.2 * d
            rows.append(
                {
                    "touchpoint_id": t.id,
                    "touchpoint": t.name,
                    "dimension": dim,
                    "gap": gap,
                    "gap_low": gap - 0.3,
                    "gap_high": gap + 0.3,
                    "n": 80,
                }
            )
    return pd.DataFrame(rows)


def _drivers(m: jw.JourneyMap) -> pd.DataFrame:
    tps = m.touchpoints[:8]
    return pd.DataFrame(
        {
            "touchpoint": [t.id for t in tps],
            "importance": [0.1 + 0.05 * i for i in range(len(tps))],
            "performance": [2.5 + 0.25 * (i % 5) for i in range(len(tps))],
        }
    )


def _heat(m: jw.JourneyMap) -> pd.DataFrame:
    raw = likert_responses(2_000, [t.id for t in m.touchpoints[:5]], seed=3, segments=2)
    return raw.groupby(["touchpoint", "segment"]).score.agg(mean="mean", n="size").reset_index()


def _future(m: jw.JourneyMap) -> jw.JourneyMap:
    future = m.copy()
    future.state = "future"
    return future


# One chart of each helper, and a text each must show (diacritics where the data has them).
HELPERS: dict[str, tuple[Callable[[], Any], str]] = {
    "emotion_curve": (
        lambda: jw.charts.emotion_curve(jw.templates.energy_utility(), language="pl"),
        "Chcę mieć",
    ),
    "compare": (
        lambda: jw.charts.compare(
            [m := jw.templates.it_laptop(), _future(m)], labels=["Ma", "Jövőbeli"]
        ),
        "Jövőbeli",
    ),
    "distribution": (
        lambda: jw.charts.distribution(
            jw.charts.likert_counts(likert_responses(1_000, ["a", "b", "c"])),
            labels={1: "Bardzo źle", 2: "Źle", 3: "Tak sobie", 4: "Dobrze", 5: "Bardzo dobrze"},
        ),
        "Bardzo źle",
    ),
    "heatmap": (
        lambda: jw.charts.heatmap(
            _heat(m := jw.templates.energy_utility()), map=m, domain=(1, 5), language="pl"
        ),
        "Segment A",
    ),
    "importance_performance": (
        lambda: jw.charts.importance_performance(
            _drivers(m := jw.templates.energy_utility()), map=m, language="pl"
        ),
        "Concentrate here",
    ),
    "servqual_gaps": (
        lambda: jw.charts.servqual_gaps(_servqual(m := jw.templates.energy_utility()), map=m),
        "reliability",
    ),
}


def _pdftotext(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        message = "poppler-utils is missing: run scripts/ensure_poppler.sh"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("helper", list(HELPERS))
def test_every_helper_saves_png_svg_and_pdf(helper: str, tmp_path: Path) -> None:
    build, must_show = HELPERS[helper]
    chart = build()
    png = jw.charts.save(chart, tmp_path / f"{helper}.png", scale=1)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 200
    assert height > 100
    svg = jw.charts.save(chart, tmp_path / f"{helper}.svg")
    root = ET.fromstring(svg.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg")
    drawn = " ".join("".join(t.itertext()) for t in root.iter() if t.tag.endswith("text"))
    assert must_show in drawn
    pdf = jw.charts.save(chart, tmp_path / f"{helper}.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = " ".join(_pdftotext(pdf).split())
    assert must_show in text  # real text, not outlines


def test_html_page_is_offline_and_a_jupyterchart_saves_too(tmp_path: Path) -> None:
    import altair as alt

    chart = jw.charts.emotion_curve(jw.templates.it_laptop())
    page = jw.charts.save(alt.JupyterChart(chart), tmp_path / "curve.html").read_text()
    assert "vega" in page
    assert "cdn.jsdelivr" not in page  # Vega inlined, not loaded from a CDN
    spec = jw.charts.save(chart, tmp_path / "curve.json").read_text()
    assert '"$schema"' in spec


def test_bad_requests_say_what_is_wrong(tmp_path: Path) -> None:
    chart = jw.charts.emotion_curve(jw.templates.it_laptop())
    with pytest.raises(ExportError, match="cannot tell the format"):
        jw.charts.save(chart, tmp_path / "curve.gif")
    with pytest.raises(ExportError, match="not an altair chart"):
        jw.charts.save("curve", tmp_path / "curve.png")
    with pytest.raises(jw.FileWriteError):
        jw.charts.save(chart, tmp_path / "missing" / "curve.png")
    assert list(tmp_path.iterdir()) == []


def test_docstring_examples_run() -> None:
    import doctest

    from journeywidgets.charts import saving

    result = doctest.testmod(saving, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
