"""Charts of real ``journeywidgets.survey`` output, from synthetic surveys up to a million rows."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import journeywidgets as jw
from chart_helpers import rows, spec_of, units
from journeywidgets.charts import curve, quadrant


@pytest.fixture(scope="module")
def energy() -> jw.JourneyMap:
    return jw.templates.energy_utility()


@pytest.fixture(scope="module")
def responses(energy: jw.JourneyMap) -> pd.DataFrame:
    return jw.survey.synthetic(energy, n_respondents=1500, seed=1)


def _measured_line(spec: dict) -> dict:
    (line,) = [u for u in units(spec, "line") if u["encoding"]["y"]["field"] == "measured"]
    return line


def test_summary_draws_the_measured_curve_and_its_interval(
    energy: jw.JourneyMap, responses: pd.DataFrame
) -> None:
    s = jw.survey.summarize(responses, scale=(1, 5), na_codes=[0], map=energy)
    spec = spec_of(jw.charts.emotion_curve(energy, survey=s, measured_view="overlay"))
    line = _measured_line(spec)
    drawn = {r["touchpoint_id"]: r for r in rows(spec, line)}
    expected = s.set_index("touchpoint_id")
    assert set(drawn) == set(expected.index)
    for tp, r in drawn.items():
        assert r["measured"] == pytest.approx(expected.loc[tp, "emotion"])
        assert r["measured_low"] == pytest.approx(max(-3, expected.loc[tp, "emotion_low"]))
        assert r["measured_high"] == pytest.approx(min(3, expected.loc[tp, "emotion_high"]))
        assert r["n"] == expected.loc[tp, "n"]
    assert line["encoding"]["color"]["scale"]["domain"] == [curve.HYPOTHESIS, curve.MEASURED]
    # The hypothesis points' tooltips quote the survey.
    (points,) = units(spec, "point", lambda u: "fill" in u["encoding"])
    quoted = {r["touchpoint_id"]: r.get("survey_text") for r in rows(spec, points)}
    assert quoted["website"].startswith(f"{expected.loc['website', 'emotion']:.2f} [")


def test_recorded_summary_is_drawn_from_the_map(
    energy: jw.JourneyMap, responses: pd.DataFrame
) -> None:
    m = energy.copy()
    s = jw.survey.summarize(responses, scale=(1, 5), na_codes=[0], map=m)
    jw.survey.record(m, s)
    from_map = rows(
        spec := spec_of(jw.charts.emotion_curve(m, measured_view="overlay")), _measured_line(spec)
    )
    from_frame = rows(
        spec2 := spec_of(jw.charts.emotion_curve(m, survey=s, measured_view="overlay")),
        _measured_line(spec2),
    )
    assert [(r["touchpoint_id"], round(r["measured"], 9)) for r in from_map] == [
        (r["touchpoint_id"], round(r["measured"], 9)) for r in from_frame
    ]


def test_segments_summary_gives_one_curve_and_one_heatmap_row_per_segment(
    energy: jw.JourneyMap, responses: pd.DataFrame
) -> None:
    s = jw.survey.summarize(responses, scale=(1, 5), na_codes=[0], map=energy, segment="segment")
    segments = sorted(s["segment"].unique())
    spec = spec_of(jw.charts.emotion_curve(energy, survey=s, measured_view="overlay"))
    assert _measured_line(spec)["encoding"]["color"]["scale"]["domain"][1:] == segments
    heat = spec_of(jw.charts.heatmap(s, metric="top2", map=energy))
    (cells,) = units(heat, "rect")
    assert cells["encoding"]["x"]["sort"] == [t.id for t in energy.touchpoints]
    assert sorted(cells["encoding"]["y"]["sort"]) == segments
    assert len(rows(heat, cells)) == len(s)


def test_key_drivers_quadrants_thresholds_and_priorities(
    energy: jw.JourneyMap, responses: pd.DataFrame
) -> None:
    d = jw.survey.key_drivers(responses, outcome="satisfaction", na_codes=[0], map=energy)
    spec = spec_of(jw.charts.importance_performance(d, map=energy))
    (points,) = units(spec, "point", lambda u: "tooltip" in u["encoding"])
    data = {r["touchpoint_id"]: r for r in rows(spec, points)}
    assert {tp: r["quadrant"] for tp, r in data.items()} == dict(
        zip(d["touchpoint_id"], d["quadrant"], strict=True)
    )
    assert {tp: r["number"] for tp, r in data.items()} == dict(
        zip(d["touchpoint_id"], d["priority_rank"], strict=True)
    )
    thresholds = [rows(spec, r)[0] for r in units(spec, "rule")]
    assert thresholds[0]["performance"] == pytest.approx(d.attrs["performance_threshold"])
    assert thresholds[0]["importance"] == pytest.approx(d.attrs["importance_threshold"])
    texts = {r["text"] for u in units(spec, "text") for r in rows(spec, u) if "text" in r}
    assert {"Concentrate here", "Keep up the good work", "Low priority"} <= texts
    first = d.loc[d["priority_rank"] == 1, "touchpoint_id"].item()
    assert data[first]["quadrant"] == "concentrate_here"
    assert data[first]["text"].startswith("1")
    assert set(quadrant.DEFAULT_QUADRANTS.values()) <= set(quadrant.QUADRANT_TITLES)


def test_servqual_table_draws_gaps_with_significance(energy: jw.JourneyMap) -> None:
    sq = jw.survey.synthetic_servqual(energy, 200, seed=2)
    table = jw.survey.servqual(sq, map=energy)
    spec = spec_of(jw.charts.servqual_gaps(table, map=energy))
    (cells,) = units(spec, "rect")
    drawn = {(r["touchpoint_id"], r["row"]): r for r in rows(spec, cells)}
    assert len(drawn) == len(table)
    assert cells["encoding"]["y"]["sort"] == list(jw.survey.SERVQUAL_DIMENSIONS)
    for row in table.itertuples():
        text = drawn[(row.touchpoint_id, row.dimension)]["text"]
        assert text.endswith("*") == bool(row.gap_low > 0 or row.gap_high < 0), text


@pytest.fixture(scope="module")
def million(energy: jw.JourneyMap) -> pd.DataFrame:
    raw = jw.survey.synthetic(energy, n_respondents=50_000, seed=3)
    assert len(raw) >= 1_000_000
    return raw


def test_a_million_responses_make_the_same_size_charts_as_a_thousand(
    energy: jw.JourneyMap, million: pd.DataFrame
) -> None:
    small = million[million["respondent"] <= 50]
    sizes: dict[str, list[int]] = {"curve": [], "heatmap": [], "counts": []}
    for frame in (small, million):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # small segments in the small sample
            s = jw.survey.summarize(
                frame, scale=(1, 5), na_codes=[0], map=energy, segment="segment"
            )
        sizes["curve"].append(len(jw.charts.emotion_curve(energy, survey=s).to_json()))
        sizes["heatmap"].append(len(jw.charts.heatmap(s, map=energy).to_json()))
        counts = jw.charts.likert_counts(frame, na_codes=[0], segment="segment")
        sizes["counts"].append(
            len(jw.charts.distribution(counts, map=energy, segment="segment").to_json())
        )
    for name, (few, many) in sizes.items():
        # Only the digits of the numbers differ (and "(x.xx)" brackets of low-base cells).
        assert abs(many - few) < 0.03 * few, (name, few, many)
