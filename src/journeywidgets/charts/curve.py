"""The emotion curve of a map, the survey-measured curve beside it, and several maps compared.

Both charts draw touchpoints in journey order (see :mod:`.journey_axis`) against the map's
emotion scale, with a neutral rule and the stages as shaded bands.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import altair as alt
from altair.utils.schemapi import debug_mode

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
#: Height of the measured panel under the curve.
PANEL_HEIGHT = 150.0
MeasuredView = Literal["panel", "deviation", "overlay"]
MEASURED_VIEWS: tuple[str, ...] = ("panel", "deviation", "overlay")
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
                        # Only the emotion scale is recorded on the map: the panel shows it.
                        "value": t.measured.emotion,
                        "value_low": t.measured.low,
                        "value_high": t.measured.high,
                    }
                )
        return rows
    import pandas as pd  # only a survey needs it: the map's own curve is drawn without pandas

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
    # The survey's own scale (summarize's mean and interval), for the measured panel.
    own = all(c in df.columns for c in ("mean", "ci_low", "ci_high"))
    if own:
        for c in ("mean", "ci_low", "ci_high"):
            columns[c] = inputs.numeric(df, c, what)
    else:
        columns.update(mean=values, ci_low=columns["emotion_low"], ci_high=columns["emotion_high"])
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
                "own_scale": own,
                "value": float(columns["mean"].iloc[i]),
                "value_low": inputs.clean(columns["ci_low"].iloc[i]),
                "value_high": inputs.clean(columns["ci_high"].iloc[i]),
            }
        )
    return rows


def _survey_bounds(survey: Any, scale: Scale) -> tuple[float, float] | None:
    """The ends of the measured values' scale: the survey's (from summarize), or the map's."""
    if survey is None:
        return (scale.min, scale.max)
    bounds = (getattr(survey, "attrs", None) or {}).get("scale")
    if isinstance(bounds, tuple | list) and len(bounds) == 2:
        return (float(bounds[0]), float(bounds[1]))
    return None


def _survey_unit(survey: Any) -> str:
    """The measured panel's axis title: the survey's score and scale when the summary says."""
    attrs = getattr(survey, "attrs", None) or {}
    bounds = attrs.get("scale")
    if survey is None:
        return "Measured emotion"
    score = attrs.get("score")
    name = f"Mean {score}" if isinstance(score, str) and score else "Survey mean"
    if isinstance(bounds, tuple | list) and len(bounds) == 2:
        return f"{name} ({_number(float(bounds[0]))}–{_number(float(bounds[1]))})"
    return name


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


_F = TypeVar("_F", bound=Callable[..., Any])


def _built_whole(fn: _F) -> _F:
    """Run a chart builder with altair's per-object validation off.

    altair's "debug mode" validates every object as it is made: hundreds of validations of
    small pieces (the data rows again and again), most of a build's time.  The finished
    chart is still validated whole when it is displayed or saved (``to_dict``).
    """

    @functools.wraps(fn)
    def build(*args: Any, **kwargs: Any) -> Any:
        with debug_mode(False):
            return fn(*args, **kwargs)

    return build  # type: ignore[return-value]


@_built_whole
def emotion_curve(
    m: JourneyMap,
    *,
    survey: Any = None,
    language: str | None = None,
    width: float | None = None,
    height: float | None = None,
    title: str | None = None,
    measured: bool = True,
    measured_view: MeasuredView = "panel",
    theme: style.Theme | None = "auto",
) -> alt.LayerChart | alt.VConcatChart:
    """The emotion curve of a map, optionally with what a survey measured beneath it.

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
        Draw the measured values (from ``survey`` or the map).
    measured_view : {"panel", "deviation", "overlay"}
        How measured values are drawn.  ``"panel"`` (the default): in a panel under the
        curve, on the same touchpoint axis, on the survey's own scale (the summary's
        ``mean``, ``ci_low``, ``ci_high``; values recorded on the map are on the emotion
        scale), the axis zoomed to the data so that differences of a few tenths show, the
        95% intervals as bars and the overall mean (weighted by ``n``) as a dashed rule.
        ``"deviation"``: the same panel with each mean minus the overall mean, as bars.
        ``"overlay"``: on the emotion curve itself, on the map's emotion scale (the
        summary's ``emotion`` columns), dashed with its interval band.
    theme : {"auto", "light", "dark"} or None
        Colours and text for JupyterLab's themes (see :mod:`journeywidgets.charts.style`);
        None returns an unconfigured chart to layer or concatenate with others.

    Returns
    -------
    altair.LayerChart or altair.VConcatChart
        The curve (a layer chart), or the curve above the measured panel (a vertical
        concatenation), with the touchpoint selection of
        :mod:`journeywidgets.charts.selection`, ready for :func:`journeywidgets.charts.link`.
        A map without emotions shows a note in the curve's place, never a neutral line; a
        touchpoint without an emotion breaks the curve.

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
    if measured_view not in MEASURED_VIEWS:
        raise ValueError(
            f"measured_view must be one of {', '.join(map(repr, MEASURED_VIEWS))}, "
            f"got {measured_view!r}"
        )
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

    # Layers carry no data: the rows are set once, on the layer chart, after it is built
    # (altair deep-copies sub-charts while assembling; copying the rows each time was most
    # of a rebuild's cost on long journeys).
    base = alt.Chart()
    x = axis.x(bare=True)
    y = _y(scale)
    overlay = bool(measured_rows) and measured_view == "overlay"
    panel = bool(measured_rows) and not overlay
    # With a panel below, the touchpoint names are written once, under the panel.
    layers: list[Any] = band_layers(base, axis, c, labels=not panel)
    # The selection lives on the full-height stage-band rects, so clicking anywhere in a
    # touchpoint's column selects it; every layer's rows carry touchpoint_id, so clicking a
    # point, a star or the area selects the same touchpoint.
    layers[0] = layers[0].add_params(selection.point_selection())
    layers.append(
        base.mark_rect(color=c["selection"]).encode(
            x=x, opacity=alt.Opacity(value=0, **selection.if_selected(0.22))
        )
    )

    with_emotion = [r["emotion"] for r in rows if r["emotion"] is not None]
    if with_emotion:
        # Not filtered: a touchpoint without an emotion breaks the area and the line (Vega-
        # Lite's default for invalid values of path marks) rather than being bridged.
        layers.append(
            base.mark_area(
                color=_gradient(with_emotion, scale.neutral, c["positive"], c["negative"]),
                opacity=0.22,
                interpolate="linear",
            ).encode(x=x, y=y, y2=alt.datum(scale.neutral))
        )
    layers.append(
        alt.Chart(alt.InlineData(values=[{"neutral": scale.neutral}]))
        .mark_rule(color=c["neutral"], strokeDash=[5, 4], strokeWidth=1.2)
        .encode(y=_y(scale, "neutral"))
    )

    segments = sorted({r["series"] for r in measured_rows} - {MEASURED})
    # The legend names only what is drawn: no hypothesis entry on a map without emotions.
    series_domain = [HYPOTHESIS] if with_emotion else []
    series_range = [c["curve"]] if with_emotion else []
    if overlay:
        if segments:
            series_domain += segments
            series_range += style.series_colours(len(segments) + 1, theme_name)[1:]
        else:
            series_domain.append(MEASURED)
            series_range.append(c["measured"])
    colour_scale = alt.Scale(domain=series_domain, range=series_range)
    legend = series_legend(axis) if overlay else None

    if overlay:
        mbase = alt.Chart(alt.InlineData(values=measured_rows))
        mcolour = alt.Color("series:N", scale=colour_scale, legend=legend)
        layers.append(
            mbase.transform_filter("isValid(datum.measured_low) && isValid(datum.measured_high)")
            .mark_area(opacity=0.16, interpolate="linear")
            .encode(
                x=x,
                y=_y(scale, "measured_low"),
                y2="measured_high:Q",
                color=mcolour,
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
                color=mcolour,
                opacity=alt.condition("datum.small_n", alt.value(0.35), alt.value(1)),
                tooltip=_measured_tooltip("measured", "Measured emotion"),
            )
        )

    if with_emotion:
        layers.append(
            base.transform_calculate(series=json.dumps(HYPOTHESIS))
            .mark_line(strokeWidth=2.6, interpolate="linear")
            .encode(x=x, y=y, color=alt.Color("series:N", scale=colour_scale, legend=legend))
        )
    valid = base.transform_filter("isValid(datum.emotion)")
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
    if not with_emotion:
        layers.append(_no_emotions_note(axis, plot_height, c))
    curve = alt.LayerChart(layer=layers, width=axis.width, height=plot_height)
    if not panel:
        return _finish(curve, rows, title=_title(m, lang, title), theme=theme)
    # The summary's own scale when it has summarize()'s mean and interval, else emotions.
    own_scale = survey if any(r.get("own_scale") for r in measured_rows) else None
    below = _measured_panel(
        measured_rows,
        axis,
        c,
        theme_name,
        deviation=measured_view == "deviation",
        unit=_survey_unit(own_scale),
        bounds=_survey_bounds(own_scale, scale),
        # The panel alone (no curve above) carries the touchpoint selection itself.
        selectable=not with_emotion,
    )
    if not with_emotion:
        # Nothing to say above: the measured panel alone, with the stage names.
        return _finish(below, None, title=_title(m, lang, title), theme=theme)
    # Each panel keeps its own colours: the curve's series and signs are not the panel's.
    both = alt.VConcatChart(
        vconcat=[curve, below],
        spacing=10,
        resolve=alt.Resolve(
            scale=alt.ScaleResolveMap(color="independent", fill="independent"),
            legend=alt.LegendResolveMap(color="independent", fill="independent"),
        ),
    )
    return _finish(both, rows, title=_title(m, lang, title), theme=theme)


def _measured_tooltip(field: str, title: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("touchpoint:N", title="Touchpoint"),
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip(f"{field}:Q", title=title, format=".2f"),
        alt.Tooltip(f"{field}_low:Q", title="95% CI low", format=".2f"),
        alt.Tooltip(f"{field}_high:Q", title="95% CI high", format=".2f"),
        alt.Tooltip("n:Q", title="Respondents"),
        alt.Tooltip("small_n:N", title="Too few respondents"),
    ]


def _no_emotions_note(axis: JourneyAxis, height: float, c: dict[str, str]) -> alt.Chart:
    """Text in an empty curve: no emotion was set, rather than a flat neutral line."""
    return (
        alt.Chart(alt.InlineData(values=[{"note": "No emotions set on this map yet"}]))
        .mark_text(color=c["text"], fontSize=12, fontStyle="italic")
        .encode(text="note:N", x=alt.value(axis.width / 2), y=alt.value(height / 4))
    )


def _finish(
    chart: Any,
    rows: list[dict[str, Any]] | None,
    *,
    title: Any,
    theme: style.Theme | None,
) -> Any:
    """Params, title, theme and data of an emotion chart, set once without copying the chart.

    ``rows`` (the touchpoint rows the curve's layers inherit) go onto the curve: the chart
    itself for a layer chart, its first panel for a panel pair.
    """
    params = [*(chart.params if chart.params is not alt.Undefined else [])]
    # The schema objects, as add_params() would store them (not altair's Parameter wrappers).
    chart.params = [*params, *(p.param for p in selection.variable_params())]
    chart.title = title
    if theme is not None:
        cfg = style.config(style.check_theme(theme))
        chart.background = cfg.pop("background")
        chart.config = alt.Config(**cfg)
    if rows is not None:
        target = chart.vconcat[0] if isinstance(chart, alt.VConcatChart) else chart
        target.data = alt.InlineData(values=rows)
    return chart


def _measured_panel(
    measured_rows: list[dict[str, Any]],
    axis: JourneyAxis,
    c: dict[str, str],
    theme_name: style.Theme,
    *,
    deviation: bool,
    unit: str,
    bounds: tuple[float, float] | None,
    selectable: bool,
) -> alt.LayerChart:
    """The measured values on their own scale, under the curve, on the same touchpoint axis.

    The y axis is zoomed to the data (means and intervals, with a margin) rather than the
    whole scale, so differences of a few tenths are visible; the overall mean is a dashed
    rule, labelled.  ``deviation=True`` draws each mean minus the overall mean as bars.
    """
    segments = sorted({r["series"] for r in measured_rows} - {MEASURED})
    series = segments or [MEASURED]
    colours = (
        style.series_colours(len(segments) + 1, theme_name)[1:] if segments else [c["measured"]]
    )
    weights = [(r["value"], r["n"]) for r in measured_rows if r["value"] is not None]
    if all(isinstance(n, int | float) and n > 0 for _, n in weights) and weights:
        overall = sum(v * n for v, n in weights) / sum(n for _, n in weights)
    else:
        overall = sum(v for v, _ in weights) / max(1, len(weights))
    rows = []
    for r in measured_rows:
        row = dict(r)
        shift = overall if deviation else 0.0
        row["shown"] = r["value"] - shift
        row["shown_low"] = None if r["value_low"] is None else r["value_low"] - shift
        row["shown_high"] = None if r["value_high"] is None else r["value_high"] - shift
        row["deviation"] = r["value"] - overall
        row["direction"] = "above" if row["deviation"] >= 0 else "below"
        rows.append(row)
    ends = [
        v
        for r in rows
        for v in (r["shown"], r["shown_low"], r["shown_high"])
        if isinstance(v, int | float)
    ]
    reference = 0.0 if deviation else overall
    lo, hi = min([*ends, reference]), max([*ends, reference])
    margin = max((hi - lo) * 0.12, 1e-6 if hi > lo else 0.5)
    lo, hi = lo - margin, hi + margin
    if bounds is not None and not deviation:  # never past the ends of the scale
        lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    y_scale = alt.Scale(domain=[lo, hi], zero=False, nice=False)
    title = f"vs overall mean ({_number(overall)})" if deviation else unit
    y = alt.Y("shown:Q", title=title, scale=y_scale, axis=alt.Axis(gridDash=[2, 3], tickCount=5))
    x = axis.x()
    panel_rows = axis.rows()
    base = alt.Chart(alt.InlineData(values=rows))
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=series, range=colours),
        legend=series_legend(axis) if segments else None,
    )
    offset: dict[str, Any] = {"xOffset": alt.XOffset("series:N", scale=alt.Scale(domain=series))}
    if not segments:
        offset = {}
    bands = (
        alt.Chart(alt.InlineData(values=panel_rows))
        .mark_rect(color=c["band"], strokeWidth=0)
        .encode(x=x, opacity=alt.condition("datum.band == 1", alt.value(0.16), alt.value(0.06)))
    )
    highlight = (
        alt.Chart(alt.InlineData(values=panel_rows))
        .mark_rect(color=c["selection"])
        .encode(x=axis.x(bare=True), opacity=alt.Opacity(value=0, **selection.if_selected(0.22)))
    )
    rule = (
        alt.Chart(
            alt.InlineData(
                values=[{"shown": reference, "label": _reference_label(overall, deviation)}]
            )
        )
        .mark_rule(color=c["neutral"], strokeDash=[5, 4], strokeWidth=1.2)
        .encode(y=alt.Y("shown:Q", scale=y_scale, title=title))
    )
    rule_label = (
        alt.Chart(
            alt.InlineData(
                values=[{"shown": reference, "label": _reference_label(overall, deviation)}]
            )
        )
        .mark_text(align="right", baseline="bottom", dx=-4, dy=-3, color=c["text"], fontSize=10)
        .encode(
            y=alt.Y("shown:Q", scale=y_scale, title=title), x=alt.value(axis.width), text="label:N"
        )
    )
    if selectable:
        bands = bands.add_params(selection.point_selection())
    x_bare = axis.x(bare=True)
    tooltip = _measured_tooltip("value", "Mean")
    layers: list[Any] = [bands, highlight, rule, rule_label]
    if deviation:
        layers.append(
            base.mark_bar(opacity=0.55, width=alt.RelativeBandSize(0.5 / len(series))).encode(
                x=x_bare,
                y=alt.Y("shown:Q", scale=y_scale, title=title),
                y2=alt.datum(0),
                fill=alt.Fill(
                    "direction:N",
                    scale=alt.Scale(
                        domain=["above", "below"], range=[c["positive"], c["negative"]]
                    ),
                    legend=None,
                ),
                tooltip=tooltip,
                **offset,
            )
        )
    else:
        layers.append(
            base.mark_line(strokeDash=[6, 3], strokeWidth=1.6, opacity=0.8).encode(
                x=x_bare, y=y, color=colour, **offset
            )
        )
    layers.append(
        base.transform_filter("isValid(datum.shown_low) && isValid(datum.shown_high)")
        .mark_rule(strokeWidth=2.4)
        .encode(x=x_bare, y=y, y2="shown_high:Q", color=colour, **offset)
        .transform_calculate(shown="datum.shown_low")
    )
    # Caps at both ends, so that even a narrow interval reads as one.
    for end in ("shown_low", "shown_high"):
        layers.append(
            base.transform_filter(f"isValid(datum.{end})")
            .transform_calculate(shown=f"datum.{end}")
            .mark_tick(thickness=2, size=10, orient="horizontal")
            .encode(x=x_bare, y=y, color=colour, **offset)
        )
    layers.append(
        base.mark_point(filled=True, size=60, opacity=1).encode(
            x=x_bare,
            y=y,
            color=colour,
            opacity=alt.condition("datum.small_n", alt.value(0.35), alt.value(1)),
            tooltip=tooltip,
            **offset,
        )
    )
    layers.append(
        base.transform_filter("datum.small_n")
        .mark_text(dy=-12, fontSize=10, color=c["text"])
        .encode(x=x_bare, y=y, text=alt.value("small n"), **offset)
    )
    return alt.LayerChart(layer=layers, width=axis.width, height=PANEL_HEIGHT)


def _reference_label(overall: float, deviation: bool) -> str:
    return "overall mean" if deviation else f"overall mean {_number(overall)}"


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


@_built_whole
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
