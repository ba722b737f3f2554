"""Every chart renders offline with vl-convert, to PNG on a light and a dark background.

The PNGs land in tests/artifacts/charts/ (git-ignored) for people to look at; the test checks
what a machine can: a real image of plausible size per chart, and in the SVG the texts that
must be drawn (Polish and Hungarian diacritics, stage names, quadrant names).
"""

from __future__ import annotations

import html
import re
import struct
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc

import journeywidgets as jw
from chart_helpers import ARTIFACTS, likert_responses
from journeywidgets.charts.style import DARK_BACKGROUND, LIGHT_BACKGROUND


def _energy_measured() -> jw.JourneyMap:
    m = jw.templates.energy_utility()
    rng = np.random.default_rng(2)
    with m.batch("survey"):
        for t in m.touchpoints[::2]:
            base = (t.emotion or 0) + rng.normal(0.3, 0.5)
            value = float(np.clip(base, -2.6, 2.6))
            m.update(
                t.id, measured={"emotion": value, "low": value - 0.4, "high": value + 0.4, "n": 150}
            )
    return m


def _fourteen() -> jw.JourneyMap:
    """The energy map cut to its first 14 touchpoints (a survey of 14 touchpoints)."""
    m = jw.templates.energy_utility()
    with m.batch("cut"):
        for t in m.touchpoints[14:]:
            m.remove(t.id, cascade=True)
    return m


def _fourteen_survey(view: str) -> Any:
    m = _fourteen()
    responses = jw.survey.synthetic(m, n_respondents=400, seed=7)
    summary = jw.survey.summarize(responses, scale=(1, 5), na_codes=[0], map=m)
    return jw.charts.emotion_curve(m, survey=summary, measured_view=view)  # type: ignore[arg-type]


def _future(m: jw.JourneyMap) -> jw.JourneyMap:
    future = m.copy()
    future.state = "future"
    with future.batch("ideal"):
        for t in future.touchpoints:
            if t.emotion is not None and t.emotion < 0:
                future.set_emotion(t.id, min(future.scale.max, t.emotion + 2))
        future.add_touchpoint(
            "Status SMS: your laptop ships tomorrow", stage="ordering", index=1, emotion=1
        )
    return future


def _segment_summary(m: jw.JourneyMap) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    out = []
    for seg, shift in (("Młodzi", 0.4), ("Seniorzy", -0.5)):
        for t in m.touchpoints[:8]:
            mean = float(np.clip((t.emotion or 0) + shift + rng.normal(0, 0.3), -2.7, 2.7))
            out.append(
                {
                    "touchpoint_id": t.id,
                    "segment": seg,
                    "emotion": mean,
                    "emotion_low": mean - 0.35,
                    "emotion_high": mean + 0.35,
                    "n": 90,
                    "small_n": False,
                }
            )
    return pd.DataFrame(out)


def _drivers(m: jw.JourneyMap) -> pd.DataFrame:
    rng = np.random.default_rng(9)
    tps = m.touchpoints
    return pd.DataFrame(
        {
            "touchpoint": [t.id for t in tps],
            "importance": rng.uniform(0.05, 0.6, len(tps)),
            "performance": rng.uniform(2.2, 4.5, len(tps)),
        }
    )


def _servqual(m: jw.JourneyMap) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    dims = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
    rows = []
    for t in m.touchpoints[:7]:
        for d in dims:
            gap = float(rng.normal(-0.5, 0.6))
            rows.append(
                {
                    "touchpoint_id": t.id,
                    "touchpoint": t.name,
                    "dimension": d,
                    "gap": gap,
                    "gap_low": gap - 0.35,
                    "gap_high": gap + 0.35,
                    "n": 120,
                }
            )
    return pd.DataFrame(rows)


def _heat_summary(m: jw.JourneyMap) -> pd.DataFrame:
    raw = likert_responses(20_000, [t.id for t in m.touchpoints[:9]], seed=3, segments=3)
    s = raw.groupby(["touchpoint", "segment"]).score.agg(mean="mean", n="size").reset_index()
    s["small_n"] = s["n"] < 730
    return s


def _survey(m: jw.JourneyMap) -> pd.DataFrame:
    return jw.survey.synthetic(m, n_respondents=1500, seed=1)


GALLERY: dict[str, Callable[[], Any]] = {
    "curve_energy_pl": lambda: jw.charts.emotion_curve(
        jw.templates.energy_utility(), language="pl"
    ),
    "curve_laptop_hu": lambda: jw.charts.emotion_curve(jw.templates.it_laptop(), language="hu"),
    "curve_measured": lambda: jw.charts.emotion_curve(_energy_measured(), language="pl"),
    "curve_measured_overlay": lambda: jw.charts.emotion_curve(
        _energy_measured(), language="pl", measured_view="overlay"
    ),
    # The measured curve of #13: a 14-touchpoint survey on its own scale, and as deviations.
    "survey_curve_14_panel": lambda: _fourteen_survey("panel"),
    "survey_curve_14_deviation": lambda: _fourteen_survey("deviation"),
    "curve_segments": lambda: jw.charts.emotion_curve(
        m := jw.templates.energy_utility(), survey=_segment_summary(m), measured=True, width=760
    ),
    "compare_current_future": lambda: jw.charts.compare(
        [m := jw.templates.it_laptop(), _future(m)], labels=["Today", "Target"]
    ),
    "distribution": lambda: jw.charts.distribution(
        jw.charts.likert_counts(
            likert_responses(5_000, [t.id for t in jw.templates.energy_utility().touchpoints[:10]])
        ),
        map=jw.templates.energy_utility(),
        language="pl",
        labels={1: "Bardzo źle", 2: "Źle", 3: "Tak sobie", 4: "Dobrze", 5: "Bardzo dobrze"},
    ),
    "distribution_segments": lambda: jw.charts.distribution(
        jw.charts.likert_counts(
            likert_responses(5_000, ["a", "b", "c", "d"], segments=2), segment="segment"
        ),
        segment="segment",
    ),
    "heatmap": lambda: jw.charts.heatmap(
        _heat_summary(m := jw.templates.energy_utility()), map=m, domain=(1, 5), language="pl"
    ),
    "importance_performance": lambda: jw.charts.importance_performance(
        _drivers(m := jw.templates.energy_utility()), map=m, language="pl"
    ),
    "servqual": lambda: jw.charts.servqual_gaps(
        _servqual(m := jw.templates.energy_utility()), map=m, language="pl"
    ),
    # From journeywidgets.survey's own tables.
    "survey_curve_segments": lambda: jw.charts.emotion_curve(
        m := jw.templates.energy_utility(),
        survey=jw.survey.summarize(
            _survey(m), scale=(1, 5), na_codes=[0], map=m, segment="segment"
        ),
    ),
    "survey_heatmap_top2": lambda: jw.charts.heatmap(
        jw.survey.summarize(
            _survey(m := jw.templates.energy_utility()),
            scale=(1, 5),
            na_codes=[0],
            map=m,
            segment="segment",
        ),
        metric="top2",
        map=m,
    ),
    "survey_key_drivers": lambda: jw.charts.importance_performance(
        jw.survey.key_drivers(
            _survey(m := jw.templates.energy_utility()),
            outcome="satisfaction",
            na_codes=[0],
            map=m,
        ),
        map=m,
        language="pl",
    ),
    "survey_servqual": lambda: jw.charts.servqual_gaps(
        jw.survey.servqual(
            jw.survey.synthetic_servqual(m := jw.templates.energy_utility(), 200, seed=2), map=m
        ),
        map=m,
    ),
}

MUST_DRAW = {
    "curve_energy_pl": ["Chcę mieć", "Decyduję –", "Rozliczenie roczne"],
    "curve_laptop_hu": ["Jóváhagyás", "Költségvetési"],
    "curve_measured": ["Measured emotion", "overall mean"],
    "curve_measured_overlay": ["Workshop hypothesis", "Survey measured (95% CI)"],
    "survey_curve_14_panel": ["Mean score (1–5)", "overall mean", "I want"],
    "survey_curve_14_deviation": ["vs overall mean", "I want"],
    "curve_segments": ["Młodzi", "Seniorzy"],
    "compare_current_future": ["Today", "Target", "Status SMS"],
    "distribution": ["Bardzo dobrze", "Źle"],
    "heatmap": ["Młodzi" if False else "Segment A", "Chcę mieć prąd"],
    "importance_performance": ["Concentrate here", "Keep up the good work", "Low priority"],
    "servqual": ["reliability", "empathy"],
    "survey_heatmap_top2": ["Top-2-box share by touchpoint and segment", "I want"],
    "survey_key_drivers": ["Concentrate here", "Keep up the good work", "Mean importance"],
    "survey_servqual": ["tangibles", "I leave"],
}


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


@pytest.mark.parametrize("name", list(GALLERY))
def test_chart_renders_to_png_offline_on_light_and_dark(name: str) -> None:
    spec = GALLERY[name]().to_dict()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for suffix, background in (("light", LIGHT_BACKGROUND), ("dark", DARK_BACKGROUND)):
        png = vlc.vegalite_to_png({**spec, "background": background}, scale=1)
        width, height = _png_size(png)
        assert 300 <= width <= 1400, (name, width)
        assert 150 <= height <= 1400, (name, height)
        (ARTIFACTS / f"{name}-{suffix}.png").write_bytes(png)
    svg = vlc.vegalite_to_svg(spec)
    # Drawn text only (aria-labels would also name legend entries that are not shown).
    drawn = html.unescape(
        " ".join(re.sub(r"<[^>]+>", " ", t) for t in re.findall(r"<text[^>]*>.*?</text>", svg))
    )
    for text in MUST_DRAW.get(name, []):
        assert text in drawn, f"{text!r} is not drawn in {name}"
