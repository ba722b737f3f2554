"""Charts of the journey customers actually took, on the map's touchpoint axis.

* :func:`journey_flow` -- transitions between touchpoints as arcs (width = cases; forward
  above the axis, steps back below), touchpoints sized by reach, drop-off and steps outside
  the map marked under each touchpoint;
* :func:`drop_off` -- reach and drop-off per touchpoint as bars;
* :func:`time_between` -- the time from each touchpoint to the next: median, quartiles and
  90th percentile on a log scale.

They take the aggregates of :func:`journeywidgets.events.summarize` and
:func:`journeywidgets.events.transitions` (one row per touchpoint or pair), never raw
events, so a chart's size does not depend on the size of the log.  They share the touchpoint
axis and selection of the emotion curve, so they line up under it and
:func:`journeywidgets.charts.link` joins them to a widget.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from ..errors import EventLogError
from . import inputs, selection, style
from .journey_axis import JourneyAxis, band_layers
from .selection import FIELD

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

_HINT = " Make it with jw.events.summarize(log, m)."
_ARC_POINTS = 17
DEFAULT_HEIGHT = 240.0


def _axis(m: JourneyMap, language: str, width: float | None) -> JourneyAxis:
    return JourneyAxis.build(
        [t.id for t in m.touchpoints],
        {t.id: t.label(language) for t in m.touchpoints},
        {t.id: t.stage for t in m.touchpoints},
        {s.id: s.label(language) for s in m.stages},
        width,
    )


def _setup(
    m: JourneyMap,
    summary: Any,
    language: str | None,
    width: float | None,
    height: float | None,
    default_height: float,
    theme: style.Theme | None,
) -> tuple[dict[str, str], JourneyAxis, float, list[dict[str, Any]]]:
    """What every chart here starts from: colours, axis, plot height and the summary rows."""
    theme_name = style.check_theme(theme) if theme is not None else "auto"
    axis = _axis(m, language or m.language, width)
    plot_height = default_height if height is None else float(height)
    return style.colours(theme_name), axis, plot_height, _summary_rows(m, summary, axis)


def _selectable_layers(
    base: alt.Chart, axis: JourneyAxis, c: dict[str, str], x: alt.X
) -> list[Any]:
    """The stage bands, which take clicks, and a highlight rect for the selected touchpoint."""
    layers: list[Any] = band_layers(base, axis, c)
    layers[0] = layers[0].add_params(selection.point_selection())
    layers.append(
        base.mark_rect(color=c["selection"]).encode(
            x=x, opacity=alt.Opacity(value=0, **selection.if_selected(0.22))
        )
    )
    return layers


def share_text(share: float) -> str:
    """A share as a whole percentage that is never rounded to 0% or 100% (as the widget's
    badges write it): 0.3% of cases dropping off is not "none", 99.6% reaching is not "all".

    >>> [share_text(x) for x in (0, 0.003, 0.0712, 0.996, 1)]
    ['0%', '<1%', '7%', '>99%', '100%']
    """
    whole = round(share * 100)
    if whole == 0 and share > 0:
        return "<1%"
    if whole == 100 and share < 1:
        return ">99%"
    return f"{whole}%"


def _percent_texts(row: dict[str, Any]) -> None:
    row["reach_text"] = share_text(row["reach"])
    rate = row["drop_off_rate"]
    row["rate_text"] = share_text(rate) if rate is not None else "—"


def _summary_rows(m: JourneyMap, summary: Any, axis: JourneyAxis) -> list[dict[str, Any]]:
    """The axis rows with the summary's measures (one row per touchpoint, no segments)."""
    what = "events summary"
    df = inputs.to_pandas(summary, what, EventLogError)
    needed = [FIELD, "cases", "reach", "drop_off", "drop_off_rate", "to_next_p50"]
    inputs.require_columns(df, needed, what, _HINT, EventLogError)
    if "segment" in df.columns:
        raise EventLogError(
            f"{what}: it has a row per segment; chart one segment "
            "(summary[summary.segment == ...]) or summarize without segment=",
            field="segment",
        )
    on = df[df[FIELD].notna()]
    inputs.require_unique(on, [FIELD], what, _HINT.strip(), EventLogError)
    unknown = sorted(set(on[FIELD].astype(str)) - set(axis.ids))
    if unknown:
        raise EventLogError(
            f"{what}: touchpoint_id {', '.join(map(repr, unknown[:5]))} not on map {m.id!r};"
            " was it made with another map?",
            field=FIELD,
        )
    by_id = on.set_index(FIELD)
    rows = axis.rows()
    for row in rows:
        tp = row[FIELD]
        found = by_id.loc[tp] if tp in by_id.index else None
        cases = int(found["cases"]) if found is not None else 0
        rate = float(found["drop_off_rate"]) if found is not None and cases else None
        median = float(found["to_next_p50"]) if found is not None else math.nan
        row.update(
            cases=cases,
            reach=float(found["reach"]) if found is not None else 0.0,
            drop_off=int(found["drop_off"]) if found is not None else 0,
            drop_off_rate=rate,
            drop_off_share=(
                float(found["drop_off"]) / found["cases"] * float(found["reach"])
                if found is not None and cases
                else 0.0
            ),
            repeats=int(found["repeats"]) if found is not None and "repeats" in df else 0,
            median_to_next=_hours_text(median),
        )
        for name in ("to_next_p25", "to_next_p50", "to_next_p75", "to_next_p90"):
            value = float(found[name]) if found is not None and name in df else math.nan
            row[name] = None if math.isnan(value) else value / 3600.0
    return rows


def _hours_text(seconds: float) -> str:
    if seconds is None or math.isnan(seconds):
        return "—"
    hours = seconds / 3600.0
    if hours < 1:
        return f"{seconds / 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


def _arcs(
    transitions: Any, axis: JourneyAxis, total: int
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Points of one arc per pair of different touchpoints, and per touchpoint the cases
    that step outside the map next."""
    what = "events transitions"
    df = inputs.to_pandas(transitions, what, EventLogError)
    inputs.require_columns(
        df,
        ["source_id", "target_id", "occurrences", "cases"],
        what,
        " Make it with jw.events.transitions(log, m).",
        EventLogError,
    )
    position = {tp: i for i, tp in enumerate(axis.ids)}
    points: list[dict[str, Any]] = []
    off: dict[str, dict[str, Any]] = {}
    median = df["median_time"] if "median_time" in df else pd.Series(pd.NaT, index=df.index)
    row: dict[Any, Any]
    for row, when in zip(df.to_dict("records"), median, strict=True):
        source, target = str(row["source_id"]), str(row["target_id"])
        if source not in position:
            continue
        if target not in position:
            entry = off.setdefault(source, {"cases": 0, "steps": []})
            entry["cases"] += int(row["cases"])
            entry["steps"].append(f"{target} ({int(row['cases'])})")
            continue
        if source == target:
            continue  # repeats: in the node's tooltip
        a, b = position[source] + 0.5, position[target] + 0.5
        forward = b > a
        span = abs(b - a)
        pair = f"{source}→{target}"
        label = f"{axis.labels.get(source, source)} → {axis.labels.get(target, target)}"
        when_text = "—" if pd.isna(when) else _hours_text(pd.Timedelta(when).total_seconds())
        # one row per arc; Vega spreads it into points along the arc (flatten "t")
        points.append(
            {
                "pair": pair,
                "a": a,
                "b": b,
                "height": span if forward else -span,
                "direction": "forward" if forward else "step back",
                "cases": int(row["cases"]),
                "share": int(row["cases"]) / total if total else 0.0,
                "occurrences": int(row["occurrences"]),
                "label": label,
                "median_time": when_text,
                FIELD: source,
            }
        )
    return points, off


def journey_flow(
    m: JourneyMap,
    summary: Any,
    transitions: Any,
    *,
    language: str | None = None,
    width: float | None = None,
    height: float | None = None,
    title: str | None = None,
    min_share: float = 0.01,
    theme: style.Theme | None = "auto",
) -> alt.LayerChart:
    """The journey customers took, on the map's touchpoint axis.

    Each transition between two touchpoints is an arc from one to the other, as wide as the
    cases that took it: above the axis when it goes forward in the map, below when it steps
    back.  Touchpoints are circles sized by reach; under each, ``↓`` gives the share of
    the cases reaching it that end there (drop-off) and ``↗`` the cases whose next step is
    outside the map.  Tooltips give cases, shares, repeats and the median time to the next
    touchpoint.

    Parameters
    ----------
    m:
        The map (its touchpoints are the axis, as on :func:`emotion_curve`).
    summary:
        From :func:`journeywidgets.events.summarize` with this map (no segments).
    transitions:
        From :func:`journeywidgets.events.transitions` with this map.
    min_share:
        Arcs taken by fewer than this share of all cases are left out (the chart stays
        readable); 0 keeps every arc.
    language, width, height, title, theme:
        As for :func:`emotion_curve`.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.it_laptop()
    >>> log = jw.events.synthetic(m, n_cases=500, seed=1)
    >>> s = jw.events.summarize(log, m, unmatched="ignore")
    >>> t = jw.events.transitions(log, m, unmatched="ignore")
    >>> chart = jw.charts.journey_flow(m, s, t)
    >>> chart.to_dict()["layer"][0]["encoding"]["x"]["scale"]["domain"][:2]
    ['needs_new_laptop', 'service_portal_request']
    """
    c, axis, plot_height, rows = _setup(m, summary, language, width, height, DEFAULT_HEIGHT, theme)
    total = max((r["cases"] for r in rows), default=0)
    # a pandas summary's attrs are read in place, not from a copy of the whole table
    attrs = (
        summary.attrs
        if isinstance(summary, pd.DataFrame)
        else inputs.to_pandas(summary, "events summary", EventLogError).attrs
    )
    total = int(attrs.get("cases", total) or total)
    points, off = _arcs(transitions, axis, total)
    points = [p for p in points if p["share"] >= min_share]
    for row in rows:
        found = off.get(row[FIELD])
        row["off_map"] = found["cases"] if found else 0
        row["off_map_share"] = found["cases"] / row["cases"] if found and row["cases"] else 0.0
        row["off_map_steps"] = ", ".join(found["steps"][:5]) if found else "—"
        rate = row["drop_off_rate"]
        row["drop_text"] = f"↓{share_text(rate)}" if rate is not None else ""
        share = row["off_map_share"]
        # marked from half a percent: rarer steps outside the map are in the tooltip
        row["off_text"] = f"↗{share_text(share)}" if share >= 0.005 else ""
        _percent_texts(row)
    span_up = max((p["height"] for p in points), default=1.0)
    span_down = -min((p["height"] for p in points), default=0.0)
    domain = [-max(span_down, 0.5) * 1.1, max(span_up, 0.5) * 1.1]
    y_scale = alt.Scale(domain=domain, nice=False, zero=False)
    base = alt.Chart(alt.InlineData(values=rows))
    # x scales are independent (the arcs' x is quantitative): only the bands draw an axis
    x = alt.X(
        f"{FIELD}:N",
        sort=axis.ids,
        scale=alt.Scale(domain=axis.ids, paddingInner=0, paddingOuter=0),
        axis=None,
    )
    layers = _selectable_layers(base, axis, c, x)
    layers[1] = layers[1].encode(x=x)
    steps = [round(k / (_ARC_POINTS - 1), 4) for k in range(_ARC_POINTS)]
    flow = (
        alt.Chart(alt.InlineData(values=points))
        .transform_calculate(t=str(steps))
        .transform_flatten(["t"])
        .transform_calculate(
            xq="datum.a + (datum.b - datum.a) * datum.t",
            y="sin(PI * datum.t) * datum.height",
        )
        .mark_line(interpolate="monotone", strokeCap="round")
        .encode(
            x=alt.X(
                "xq:Q",
                scale=alt.Scale(domain=[0, len(axis.ids)], nice=False, zero=False),
                axis=None,
            ),
            y=alt.Y("y:Q", scale=y_scale, axis=None),
            detail="pair:N",
            order="t:Q",
            color=alt.Color(
                "direction:N",
                scale=alt.Scale(domain=["forward", "step back"], range=[c["curve"], c["negative"]]),
                legend=alt.Legend(title=None, orient="top", offset=axis.stage_name_height()),
            ),
            size=alt.Size("cases:Q", scale=alt.Scale(range=[1, 18], zero=True), legend=None),
            opacity=alt.value(0.55),
            tooltip=[
                alt.Tooltip("label:N", title="Transition"),
                alt.Tooltip("cases:Q", title="Cases", format=","),
                alt.Tooltip("share:Q", title="Share of all cases", format=".1%"),
                alt.Tooltip("occurrences:Q", title="Times taken", format=","),
                alt.Tooltip("median_time:N", title="Median time between"),
            ],
        )
    )
    layers.append(flow)
    y0 = alt.Y("zero:Q", scale=y_scale, axis=None)
    nodes = (
        base.transform_calculate(zero="0")
        .mark_circle(stroke=c["text"], strokeWidth=0.6, opacity=0.95)
        .encode(
            x=x,
            y=y0,
            size=alt.Size("reach:Q", scale=alt.Scale(domain=[0, 1], range=[20, 700]), legend=None),
            color=alt.Color(
                "drop_off_rate:Q",
                scale=alt.Scale(domain=[0, 0.5], range=[c["neutral"], c["negative"]], clamp=True),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("touchpoint:N", title="Touchpoint"),
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("cases:Q", title="Cases reaching it", format=","),
                alt.Tooltip("reach_text:N", title="Reach (share of all cases)"),
                alt.Tooltip("rate_text:N", title="Drop-off (cases ending here)"),
                alt.Tooltip("repeats:Q", title="Repeats (rework)", format=","),
                alt.Tooltip("median_to_next:N", title="Median time to next touchpoint"),
                alt.Tooltip("off_map_steps:N", title="Next step outside the map"),
            ],
        )
    )
    layers.append(nodes)
    layers.append(
        base.mark_text(
            color=c["negative"], fontSize=11, fontWeight="bold", baseline="bottom"
        ).encode(x=x, y=alt.value(plot_height - 16), text="drop_text:N")
    )
    layers.append(
        base.mark_text(color=c["text"], fontSize=10, baseline="bottom").encode(
            x=x, y=alt.value(plot_height - 3), text="off_text:N"
        )
    )
    chart = alt.LayerChart(layer=layers, width=axis.width, height=plot_height).add_params(
        *selection.variable_params()
    )
    chart = chart.resolve_scale(x="independent", size="independent", color="independent")
    chart = chart.properties(
        title=alt.TitleParams(
            title or "Journey customers took",
            subtitle=(
                f"{total:,} cases · arcs: transitions (width = cases; above: forward, below:"
                " steps back) · ↓ drop-off · ↗ next step outside the map"
            ),
            anchor="start",
        )
    )
    return style.apply(chart, theme)


def drop_off(
    m: JourneyMap,
    summary: Any,
    *,
    language: str | None = None,
    width: float | None = None,
    height: float | None = None,
    title: str | None = None,
    theme: style.Theme | None = "auto",
) -> alt.LayerChart:
    """Reach (share of all cases with an event at the touchpoint) as bars, with the share of
    all cases whose journey ends there drawn over them, on the map's touchpoint axis.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.it_laptop()
    >>> log = jw.events.synthetic(m, n_cases=300, seed=2)
    >>> s = jw.events.summarize(log, m, unmatched="ignore")
    >>> spec = jw.charts.drop_off(m, s).to_dict()
    >>> len(spec["datasets"]) <= 2
    True
    """
    c, axis, plot_height, rows = _setup(m, summary, language, width, height, 200.0, theme)
    for row in rows:
        _percent_texts(row)
    base = alt.Chart(alt.InlineData(values=rows))
    x = axis.x(bare=True)
    # headroom above 100% for the label of a bar that every case reaches (it would sit on
    # the stage names); the axis still ends at 100%
    share = alt.Scale(domain=[0, 1.1])
    # every layer names the same axis: merged with a default one, its ticks would thin out
    share_axis = alt.Axis(format="%", gridDash=[2, 3], values=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
    y = alt.Y("reach:Q", title="Share of cases", scale=share, axis=share_axis)
    tooltip = [
        alt.Tooltip("touchpoint:N", title="Touchpoint"),
        alt.Tooltip("cases:Q", title="Cases reaching it", format=","),
        alt.Tooltip("reach_text:N", title="Reach"),
        alt.Tooltip("drop_off:Q", title="Cases ending here", format=","),
        alt.Tooltip("rate_text:N", title="Drop-off rate"),
    ]
    layers = _selectable_layers(base, axis, c, x)
    layers.append(
        base.mark_bar(color=c["curve"], opacity=0.55, width={"band": 0.6}).encode(
            x=x, y=y, tooltip=tooltip
        )
    )
    layers.append(
        base.mark_bar(color=c["negative"], width={"band": 0.6}).encode(
            x=x,
            y=alt.Y("drop_off_share:Q", title="Share of cases", scale=share, axis=share_axis),
            tooltip=tooltip,
        )
    )
    layers.append(
        base.mark_text(baseline="bottom", dy=-3, fontSize=10, color=c["text"]).encode(
            x=x,
            y=alt.Y("reach:Q", title="Share of cases", scale=share, axis=share_axis),
            text="reach_text:N",
        )
    )
    chart = alt.LayerChart(layer=layers, width=axis.width, height=plot_height)
    chart = chart.add_params(*selection.variable_params()).properties(
        title=alt.TitleParams(
            title or "Reach and drop-off",
            subtitle="bar: share of cases reaching the touchpoint · red: share ending there",
            anchor="start",
        )
    )
    return style.apply(chart, theme)


def _time_unit(longest_hours: float) -> tuple[str, float]:
    """The unit a time axis reads best in, by the longest time it shows, and its hours:
    minutes below two hours, days from three days on, hours between."""
    if longest_hours >= 72:
        return "days", 24.0
    if longest_hours < 2:
        return "minutes", 1.0 / 60.0
    return "hours", 1.0


def _log_ticks(low: float, high: float) -> list[float]:
    """Values for a log axis from ``low`` to ``high`` that read at a glance: 1, 2, 5, 10,
    20, ...; the powers of ten alone over a wide range (more than seven ticks), with 1.5, 3
    and 7 too over a narrow one (fewer than three), instead of the crowded 200, 300, ...,
    900 a log scale picks over a narrow range.

    >>> _log_ticks(5.4, 75)
    [10.0, 20.0, 50.0]
    >>> _log_ticks(0.6, 2.4)
    [0.7, 1.0, 1.5, 2.0]
    >>> _log_ticks(0.001, 6)
    [0.001, 0.01, 0.1, 1.0]
    """

    def ticks(steps: tuple[float, ...]) -> list[float]:
        found = []
        exponent = math.floor(math.log10(low))
        while steps[0] * 10.0**exponent <= high:
            for step in steps:
                value = float(f"{step * 10.0**exponent:.6g}")  # 0.1 * 3 is 0.30000000000000004
                if low <= value <= high:
                    found.append(value)
            exponent += 1
        return found

    chosen = ticks((1, 2, 5))
    if len(chosen) > 7:
        return ticks((1,))
    if len(chosen) < 3:
        return ticks((1, 1.5, 2, 3, 5, 7))
    return chosen


def time_between(
    m: JourneyMap,
    summary: Any,
    *,
    language: str | None = None,
    width: float | None = None,
    height: float | None = None,
    title: str | None = None,
    theme: style.Theme | None = "auto",
) -> alt.LayerChart:
    """How long customers take from each touchpoint to the next (log scale, in minutes,
    hours or days by the longest time shown): a bar from the first to the third quartile, a
    tick at the median and a line up to the 90th percentile, from the quantiles in the
    summary.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.it_laptop()
    >>> log = jw.events.synthetic(m, n_cases=300, seed=2)
    >>> s = jw.events.summarize(log, m, unmatched="ignore")
    >>> jw.charts.time_between(m, s).to_dict()["layer"][3]["encoding"]["y"]["scale"]["type"]
    'log'
    """
    c, axis, plot_height, rows = _setup(m, summary, language, width, height, 200.0, theme)
    names = ("to_next_p25", "to_next_p50", "to_next_p75", "to_next_p90")
    longest = max((r["to_next_p90"] or r["to_next_p50"] or 0 for r in rows), default=0.0)
    unit, hours = _time_unit(longest)
    floor = 1.0 / 60.0 / hours  # a minute: a log scale has no zero
    for row in rows:
        for name in names:
            if row[name] is not None:
                row[name] = max(row[name] / hours, floor)
    with_time = [r for r in rows if r["to_next_p50"] is not None]
    top = max((r["to_next_p90"] or 0 for r in with_time), default=1.0)
    bottom = min((r["to_next_p25"] or floor for r in with_time), default=floor)
    domain = [max(bottom / 2, floor), max(top * 1.2, 1.0)]
    scale = alt.Scale(type="log", domain=domain)
    base = alt.Chart(alt.InlineData(values=rows))
    x = axis.x(bare=True)
    y_axis = alt.Axis(
        title=f"{unit.capitalize()} to next touchpoint",
        gridDash=[2, 3],
        format="~g",
        values=_log_ticks(*domain),
    )
    tooltip = [
        alt.Tooltip("touchpoint:N", title="Touchpoint"),
        alt.Tooltip("median_to_next:N", title="Median"),
        alt.Tooltip("to_next_p25:Q", title=f"First quartile ({unit})", format=".1f"),
        alt.Tooltip("to_next_p75:Q", title=f"Third quartile ({unit})", format=".1f"),
        alt.Tooltip("to_next_p90:Q", title=f"90th percentile ({unit})", format=".1f"),
    ]
    layers = _selectable_layers(base, axis, c, x)
    valid = base.transform_filter("isValid(datum.to_next_p50)")
    layers.append(
        valid.mark_rule(color=c["curve"], strokeWidth=1.5).encode(
            x=x, y=alt.Y("to_next_p75:Q", scale=scale, axis=y_axis), y2="to_next_p90:Q"
        )
    )
    layers.append(
        valid.mark_bar(color=c["curve"], opacity=0.45, width={"band": 0.5}).encode(
            x=x,
            y=alt.Y("to_next_p25:Q", scale=scale, axis=y_axis),
            y2="to_next_p75:Q",
            tooltip=tooltip,
        )
    )
    layers.append(
        valid.mark_tick(color=c["title"], thickness=2, size=axis.step * 0.55).encode(
            x=x, y=alt.Y("to_next_p50:Q", scale=scale, axis=y_axis), tooltip=tooltip
        )
    )
    chart = alt.LayerChart(layer=layers, width=axis.width, height=plot_height)
    chart = chart.add_params(*selection.variable_params()).properties(
        title=alt.TitleParams(
            title or "Time to the next touchpoint",
            subtitle="bar: quartiles · tick: median · line: up to the 90th percentile",
            anchor="start",
        )
    )
    return style.apply(chart, theme)
