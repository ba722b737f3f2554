"""Charts of event logs: aggregates only, spec size independent of the log, user text as
text, the shared touchpoint selection; rendered offline to PNG for a look."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
import vl_convert as vlc

import journeywidgets as jw
from journeywidgets.charts import selection


@pytest.fixture(scope="module")
def m() -> jw.JourneyMap:
    return jw.templates.it_laptop()


def charts(m: jw.JourneyMap, cases: int) -> dict[str, Any]:
    log = jw.events.synthetic(m, n_cases=cases, seed=3)
    s = jw.events.summarize(log, m, unmatched="ignore")
    t = jw.events.transitions(log, m, unmatched="ignore")
    return {
        "flow": jw.charts.journey_flow(m, s, t),
        "drop_off": jw.charts.drop_off(m, s),
        "time_between": jw.charts.time_between(m, s),
    }


def test_spec_size_does_not_grow_with_the_log(m: jw.JourneyMap) -> None:
    # rows are touchpoints and pairs of touchpoints (taken by at least 1% of cases), never
    # events: ten times the events gives the same rows, only other digits
    small = {k: len(json.dumps(c.to_dict())) for k, c in charts(m, 2_000).items()}
    large = {k: len(json.dumps(c.to_dict())) for k, c in charts(m, 20_000).items()}
    for name in small:
        assert abs(large[name] - small[name]) < 0.05 * small[name], name


def test_charts_render_offline_and_share_the_selection(m: jw.JourneyMap) -> None:
    for name, chart in charts(m, 500).items():
        spec = chart.to_dict()
        text = json.dumps(spec)
        assert f'"name": "{selection.SELECTION}"' in text, name
        assert selection.LINKED_PARAM in text, name
        png = vlc.vegalite_to_png(json.dumps(spec))
        assert png[:8] == b"\x89PNG\r\n\x1a\n", name
        assert len(png) > 10_000, name


def test_raw_events_or_other_maps_are_refused(m: jw.JourneyMap) -> None:
    log = jw.events.synthetic(m, n_cases=50, seed=3)
    # event-log errors, not survey ones, whatever the check that finds them
    with pytest.raises(jw.EventLogError, match="touchpoint_id"):
        jw.charts.drop_off(m, log)
    with pytest.raises(jw.EventLogError, match="must be a DataFrame"):
        jw.charts.journey_flow(m, jw.events.summarize(log, m, unmatched="ignore"), None)
    raw = jw.events.summarize(log, m, unmatched="ignore")
    with pytest.raises(jw.EventLogError, match="one row per touchpoint_id"):
        jw.charts.drop_off(m, pd.concat([raw, raw]))
    s = jw.events.summarize(log, m, segment="segment", unmatched="ignore")
    with pytest.raises(jw.EventLogError, match="a row per segment"):
        jw.charts.time_between(m, s)
    other = jw.templates.energy_utility()
    s = jw.events.summarize(log, m, unmatched="ignore")
    with pytest.raises(jw.EventLogError, match="another map"):
        jw.charts.drop_off(other, s)


def test_user_text_stays_text() -> None:
    m = jw.JourneyMap("Hostile")
    m.add_stage("<b>Stage</b>")
    m.add_touchpoint("<img src=x onerror=alert(1)>", stage="b_stage_b", id="img")
    m.add_touchpoint('Say "hi" & {{x}}', stage="b_stage_b", id="hi")
    log = jw.events.synthetic(m, n_cases=40, seed=1, off_map=0)
    s = jw.events.summarize(log, m)
    t = jw.events.transitions(log, m)
    spec = jw.charts.journey_flow(m, s, t).to_dict()
    png = vlc.vegalite_to_svg(json.dumps(spec))
    assert "<img" not in png
    assert "&lt;img src=x onerror=alert(1)&gt;" in png or "onerror" not in png


def _texts(node: Any, x: float = 0.0, y: float = 0.0) -> list[tuple[str, float, float, float]]:
    """Every text of a Vega scenegraph: (text, x, y of its baseline, font size), in the
    coordinates of the plot (groups offset what they hold)."""
    found = []
    if isinstance(node.get("text"), str):
        found.append((node["text"], x + node.get("x", 0), y + node.get("y", 0), node["fontSize"]))
    inner_x, inner_y = x, y
    if node.get("marktype") in (None, "group"):
        inner_x, inner_y = x + (node.get("x") or 0), y + (node.get("y") or 0)
    for child in node.get("items", []):
        found += _texts(child, inner_x, inner_y)
    return found


def test_reach_labels_stay_inside_the_plot(m: jw.JourneyMap) -> None:
    # every case reaches the first touchpoint: its "100%" sits above its bar, and used to
    # stand over the stage names above the plot; the axis still reads 0 to 100%
    chart = charts(m, 500)["drop_off"]
    texts = _texts(vlc.vegalite_to_scenegraph(json.dumps(chart.to_dict()))["scenegraph"])
    axis = [t for t, x, _, _ in texts if x < 0 and t.endswith("%")]
    assert axis == ["0%", "20%", "40%", "60%", "80%", "100%"]
    labels = [(t, y, size) for t, x, y, size in texts if x > 0 and t.endswith("%")]
    assert ("100%", labels[0][1], labels[0][2]) == labels[0]
    assert all(y - size >= 0 for _, y, size in labels), labels


def test_time_between_reads_in_a_unit_that_fits_with_few_ticks(m: jw.JourneyMap) -> None:
    # weeks between steps read in days, minutes in minutes; the ticks are 1, 2, 5, 10, ...
    # (a log scale over a narrow range picked 200, 300, ..., 700, 900 hours)
    log = jw.events.synthetic(m, n_cases=500, seed=3)
    slow = jw.events.summarize(log, m, unmatched="ignore")
    fast_log = log.assign(**{"time:timestamp": jw_minutes(log)})
    fast = jw.events.summarize(fast_log, m, unmatched="ignore")
    for summary, unit in ((slow, "Days"), (fast, "Minutes")):
        spec = jw.charts.time_between(m, summary).to_dict()
        texts = _texts(vlc.vegalite_to_scenegraph(json.dumps(spec))["scenegraph"])
        assert f"{unit} to next touchpoint" in [t for t, *_ in texts]
        ticks = [float(t) for t, x, _, _ in texts if x < 0 and t.replace(".", "").isdigit()]
        assert 3 <= len(ticks) <= 7, ticks
        assert all(f"{t:g}".lstrip("0.")[0] in "125" for t in ticks), ticks


def jw_minutes(log: Any) -> Any:
    """Each case's events on its first day, the n-th n * 2 minutes after midnight."""
    import pandas as pd

    cases = log.groupby("case:concept:name")
    first_day = cases["time:timestamp"].transform("min").dt.floor("D")
    return first_day + pd.to_timedelta(cases.cumcount() * 2, unit="min")


def test_shares_are_never_rounded_to_none_or_all(m: jw.JourneyMap) -> None:
    # as the widget's badges: 0.3% of cases ending at a touchpoint is not "0%", 99.6%
    # reaching it is not "100%"
    log = jw.events.synthetic(m, n_cases=500, seed=3)
    s = jw.events.summarize(log, m, unmatched="ignore")
    t = jw.events.transitions(log, m, unmatched="ignore")
    s.loc[1, "reach"] = 0.996
    s.loc[2, "drop_off_rate"] = 0.003
    texts = json.dumps(
        [jw.charts.drop_off(m, s).to_dict(), jw.charts.journey_flow(m, s, t).to_dict()],
        ensure_ascii=False,
    )
    assert '"reach_text": ">99%"' in texts
    assert '"rate_text": "<1%"' in texts
    assert '"drop_text": "↓<1%"' in texts
    assert '"reach_text": "100%"' in texts  # everyone reaches the first touchpoint
