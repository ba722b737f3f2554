"""summarize / melt / to_emotion: statistics checked against numpy by hand and printed table
values; every engine gives pandas' numbers; bad input is named with values and rows."""

from __future__ import annotations

import math
import re
import warnings
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import journeywidgets as jw
from journeywidgets.errors import JourneyWarning, SurveyError

T975 = {9: 2.262157, 29: 2.045230}  # t(0.975, df) from a printed table
Z = 1.959964


def two_groups() -> pd.DataFrame:
    """'Web': 10 valid 1-5 scores (+ two n/a codes 0 and a NaN); 'Invoice': 30 scores."""
    rng = np.random.default_rng(11)
    web = [5, 4, 4, 3, 5, 2, 4, 5, 3, 4, 0, 0, np.nan]
    invoice = rng.integers(1, 6, 30).tolist()
    return pd.DataFrame(
        {
            "touchpoint": ["Web"] * len(web) + ["Invoice"] * len(invoice),
            "score": web + invoice,
        }
    )


def by_hand(scores: np.ndarray, t: float) -> dict[str, float]:
    n = len(scores)
    mean = scores.mean()
    sd = scores.std(ddof=1)
    p = np.mean(scores >= 4)
    denom = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denom
    half = Z / denom * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return {
        "n": n,
        "mean": mean,
        "sd": sd,
        "ci_low": mean - t * sd / math.sqrt(n),
        "ci_high": mean + t * sd / math.sqrt(n),
        "top2": p,
        "top2_low": centre - half,
        "top2_high": centre + half,
    }


def test_unweighted_statistics_match_numpy_and_the_t_table() -> None:
    data = two_groups()
    s = jw.survey.summarize(data, na_codes=[0], min_n=20)
    assert s["touchpoint"].tolist() == ["Invoice", "Web"]
    web = s.set_index("touchpoint").loc["Web"]
    want = by_hand(np.array([5, 4, 4, 3, 5, 2, 4, 5, 3, 4], float), T975[9])
    for key, value in want.items():
        assert web[key] == pytest.approx(value, abs=2e-6), key
    assert web["n_na"] == 3  # two codes and one NaN
    assert web["n_eff"] == 10
    assert bool(web["small_n"]) is True
    invoice = s.set_index("touchpoint").loc["Invoice"]
    scores = data[data.touchpoint == "Invoice"].score.to_numpy(float)
    for key, value in by_hand(scores, T975[29]).items():
        assert invoice[key] == pytest.approx(value, abs=2e-6), key
    assert bool(invoice["small_n"]) is False
    assert "nps" not in s.columns
    assert s.attrs["scale"] == (1.0, 5.0)


def test_nps_for_zero_to_ten_questions() -> None:
    scores = np.array([10, 9, 9, 8, 7, 6, 5, 10, 3, 9, 0, 10, 7, 8, 2, 9])
    s = jw.survey.summarize(pd.DataFrame({"touchpoint": "Overall", "score": scores}), scale=(0, 10))
    row = s.iloc[0]
    n = len(scores)
    promoters, detractors = np.mean(scores >= 9), np.mean(scores <= 6)
    nps = 100 * (promoters - detractors)
    se = math.sqrt((promoters + detractors - (promoters - detractors) ** 2) / n)
    assert row["nps"] == pytest.approx(nps)
    assert row["nps_low"] == pytest.approx(nps - 100 * Z * se, abs=1e-4)
    assert row["nps_high"] == pytest.approx(nps + 100 * Z * se, abs=1e-4)
    assert row["top2"] == pytest.approx(promoters)  # top two boxes of 0-10 are 9 and 10


def test_weighted_statistics_use_kish_effective_n() -> None:
    rng = np.random.default_rng(5)
    x = rng.integers(1, 6, 40).astype(float)
    w = rng.uniform(0.2, 3.0, 40)
    s = jw.survey.summarize(
        pd.DataFrame({"touchpoint": "Web", "score": x, "w": w}), weight="w", min_n=10
    ).iloc[0]
    mean = np.average(x, weights=w)
    n_eff = w.sum() ** 2 / (w**2).sum()
    sd = math.sqrt(np.average((x - mean) ** 2, weights=w) * n_eff / (n_eff - 1))
    assert s["n"] == 40
    assert s["n_eff"] == pytest.approx(n_eff)
    assert s["mean"] == pytest.approx(mean)
    assert s["sd"] == pytest.approx(sd)
    half = jw.survey._stats.t_quantile(0.975, n_eff - 1) * sd / math.sqrt(n_eff)
    assert s["ci_high"] - s["mean"] == pytest.approx(half)
    assert s["top2"] == pytest.approx(np.average(x >= 4, weights=w))
    assert s.name == 0


def test_equal_weights_change_nothing_and_scale_free() -> None:
    data = two_groups()
    plain = jw.survey.summarize(data, na_codes=[0])
    ones = jw.survey.summarize(data.assign(w=2.5), na_codes=[0], weight="w")
    pd.testing.assert_frame_equal(plain, ones, check_exact=False, rtol=1e-12)


def test_segments_split_each_touchpoint() -> None:
    data = two_groups()
    data["segment"] = np.where(np.arange(len(data)) % 2 == 0, "new", "regular")
    s = jw.survey.summarize(data, segment="segment", na_codes=[0])
    assert list(s.columns[:2]) == ["touchpoint", "segment"]
    assert s[["touchpoint", "segment"]].values.tolist() == [
        ["Invoice", "new"],
        ["Invoice", "regular"],
        ["Web", "new"],
        ["Web", "regular"],
    ]
    valid = data[(data.score > 0)]
    counts = valid.groupby(["touchpoint", "segment"]).score.agg(["count", "mean"])
    assert s["n"].tolist() == counts["count"].tolist()
    assert s["mean"].tolist() == pytest.approx(counts["mean"].tolist())


def test_text_scores_and_text_na_codes_are_read() -> None:
    data = pd.DataFrame(
        {"touchpoint": ["Web"] * 5, "score": ["5", " 4 ", "n/a", "N/A", 3]}, dtype=object
    )
    row = jw.survey.summarize(data, na_codes=["n/a"]).iloc[0]
    assert (row["n"], row["n_na"], row["mean"]) == (3, 2, 4.0)


def test_non_numeric_scores_are_named_with_examples_and_rows() -> None:
    data = pd.DataFrame(
        {"touchpoint": ["Web"] * 6, "score": [5, "good", 4, "bad", "n/a", "meh"]},
        index=[10, 11, 12, 13, 14, 15],
    )
    with pytest.raises(SurveyError) as info:
        jw.survey.summarize(data, na_codes=["n/a"])
    assert str(info.value) == (
        "responses: column 'score' holds 3 values that are not a number: 'good' (row 11), "
        "'bad' (row 13), 'meh' (row 15); pass na_codes=(...) for answers such as 'n/a' that "
        "mean 'does not apply'"
    )
    assert info.value.field == "score"


def test_scores_off_the_scale_are_refused() -> None:
    data = pd.DataFrame({"touchpoint": ["Web"] * 4, "score": [5, 7, 4, 9]})
    with pytest.raises(SurveyError, match=r"holds 2 scores outside the scale 1-5: 7 \(row 1\), "
                       r"9 \(row 3\); pass scale"):  # fmt: skip
        jw.survey.summarize(data)


def test_missing_columns_get_a_hint() -> None:
    data = pd.DataFrame({"step": ["Web"], "csat": [5]})
    with pytest.raises(SurveyError) as info:
        jw.survey.summarize(data, score="cast", touchpoint="step")
    assert str(info.value) == (
        "responses: score='cast': no such column (did you mean 'csat'?). "
        "The columns are 'step', 'csat'"
    )


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        (-40.0, "-40.0 (row 1)"),
        (float("nan"), "nan (row 1)"),
        (None, "nan (row 1)"),
        (float("inf"), "inf (row 1)"),
        (float("-inf"), "-inf (row 1)"),
    ],
)
def test_negative_missing_nan_and_infinite_weights_are_refused(bad: Any, shown: str) -> None:
    data = pd.DataFrame({"touchpoint": ["Web"] * 3, "score": [5, 4, 3], "w": [1.0, bad, 2.0]})
    with pytest.raises(SurveyError, match="column 'w' holds 1 weight that is negative, missing, "
                       r"NaN or infinite: " + re.escape(shown)) as info:  # fmt: skip
        jw.survey.summarize(data, weight="w")
    assert info.value.field == "w"
    items = pd.DataFrame(
        {"dimension": ["empathy"] * 3, "expectation": [6, 6, 7], "perception": [5, 4, 5],
         "w": [1.0, bad, 2.0]}
    )  # fmt: skip
    with pytest.raises(SurveyError, match=re.escape(shown)):
        jw.survey.servqual(items, touchpoint=None, weight="w")


def test_all_zero_weights_are_refused_overall_and_per_touchpoint() -> None:
    data = pd.DataFrame({"touchpoint": ["Web", "Web", "App"], "score": [5, 4, 3], "w": 0.0})
    with pytest.raises(SurveyError, match="every weight in column 'w' is zero"):
        jw.survey.summarize(data, weight="w")
    with pytest.raises(SurveyError, match="every weight in column 'w' is zero"):
        jw.survey.summarize(pl.from_pandas(data), weight="w")
    data.loc[0:1, "w"] = 1.0
    with pytest.raises(SurveyError, match="every answer at 'App' has weight 0"):
        jw.survey.summarize(data, weight="w")


@pytest.mark.parametrize("level", [1.5, 95, 0, 1, -0.1, "95%", True])
def test_level_must_lie_between_zero_and_one(level: Any) -> None:
    data = pd.DataFrame({"touchpoint": ["Web"] * 3, "score": [5, 4, 3]})
    with pytest.raises(SurveyError, match=r"level is the confidence level, a number strictly "
                       r"between 0 and 1 such as 0\.95") as info:  # fmt: skip
        jw.survey.summarize(data, level=level)
    assert info.value.field == "level"
    if level == 95:
        assert "did you mean 0.95?" in str(info.value)


@pytest.mark.parametrize("data", [[1, 2, 3], ["a", "b"], (4.0,)])
def test_a_list_of_numbers_is_not_a_table(data: Any) -> None:
    with pytest.raises(SurveyError, match="expected a table"):
        jw.survey.summarize(data)


# ---------------------------------------------------------------------------- the map
def small_map() -> jw.JourneyMap:
    m = jw.JourneyMap("Energy", scale=(-3, 3))
    m.add_stage("Use and pay", id="pay")
    m.add_touchpoint("Invoice", id="invoice", stage="pay", emotion=-2, labels={"pl": "Faktura"})
    m.add_touchpoint("Web", id="web", stage="pay", index=0, emotion=1)
    return m


def test_map_adds_ids_order_and_emotion_scale() -> None:
    m = small_map()
    data = two_groups()
    data.loc[data.touchpoint == "Invoice", "touchpoint"] = "faktura "  # a label, loosely
    s = jw.survey.summarize(data, na_codes=[0], map=m)
    assert s[["touchpoint", "touchpoint_id", "stage", "order"]].values.tolist() == [
        ["Web", "web", "pay", 0],
        ["faktura ", "invoice", "pay", 1],
    ]
    # linear: 1 -> -3, 5 -> 3
    assert s["emotion"].tolist() == pytest.approx((-3 + 6 * (s["mean"] - 1) / 4).tolist())
    assert s["emotion_high"].tolist() == pytest.approx(
        (-3 + 6 * (s["ci_high"].clip(1, 5) - 1) / 4).tolist()
    )
    assert m["web"].measured is None  # summarize does not write


def test_unmatched_touchpoints_are_reported_with_counts_and_kept() -> None:
    m = small_map()
    data = pd.DataFrame(
        {"touchpoint": ["Web", "Webb", "Webb", "Hotline", "Web"], "score": [5, 4, 0, 3, 4]}
    )
    with pytest.warns(JourneyWarning) as caught:
        s = jw.survey.summarize(data, na_codes=[0], map=m)
    assert str(caught[0].message) == (
        "2 survey touchpoint names match no touchpoint of map 'Energy': 'Webb' (2 responses; "
        "did you mean 'Web'?), 'Hotline' (1 response); their rows are kept with touchpoint_id "
        "missing"
    )
    assert s["touchpoint"].tolist() == ["Web", "Hotline", "Webb"]
    assert s["touchpoint_id"].isna().tolist() == [False, True, True]
    with pytest.raises(SurveyError, match=r"'Webb' \(2 responses; did you mean 'Web'\?\)"):
        jw.survey.summarize(data, na_codes=[0], map=m, unmatched="error")


def test_a_name_shared_by_two_touchpoints_asks_for_ids() -> None:
    m = small_map()
    m.add_stage("Leave", id="leave")
    m.add_touchpoint("Invoice", id="final_invoice", stage="leave")
    data = pd.DataFrame({"touchpoint": ["Invoice", "final_invoice"], "score": [2, 3]})
    with pytest.warns(JourneyWarning, match=r"'Invoice' \(1 response; it names 2 touchpoints "):
        s = jw.survey.summarize(data, map=m)
    assert s["touchpoint_id"].tolist()[0] == "final_invoice"


# ---------------------------------------------------------------------------- helpers
def test_to_emotion_is_linear_end_to_end() -> None:
    assert jw.survey.to_emotion([1, 2, 3, 4, 5], (1, 5), (-3, 3)) == [-3, -1.5, 0, 1.5, 3]
    assert jw.survey.to_emotion(0, (0, 10), small_map()) == -3
    series = jw.survey.to_emotion(pd.Series([1.0, 7.0]), (1, 7), (-2, 2))
    assert series.tolist() == [-2.0, 2.0]
    assert jw.survey.to_emotion(np.array([3.0]), (1, 5), (0, 10)).tolist() == [5.0]


def test_melt_wide_data_in_each_engine() -> None:
    wide = pd.DataFrame({"id": [1, 2], "seg": ["a", "b"], "Web": [5, 4], "Faktura": [2, 0]})
    long = jw.survey.melt(
        wide, {"Web": "Web", "Faktura": "Invoice"}, id_columns=["id", "seg"], score="csat"
    )
    assert long.sort_values(["touchpoint", "id"]).values.tolist() == [
        [1, "a", "Invoice", 2],
        [2, "b", "Invoice", 0],
        [1, "a", "Web", 5],
        [2, "b", "Web", 4],
    ]
    lazy = jw.survey.melt(duckdb.from_df(wide), ["Web", "Faktura"], id_columns=["id"])
    assert isinstance(lazy, duckdb.DuckDBPyRelation)
    assert sorted(lazy.fetchall()) == [(1, "Faktura", 2), (1, "Web", 5), (2, "Faktura", 0),
                                       (2, "Web", 4)]  # fmt: skip
    with pytest.raises(SurveyError, match=r"column 'Wbe': no such column \(did you mean 'Web'"):
        jw.survey.melt(wide, ["Wbe"], id_columns=["id"])


# ---------------------------------------------------------------------------- engines
def engines(data: pd.DataFrame) -> dict[str, object]:
    arrow = pa.Table.from_pandas(data, preserve_index=False)
    con = duckdb.connect()
    con.register("responses", arrow)
    return {
        "polars": pl.from_arrow(arrow),
        "polars-lazy": pl.from_arrow(arrow).lazy(),  # type: ignore[union-attr]
        "pyarrow": arrow,
        "duckdb": con.table("responses"),
    }


@pytest.mark.parametrize("engine", ["polars", "polars-lazy", "pyarrow", "duckdb"])
def test_every_engine_gives_pandas_numbers(engine: str) -> None:
    m = jw.templates.energy_utility()
    data = jw.survey.synthetic(m, n_respondents=400, seed=2)
    options = {"na_codes": [0], "segment": "segment", "weight": "weight", "map": m}
    want = jw.survey.summarize(data, **options)
    got = jw.survey.summarize(engines(data)[engine], **options)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-10)
    nps_want = jw.survey.summarize(data.assign(touchpoint="all"), score="nps", scale=(0, 10))
    nps_got = jw.survey.summarize(
        engines(data.assign(touchpoint="all"))[engine], score="nps", scale=(0, 10)
    )
    pd.testing.assert_frame_equal(nps_got, nps_want, check_dtype=False, rtol=1e-10)


def test_lazy_engines_name_bad_values_without_row_numbers() -> None:
    data = pd.DataFrame({"touchpoint": ["Web"] * 3, "score": ["5", "great", "4"]})
    with pytest.raises(SurveyError) as info:
        jw.survey.summarize(engines(data)["duckdb"])
    assert str(info.value).startswith(
        "responses: column 'score' holds 1 value that is not a number: 'great' (row numbers "
        "are not available for lazy tables)"
    )
    data = pd.DataFrame({"touchpoint": ["Web"] * 3, "score": [5, 8, 4]})
    with pytest.raises(SurveyError, match=r"1 score outside the scale 1-5: 8 \(row 1\)"):
        jw.survey.summarize(engines(data)["polars"])


def test_no_warning_when_every_name_matches() -> None:
    m = jw.templates.it_laptop()
    data = jw.survey.synthetic(m, n_respondents=50, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = jw.survey.summarize(data, na_codes=[0], map=m)
    assert s["touchpoint_id"].tolist() == [t.id for t in m.touchpoints]


@pytest.mark.parametrize("engine", ["pandas", "polars", "duckdb"])
def test_fractional_scores_take_the_general_path(engine: str) -> None:
    # answers that are not whole numbers cannot be counted per answer: every sum is taken
    # row by row instead, and must give the same statistics
    rng = np.random.default_rng(3)
    scores = np.round(rng.uniform(1, 5, 200), 1)
    weights = rng.uniform(0.5, 2.0, 200)
    data = pd.DataFrame({"touchpoint": np.repeat(["A", "B"], 100), "score": scores, "w": weights})
    native = data if engine == "pandas" else engines(data)[engine]
    s = jw.survey.summarize(native, weight="w", min_n=10).set_index("touchpoint")
    for name, part in data.groupby("touchpoint"):
        x, w = part.score.to_numpy(), part.w.to_numpy()
        mean = np.average(x, weights=w)
        n_eff = w.sum() ** 2 / (w**2).sum()
        assert s.loc[name, "mean"] == pytest.approx(mean)
        assert s.loc[name, "n_eff"] == pytest.approx(n_eff)
        assert s.loc[name, "sd"] == pytest.approx(
            math.sqrt(np.average((x - mean) ** 2, weights=w) * n_eff / (n_eff - 1))
        )
        assert s.loc[name, "top2"] == pytest.approx(np.average(x >= 4, weights=w))
