"""journeywidgets.events: results equal hand-computed logs and a plain-pandas oracle; random
logs keep their totals; bad input gets a clear EventLogError and leaves the map unchanged."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeywidgets as jw
from journeywidgets.errors import EventLogError, JourneyWarning

C, A, T = jw.events.CASE, jw.events.ACTIVITY, jw.events.TIMESTAMP


def small_map() -> jw.JourneyMap:
    m = jw.JourneyMap("Order")
    m.add_stage("Buy")
    m.add_stage("Use")
    for name, stage in [("Web", "buy"), ("Call", "buy"), ("Visit", "use"), ("Invoice", "use")]:
        m.add_touchpoint(name, stage=stage)
    return m


def log_of(rows: list[tuple[Any, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            C: [r[0] for r in rows],
            A: [r[1] for r in rows],
            T: pd.to_datetime([r[2] for r in rows], utc=True),
        }
    )


# case 1: Web, Call, Call, Visit, Invoice (a repeat)      -> conforms
# case 2: Web, Visit (skips Call), ends at Visit          -> skip
# case 3: Call, Web (step back), Fax (outside the map)    -> back + off map
# case 4: Web, Call, Visit, Invoice                        -> conforms
HAND = log_of(
    [
        (1, "Web", "2026-01-01 09:00"),
        (1, "Call", "2026-01-01 10:00"),
        (1, "Call", "2026-01-01 12:00"),
        (1, "Visit", "2026-01-02 09:00"),
        (1, "Invoice", "2026-01-03 09:00"),
        (2, "Web", "2026-01-01 09:00"),
        (2, "Visit", "2026-01-01 11:00"),
        (3, "Call", "2026-01-05 09:00"),
        (3, "Web", "2026-01-05 09:30"),
        (3, "Fax", "2026-01-05 10:30"),
        (4, "Web", "2026-01-06 09:00"),
        (4, "Call", "2026-01-06 10:00"),
        (4, "Visit", "2026-01-06 13:00"),
        (4, "Invoice", "2026-01-07 13:00"),
    ]
)


def quiet(function: Any, *args: Any, **kwargs: Any) -> Any:
    with pytest.warns(JourneyWarning, match=r"'Fax' \(1 event\)"):
        return function(*args, **kwargs)


# ----------------------------------------------------------------------------- hand-computed
def test_variants_hand_computed() -> None:
    v = jw.events.variants(HAND)
    assert v["variant"].tolist() == [
        "Call → Web → Fax",
        "Web → Call → Call → Visit → Invoice",
        "Web → Call → Visit → Invoice",
        "Web → Visit",
    ]
    assert v["cases"].tolist() == [1, 1, 1, 1]
    assert v["share"].tolist() == [0.25] * 4
    assert v["cumulative_share"].tolist() == [0.25, 0.5, 0.75, 1.0]
    assert v["median_duration"].tolist() == [
        pd.Timedelta("1.5h"),
        pd.Timedelta("2 days"),
        pd.Timedelta("1 day 4h"),
        pd.Timedelta("2h"),
    ]
    assert v.attrs["cases"] == 4
    assert v.attrs["variants"] == 4
    assert v.attrs["level"] == "activity"


def test_variants_top_and_shares() -> None:
    log = pd.concat([HAND, HAND.assign(**{C: HAND[C] + 10})], ignore_index=True)
    log = pd.concat([log, log_of([(99, "Web", "2026-02-01"), (99, "Visit", "2026-02-02")])])
    v = jw.events.variants(log, top=2)
    # a tie at the cut goes to the variant with the smaller first case (1, not 3)
    assert v["variant"].tolist() == ["Web → Visit", "Web → Call → Call → Visit → Invoice"]
    assert v["cases"].tolist() == [3, 2]
    assert v["cumulative_share"].round(6).tolist() == [round(3 / 9, 6), round(5 / 9, 6)]
    assert v.attrs["variants"] == 4
    with pytest.raises(EventLogError, match=r"top must be a positive"):
        jw.events.variants(HAND, top=0)


def test_transitions_hand_computed() -> None:
    t = jw.events.transitions(HAND).set_index(["source", "target"])
    assert t.loc[("Web", "Call"), "occurrences"] == 2
    assert t.loc[("Web", "Call"), "cases"] == 2
    assert t.loc[("Web", "Call"), "median_time"] == pd.Timedelta("1h")
    assert t.loc[("Call", "Call"), "occurrences"] == 1
    assert t.loc[("Call", "Visit"), "median_time"] == pd.Timedelta("12h")  # 21h and 3h
    # linear p90 of [3h, 21h]: 3 + 0.9 * 18 = 19.2h
    assert t.loc[("Call", "Visit"), "p90_time"] == pd.Timedelta("19h12min")
    assert int(t["occurrences"].sum()) == len(HAND) - HAND[C].nunique()


def test_touchpoint_level_labels_and_outside() -> None:
    m = small_map()
    v = quiet(jw.events.variants, HAND, m)
    assert v.attrs["level"] == "touchpoint"
    assert ("call", "web", "Fax") in v["path"].tolist()
    t = quiet(jw.events.transitions, HAND, m)
    row = t[(t["source_id"] == "web") & (t["target_id"] == "Fax")].iloc[0]
    assert not row["target_on_map"]
    assert row["source_on_map"]


def test_summarize_hand_computed() -> None:
    m = small_map()
    s = quiet(jw.events.summarize, HAND, m)
    assert s["touchpoint"].tolist() == ["Web", "Call", "Visit", "Invoice", "Fax"]
    assert s["touchpoint_id"].tolist()[:4] == ["web", "call", "visit", "invoice"]
    assert s["touchpoint_id"].iloc[4] is None
    assert s["outside_map"].tolist()[-1]
    assert s["cases"].tolist() == [4, 3, 3, 2, 1]
    assert s["reach"].tolist() == [1.0, 0.75, 0.75, 0.5, 0.25]
    assert s["drop_off"].tolist() == [0, 0, 1, 2, 1]
    assert s["repeats"].tolist() == [0, 1, 0, 0, 0]
    # Web -> next different step: 1h (c1), 2h (c2), 1h (c3: Web -> Fax), 1h (c4)
    assert s.loc[0, "median_to_next"] == pd.Timedelta("1h")
    # Call -> next: c1 from the second Call (12:00) to Visit = 21h, c3 30 min, c4 3h
    assert s.loc[1, "to_next_p50"] == 3 * 3600
    assert s.attrs["cases"] == 4


def test_summarize_segments_and_channels() -> None:
    log = HAND.assign(
        segment=HAND[C].map({1: "new", 2: "new", 3: "old", 4: "old"}),
        channel=["web", "phone", "phone", "shop", "post"] + ["web"] * 9,
    )
    s = quiet(jw.events.summarize, log, small_map(), segment="segment", channel="channel")
    call_new = s[(s["touchpoint_id"] == "call") & (s["segment"] == "new")].iloc[0]
    assert call_new["cases"] == 1
    assert call_new["reach"] == 0.5
    assert call_new["channels"] == "phone 100%"
    web_old = s[(s["touchpoint_id"] == "web") & (s["segment"] == "old")].iloc[0]
    assert web_old["reach"] == 1.0
    assert web_old["main_channel"] == "web"
    assert s.attrs["segment_cases"] == {"new": 2, "old": 2}
    mixed = log.assign(segment=["a", "b"] + ["a"] * 12)
    with pytest.raises(EventLogError, match=r"changes within a case"):
        quiet(jw.events.summarize, mixed, small_map(), segment="segment")


def test_conformance_hand_computed() -> None:
    c = quiet(jw.events.conformance, HAND, small_map())
    cases = c.cases.set_index("case")
    assert cases["conforms"].tolist() == [True, False, False, True]
    assert cases.loc[2, "skipped"] == 1
    assert cases.loc[3, "out_of_order"] == 1
    assert cases.loc[3, "off_map"] == 1
    assert cases.loc[1, "out_of_order"] == 0
    overall = c.overall.iloc[0]
    assert overall["cases"] == 4
    assert overall["conforming_share"] == 0.5
    assert c.deviations[["kind", "description", "cases"]].values.tolist() == [
        ["outside the map", "Fax", 1],
        ["skipped", "Call", 1],
        ["step back", "Call → Web", 1],
    ]
    assert "<h4>" in c._repr_html_()


def test_mapping_dict_and_column() -> None:
    m = small_map()
    mapping = {"Fax": "Call"}  # the other activities match by name
    s = jw.events.summarize(HAND, m, mapping=mapping)
    assert not s["outside_map"].any()
    assert s.set_index("touchpoint_id").loc["call", "cases"] == 3
    by_column = HAND.assign(tp=HAND[A].replace({"Fax": "call"}))
    s2 = jw.events.summarize(by_column, m, mapping="tp")
    pd.testing.assert_frame_equal(s.drop(columns=[]), s2)
    with pytest.raises(EventLogError, match=r"'Cal' is not a touchpoint.*did you mean 'Call'"):
        jw.events.summarize(HAND, m, mapping={"Fax": "Cal"})
    with pytest.warns(JourneyWarning, match=r"not occur in the log.*'Faxx'"):
        jw.events.summarize(HAND, m, mapping={"Faxx": "Call", "Fax": "Call"})
    with pytest.raises(EventLogError, match=r"'Fax' \(1 event\)"):
        jw.events.summarize(HAND, m, unmatched="error")


# ----------------------------------------------------------------------------- errors
def test_missing_columns_named_with_a_hint() -> None:
    log = HAND.rename(columns={T: "time"})
    with pytest.raises(EventLogError, match="timestamp='time:timestamp': no such column") as e:
        jw.events.variants(log)
    assert e.value.field == T
    with pytest.raises(EventLogError, match=r"did you mean 'case'"):
        jw.events.variants(HAND.rename(columns={C: "case"}), case="cse")


def test_unparseable_and_missing_timestamps_name_rows() -> None:
    log = HAND.assign(**{T: HAND[T].astype(str)})
    log.loc[3, T] = "yesterday"
    log.loc[7, T] = "32/13/2026"
    with pytest.raises(
        EventLogError,
        match="2 values that are not a timestamp: 'yesterday' "
        "\\(row 3\\), '32/13/2026' \\(row 7\\)",
    ):
        jw.events.variants(log)
    missing = HAND.copy()
    missing.loc[5, T] = pd.NaT
    with pytest.raises(EventLogError, match=r"1 missing timestamps: rows 5"):
        jw.events.transitions(missing)
    no_case = HAND.astype({C: object})
    no_case.loc[2, C] = None
    with pytest.raises(EventLogError, match=r"missing case ids: rows 2"):
        jw.events.transitions(no_case)


def test_mixed_time_zones_are_ordered_in_utc() -> None:
    # 10:30+02:00 is 08:30 UTC: before 09:00 UTC, though its text sorts after
    log = pd.DataFrame(
        {
            C: ["a", "a", "b", "b"],
            A: ["Web", "Call", "Web", "Call"],
            T: [
                "2026-03-01T09:00:00Z",
                "2026-03-01T10:30:00+02:00",
                "2026-03-01 09:00",
                "2026-03-01T12:00:00+01:00",
            ],
        }
    )
    v = jw.events.variants(log)
    assert set(v["variant"]) == {"Call → Web", "Web → Call"}
    assert v.set_index("variant").loc["Call → Web", "median_duration"] == pd.Timedelta("30min")


def test_single_event_cases() -> None:
    with pytest.raises(EventLogError, match=r"each of its 4 cases has a single event.*case="):
        jw.events.variants(HAND.assign(**{C: range(len(HAND))}).head(4))
    # some one-event cases are fine: a journey that stops at once
    log = pd.concat([HAND, log_of([(50, "Web", "2026-01-09")])], ignore_index=True)
    v = jw.events.variants(log)
    assert v.set_index("variant").loc["Web", "cases"] == 1


def test_not_a_table() -> None:
    with pytest.raises(EventLogError, match=r"expected a table"):
        jw.events.variants(42)


def test_lifecycle_keeps_complete_events() -> None:
    log = pd.concat([HAND.assign(life="complete"), HAND.assign(life="start")], ignore_index=True)
    v = jw.events.variants(log, lifecycle="life")
    assert v["cases"].sum() == 4
    assert v["length"].max() == 5


# ----------------------------------------------------------------------------- record, discover
def test_record_writes_metrics_beside_workshop_content_in_one_step() -> None:
    m = small_map()
    m.update("web", metrics={"csat": 4.1, "log_reach": 0.1}, emotion=1)
    before = m.to_json()
    s = quiet(jw.events.summarize, HAND, m)
    jw.events.record(m, s)
    web = m["web"]
    assert web.metrics["csat"] == 4.1
    assert web.emotion == 1
    assert web.metrics["log_reach"] == 1.0
    assert web.metrics["log_cases"] == 4
    assert web.metrics["log_median_to_next_h"] == 1.0
    assert m["invoice"].metrics["log_drop_off"] == 1.0
    assert m.undo()
    assert m.to_json() == before
    other = small_map()
    other.remove("invoice")
    unchanged = other.to_json()
    with pytest.raises(EventLogError, match=r"'invoice' is not a touchpoint"):
        jw.events.record(other, s)
    assert other.to_json() == unchanged
    with pytest.raises(EventLogError, match=r"no 'reach' column"):
        jw.events.record(m, s.drop(columns="reach"))


def test_discover_orders_by_the_dominant_path() -> None:
    log = jw.events.synthetic(activities=["Search", "Order", "Pay", "Deliver"], n_cases=400, seed=5)
    d = jw.events.discover(log, stages={"Search": "Choose", "Order": "Buy", "Pay": "Buy"})
    names = [tp.name for tp in d.touchpoints]
    main = ["Search", "Order", "Pay", "Deliver"]
    assert [n for n in names if n in main] == main
    # activities off the main path sit after the activity that most often precedes them
    assert set(names) - set(main) == {"Status enquiry", "Complaint"}
    assert [s.name for s in d.stages] == ["Choose", "Buy"]
    assert d.stage_of(d.touchpoints[-1].id).name == "Buy"  # Deliver follows Pay
    cards = d.cards_in(lane=d.lanes[0].id)
    assert cards
    assert all(c.source == "data" and "% of cases" in c.text for c in cards)
    # the discovered map, read back against the same log, has every activity on it
    s = jw.events.summarize(log, d)
    assert not s["outside_map"].any()
    with pytest.raises(EventLogError, match=r"'Nope'"):
        jw.events.discover(log, stages={"Nope": "X"})


# ----------------------------------------------------------------------------- files
def write_xes(log: pd.DataFrame, path: Path, *, gz: bool = False) -> None:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<log xes.version="1.0" xmlns="http://www.xes-standard.org/">',
    ]
    for case, events in log.groupby(C, sort=False):
        lines.append(f'<trace><string key="concept:name" value={quoteattr(str(case))}/>')
        for row in events.itertuples(index=False):
            stamp = pd.Timestamp(row[2]).isoformat()
            lines.append(
                f'<event><string key="concept:name" value={quoteattr(str(row[1]))}/>'
                f'<date key="time:timestamp" value="{stamp}"/>'
                '<int key="cost" value="3"/></event>'
            )
        lines.append("</trace>")
    lines.append("</log>")
    data = "\n".join(lines).encode()
    path.write_bytes(gzip.compress(data) if gz else data)


@pytest.mark.parametrize("gz", [False, True])
def test_read_xes_round_trip(tmp_path: Path, gz: bool) -> None:
    log = jw.events.synthetic(small_map(), n_cases=30, seed=4)[[C, A, T]]
    path = tmp_path / ("log.xes.gz" if gz else "log.xes")
    write_xes(log, path, gz=gz)
    seen: list[tuple[int, int]] = []
    got = jw.events.read_xes(path, progress=lambda t, e: seen.append((t, e)))
    assert seen[-1] == (30, len(log))
    pd.testing.assert_frame_equal(got[[C, A, T]], log.reset_index(drop=True), check_dtype=False)
    assert got["cost"].tolist() == [3] * len(log)
    pd.testing.assert_frame_equal(jw.events.variants(got), jw.events.variants(log))


def test_read_xes_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xes"
    bad.write_text('<log>\n<trace><string key="concept:name" value="1"/>\n<event></trace></log>')
    with pytest.raises(EventLogError, match=r"bad.xes is not valid XML at line 3"):
        jw.events.read_xes(bad)
    with pytest.raises(EventLogError, match=r"no such file"):
        jw.events.read_xes(tmp_path / "missing.xes")
    nodate = tmp_path / "nodate.xes"
    nodate.write_text(
        '<log><trace><string key="concept:name" value="1"/><event>'
        '<date key="time:timestamp" value="soon"/></event></trace></log>'
    )
    with pytest.raises(EventLogError, match=r"'soon' \(event 0\)"):
        jw.events.read_xes(nodate)


def test_read_csv(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    HAND.to_csv(path, index=False)
    got = jw.events.read_csv(path)
    pd.testing.assert_frame_equal(jw.events.variants(got), jw.events.variants(HAND))
    path.write_text("case,activity,time\n1,Web,not a time\n")
    with pytest.raises(EventLogError, match=r"'not a time' \(row 0\)"):
        jw.events.read_csv(path, timestamp="time")


# ----------------------------------------------------------------------------- pandas oracle
def oracle_paths(log: pd.DataFrame) -> pd.Series[Any]:
    """Each case's activities in time order, ties in file order (what pm4py does)."""
    ordered = log.assign(_pos=range(len(log))).sort_values([C, T, "_pos"], kind="stable")
    return ordered.groupby(C, sort=False)[A].agg(tuple)


def oracle_pairs(log: pd.DataFrame) -> dict[tuple[str, str], int]:
    ordered = log.assign(_pos=range(len(log))).sort_values([C, T, "_pos"], kind="stable")
    nxt = ordered.groupby(C, sort=False)[A].shift(-1)
    pairs = pd.DataFrame({"a": ordered[A], "b": nxt}).dropna()
    return {k: int(v) for k, v in pairs.value_counts().items()}


def test_equal_to_pandas_oracle_on_a_generated_log() -> None:
    log = jw.events.synthetic(jw.templates.it_laptop(), n_cases=3000, seed=8)
    v = jw.events.variants(log)
    want = oracle_paths(log).value_counts()
    assert dict(zip(v["path"], v["cases"], strict=True)) == {k: int(n) for k, n in want.items()}
    t = jw.events.transitions(log)
    got = dict(zip(zip(t["source_id"], t["target_id"], strict=True), t["occurrences"], strict=True))
    assert got == oracle_pairs(log)


# ----------------------------------------------------------------------------- hypothesis
ACTIVITIES = ["Web", "Call", "Visit", "Invoice", "Fax", "Chat"]


@st.composite
def random_logs(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(2, 40))
    cases = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    acts = draw(st.lists(st.sampled_from(ACTIVITIES), min_size=n, max_size=n))
    # few distinct minutes: many ties in time
    minutes = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    log = pd.DataFrame(
        {
            C: cases,
            A: acts,
            T: pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(minutes, unit="min"),
        }
    )
    if log[C].nunique() == len(log):  # the log must have a journey
        log.loc[len(log)] = [log[C].iloc[0], "Web", log[T].iloc[0]]
    return log


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_logs())
def test_random_logs_keep_their_totals(log: pd.DataFrame) -> None:
    m = small_map()
    v = jw.events.variants(log)
    cases = log[C].nunique()
    assert int(v["cases"].sum()) == cases
    assert int((v["cases"] * v["length"]).sum()) == len(log)
    assert abs(float(v["cumulative_share"].iloc[-1]) - 1.0) < 1e-9
    assert dict(zip(v["path"], v["cases"], strict=True)) == {
        k: int(n) for k, n in oracle_paths(log).value_counts().items()
    }
    t = jw.events.transitions(log)
    assert int(t["occurrences"].sum()) == len(log) - cases
    s = jw.events.summarize(log, m, unmatched="ignore")
    assert int(s["events"].sum()) == len(log)
    assert int(s["drop_off"].sum()) == cases
    assert (s["cases"] <= cases).all()
    assert (s["repeats"] >= 0).all()
    c = jw.events.conformance(log, m, unmatched="ignore")
    assert len(c.cases) == cases
    assert int(c.cases["events"].sum()) == len(log)
    assert (c.cases["skipped"] >= 0).all()
    assert c.cases["conforms"].sum() == c.overall["conforming"].iloc[0]


def test_paths_sharing_moments_stay_apart() -> None:
    # a-b-c-a-b-c and b-a-a-c-c-b have equal sums of k^2 c, k c^2 and c^3 (positions k,
    # step codes c): a fingerprint summing a cubic polynomial of (k, c) mod p merges them.
    # (The equality with pandas on 136,000 variants is in benchmarks/events_bench.py.)
    rows = []
    for case, path in enumerate(["abcabc", "baaccb"]):
        for k, step in enumerate(path):
            rows.append((case, step, f"2026-01-01 0{k}:00"))
    v = jw.events.variants(log_of(rows))
    assert sorted(v["variant"]) == ["a → b → c → a → b → c", "b → a → a → c → c → b"]
