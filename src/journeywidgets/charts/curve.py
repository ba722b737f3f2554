"""The emotion curve of a map, the survey-measured curve beside it, and several maps compared.

Both charts draw touchpoints in journey order (see :mod:`.journey_axis`) against the map's
emotion scale, with a neutral rule and the stages as shaded bands.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from ..errors import JourneyError, SurveyError
from ..model.entities import Scale
from . import inputs, selection, style
from .journey_axis import JourneyAxis, band_layers
from .selection import FIELD

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

#: A five-pointed star (SVG path in the unit square Vega scales symbols from).
STAR = (
    "M0,-1L0.265,-0.364L0.951,-0.309L0.428,0.139L0.588,0.809L0,0.45L-0.588,0.809"
    "L-0.428,0.139L-0.951,-0.309L-0.265,-0.364Z"
)
#: Series names in the legend of an emotion curve with survey evidence.
HYPOTHESIS = "Workshop hypothesis"
MEASURED = "Survey measured (95% CI)"
DEFAULT_HEIGHT = 260.0
_EXCERPT_CARDS = 3
_EXCERPT_CHARS = 60
_SURVEY_HINT = (
    " Summarize the responses with journeywidgets.survey.summarize(responses, map=m), "
    "which adds touchpoint_id and the emotion columns."
)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def _excerpt(m: JourneyMap, tp: str, language: str) -> str:
    """The first cards of a touchpoint, each shortened, for a tooltip."""
    cards = m.cards_in(touchpoint=tp)
    parts = []
    for card in cards[:_EXCERPT_CARDS]:
        text = " ".join(card.label(language).split())
        if len(text) > _EXCERPT_CHARS:
            text = text[: _EXCERPT_CHARS - 1].rstrip() + "…"
        parts.append(text)
    if len(cards) > _EXCERPT_CARDS:
        parts.append(f"(+{len(cards) - _EXCERPT_CARDS} more)")
    return " · ".join(parts)


def _sign(value: float | None, neutral: float) -> str | None:
    if value is None:
        return None
    if value > neutral:
        return "positive"
    return "negative" if value < neutral else "neutral"


def _map_axis(m: JourneyMap, language: str, width: float | None) -> JourneyAxis:
    return JourneyAxis.build(
        [t.id for t in m.touchpoints],
        {t.id: t.label(language) for t in m.touchpoints},
        {t.id: t.stage for t in m.touchpoints},
        {s.id: s.label(language) for s in m.stages},
        width,
    )


def series_legend(axis: JourneyAxis) -> alt.Legend:
    """The legend of curves: line symbols (dashes included) above the stage names.

    Vega-Lite places a top legend above the plot, not above text drawn outside it, so it is
    lifted over the stage names; symbols are strokes at full opacity (Vega-Lite would
    otherwise take a band's opacity and a point's shape).
    """
    return alt.Legend(
        title=None,
        orient="top",
        direction="horizontal",
        offset=axis.stage_name_height() + 6,
        symbolType="stroke",
        symbolStrokeWidth=3,
        symbolOpacity=1,
        symbolSize=260,
    )


def _y_scale(scale: Scale) -> alt.Scale:
    return alt.Scale(domain=[scale.min, scale.max], nice=False, zero=False)


def _y(scale: Scale, field: str = "emotion", *, title: str | None = "Emotion") -> alt.Y:
    """The emotion axis.  Every layer's y gets the same axis definition (whatever its field),
    because Vega-Lite merges the layers' axes and one layer without an axis would hide it."""
    span = scale.max - scale.min
    ticks = span / scale.step
    values = (
        [scale.min + i * scale.step for i in range(round(ticks) + 1)]
        if ticks <= 12 and math.isclose(ticks, round(ticks))
        else alt.Undefined
    )
    labels: dict[float, str] = {}
    for key, text in scale.labels.items():
        try:
            labels[float(key)] = text
        except ValueError:
            continue  # a label keyed by something other than a value is not for the axis
    label_expr: Any = alt.Undefined
    if labels:
        cases = " : ".join(
            f"datum.value == {value!r} ? {json.dumps(text, ensure_ascii=False)}"
            for value, text in sorted(labels.items())
        )
        label_expr = f"{cases} : datum.label"
    return alt.Y(
        f"{field}:Q",
        title=title,
        scale=_y_scale(scale),
        axis=alt.Axis(values=values, labelExpr=label_expr, gridDash=[2, 3]),
    )


def _gradient(values: Sequence[float], neutral: float, up: str, down: str) -> alt.Gradient:
    """A vertical fill for the area between the curve and the neutral rule.

    Vega stretches a gradient over the area's bounding box (the extremes of the curve and
    the neutral line), so the stop where colour changes is where the neutral line cuts that
    box: the area is ``up``-coloured exactly above neutral and ``down`` below it, including
    where the line crosses between two touchpoints.
    """
    top, bottom = max([*values, neutral]), min([*values, neutral])
    at = 0.0 if top == bottom else (top - neutral) / (top - bottom)
    return alt.Gradient(
        gradient="linear",
        x1=0,
        x2=0,
        y1=0,
        y2=1,
        stops=[
            alt.GradientStop(color=up, offset=0),
            alt.GradientStop(color=up, offset=at),
            alt.GradientStop(color=down, offset=at),
            alt.GradientStop(color=down, offset=1),
        ],
    )


def _measured_rows(
    m: JourneyMap, survey: Any, scale: Scale, label: dict[str, str]
) -> list[dict[str, Any]]:
    """Rows of the measured curve: from a summary frame, else from the map's Measurements."""
    rows: list[dict[str, Any]] = []
    if survey is None:
        for t in m.touchpoints:
            if t.measured is not None:
                rows.append(
                    {
                        FIELD: t.id,
                        "touchpoint": label[t.id],
                        "series": MEASURED,
                        "measured": t.measured.emotion,
                        "measured_low": t.measured.low,
                        "measured_high": t.measured.high,
                        "n": t.measured.n,
                        "small_n": False,
                        "source": t.measured.source or t.measured.metric,
                    }
                )
        return rows
    what = "survey summary"
    df = inputs.to_pandas(survey, what)
    inputs.require_columns(
        df, [FIELD, "emotion", "emotion_low", "emotion_high"], what, _SURVEY_HINT
    )
    segmented = "segment" in df.columns
    keys = [FIELD, "segment"] if segmented else [FIELD]
    inputs.require_unique(df, keys, what, _SURVEY_HINT.strip())
    unknown = sorted({str(v) for v in df[FIELD].dropna()} - set(label))
    if unknown:
        raise SurveyError(
            f"{what}: touchpoint_id {', '.join(map(repr, unknown[:5]))} "
            f"{'is' if len(unknown) == 1 else 'are'} not on the map {m.id!r}",
            field=FIELD,
            id=unknown[0],
        )
    columns = {c: inputs.numeric(df, c, what) for c in ("emotion", "emotion_low", "emotion_high")}
    values = columns["emotion"]
    outside = values.notna() & ((values < scale.min - 1e-9) | (values > scale.max + 1e-9))
    if outside.any():
        row = int(outside.to_numpy().nonzero()[0][0])
        raise SurveyError(
            f"{what}: column 'emotion', row {row}: {values.iloc[row]:g} lies outside the map's "
            f"emotion scale [{scale.min:g}, {scale.max:g}];{_SURVEY_HINT}",
            field="emotion",
        )
    # A normal-approximation interval of a mean near the end of the scale can pass the end;
    # the band is drawn up to the end of the scale, as the data cannot go further.
    for name in ("emotion_low", "emotion_high"):
        columns[name] = columns[name].clip(scale.min, scale.max)
    for i in range(len(df)):
        tp = df[FIELD].iloc[i]
        if pd.isna(tp) or pd.isna(columns["emotion"].iloc[i]):
            continue
        segment = inputs.clean(df["segment"].iloc[i]) if segmented else None
        rows.append(
            {
                FIELD: str(tp),
                "touchpoint": label[str(tp)],
                "series": str(segment) if segmented else MEASURED,
                "measured": float(columns["emotion"].iloc[i]),
                "measured_low": inputs.clean(columns["emotion_low"].iloc[i]),
                "measured_high": inputs.clean(columns["emotion_high"].iloc[i]),
                "n": inputs.clean(df["n"].iloc[i]) if "n" in df.columns else None,
                "small_n": bool(df["small_n"].iloc[i]) if "small_n" in df.columns else False,
                "source": "survey",
            }
        )
    return rows


def _title(m: JourneyMap, language: str, title: str | None) -> alt.TitleParams | str:
    if title is not None:
        return title
    text = m.info.labels.get(language, m.title) if m.info.labels else m.title
    persona = m.persona
    sub = []
    if persona is not None:
        sub.append(f"Persona: {persona.label(language)}")
    sub.append(f"{m.state} state")
    return alt.TitleParams(text or "Emotion curve", subtitle=" · ".join(sub), anchor="start")


def emotion_curve(
    m: JourneyMap,
    *,
    survey: Any = None,
    language: str | None = None,
    width: float | None = None,
    height: float | None = None,
    title: str | None = None,
    measured: bool = True,
    theme: style.Theme | None = "auto",
) -> alt.LayerChart:
    """The emotion curve of a map, optionally with the survey-measured curve beside it.

    Touchpoints are on x in journey order, labelled by name (in ``language``); emotion is on
    y with the map's scale as domain and a neutral rule.  Stages are shaded bands named above
    the plot.  The area between the curve and neutral is green above and red below; points
    are coloured by sign; moments of truth carry a star.  Tooltips show the touchpoint, its
    stage, channel, emotion and an excerpt of its cards.

    Parameters
    ----------
    m : JourneyMap
        The map.
    survey : DataFrame, optional
        A per-touchpoint summary from ``journeywidgets.survey.summarize(..., map=m)``
        (columns ``touchpoint_id``, ``emotion``, ``emotion_low``, ``emotion_high``, optionally
        ``segment``, ``n``, ``small_n``), drawn as a dashed curve with its 95% interval band,
        one per segment.  Without it, the touchpoints' recorded ``measured`` values are drawn
        (``measured=False`` hides them).  Raw responses are refused: aggregate first.
    language : str, optional
        Language of labels (entity ``labels``); defaults to the map's language.
    width, height : float, optional
        Plot size in pixels; by default about 96 px per touchpoint (narrower for long
        journeys, labels then slant) and 260 px.
    title : str, optional
        Chart title; defaults to the map's title with persona and state as subtitle.
    measured : bool
        Draw the measured curve (from ``survey`` or the map).
    theme : {"auto", "light", "dark"} or None
        Colours and text for JupyterLab's themes (see :mod:`journeywidgets.charts.style`);
        None returns an unconfigured chart to layer or concatenate with others.

    Returns
    -------
    altair.LayerChart
        With the touchpoint selection of :mod:`journeywidgets.charts.selection`, ready for
        :func:`journeywidgets.charts.link`.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.energy_utility()
    >>> chart = jw.charts.emotion_curve(m, language="pl")
    >>> chart.to_dict()["layer"][0]["encoding"]["x"]["scale"]["domain"][:2]
    ['searches_for_information', 'website']
    """
    lang = language or m.language
    theme_name = style.check_theme(theme) if theme is not None else "auto"
    c = style.colours(theme_name)
    scale = m.scale
    axis = _map_axis(m, lang, width)
    plot_height = DEFAULT_HEIGHT if height is None else float(height)

    channels = {t.id: t.channel for t in m.touchpoints}
    rows = axis.rows()
    by_id = {t.id: t for t in m.touchpoints}
    measured_rows = (
        _measured_rows(m, survey, scale, axis.labels) if measured or survey is not None else []
    )
    own_measure = {r[FIELD]: r for r in measured_rows if r["series"] == MEASURED}
    for row in rows:
        t = by_id[row[FIELD]]
        row.update(
            channel=channels[t.id] or "—",
            emotion=t.emotion,
            emotion_text=_number(t.emotion) if t.emotion is not None else "not set",
            sign=_sign(t.emotion, scale.neutral),
            moment_of_truth=t.moment_of_truth,
            moment_text="yes" if t.moment_of_truth else "no",
            cards=_excerpt(m, t.id, lang) or "—",
        )
        # What a screen reader says for the point (Vega's aria-label).
        row["aria"] = f"{row['touchpoint']} ({row['stage']}): emotion {row['emotion_text']}" + (
            ", moment of truth" if t.moment_of_truth else ""
        )
        mr = own_measure.get(t.id)
        if mr is not None:
            interval = ""
            if mr["measured_low"] is not None and mr["measured_high"] is not None:
                interval = f" [{_number(mr['measured_low'])}, {_number(mr['measured_high'])}]"
            n = f", n={mr['n']}" if mr["n"] is not None else ""
            row["survey_text"] = f"{_number(mr['measured'])}{interval}{n}"

    base = alt.Chart(alt.InlineData(values=rows))
    x = axis.x(bare=True)
    y = _y(scale)
    layers: list[Any] = band_layers(base, axis, c)
    highlight = base.mark_rect(color=c["selection"]).encode(
        x=x, opacity=alt.Opacity(value=0, **selection.if_selected(0.22))
    )
    layers.append(highlight)

    with_emotion = [r["emotion"] for r in rows if r["emotion"] is not None]
    if with_emotion:
        layers.append(
            base.transform_filter("isValid(datum.emotion)")
            .mark_area(
                color=_gradient(with_emotion, scale.neutral, c["positive"], c["negative"]),
                opacity=0.22,
                interpolate="linear",
            )
            .encode(x=x, y=y, y2=alt.datum(scale.neutral))
        )
    layers.append(
        alt.Chart(alt.InlineData(values=[{"neutral": scale.neutral}]))
        .mark_rule(color=c["neutral"], strokeDash=[5, 4], strokeWidth=1.2)
        .encode(y=_y(scale, "neutral"))
    )

    series_domain = [HYPOTHESIS]
    series_range = [c["curve"]]
    segments = sorted({r["series"] for r in measured_rows} - {MEASURED})
    if measured_rows:
        if segments:
            series_domain += segments
            series_range += style.series_colours(len(segments) + 1, theme_name)[1:]
        else:
            series_domain.append(MEASURED)
            series_range.append(c["measured"])
    colour_scale = alt.Scale(domain=series_domain, range=series_range)
    legend = (
        # Symbols as line strokes at full opacity (Vega-Lite would take the band's opacity).
        series_legend(axis) if measured_rows else None
    )

    if measured_rows:
        mbase = alt.Chart(alt.InlineData(values=measured_rows))
        mcolour = alt.Color("series:N", scale=colour_scale, legend=legend)
        layers.append(
            mbase.transform_filter("isValid(datum.measured_low) && isValid(datum.measured_high)")
            .mark_area(opacity=0.16, interpolate="linear")
            .encode(
                x=x,
                y=_y(scale, "measured_low"),
                y2="measured_high:Q",
                color=alt.Color("series:N", scale=colour_scale, legend=legend),
                detail="series:N",
            )
        )
        layers.append(
            mbase.mark_line(strokeDash=[6, 3], strokeWidth=2.2).encode(
                x=x, y=_y(scale, "measured"), color=mcolour
            )
        )
        layers.append(
            mbase.mark_point(filled=True, size=45).encode(
                x=x,
                y=_y(scale, "measured"),
                color=alt.Color("series:N", scale=colour_scale, legend=legend),
                opacity=alt.condition("datum.small_n", alt.value(0.35), alt.value(1)),
                tooltip=[
                    alt.Tooltip("touchpoint:N", title="Touchpoint"),
                    alt.Tooltip("series:N", title="Series"),
                    alt.Tooltip("measured:Q", title="Measured emotion", format=".2f"),
                    alt.Tooltip("measured_low:Q", title="95% CI low", format=".2f"),
                    alt.Tooltip("measured_high:Q", title="95% CI high", format=".2f"),
                    alt.Tooltip("n:Q", title="Respondents"),
                    alt.Tooltip("small_n:N", title="Too few respondents"),
                ],
            )
        )

    valid = base.transform_filter("isValid(datum.emotion)")
    layers.append(
        valid.transform_calculate(series=json.dumps(HYPOTHESIS))
        .mark_line(strokeWidth=2.6, interpolate="linear")
        .encode(x=x, y=y, color=alt.Color("series:N", scale=colour_scale, legend=legend))
    )
    layers.append(
        valid.transform_filter("datum.moment_of_truth")
        .mark_point(shape=STAR, filled=True, size=520, color=c["moment_of_truth"], opacity=0.95)
        .encode(x=x, y=y)
    )
    tooltip = [
        alt.Tooltip("touchpoint:N", title="Touchpoint"),
        alt.Tooltip("stage:N", title="Stage"),
        alt.Tooltip("channel:N", title="Channel"),
        alt.Tooltip("emotion_text:N", title="Emotion"),
        alt.Tooltip("moment_text:N", title="Moment of truth"),
        alt.Tooltip("cards:N", title="Cards"),
    ]
    if own_measure:
        tooltip.insert(4, alt.Tooltip("survey_text:N", title="Survey (95% CI)"))
    layers.append(
        valid.mark_point(filled=True, opacity=1, stroke=c["curve"]).encode(
            x=x,
            y=y,
            fill=alt.Fill(
                "sign:N",
                scale=alt.Scale(
                    domain=["positive", "neutral", "negative"],
                    range=[c["positive"], c["neutral"], c["negative"]],
                ),
                legend=None,
            ),
            size=alt.Size(value=90, **selection.if_selected(300)),
            strokeWidth=alt.StrokeWidth(value=1, **selection.if_selected(3)),
            tooltip=tooltip,
            description=alt.Description("aria:N"),
        )
    )
    # The selection lives on the full-height stage-band rects, so clicking anywhere in a
    # touchpoint's column selects it; every layer's rows carry touchpoint_id, so clicking a
    # point, a star or the area selects the same touchpoint.
    layers[0] = layers[0].add_params(selection.point_selection())
    chart = alt.layer(*layers).properties(
        width=axis.width, height=plot_height, title=_title(m, lang, title)
    )
    chart = chart.add_params(*selection.variable_params())
    return style.apply(chart, theme)


def _labels(maps: Sequence[JourneyMap], labels: Sequence[str] | None) -> list[str]:
    if labels is not None:
        out = [str(label) for label in labels]
        if len(out) != len(maps):
            raise ValueError(f"compare(): {len(maps)} maps but {len(out)} labels")
    else:
        out = [m.title or m.id for m in maps]
        if len(set(out)) < len(out):
            out = [f"{m.title or m.id} ({m.state})" for m in maps]
        if len(set(out)) < len(out):
            out = [f"{label} #{i + 1}" for i, label in enumerate(out)]
    seen: set[str] = set()
    for label in out:
        if label in seen:
            raise ValueError(f"compare(): label {label!r} is used twice; labels must be unique")
        seen.add(label)
    return out


def _merged_order(maps: Sequence[JourneyMap]) -> list[str]:
    """Touchpoint ids of all maps: the first map's order, others' new ones after their
    predecessor in their own map (so a future state's added step lands where it belongs)."""
    order: list[str] = []
    for m in maps:
        previous: str | None = None
        for t in m.touchpoints:
            if t.id not in order:
                order.insert(order.index(previous) + 1 if previous is not None else 0, t.id)
            previous = t.id
    return order


def compare(
    maps: Sequence[JourneyMap] | Mapping[str, JourneyMap],
    labels: Sequence[str] | None = None,
    *,
    language: str | None = None,
    width: float | None = None,
    height: float | None = None,
    title: str | None = None,
    theme: style.Theme | None = "auto",
) -> alt.LayerChart:
    """Several maps' emotion curves on one chart: current vs future state, personas, segments.

    Touchpoints are matched by id; the x axis follows the first map's journey order, with
    touchpoints only other maps have inserted after their predecessor in their own map.
    Stage bands come from the first map that has each touchpoint.  All maps must share one
    emotion scale.

    Parameters
    ----------
    maps : sequence of JourneyMap, or mapping label -> JourneyMap
        At least one map.
    labels : sequence of str, optional
        Legend entries, one per map; by default the maps' titles (with their state, or a
        number, when titles repeat).
    language, width, height, title, theme
        As in :func:`emotion_curve`.

    Returns
    -------
    altair.LayerChart
        One line and set of points per map, coloured and dashed per map, with a legend.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> current = jw.templates.it_laptop()
    >>> future = current.copy()
    >>> future.state = "future"
    >>> _ = future.set_emotion("waiting_for_laptop", 1)
    >>> chart = jw.charts.compare([current, future], labels=["Today", "Target"])
    >>> chart.to_dict()["layer"][-1]["encoding"]["color"]["scale"]["domain"]
    ['Today', 'Target']
    """
    if isinstance(maps, Mapping):
        if labels is not None:
            raise ValueError(
                "compare(): give labels either as mapping keys or as labels=, not both"
            )
        labels = [str(k) for k in maps]
        maps = list(maps.values())
    maps = list(maps)
    if not maps:
        raise ValueError("compare() needs at least one map")
    names = _labels(maps, labels)
    first = maps[0]
    for m, name in zip(maps[1:], names[1:], strict=True):
        if (
            m.scale.min != first.scale.min
            or m.scale.max != first.scale.max
            or (m.scale.neutral != first.scale.neutral)
        ):
            raise JourneyError(
                f"compare(): map {name!r} has emotion scale [{m.scale.min:g}, {m.scale.max:g}] "
                f"(neutral {m.scale.neutral:g}) but {names[0]!r} has [{first.scale.min:g}, "
                f"{first.scale.max:g}] (neutral {first.scale.neutral:g}); convert one map's "
                "emotions first, charts do not mix scales",
                field="scale",
                id=m.id,
            )
    lang = language or first.language
    theme_name = style.check_theme(theme) if theme is not None else "auto"
    c = style.colours(theme_name)
    order = _merged_order(maps)
    tp_label: dict[str, str] = {}
    tp_stage: dict[str, str] = {}
    stage_label: dict[str, str] = {}
    for m in maps:
        for t in m.touchpoints:
            tp_label.setdefault(t.id, t.label(lang))
            tp_stage.setdefault(t.id, t.stage)
        for s in m.stages:
            stage_label.setdefault(s.id, s.label(lang))
    axis = JourneyAxis.build(order, tp_label, tp_stage, stage_label, width)
    scale = first.scale
    plot_height = DEFAULT_HEIGHT if height is None else float(height)

    rows = axis.rows()
    for m, name in zip(maps, names, strict=True):
        for t in m.touchpoints:
            if t.emotion is None:
                continue
            rows.append(
                {
                    FIELD: t.id,
                    "map": name,
                    "touchpoint": t.label(lang),
                    "stage": m.stage_of(t.id).label(lang),
                    "emotion": t.emotion,
                    "order": axis.ids.index(t.id),
                    "moment_of_truth": t.moment_of_truth,
                    "channel": t.channel or "—",
                }
            )
    base = alt.Chart(alt.InlineData(values=rows))
    axis_rows = base.transform_filter("!isValid(datum.map)")
    curves = base.transform_filter("isValid(datum.map)")
    x = axis.x(bare=True)
    y = _y(scale)
    map_colours = alt.Scale(domain=names, range=style.series_colours(len(names), theme_name))
    # One legend definition for every channel and layer showing maps: Vega-Lite merges them
    # into one legend (dashed symbols included); a layer saying legend=None would hide it.
    map_legend = series_legend(axis)
    colour = alt.Color("map:N", scale=map_colours, legend=map_legend)
    dashes = [[1, 0], [7, 4], [2, 3], [10, 3, 2, 3]]
    layers: list[Any] = band_layers(axis_rows, axis, c)
    layers.append(
        axis_rows.mark_rect(color=c["selection"]).encode(
            x=x, opacity=alt.Opacity(value=0, **selection.if_selected(0.22))
        )
    )
    layers.append(
        alt.Chart(alt.InlineData(values=[{"neutral": scale.neutral}]))
        .mark_rule(color=c["neutral"], strokeDash=[5, 4], strokeWidth=1.2)
        .encode(y=_y(scale, "neutral"))
    )
    layers.append(
        curves.mark_line(strokeWidth=2.4).encode(
            x=x,
            y=y,
            color=colour,
            strokeDash=alt.StrokeDash(
                "map:N",
                scale=alt.Scale(
                    domain=names, range=[dashes[i % len(dashes)] for i in range(len(names))]
                ),
                legend=map_legend,
            ),
        )
    )
    layers.append(
        curves.transform_filter("datum.moment_of_truth")
        .mark_point(shape=STAR, filled=True, size=420, color=c["moment_of_truth"], opacity=0.9)
        .encode(x=x, y=y)
    )
    layers.append(
        curves.mark_point(filled=True, opacity=1).encode(
            x=x,
            y=y,
            color=alt.Color("map:N", scale=map_colours, legend=map_legend),
            size=alt.Size(value=70, **selection.if_selected(240)),
            tooltip=[
                alt.Tooltip("map:N", title="Map"),
                alt.Tooltip("touchpoint:N", title="Touchpoint"),
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("channel:N", title="Channel"),
                alt.Tooltip("emotion:Q", title="Emotion"),
            ],
        )
    )
    layers[0] = layers[0].add_params(selection.point_selection())
    chart = alt.layer(*layers).properties(
        width=axis.width,
        height=plot_height,
        title=title if title is not None else "Emotion curves compared",
    )
    chart = chart.add_params(*selection.variable_params())
    return style.apply(chart, theme)
