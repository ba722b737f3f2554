"""Survey evidence charts: Likert counts and distributions, heatmaps, SERVQUAL gaps.

Charts take aggregates only: raw responses are counted first, and the spec does not grow
with the number of responses (checked with a million).
"""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest

import journeywidgets as jw
from chart_helpers import journey, likert_responses, rows, spec_of, units
from journeywidgets.charts import evidence, style
from journeywidgets.errors import SurveyError

TPS = ["ad", "web", "call", "contract", "invoice"]


# -- likert_counts ------------------------------------------------------------------------------


def test_likert_counts_match_a_plain_pandas_count_and_fill_unused_levels() -> None:
    raw = likert_responses(2_000, TPS, seed=3)
    raw.loc[raw.index[:40], "score"] = 9  # "don't know"
    raw.loc[raw.index[40:60], "score"] = np.nan
    counts = jw.charts.likert_counts(raw, na_codes=(9,))
    assert list(counts.columns) == ["touchpoint", "score", "count", "share", "n"]
    answered = raw[raw.score.isin([1, 2, 3, 4, 5])]
    expected = answered.groupby(["touchpoint", "score"]).size()
    got = counts.set_index(["touchpoint", "score"])["count"]
    for key, value in expected.items():
        assert got[key] == value
    assert len(counts) == 5 * len(TPS)  # every level of every touchpoint
    assert counts["count"].sum() == len(answered)
    shares = counts.groupby("touchpoint")["share"].sum()
    assert np.allclose(shares, 1.0)
    assert (
        counts.groupby("touchpoint")["n"].first() == answered.groupby("touchpoint").size()
    ).all()


def test_likert_counts_fill_zero_for_levels_nobody_chose() -> None:
    raw = pd.DataFrame({"touchpoint": ["web"] * 3, "score": [5, 5, 4]})
    counts = jw.charts.likert_counts(raw)
    assert counts["count"].tolist() == [0, 0, 0, 1, 2]
    assert counts["share"].tolist() == pytest.approx([0, 0, 0, 1 / 3, 2 / 3])


def test_likert_counts_with_segments_weights_and_another_scale() -> None:
    raw = pd.DataFrame(
        {
            "step": ["a", "a", "a", "b"],
            "csat": [1, 7, 7, 4],
            "who": ["x", "x", "y", "y"],
            "w": [0.5, 2.0, 1.0, 1.0],
        }
    )
    counts = jw.charts.likert_counts(
        raw, touchpoint="step", score="csat", segment="who", weight="w", scale=(1, 7)
    )
    assert list(counts.columns) == ["touchpoint", "who", "score", "count", "share", "n"]
    assert counts.attrs["segment"] == "who"
    ax = counts[(counts.touchpoint == "a") & (counts.who == "x")].set_index("score")
    assert ax.loc[1, "count"] == 0.5
    assert ax.loc[7, "count"] == 2.0
    assert ax.loc[7, "share"] == pytest.approx(0.8)
    assert len(counts) == 3 * 7


def test_likert_counts_read_polars_and_duckdb_with_the_same_result() -> None:
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    raw = likert_responses(3_000, TPS, seed=5, segments=2)
    expected = jw.charts.likert_counts(raw, segment="segment")
    key = ["touchpoint", "segment", "score"]

    def norm(df: pd.DataFrame) -> pd.DataFrame:
        return df.sort_values(key).reset_index(drop=True).astype({"count": int})

    from_polars = jw.charts.likert_counts(pl.from_pandas(raw), segment="segment")
    pd.testing.assert_frame_equal(norm(from_polars), norm(expected), check_dtype=False)
    con = duckdb.connect()
    con.register("raw_df", raw)
    lazy = con.sql("select * from raw_df")
    from_duck = jw.charts.likert_counts(lazy, segment="segment")
    pd.testing.assert_frame_equal(norm(from_duck), norm(expected), check_dtype=False)


def test_likert_counts_reject_bad_input_naming_the_column() -> None:
    raw = pd.DataFrame({"touchpoint": ["a", "b"], "score": [3, 6]})
    with pytest.raises(
        SurveyError, match=r"'score' has 1 answer that are not a level of the scale 1..5.*na_codes"
    ) as err:
        jw.charts.likert_counts(raw)
    assert err.value.field == "score"
    with pytest.raises(SurveyError, match=r"not a level"):
        jw.charts.likert_counts(pd.DataFrame({"touchpoint": ["a"], "score": [2.5]}))
    with pytest.raises(SurveyError, match=r"no column 'csat' \(columns: 'touchpoint', 'score'\)"):
        jw.charts.likert_counts(raw, score="csat")
    with pytest.raises(SurveyError, match="'score' must hold numbers"):
        jw.charts.likert_counts(pd.DataFrame({"touchpoint": ["a"], "score": ["good"]}))
    with pytest.raises(SurveyError, match="negative weights"):
        jw.charts.likert_counts(raw.assign(score=[3, 4], w=[1, -1]), weight="w")
    with pytest.raises(SurveyError, match="must be a DataFrame"):
        jw.charts.likert_counts([1, 2, 3])
    with pytest.raises(ValueError, match="scale must be two integers"):
        jw.charts.likert_counts(raw, scale=(1.5, 5))  # type: ignore[arg-type]


# -- distribution -------------------------------------------------------------------------------


def _bars(spec: dict) -> dict:
    (bar,) = units(spec, "bar")
    return bar


def test_distribution_diverges_around_zero_with_the_neutral_level_straddling_it() -> None:
    counts = pd.DataFrame(
        {"touchpoint": ["web"] * 5, "score": [1, 2, 3, 4, 5], "count": [10, 20, 20, 30, 20]}
    )
    spec = spec_of(jw.charts.distribution(counts))
    bar = _bars(spec)
    data = rows(spec, bar)
    assert [(r["score"], r["start"], r["end"]) for r in data] == [
        (1, -40.0, -30.0),  # 30% negative + half of the 20% neutral left of zero
        (2, -30.0, -10.0),
        (3, -10.0, 10.0),
        (4, 10.0, 40.0),
        (5, 40.0, 60.0),
    ]
    assert bar["encoding"]["x"]["field"] == "start"
    assert bar["encoding"]["x2"]["field"] == "end"
    (ends,) = units(spec, "text")
    assert [r["text"] for r in rows(spec, ends)] == ["30%", "50%"]
    colour = bar["encoding"]["color"]
    assert colour["scale"]["domain"] == ["1", "2", "3", "4", "5"]
    c = style.colours("auto")
    assert colour["scale"]["range"][0] == c["negative"]
    assert colour["scale"]["range"][-1] == c["positive"]
    assert colour["scale"]["range"][2] == "#b0b0b0"


def test_distribution_orders_touchpoints_like_the_journey_and_labels_levels() -> None:
    m = journey()
    counts = jw.charts.likert_counts(likert_responses(500, ["invoice", "web", "Hotline call"]))
    labels = {1: "Bardzo źle", 2: "Źle", 3: "Tak sobie", 4: "Dobrze", 5: "Bardzo dobrze"}
    spec = spec_of(jw.charts.distribution(counts, map=m, labels=labels, language="pl"))
    bar = _bars(spec)
    y = bar["encoding"]["y"]
    assert y["sort"] == ["web", "call", "invoice"]  # matched by id and by name, journey order
    assert "Dzwoni na infolinię" in y["axis"]["labelExpr"]
    assert bar["encoding"]["color"]["scale"]["domain"] == list(labels.values())
    tooltip = [t["field"] for t in bar["encoding"]["tooltip"]]
    assert tooltip == ["touchpoint", "level", "count", "share", "n"]


def test_distribution_even_scale_has_no_middle_level() -> None:
    counts = pd.DataFrame({"touchpoint": ["a"] * 4, "score": [1, 2, 3, 4], "count": [1, 1, 1, 1]})
    data = rows(spec := spec_of(jw.charts.distribution(counts, scale=(1, 4))), _bars(spec))
    assert [(r["start"], r["end"]) for r in data] == [(-50, -25), (-25, 0), (0, 25), (25, 50)]


def test_segment_keeps_the_users_column_name_through_counts_and_summaries() -> None:
    raw = likert_responses(600, TPS, segments=2).rename(columns={"segment": "Class"})
    counts = jw.charts.likert_counts(raw, segment="Class")
    assert "Class" in counts.columns
    for chart in (
        jw.charts.distribution(counts),
        jw.charts.distribution(counts, segment="Class"),
    ):
        spec = spec_of(chart)
        assert {r["segment"] for r in rows(spec) if r["kind"] == "bar"} == {
            "Segment A",
            "Segment B",
        }
        assert "Class" in json.dumps(spec)  # the tooltip names the user's column
    summary = jw.survey.summarize(raw, segment="Class", min_n=5)
    spec = spec_of(jw.charts.heatmap(summary, segment="Class"))
    (cells,) = units(spec, "rect")
    assert sorted(cells["encoding"]["y"]["sort"]) == ["Segment A", "Segment B"]
    assert {"title": "Class", "field": "row", "type": "nominal"} in cells["encoding"]["tooltip"]


def test_likert_counts_suggest_melt_for_wide_data_and_warn_about_codes_on_the_scale() -> None:
    wide = pd.DataFrame({"respondent": [1, 2], "web": [4, 5], "call": [2, 0]})
    with pytest.raises(
        SurveyError, match=r"jw.survey.melt\(responses, id_columns=\['respondent'\]\)"
    ):
        jw.charts.likert_counts(wide)
    long = jw.survey.melt(wide, id_columns=["respondent"])
    with pytest.warns(jw.JourneyWarning, match="0 lies inside the scale 0-5"):
        jw.charts.likert_counts(long, scale=(0, 5), na_codes=[0])


def test_distribution_with_segments_has_one_panel_per_segment() -> None:
    counts = jw.charts.likert_counts(likert_responses(600, TPS, segments=2), segment="segment")
    spec = spec_of(jw.charts.distribution(counts, segment="segment"))
    assert spec["facet"]["row"]["field"] == "segment"
    assert {r["segment"] for r in rows(spec) if r["kind"] == "bar"} == {"Segment A", "Segment B"}
    import vl_convert as vlc

    assert vlc.vegalite_to_svg(spec).startswith("<svg")


def test_distribution_refuses_raw_responses_and_bad_tables() -> None:
    raw = likert_responses(100, TPS).assign(count=1)
    with pytest.raises(SurveyError, match=r"one row per touchpoint x score.*likert_counts"):
        jw.charts.distribution(raw)
    with pytest.raises(SurveyError, match=r"no column 'count'.*likert_counts"):
        jw.charts.distribution(likert_responses(100, TPS))
    counts = jw.charts.likert_counts(likert_responses(100, TPS))
    with pytest.raises(SurveyError, match=r"'score', row 0: 1 is not a level of the scale 2..5"):
        jw.charts.distribution(counts, scale=(2, 5))
    with pytest.raises(SurveyError, match=r"'Nowhere' that match no touchpoint"):
        jw.charts.distribution(
            pd.DataFrame({"touchpoint": ["Nowhere"], "score": [1], "count": [3]}), map=journey()
        )
    with pytest.raises(ValueError, match="3 labels for 5 levels"):
        jw.charts.distribution(counts, labels=["a", "b", "c"])


# -- heatmap --------------------------------------------------------------------------------------


def _summary() -> pd.DataFrame:
    out = []
    for seg_i, seg in enumerate(["Młodzi", "Seniorzy"]):
        for i, tp in enumerate(["invoice", "ad", "call"]):
            out.append(
                {
                    "touchpoint": tp,
                    "segment": seg,
                    "n": 20 if (tp, seg) == ("call", "Seniorzy") else 150,
                    "mean": 2.0 + i + 0.5 * seg_i,
                    "ci_low": 1.8 + i,
                    "ci_high": 2.2 + i,
                    "top2": 0.2 + 0.2 * i,
                    "small_n": (tp, seg) == ("call", "Seniorzy"),
                }
            )
    return pd.DataFrame(out)


def _cells(spec: dict) -> dict:
    (rect,) = units(spec, "rect")
    return rect


def test_heatmap_cells_by_touchpoint_in_journey_order_and_segment() -> None:
    m = journey()
    spec = spec_of(jw.charts.heatmap(_summary(), map=m, domain=(1, 5)))
    rect = _cells(spec)
    assert rect["encoding"]["x"]["sort"] == ["ad", "call", "invoice"]
    assert rect["encoding"]["y"]["field"] == "row"
    assert rect["encoding"]["y"]["sort"] == ["Młodzi", "Seniorzy"]
    colour = rect["encoding"]["color"]
    assert colour["scale"]["domain"] == [1, 5]
    assert colour["scale"]["domainMid"] == 3
    data = {(r["touchpoint_id"], r["row"]): r for r in rows(spec, rect)}
    assert len(data) == 6
    assert data[("call", "Seniorzy")]["text"] == "(4.50)"  # too few respondents: in brackets
    assert data[("ad", "Młodzi")]["text"] == "3.00"
    assert "fewer than 30 respondents" in spec["title"]["subtitle"]
    assert [t["field"] for t in rect["encoding"]["tooltip"]] == [
        "touchpoint",
        "row",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "small_n",
    ]
    (text,) = units(spec, "text", lambda u: u["encoding"]["text"]["field"] == "text")
    assert text["encoding"]["fill"]["scale"] is None
    # stage names above the cells, from the map
    names = units(spec, "text", lambda u: u["encoding"]["text"]["field"] == "stage_lines")
    assert len(names) == 1


def test_heatmap_default_domains_per_metric() -> None:
    spec = spec_of(jw.charts.heatmap(_summary(), metric="top2"))
    scale = _cells(spec)["encoding"]["color"]["scale"]
    assert scale["domain"] == [0, 1]
    assert scale["domainMid"] == 0.5
    assert {r["text"] for r in rows(spec, _cells(spec))} >= {"20%", "40%"}
    spec = spec_of(jw.charts.heatmap(_summary(), metric="mean"))
    mean = _summary()["mean"].mean()
    assert _cells(spec)["encoding"]["color"]["scale"]["domainMid"] == pytest.approx(mean)
    single = _summary().query("segment == 'Młodzi'").drop(columns="segment")
    spec = spec_of(jw.charts.heatmap(single))
    assert {r["row"] for r in rows(spec, _cells(spec))} == {"All respondents"}


def test_heatmap_text_colour_contrasts_with_the_cell() -> None:
    assert evidence._text_colour(5.0, 3.0, 2.0) == "#ffffff"
    assert evidence._text_colour(3.2, 3.0, 2.0) == "#212121"


def test_heatmap_refuses_raw_rows() -> None:
    raw = likert_responses(50, TPS, segments=2).rename(columns={"score": "mean"})
    with pytest.raises(SurveyError, match=r"one row per touchpoint x segment.*summarize"):
        jw.charts.heatmap(raw)


# -- SERVQUAL -------------------------------------------------------------------------------------


def test_servqual_gaps_order_dimensions_and_star_significant_gaps() -> None:
    table = pd.DataFrame(
        [
            {
                "touchpoint": tp,
                "dimension": d,
                "gap": g,
                "gap_low": g - 0.3,
                "gap_high": g + 0.3,
                "expectation": 4.5,
                "perception": 4.5 + g,
                "n": 80,
            }
            for tp in ("web", "invoice")
            for d, g in (
                ("Empathy", -0.2),
                ("Reliability", -1.1),
                ("Tangibles", 0.5),
                ("Price", 0.1),
            )
        ]
    )
    spec = spec_of(jw.charts.servqual_gaps(table, map=journey()))
    rect = _cells(spec)
    assert rect["encoding"]["y"]["sort"] == ["Tangibles", "Reliability", "Empathy", "Price"]
    assert rect["encoding"]["x"]["sort"] == ["web", "invoice"]
    scale = rect["encoding"]["color"]["scale"]
    assert scale["domainMid"] == 0
    assert scale["domain"] == [-1.1, 1.1]
    texts = {(r["touchpoint_id"], r["row"]): r["text"] for r in rows(spec, rect)}
    assert texts[("web", "Reliability")] == "−1.10*"
    assert texts[("web", "Empathy")] == "−0.20"  # interval includes zero: no star
    assert texts[("web", "Tangibles")] == "+0.50*"
    fields = [t["field"] for t in rect["encoding"]["tooltip"]]
    assert fields == [
        "touchpoint",
        "row",
        "value",
        "gap_low",
        "gap_high",
        "expectation",
        "perception",
        "n",
    ]


def test_servqual_refuses_repeated_rows() -> None:
    table = pd.DataFrame(
        {"touchpoint": ["web", "web"], "dimension": ["empathy", "empathy"], "gap": [1, 2]}
    )
    with pytest.raises(SurveyError, match=r"one row per touchpoint x dimension.*servqual"):
        jw.charts.servqual_gaps(table)


# -- aggregates only: a million responses ---------------------------------------------------------


@pytest.fixture(scope="module")
def million() -> pd.DataFrame:
    return likert_responses(1_000_000, TPS, seed=11, segments=3)


def test_spec_size_does_not_grow_with_responses(million: pd.DataFrame) -> None:
    small = million.iloc[:1_000]
    sizes = {}
    for name, frame in (("1k", small), ("1M", million)):
        counts = jw.charts.likert_counts(frame, segment="segment")
        chart = jw.charts.distribution(counts, segment="segment")
        spec = json.loads(chart.to_json())
        sizes[name] = (len(chart.to_json()), len(rows(spec)))
    (len_small, rows_small), (len_big, rows_big) = sizes["1k"], sizes["1M"]
    assert rows_small == rows_big == 5 * 5 * 3 + 2 * 5 * 3 + 3  # bars + end labels + zero rules
    # Only the digits of counts and shares differ.
    assert abs(len_big - len_small) < 0.03 * len_small, sizes


def test_a_million_raw_rows_are_refused_with_advice_not_a_max_rows_error(
    million: pd.DataFrame,
) -> None:
    with pytest.raises(SurveyError, match="likert_counts") as err:
        jw.charts.distribution(million.assign(count=1))
    assert not isinstance(err.value, alt.MaxRowsError)
    # The limit itself is untouched: we aggregate, we never disable it.
    with pytest.raises(alt.MaxRowsError):
        alt.Chart(million.iloc[:5_001]).mark_point().to_dict()


# -- importance x performance -------------------------------------------------------------------


def _drivers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "touchpoint": ["Advert", "web", "call", "contract", "invoice"],
            "importance": [0.05, 0.30, 0.55, 0.45, 0.15],
            "performance": [4.4, 3.9, 2.4, 4.1, 2.9],
        }
    )


def _ipa_points(spec: dict) -> dict:
    (unit,) = units(spec, "point", lambda u: "tooltip" in u["encoding"])
    return unit


def test_quadrants_are_computed_from_average_thresholds_without_a_quadrant_column() -> None:
    spec = spec_of(jw.charts.importance_performance(_drivers()))
    data = {r["touchpoint_id"]: r for r in rows(spec, _ipa_points(spec))}
    assert {k: v["quadrant"] for k, v in data.items()} == {
        "Advert": "possible_overkill",
        "web": "keep_up_the_good_work",
        "call": "concentrate_here",
        "contract": "keep_up_the_good_work",
        "invoice": "low_priority",
    }
    rules = units(spec, "rule")
    thresholds = {json.dumps(rows(spec, r)[0], sort_keys=True) for r in rules}
    assert thresholds == {json.dumps({"importance": 0.3, "performance": 3.54}, sort_keys=True)}
    texts = {
        r["text"] for u in units(spec, "text", lambda u: "dx" in u["mark"]) for r in rows(spec, u)
    }
    assert {"Concentrate here", "Keep up the good work", "Low priority", "Possible overkill",
            "Mean performance 3.54", "Mean importance 0.3"} <= texts  # fmt: skip


def test_ipa_table_draws_priorities_directions_small_n_and_a_target() -> None:
    table = jw.survey.ipa(
        _drivers().assign(
            direction=["positive", "positive", "positive", "negative", "suppressor"],
            n=[400, 380, 410, 12, 390],
            small_n=[False, False, False, True, False],
        ),
        performance_threshold="midpoint",
        scale=(1, 5),
        target=4.0,
    )
    spec = spec_of(jw.charts.importance_performance(table, table=True))
    points = _ipa_points(spec)
    data = {r["touchpoint_id"]: r for r in rows(spec, points)}
    assert data["call"]["label"] == "1. call"
    assert data["contract"]["label"] == "4. contract (negative driver, n = 12)"
    assert data["invoice"]["label"] == "5. invoice (suppressor)"
    assert data["contract"]["shape"] == "triangle-down"
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "triangle-down", "diamond"]
    texts = {r["text"] for u in units(spec, "text") for r in rows(spec, u)}
    assert {"Scale midpoint 3.00", "Target 4.00", "1. call", "5. invoice"} <= texts
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Few respondents (n < 30) at 1 touchpoint" in subtitle
    assert "negative" in subtitle
    rules = [rows(spec, r)[0] for r in units(spec, "rule")]
    assert {"performance": 4.0} in rules


def test_every_point_is_labelled_and_no_label_overlaps_a_point_a_line_or_a_label() -> None:
    from journeywidgets.charts import quadrant

    rng = np.random.default_rng(4)
    crowd = pd.DataFrame(
        {
            "touchpoint": [f"Touchpoint number {i}" for i in range(14)],
            "importance": np.r_[[0.5, 0.5, 0.5, 0.52], rng.uniform(0.0, 0.2, 10)],
            "performance": np.r_[[3.0, 3.02, 2.98, 3.0], rng.uniform(2.5, 4.0, 10)],
        }
    )
    width, height = 500.0, 400.0
    spec = spec_of(jw.charts.importance_performance(crowd, width=width, height=height))
    data = rows(spec, _ipa_points(spec))
    assert all(r["text"] for r in data)  # every point labelled, by name or by number
    numbered = [r for r in data if r["numbered"]]
    if numbered:  # the numbers are explained beside the chart
        listing = {r["text"] for u in units(spec, "text") for r in rows(spec, u) if "row" in r}
        assert {f"{r['number']}. {r['touchpoint']}" for r in data} == listing
    it, pt = crowd["importance"].mean(), crowd["performance"].mean()
    x0, x1 = quadrant._domain(crowd["performance"], pt)
    y0, y1 = quadrant._domain(crowd["importance"], it)

    def px(v: float) -> float:
        return (v - x0) / (x1 - x0) * width

    def py(v: float) -> float:
        return (1 - (v - y0) / (y1 - y0)) * height

    def drawn(r: dict[str, Any]) -> tuple[float, float, float, float]:
        # As Vega draws a label: the baseline places the first line at the anchor and any
        # further lines go below it (13 px each), whatever the baseline.
        w, line = quadrant._text_width(r["text"]), quadrant._LABEL_HEIGHT
        x = px(r["performance"]) + r["dx"]
        y = py(r["importance"]) + r["dy"]
        x0 = x - (w if r["align"] == "right" else w / 2 if r["align"] == "center" else 0)
        top = y - {"bottom": line, "middle": line / 2}.get(r["baseline"], 0.0)
        return (x0, top, x0 + w, top + line * (r["text"].count("\n") + 1))

    boxes = [drawn(r) for r in data]
    assert any("\n" in r["text"] for r in data)  # two-line labels are drawn here too
    marks = [(px(r["performance"]) - 7, py(r["importance"]) - 7, px(r["performance"]) + 7,
              py(r["importance"]) + 7) for r in data]  # fmt: skip
    lines = [(px(pt) - 1, 0, px(pt) + 1, height), (0, py(it) - 1, width, py(it) + 1)]
    for j, box in enumerate(boxes):
        if data[j]["numbered"]:
            continue
        assert 0 <= box[0] <= box[2] <= width
        assert 0 <= box[1] <= box[3] <= height
        for k, other in enumerate(boxes):
            if k != j:
                assert quadrant._overlap(box, other) == 0, (data[j]["text"], data[k]["text"])
        for k, mark in enumerate(marks):
            assert quadrant._overlap(box, mark) == 0, (data[j]["text"], data[k]["text"])
        for line in lines:
            assert quadrant._overlap(box, line) == 0, data[j]["text"]
    assert quadrant._overlap((0, 0, 10, 10), (5, 5, 20, 20)) == 25
    assert quadrant._overlap((0, 0, 10, 10), (10, 0, 20, 10)) == 0


def test_importance_performance_refuses_repeated_touchpoints() -> None:
    twice = pd.concat([_drivers(), _drivers()])
    with pytest.raises(SurveyError, match=r"one row per touchpoint.*key_drivers"):
        jw.charts.importance_performance(twice)
    with pytest.raises(SurveyError, match=r"no column 'importance'"):
        jw.charts.importance_performance(_drivers().drop(columns="importance"))
