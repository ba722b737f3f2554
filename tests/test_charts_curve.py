"""The emotion curve and map comparison: encodings and data of the Vega-Lite spec."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import vl_convert as vlc

import journeywidgets as jw
from chart_helpers import filters, journey, rows, spec_of, units
from journeywidgets import theme
from journeywidgets.charts import curve, style
from journeywidgets.charts.selection import LINKED_PARAM, SELECTED_PARAM, SELECTION
from journeywidgets.errors import JourneyError, SurveyError


def _points(spec: dict) -> dict:
    """The hypothesis points layer (the one with tooltips and a sign fill)."""
    (unit,) = units(spec, "point", lambda u: "tooltip" in u["encoding"] and "fill" in u["encoding"])
    return unit


def _tp_rows(spec: dict) -> list[dict]:
    return list(rows(spec, _points(spec)))


def test_x_is_ordinal_touchpoint_ids_in_journey_order_labelled_by_name() -> None:
    m = journey()
    m.move("invoice", index=0, stage="want")  # journey order is what the map says, not ids
    spec = spec_of(jw.charts.emotion_curve(m))
    order = [t.id for t in m.touchpoints]
    assert order[0] == "invoice"
    for unit in units(spec, "rect") + units(spec, "line") + units(spec, "point"):
        x = unit["encoding"]["x"]
        assert (x["field"], x["type"]) == ("touchpoint_id", "nominal")
        assert x.get("sort", order) == order  # bare layers: the domain gives the order
        assert x["scale"]["domain"] == order
    (axis_unit,) = [u for u in units(spec, "rect") if "axis" in u["encoding"]["x"]]
    expr = axis_unit["encoding"]["x"]["axis"]["labelExpr"]
    table = json.loads(expr.removesuffix("[datum.value]"))
    assert list(table) == order
    # Six touchpoints get room to wrap their names onto lines; all words are kept.
    assert " ".join(table["web"]).startswith("Website with a very long name")
    assert table["ad"] == ["Advert"]


def test_labels_follow_language_with_polish_diacritics() -> None:
    m = journey()
    spec = spec_of(jw.charts.emotion_curve(m, language="pl"))
    data = {r["touchpoint_id"]: r for r in _tp_rows(spec)}
    assert data["call"]["touchpoint"] == "Dzwoni na infolinię"
    assert data["ad"]["touchpoint"] == "Advert"  # no Polish label: the name
    assert data["call"]["stage"] == "Chcę mieć prąd"
    assert spec["title"]["text"] == "Kupuję prąd (PL)"
    assert spec["title"]["subtitle"].startswith("Persona: Anna Kowalska")


@pytest.mark.parametrize(
    ("scale", "neutral"), [((-3, 3), 0.0), ({"min": 1, "max": 7, "neutral": 4}, 4.0)]
)
def test_y_domain_is_the_maps_scale_with_a_neutral_rule(scale: object, neutral: float) -> None:
    m = journey(scale=scale)
    spec = spec_of(jw.charts.emotion_curve(m))
    for unit in (
        units(spec, "point") + units(spec, "line") + units(spec, "area") + units(spec, "rule")
    ):
        y = unit["encoding"]["y"]
        assert y["scale"]["domain"] == [m.scale.min, m.scale.max]
        assert y["scale"]["nice"] is False
        assert y["axis"]["values"] == list(range(int(m.scale.min), int(m.scale.max) + 1))
    (rule,) = units(spec, "rule")
    assert rows(spec, rule) == [{"neutral": neutral}]
    (area,) = units(spec, "area")
    assert area["encoding"]["y2"] == {"datum": neutral}


def test_stage_bands_cover_each_stages_touchpoints_and_name_it_once() -> None:
    m = journey()
    spec = spec_of(jw.charts.emotion_curve(m, language="pl"))
    (bands,) = [u for u in units(spec, "rect") if "axis" in u["encoding"]["x"]]
    data = rows(spec, bands)
    assert [r["touchpoint_id"] for r in data] == [t.id for t in m.touchpoints]
    for stage in m.stages:
        covered = [r["touchpoint_id"] for r in data if r["stage_id"] == stage.id]
        assert covered == [t.id for t in m.touchpoints_in(stage.id)]
    parity = {r["stage_id"]: r["band"] for r in data}
    assert parity == {"want": 0, "buy": 1, "pay": 0}  # neighbours shade differently
    assert bands["encoding"]["opacity"]["condition"]["test"] == "datum.band == 1"
    (names,) = units(spec, "text")
    assert filters(names) == ["datum.stage_anchor"]
    anchors = [r for r in data if r["stage_anchor"]]
    assert [(r["stage"], r["touchpoint_id"]) for r in anchors] == [
        ("Chcę mieć prąd", "web"),  # middle of three
        ("Decyduję – kupuję", "office"),  # two: on the first, shifted half a step right
        ("Korzystam i płacę", "invoice"),
    ]
    step = spec["width"] / len(m.touchpoints)
    assert [r["stage_dx"] for r in anchors] == [0, step / 2, 0]
    assert names["mark"]["dx"] == {"expr": "datum.stage_dx"}
    assert names["encoding"]["text"]["field"] == "stage_lines"
    assert [r["stage_lines"] for r in anchors] == [
        ["Chcę mieć prąd"],
        ["Decyduję – kupuję"],
        ["Korzystam", "i płacę"],  # one touchpoint wide: two lines
    ]
    narrow = spec_of(jw.charts.emotion_curve(m, language="pl", width=200))
    (bands,) = [u for u in units(narrow, "rect") if "axis" in u["encoding"]["x"]]
    lines = [r["stage_lines"] for r in rows(narrow, bands) if r["stage_anchor"]]
    assert lines[1] == ["Decyduję", "– kupuję"]  # wrapped onto two lines when narrow


def test_positive_and_negative_colouring() -> None:
    m = journey()
    spec = spec_of(jw.charts.emotion_curve(m, theme="light"))
    c = style.colours("light")
    data = {r["touchpoint_id"]: r for r in _tp_rows(spec)}
    assert [data[t]["sign"] for t in ("ad", "web", "call", "office", "contract", "invoice")] == [
        "positive",
        "negative",
        "negative",
        None,
        "positive",
        "negative",
    ]
    fill = _points(spec)["encoding"]["fill"]
    assert fill["scale"] == {
        "domain": ["positive", "neutral", "negative"],
        "range": [theme.POSITIVE, theme.NEUTRAL, theme.NEGATIVE],
    }
    assert c["positive"] == theme.POSITIVE  # light theme keeps the shared colours as they are
    (area,) = units(spec, "area")
    gradient = area["mark"]["color"]
    stops = gradient["stops"]
    # Emotions span -3..3 with neutral 0: colour changes half way down the area's box.
    assert [s["offset"] for s in stops] == [0, 0.5, 0.5, 1]
    assert [s["color"] for s in stops] == [theme.POSITIVE] * 2 + [theme.NEGATIVE] * 2


def test_gradient_stop_sits_at_neutral_for_asymmetric_curves() -> None:
    g = curve._gradient([1, 2, -1], 0, "green", "red").to_dict()
    assert g["stops"][1]["offset"] == pytest.approx(2 / 3)
    g = curve._gradient([1, 2], 0, "green", "red").to_dict()  # all above: box bottom is neutral
    assert g["stops"][1]["offset"] == 1


def test_moments_of_truth_get_a_star() -> None:
    spec = spec_of(jw.charts.emotion_curve(journey()))
    (stars,) = units(spec, "point", lambda u: "datum.moment_of_truth" in filters(u))
    assert stars["mark"]["shape"] == curve.STAR
    drawn = [
        r["touchpoint_id"]
        for r in rows(spec, stars)
        if r["moment_of_truth"] and r["emotion"] is not None
    ]
    assert drawn == ["call", "contract"]


def test_tooltips_show_touchpoint_stage_channel_emotion_and_card_excerpt() -> None:
    m = journey()
    spec = spec_of(jw.charts.emotion_curve(m))
    tooltip = _points(spec)["encoding"]["tooltip"]
    assert [(t["field"], t["title"]) for t in tooltip] == [
        ("touchpoint", "Touchpoint"),
        ("stage", "Stage"),
        ("channel", "Channel"),
        ("emotion_text", "Emotion"),
        ("moment_text", "Moment of truth"),
        ("cards", "Cards"),
    ]
    data = {r["touchpoint_id"]: r for r in _tp_rows(spec)}
    call = data["call"]
    assert (call["stage"], call["channel"], call["emotion_text"], call["moment_text"]) == (
        "I want electricity",
        "phone",
        "-3",
        "yes",
    )
    parts = call["cards"].split(" · ")
    assert len(parts) == 4
    assert parts[-1] == "(+2 more)"
    assert parts[0].startswith("Waits on hold for 10 minutes")
    assert parts[0].endswith("…")
    assert len(parts[0]) <= 60
    assert data["invoice"]["cards"] == "Zły: 'dlaczego tak drogo?'"
    assert data["office"]["emotion_text"] == "not set"
    assert data["office"]["channel"] == "—"


def test_touchpoint_without_emotion_keeps_its_place_on_x_but_draws_no_point() -> None:
    spec = spec_of(jw.charts.emotion_curve(journey()))
    for unit in units(spec, "point"):
        assert "isValid(datum.emotion)" in filters(unit)
    (bands,) = [u for u in units(spec, "rect") if "axis" in u["encoding"]["x"]]
    assert "office" in bands["encoding"]["x"]["scale"]["domain"]
    # The curve and its area break at "office" (no emotion) instead of bridging it or
    # dropping to neutral: two pieces each, as drawn.
    svg = vlc.vegalite_to_svg(spec)
    paths = {
        kind: re.findall(r' d="([^"]*)"', body)
        for kind, body in re.findall(r'<g[^>]*class="mark-(line|area)[^"]*"[^>]*>(.*?)</g>', svg)
    }
    (line,) = paths["line"]
    (area,) = paths["area"]
    assert line.count("M") == 2, line
    assert area.count("M") == 2, area


def test_map_without_emotions_has_no_hypothesis_in_legend_or_plot() -> None:
    m = journey()
    for t in m.touchpoints:
        m.set_emotion(t.id, None)
    _measured(m)
    spec = spec_of(jw.charts.emotion_curve(m, measured_view="overlay"))
    domains = [u["encoding"]["color"]["scale"]["domain"] for u in units(spec, "line")]
    assert domains
    assert all(curve.HYPOTHESIS not in d for d in domains)
    svg = vlc.vegalite_to_svg(spec)
    assert "No emotions set on this map yet" in svg
    assert curve.HYPOTHESIS not in svg
    # The panel view of the same map is the measured panel alone.
    panel = spec_of(jw.charts.emotion_curve(m))
    assert "vconcat" not in panel
    assert curve.HYPOTHESIS not in vlc.vegalite_to_svg(panel)


def test_selection_and_link_params_are_present() -> None:
    spec = spec_of(jw.charts.emotion_curve(journey()))
    params = {p["name"]: p for p in spec["params"]}
    assert params[SELECTION]["select"]["type"] == "point"
    assert params[SELECTION]["select"]["fields"] == ["touchpoint_id"]
    assert params[SELECTED_PARAM]["value"] == []
    assert params[LINKED_PARAM]["value"] is False
    size = _points(spec)["encoding"]["size"]
    assert size["value"] == 90
    assert size["condition"]["value"] == 300


def test_markup_in_names_stays_text_in_the_rendered_svg() -> None:
    m = journey(awkward=True)
    chart = jw.charts.emotion_curve(m)
    svg = vlc.vegalite_to_svg(chart.to_dict())
    assert "<b>" not in svg
    assert "Faktura &lt;b&gt;" in svg  # drawn as the characters typed
    assert "żółć" in svg


def _measured(m: jw.JourneyMap) -> None:
    with m.batch("survey"):
        m.update(
            "ad", measured={"emotion": 0.4, "low": 0.1, "high": 0.7, "n": 120, "metric": "csat"}
        )
        m.update("call", measured={"emotion": -1.6, "low": -2.0, "high": -1.2, "n": 18})


def test_measured_values_on_the_map_draw_a_curve_with_interval_and_legend() -> None:
    m = journey()
    _measured(m)
    spec = spec_of(jw.charts.emotion_curve(m, measured_view="overlay"))
    (band,) = [u for u in units(spec, "area") if "measured_low" in json.dumps(u["encoding"])]
    assert band["encoding"]["y"]["field"] == "measured_low"
    assert band["encoding"]["y2"]["field"] == "measured_high"
    data = rows(spec, band)
    assert [
        (r["touchpoint_id"], r["measured"], r["measured_low"], r["measured_high"]) for r in data
    ] == [
        ("ad", 0.4, 0.1, 0.7),
        ("call", -1.6, -2.0, -1.2),
    ]
    legends = [u["encoding"]["color"] for u in units(spec, "line")]
    domains = {tuple(c["scale"]["domain"]) for c in legends}
    assert domains == {(curve.HYPOTHESIS, curve.MEASURED)}
    assert any(c.get("legend") for c in legends)
    hyp = {r["touchpoint_id"]: r for r in _tp_rows(spec)}
    assert hyp["ad"]["survey_text"] == "0.40 [0.10, 0.70], n=120"
    assert "survey_text" in [t["field"] for t in _points(spec)["encoding"]["tooltip"]]
    # measured=False hides it; no legend then
    plain = spec_of(jw.charts.emotion_curve(m, measured=False))
    assert not [u for u in units(plain, "area") if "measured_low" in json.dumps(u["encoding"])]
    assert all(u["encoding"]["color"].get("legend", None) is None for u in units(plain, "line"))
    assert "vconcat" not in plain


def _survey_summary(m: jw.JourneyMap, n: int = 300) -> pd.DataFrame:
    return jw.survey.summarize(
        jw.survey.synthetic(m, n_respondents=n, seed=4), scale=(1, 5), na_codes=[0], map=m
    )


def _panel(spec: dict) -> dict:
    top, panel = spec["vconcat"]
    assert "layer" in top
    return dict(panel)


def test_survey_panel_is_on_the_survey_scale_zoomed_to_the_data_under_the_curve() -> None:
    m = jw.templates.energy_utility()
    s = _survey_summary(m)
    spec = spec_of(jw.charts.emotion_curve(m, survey=s))
    panel = _panel(spec)
    (line,) = units(panel, "line")
    assert line["encoding"]["y"]["field"] == "shown"
    drawn = {r["touchpoint_id"]: r for r in rows(spec, line)}
    expected = s.set_index("touchpoint_id")
    for tp, r in drawn.items():  # the survey's own numbers, not the emotion mapping
        assert r["shown"] == pytest.approx(expected.loc[tp, "mean"])
        assert r["shown_low"] == pytest.approx(expected.loc[tp, "ci_low"])
    lo, hi = line["encoding"]["y"]["scale"]["domain"]
    assert 1 <= lo < float(expected["ci_low"].min())
    assert float(expected["ci_high"].max()) < hi <= 5
    # Zoomed: the spread of the means fills most of the panel, unlike the flat -3..3 mapping.
    spread = float(expected["mean"].max() - expected["mean"].min())
    assert spread / (hi - lo) > 0.6
    assert line["encoding"]["y"]["title"] == "Mean score (1–5)"
    # Same touchpoint axis as the curve, labels written once (under the panel).
    xs = [u["encoding"]["x"] for u in units(spec, "rect") if "axis" in u["encoding"]["x"]]
    assert [x["scale"]["domain"] for x in xs] == [[t.id for t in m.touchpoints]] * 2
    assert [x["axis"]["labels"] for x in xs] == [False, True]
    # Intervals with caps, and the overall mean weighted by respondents, labelled.
    assert len(units(panel, "tick")) == 2
    overall = float((expected["mean"] * expected["n"]).sum() / expected["n"].sum())
    (rule,) = [u for u in units(panel, "rule") if "strokeDash" in u["mark"]]
    assert rows(spec, rule)[0]["shown"] == pytest.approx(overall)
    svg = vlc.vegalite_to_svg(spec)
    assert f"overall mean {overall:.2f}" in svg
    assert curve.MEASURED not in re.sub(r'aria-label="[^"]*"', "", svg)  # one series: no legend


def test_deviation_view_draws_means_minus_the_overall_mean_as_bars() -> None:
    m = jw.templates.energy_utility()
    s = _survey_summary(m)
    spec = spec_of(jw.charts.emotion_curve(m, survey=s, measured_view="deviation"))
    (bars,) = units(_panel(spec), "bar")
    data = rows(spec, bars)
    overall = float((s["mean"] * s["n"]).sum() / s["n"].sum())
    for r in data:
        assert r["shown"] == pytest.approx(r["value"] - overall)
        assert r["direction"] == ("above" if r["shown"] >= 0 else "below")
    assert {r["direction"] for r in data} == {"above", "below"}
    with pytest.raises(ValueError, match="measured_view must be one of"):
        jw.charts.emotion_curve(m, survey=s, measured_view="sideways")  # type: ignore[arg-type]


def test_segments_panel_has_a_legend_of_segments_only() -> None:
    m = jw.templates.energy_utility()
    s = jw.survey.summarize(
        jw.survey.synthetic(m, n_respondents=300, seed=4),
        scale=(1, 5),
        na_codes=[0],
        map=m,
        segment="segment",
    )
    spec = spec_of(jw.charts.emotion_curve(m, survey=s))
    (line,) = units(_panel(spec), "line")
    assert line["encoding"]["color"]["scale"]["domain"] == sorted(s["segment"].unique())
    assert line["encoding"]["color"]["legend"] is not None
    assert line["encoding"]["xOffset"]["field"] == "series"
    assert spec["resolve"]["scale"]["color"] == "independent"


def _summary(m: jw.JourneyMap, segments: list[str] | None = None) -> pd.DataFrame:
    out = []
    for s_i, seg in enumerate(segments or [None]):
        for i, tp in enumerate(["ad", "web", "call"]):
            mean = -1 + i * 0.5 + s_i * 0.3
            row = {
                "touchpoint": tp,
                "touchpoint_id": tp,
                "n": 200,
                "mean": 3.0,
                "emotion": mean,
                "emotion_low": mean - 0.3,
                "emotion_high": mean + 0.3,
                "small_n": False,
            }
            if seg is not None:
                row["segment"] = seg
            out.append(row)
    return pd.DataFrame(out)


def test_survey_summary_with_segments_draws_one_measured_curve_per_segment() -> None:
    m = journey()
    spec = spec_of(
        jw.charts.emotion_curve(
            m, survey=_summary(m, ["Młodzi", "Seniorzy"]), measured_view="overlay"
        )
    )
    (line,) = [u for u in units(spec, "line") if u["encoding"]["y"]["field"] == "measured"]
    assert line["encoding"]["color"]["scale"]["domain"] == [curve.HYPOTHESIS, "Młodzi", "Seniorzy"]
    data = rows(spec, line)
    assert sorted({r["series"] for r in data}) == ["Młodzi", "Seniorzy"]
    assert len(data) == 6
    assert line["mark"]["strokeDash"] == [6, 3]


def test_survey_summary_must_be_aggregated_on_the_map_and_on_the_scale() -> None:
    m = journey()
    version = m.version
    raw = pd.DataFrame(
        {
            "touchpoint_id": ["ad"] * 3,
            "emotion": [1, 2, 3],
            "emotion_low": [0] * 3,
            "emotion_high": [3] * 3,
        }
    )
    with pytest.raises(SurveyError, match=r"one row per touchpoint_id.*summarize"):
        jw.charts.emotion_curve(m, survey=raw)
    with pytest.raises(
        SurveyError, match=r"no columns 'touchpoint_id', 'emotion_low'.*summarize"
    ) as err:
        jw.charts.emotion_curve(
            m, survey=pd.DataFrame({"touchpoint": ["ad"], "emotion": [1.0], "emotion_high": [2.0]})
        )
    assert err.value.field == "touchpoint_id"
    bad = _summary(m)
    bad.loc[1, "touchpoint_id"] = "nowhere"
    with pytest.raises(SurveyError, match="'nowhere' is not on the map") as err:
        jw.charts.emotion_curve(m, survey=bad)
    assert err.value.id == "nowhere"
    off = _summary(m)
    off.loc[2, "emotion"] = 3.5
    with pytest.raises(SurveyError, match=r"'emotion', row 2: 3.5 lies outside .* \[-3, 3\]"):
        jw.charts.emotion_curve(m, survey=off)
    past_end = _summary(m)
    past_end.loc[2, "emotion_high"] = 3.2  # an interval may pass the end of the scale
    spec = spec_of(jw.charts.emotion_curve(m, survey=past_end, measured_view="overlay"))
    (band,) = [u for u in units(spec, "area") if "measured_low" in json.dumps(u["encoding"])]
    assert max(r["measured_high"] for r in rows(spec, band)) == 3  # drawn up to the end
    assert m.version == version


def test_polars_summary_is_accepted() -> None:
    pl = pytest.importorskip("polars")
    m = journey()
    spec = spec_of(
        jw.charts.emotion_curve(m, survey=pl.from_pandas(_summary(m)), measured_view="overlay")
    )
    (line,) = [u for u in units(spec, "line") if u["encoding"]["y"]["field"] == "measured"]
    assert [r["touchpoint_id"] for r in rows(spec, line)] == ["ad", "web", "call"]


def test_width_and_height() -> None:
    m = journey()
    spec = spec_of(jw.charts.emotion_curve(m, width=300, height=180))
    assert (spec["width"], spec["height"]) == (300, 180)
    (bands,) = [u for u in units(spec, "rect") if "axis" in u["encoding"]["x"]]
    axis = bands["encoding"]["x"]["axis"]
    assert axis["labelAngle"] == -40  # 50 px per touchpoint: labels slant instead of wrapping
    with pytest.raises(ValueError, match="width must be positive"):
        jw.charts.emotion_curve(m, width=0)


def test_long_journeys_stay_within_the_default_width() -> None:
    m = jw.templates.energy_utility()
    spec = spec_of(jw.charts.emotion_curve(m))
    assert len(m.touchpoints) == 24
    assert 680 <= spec["width"] <= 700  # fits a JupyterLab notebook beside the file browser


def test_scale_labels_label_the_y_axis() -> None:
    m = journey(scale={"min": -2, "max": 2, "labels": {"-2": "Wściekły", "2": "Zachwycony"}})
    spec = spec_of(jw.charts.emotion_curve(m))
    expr = _points(spec)["encoding"]["y"]["axis"]["labelExpr"]
    assert '"Wściekły"' in expr
    assert '"Zachwycony"' in expr


def test_empty_map_renders() -> None:
    m = jw.JourneyMap("Empty")
    chart = jw.charts.emotion_curve(m)
    assert vlc.vegalite_to_svg(chart.to_dict()).startswith("<svg")


# Combined charts share one touchpoint selection; altair says so in a warning.
@pytest.mark.filterwarnings("ignore:Automatically deduplicated selection parameter")
def test_themes_and_unconfigured_charts_compose() -> None:
    m = journey()
    with pytest.raises(ValueError, match="theme must be one of"):
        jw.charts.emotion_curve(m, theme="sepia")  # type: ignore[arg-type]
    spec = spec_of(jw.charts.emotion_curve(m))
    assert spec["background"] == "transparent"
    assert spec["config"]["axis"]["labelColor"] == "#777777"
    assert spec["config"]["font"] == theme.PLAIN_FONT_FAMILY
    bare = jw.charts.emotion_curve(m, theme=None)
    assert "axis" not in spec_of(bare).get("config", {})  # only altair's default view size
    combined = jw.charts.configure(bare & jw.charts.compare([m], theme=None), "dark")
    assert spec_of(combined)["config"]["axis"]["labelColor"] == "#d0d0d0"


# -- compare ------------------------------------------------------------------------------------


def test_compare_draws_one_series_per_map_with_a_legend_in_order() -> None:
    current = journey()
    future = current.copy()
    future.state = "future"
    future.set_emotion("call", 2)
    future.add_touchpoint("Chat bot", id="chat", stage="want", index=1, emotion=1)
    spec = spec_of(jw.charts.compare([current, future], labels=["Dziś", "Cel"]))
    (line,) = units(spec, "line")
    colour = line["encoding"]["color"]
    assert colour["field"] == "map"
    assert colour["scale"]["domain"] == ["Dziś", "Cel"]
    assert colour["legend"] is not None
    assert line["encoding"]["strokeDash"]["scale"]["range"][:2] == [[1, 0], [7, 4]]
    data = [r for r in rows(spec, line) if "map" in r]
    assert {(r["map"], r["touchpoint_id"]): r["emotion"] for r in data}[("Cel", "call")] == 2
    assert ("Dziś", "chat") not in {(r["map"], r["touchpoint_id"]) for r in data}
    order = line["encoding"]["x"]["scale"]["domain"]
    assert order == ["ad", "chat", "web", "call", "office", "contract", "invoice"]


def test_compare_accepts_a_mapping_and_default_labels_are_unique() -> None:
    a, b = journey(), journey()
    spec = spec_of(jw.charts.compare({"Persona A": a, "Persona B": b}))
    (line,) = units(spec, "line")
    assert line["encoding"]["color"]["scale"]["domain"] == ["Persona A", "Persona B"]
    b.state = "future"
    spec = spec_of(jw.charts.compare([a, b]))
    (line,) = units(spec, "line")
    assert line["encoding"]["color"]["scale"]["domain"] == [
        "Kupuję prąd (current)",
        "Kupuję prąd (future)",
    ]


def test_compare_rejects_mixed_scales_duplicate_labels_and_no_maps() -> None:
    a, b = journey(), journey(scale={"min": 1, "max": 5, "neutral": 3})
    with pytest.raises(JourneyError, match=r"'B' has emotion scale \[1, 5\].*'A' has \[-3, 3\]"):
        jw.charts.compare([a, b], labels=["A", "B"])
    with pytest.raises(ValueError, match="label 'A' is used twice"):
        jw.charts.compare([a, a], labels=["A", "A"])
    with pytest.raises(ValueError, match="2 maps but 1 labels"):
        jw.charts.compare([a, a], labels=["A"])
    with pytest.raises(ValueError, match="at least one map"):
        jw.charts.compare([])
