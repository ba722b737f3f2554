"""Survey evidence: Likert distributions, metric heatmaps and SERVQUAL gaps per touchpoint.

Every chart here takes an aggregated table (one row per touchpoint, segment, level or
dimension), never raw responses: :func:`likert_counts` turns responses into the count table
:func:`distribution` draws, and :mod:`journeywidgets.survey` computes the summaries the other
charts draw.  Touchpoints are ordered and labelled like the map when ``map=`` is given (or
the table has a ``touchpoint_id`` column from ``survey.summarize(..., map=m)``), so every
chart carries the touchpoint selection :func:`journeywidgets.charts.link` joins to a widget.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from ..errors import SurveyError
from . import inputs, selection, style
from .journey_axis import JourneyAxis, band_layers
from .selection import FIELD

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

#: SERVQUAL's five dimensions, in the order the model lists them.
SERVQUAL_DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
_CELL_MID = "#eeeeee"
_DARK_TEXT = "#212121"
_LIGHT_TEXT = "#ffffff"


# -- touchpoints of a table -------------------------------------------------------------------


def table_axis(
    df: pd.DataFrame,
    column: str,
    m: JourneyMap | None,
    language: str | None,
    what: str,
    width: float | None,
) -> JourneyAxis:
    """Give ``df`` a ``touchpoint_id`` column and return the axis of its touchpoints.

    With a map, touchpoints are matched by id, name or translated label and ordered like the
    journey; without one, the table's ``order`` column (or first appearance) orders them.
    """
    lang = language or (m.language if m is not None else None)
    if FIELD in df.columns:
        ids = df[FIELD].astype(str)
    elif m is not None:
        lookup: dict[str, str] = {}
        for t in m.touchpoints:
            for key in (t.id, t.name, *t.labels.values()):
                lookup.setdefault(str(key), t.id)
        ids = df[column].astype(str).map(lookup)
        unknown = sorted({str(v) for v in df.loc[ids.isna(), column]})
        if unknown:
            raise SurveyError(
                f"{what}: column {column!r} has touchpoint{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(map(repr, unknown[:5]))} that match no touchpoint id, name or "
                f"label of map {m.id!r}",
                field=column,
                id=unknown[0],
            )
    else:
        ids = df[column].astype(str)
    df[FIELD] = ids
    if m is not None:
        on_map = {t.id for t in m.touchpoints}
        unknown = sorted(set(ids) - on_map)
        if unknown:
            raise SurveyError(
                f"{what}: touchpoint_id {', '.join(map(repr, unknown[:5]))} not on map {m.id!r}",
                field=FIELD,
                id=unknown[0],
            )
        present = set(ids)
        order = [t.id for t in m.touchpoints if t.id in present]
        labels = {t.id: t.label(lang) for t in m.touchpoints}
        stage_of = {t.id: t.stage for t in m.touchpoints}
        stage_labels = {s.id: s.label(lang) for s in m.stages}
    else:
        if "order" in df.columns:
            order = list(dict.fromkeys(df.sort_values("order", kind="stable")[FIELD]))
        else:
            order = list(dict.fromkeys(ids))
        labels = {}
        for tp, name in zip(ids, df[column] if column in df.columns else ids, strict=True):
            labels.setdefault(tp, str(name))
        stage_of = (
            dict(zip(ids, df["stage"].astype(str), strict=True)) if "stage" in df.columns else {}
        )
        stage_labels = {}
    return JourneyAxis.build(order, labels, stage_of, stage_labels, width)


def _level_values(scale: tuple[float, float]) -> list[int]:
    lo, hi = scale
    if not (float(lo).is_integer() and float(hi).is_integer()) or lo >= hi:
        raise ValueError(f"scale must be two integers, low < high, e.g. (1, 5); got {scale!r}")
    return list(range(int(lo), int(hi) + 1))


# -- Likert counts ----------------------------------------------------------------------------


def likert_counts(
    responses: Any,
    *,
    touchpoint: str = "touchpoint",
    score: str = "score",
    segment: str | None = None,
    weight: str | None = None,
    scale: tuple[int, int] = (1, 5),
    na_codes: Sequence[Any] = (),
) -> pd.DataFrame:
    """Count answers per touchpoint (x segment) and level: the table :func:`distribution` draws.

    The counting runs in the frame's own engine through narwhals (pandas, polars, pyarrow,
    DuckDB...), so a million responses become a table of touchpoints x levels.

    Parameters
    ----------
    responses : DataFrame
        Long format, one row per answer.
    touchpoint, score : str
        Columns naming the touchpoint and holding the answer (an integer on ``scale``).
    segment : str, optional
        Column to count separately (customer segment, persona, region...).
    weight : str, optional
        Column of non-negative survey weights; counts are then sums of weights.
    scale : (int, int)
        Lowest and highest level; every level appears in the result, with count 0 if unused.
    na_codes : sequence
        Answer codes meaning "no answer" (e.g. ``(0, 9)``); they and missing values are dropped.

    Returns
    -------
    pandas.DataFrame
        Columns ``touchpoint``, [the ``segment`` column, under its own name], ``score``,
        ``count``, ``share`` (of the touchpoint's, or touchpoint x segment's, answers) and
        ``n`` (that total); sorted by touchpoint, segment and score.  ``attrs`` records the
        ``segment`` column, so :func:`distribution` finds it without ``segment=``.

    Examples
    --------
    >>> import pandas as pd
    >>> from journeywidgets.charts import likert_counts
    >>> raw = pd.DataFrame({"touchpoint": ["web", "web", "web", "call"], "score": [5, 4, 5, 1]})
    >>> likert_counts(raw).query("count > 0")[["touchpoint", "score", "count", "share"]]
      touchpoint  score  count     share
    0       call      1      1  1.000000
    8        web      4      1  0.333333
    9        web      5      2  0.666667
    """
    import narwhals as nw

    what = "likert_counts()"
    levels = _level_values(scale)
    try:
        frame = nw.from_native(responses)
    except TypeError as exc:
        raise SurveyError(
            f"{what}: responses must be a DataFrame (pandas, polars, pyarrow, DuckDB...), "
            f"got {type(responses).__name__}"
        ) from exc
    names = frame.collect_schema().names()
    needed = [touchpoint, score] + [c for c in (segment, weight) if c is not None]
    missing = [c for c in needed if c not in names]
    if missing:
        ids = [c for c in (segment, weight, "respondent") if c is not None and c in names]
        schema = frame.collect_schema()
        scored = [c for c in names if c not in ids and schema[c].is_numeric()]
        wide = (
            f"; these responses look wide (a column per touchpoint): make them long with "
            f"jw.survey.melt(responses, id_columns={ids!r})"
            if {touchpoint, score} & set(missing) and len(scored) >= 2
            else ""
        )
        raise SurveyError(
            f"{what}: responses have no column {', '.join(map(repr, missing))} "
            f"(columns: {', '.join(map(repr, names))}){wide}",
            field=missing[0],
        )
    from ..survey.summary import warn_codes_inside

    warn_codes_inside(na_codes, (levels[0], levels[-1]))
    if not frame.collect_schema()[score].is_numeric():
        raise SurveyError(
            f"{what}: column {score!r} must hold numbers, it is {frame.collect_schema()[score]}",
            field=score,
        )
    keys = [touchpoint] + ([segment] if segment else [])
    valid = ~nw.col(score).is_null()
    if na_codes:
        valid = valid & ~nw.col(score).is_in(list(na_codes))
    answered = frame.filter(valid)
    bad = (nw.col(score) < levels[0]) | (nw.col(score) > levels[-1]) | (nw.col(score) % 1 != 0)
    stats = answered.select(
        nw.col(score).min().alias("min"),
        nw.col(score).max().alias("max"),
        bad.sum().alias("bad"),
    )
    if isinstance(stats, nw.LazyFrame):
        stats = stats.collect()
    row = stats.row(0)
    if row[2]:
        raise SurveyError(
            f"{what}: column {score!r} has {row[2]} answer{'s' if row[2] != 1 else ''} that "
            f"are not a level of the scale {levels[0]}..{levels[-1]} (values range from "
            f"{row[0]} to {row[1]}); pass the codes that mean 'no answer' as na_codes=",
            field=score,
        )
    amount = nw.len().alias("count") if weight is None else nw.col(weight).sum().alias("count")
    if weight is not None:
        negative = answered.select((nw.col(weight) < 0).sum().alias("neg"))
        if isinstance(negative, nw.LazyFrame):
            negative = negative.collect()
        if negative.item(0, 0):
            raise SurveyError(f"{what}: column {weight!r} has negative weights", field=weight)
    grouped = answered.group_by([*keys, score]).agg(amount)
    if isinstance(grouped, nw.LazyFrame):
        grouped = grouped.collect()
    counts = grouped.to_pandas()
    counts[score] = counts[score].astype(int)
    # Every level of every group, zero where unused.  Engines group in no fixed order, so
    # groups are sorted (the charts order touchpoints like the journey when given map=).
    group_index = counts[keys].drop_duplicates().sort_values(keys, kind="stable")
    grid = group_index.merge(pd.DataFrame({score: levels}), how="cross")
    out = grid.merge(counts, on=[*keys, score], how="left")
    out["count"] = out["count"].fillna(0)
    if weight is None:
        out["count"] = out["count"].astype(int)
    totals = out.groupby(keys, sort=False)["count"].transform("sum")
    out["n"] = totals
    out["share"] = (out["count"] / totals.where(totals > 0)).fillna(0.0)
    # The segment column keeps the user's name, so distribution(..., segment="Class") and
    # the legend say "Class"; attrs remember it for distribution(counts) without segment=.
    out = out.rename(columns={touchpoint: "touchpoint", score: "score"})
    order = ["touchpoint", *([segment] if segment else []), "score", "count", "share", "n"]
    result = out[order].reset_index(drop=True)
    result.attrs.update({"scale": (levels[0], levels[-1]), "segment": segment})
    return result


def _segment_column(df: pd.DataFrame, segment: str | None, attrs: Any) -> str | None:
    """The segment column of an aggregate: the one named, or the one ``likert_counts`` or
    ``survey.summarize`` recorded in ``attrs`` (summaries call theirs ``segment``)."""
    recorded = (attrs or {}).get("segment")
    if segment is None:
        return recorded if recorded in df.columns else None
    if segment not in df.columns and recorded == segment and "segment" in df.columns:
        return "segment"
    return segment


def _segment_title(segment: str | None, attrs: Any) -> str:
    name = (attrs or {}).get("segment") or segment or "segment"
    return str(name) if name != "segment" else "Segment"


# -- diverging stacked bars --------------------------------------------------------------------


def _level_colours(levels: Sequence[int], c: dict[str, str]) -> list[str]:
    """Negative levels red (strongest first), the middle grey, positive levels green."""
    k = len(levels)
    half = k // 2
    out: list[str] = []
    for i in range(k):
        if k % 2 == 1 and i == half:
            out.append("#b0b0b0")
        elif i < half:
            t = 0.6 * i / max(1, half - 1) if half > 1 else 0.0
            out.append(style._mix(c["negative"], "#ffffff", t))
        else:
            j = k - 1 - i
            t = 0.6 * j / max(1, half - 1) if half > 1 else 0.0
            out.append(style._mix(c["positive"], "#ffffff", t))
    return out


def _level_labels(
    levels: Sequence[int], labels: Mapping[Any, str] | Sequence[str] | None
) -> list[str]:
    if labels is None:
        return [str(level) for level in levels]
    if isinstance(labels, Mapping):
        return [str(labels.get(level, labels.get(str(level), level))) for level in levels]
    texts = [str(label) for label in labels]
    if len(texts) != len(levels):
        raise ValueError(f"labels: {len(texts)} labels for {len(levels)} levels {levels}")
    return texts


def distribution(
    counts: Any,
    *,
    touchpoint: str = "touchpoint",
    score: str = "score",
    count: str = "count",
    segment: str | None = None,
    scale: tuple[int, int] = (1, 5),
    labels: Mapping[Any, str] | Sequence[str] | None = None,
    map: JourneyMap | None = None,
    language: str | None = None,
    width: float | None = None,
    title: str | None = None,
    theme: style.Theme | None = "auto",
) -> alt.LayerChart | alt.FacetChart:
    """Diverging stacked bars of Likert answers per touchpoint.

    Each touchpoint is one bar of 100%: levels below the middle extend left of zero, levels
    above it right, and the middle level (odd scales) straddles zero.  The share of negative
    and of positive answers is written at each end.

    Parameters
    ----------
    counts : DataFrame
        One row per touchpoint (x segment) x level, as :func:`likert_counts` returns.  Raw
        responses are refused: count them with :func:`likert_counts` first.
    touchpoint, score, count, segment : str
        Column names.  With ``segment``, one panel per segment.
    scale : (int, int)
        Lowest and highest level.
    labels : mapping or sequence, optional
        Text of each level for the legend (``{1: "Very dissatisfied", ...}``).
    map : JourneyMap, optional
        Orders and labels touchpoints like the journey (matched by id, name or label).
    language, width, title, theme
        As in :func:`journeywidgets.charts.emotion_curve`.

    Examples
    --------
    >>> import pandas as pd
    >>> import journeywidgets as jw
    >>> raw = pd.DataFrame({"touchpoint": ["web"] * 3 + ["call"] * 2, "score": [5, 4, 2, 1, 3]})
    >>> chart = jw.charts.distribution(jw.charts.likert_counts(raw))
    >>> chart.to_dict()["layer"][1]["encoding"]["color"]["scale"]["domain"]
    ['1', '2', '3', '4', '5']
    """
    what = "distribution()"
    hint = "count the responses with journeywidgets.charts.likert_counts(responses) first"
    df = inputs.to_pandas(counts, what)
    attrs = getattr(counts, "attrs", None)
    segment = _segment_column(df, segment, attrs)
    segment_title = _segment_title(segment, attrs)
    cols = [touchpoint, score, count] + ([segment] if segment else [])
    inputs.require_columns(df, cols, what, f"; {hint}")
    keys = [touchpoint] + ([segment] if segment else [])
    inputs.require_unique(df, [*keys, score], what, hint)
    levels = _level_values(scale)
    df[score] = inputs.numeric(df, score, what)
    df[count] = inputs.numeric(df, count, what).fillna(0.0)
    off = ~df[score].isin(levels)
    if off.any():
        row = int(off.to_numpy().nonzero()[0][0])
        raise SurveyError(
            f"{what}: column {score!r}, row {row}: {df[score].iloc[row]:g} is not a level of "
            f"the scale {levels[0]}..{levels[-1]}",
            field=score,
        )
    if (df[count] < 0).any():
        raise SurveyError(f"{what}: column {count!r} has negative counts", field=count)
    axis = table_axis(df, touchpoint, map, language, what, None)
    theme_name = style.check_theme(theme) if theme is not None else "auto"
    c = style.colours(theme_name)
    texts = _level_labels(levels, labels)
    text_of = dict(zip(levels, texts, strict=True))
    k = len(levels)
    middle = levels[k // 2] if k % 2 == 1 else None
    negative = set(levels[: k // 2])
    positive = set(levels[(k + 1) // 2 :])

    bars: list[dict[str, Any]] = []
    ends: list[dict[str, Any]] = []
    group_cols = [FIELD] + ([segment] if segment else [])
    for key, group in df.groupby(group_cols, sort=False):
        key_t = key if isinstance(key, tuple) else (key,)
        tp = str(key_t[0])
        seg = inputs.clean(key_t[1]) if segment else None
        by_level = dict.fromkeys(levels, 0.0)
        for level, amount in zip(group[score], group[count], strict=True):
            by_level[int(level)] += float(amount)
        total = sum(by_level.values())
        share = {lv: (100 * v / total if total else 0.0) for lv, v in by_level.items()}
        neg = sum(share[lv] for lv in negative)
        pos = sum(share[lv] for lv in positive)
        start = -(neg + (share[middle] / 2 if middle is not None else 0.0))
        for level in levels:
            end = start + share[level]
            bars.append(
                {
                    FIELD: tp,
                    "touchpoint": axis.labels.get(tp, tp),
                    "segment": seg,
                    "level": text_of[level],
                    "score": level,
                    "count": inputs.clean(by_level[level]),
                    # Percentages to 1/1000 of a point: enough for any plot, and the spec
                    # does not carry 17 digits per number.
                    "share": round(share[level], 3),
                    "start": round(start, 3),
                    "end": round(end, 3),
                    "n": inputs.clean(total),
                }
            )
            start = end
        left = -(neg + (share[middle] / 2 if middle is not None else 0.0))
        ends.append(
            {
                FIELD: tp,
                "segment": seg,
                "x": left,
                "text": f"{neg:.0f}%",
                "align": "right",
                "dx": -4,
            }
        )
        ends.append(
            {FIELD: tp, "segment": seg, "x": start, "text": f"{pos:.0f}%", "align": "left", "dx": 4}
        )
    extent = max([abs(b["start"]) for b in bars] + [abs(b["end"]) for b in bars] + [10.0])
    extent = min(100.0, math.ceil((extent + 8) / 10) * 10)
    x_scale = alt.Scale(domain=[-extent, extent], nice=False)
    y = axis.y()
    colour = alt.Color(
        "level:N",
        scale=alt.Scale(domain=texts, range=_level_colours(levels, c)),
        sort=texts,
        legend=alt.Legend(title=None, orient="top", direction="horizontal", symbolStrokeWidth=0),
    )
    x_title = "Share of answers (%): negative left, positive right"
    plot_width = 420.0 if width is None else float(width)
    zero = (
        alt.Chart(alt.InlineData(values=[{"zero": 0}]))
        .mark_rule(color=c["neutral"], strokeWidth=1)
        .encode(x=alt.X("zero:Q", scale=x_scale, title=x_title))
    )
    bar_layer = (
        alt.Chart(alt.InlineData(values=bars))
        .mark_bar(height={"band": 0.72}, stroke=c["selection"])
        .encode(
            y=y,
            x=alt.X(
                "start:Q",
                scale=x_scale,
                title=x_title,
                axis=alt.Axis(labelExpr="abs(datum.value) + '%'", grid=False),
            ),
            x2="end:Q",
            color=colour,
            order=alt.Order("score:Q"),
            strokeWidth=alt.StrokeWidth(value=0, **selection.if_selected(2.5)),
            tooltip=[
                alt.Tooltip("touchpoint:N", title="Touchpoint"),
                *([alt.Tooltip("segment:N", title=segment_title)] if segment else []),
                alt.Tooltip("level:N", title="Answer"),
                alt.Tooltip("count:Q", title="Answers", format=",.0f"),
                alt.Tooltip("share:Q", title="Share (%)", format=".1f"),
                alt.Tooltip("n:Q", title="Respondents", format=",.0f"),
            ],
        )
        .add_params(selection.point_selection())
    )
    end_layer = (
        alt.Chart(alt.InlineData(values=ends))
        .mark_text(
            fontSize=10, color=c["text"], align=alt.expr("datum.align"), dx=alt.expr("datum.dx")
        )
        .encode(y=y, x=alt.X("x:Q", scale=x_scale, title=x_title), text="text:N")
    )
    layer = alt.layer(zero, bar_layer, end_layer)
    chart_title = title if title is not None else "Answers per touchpoint"
    if segment:
        # Faceting needs the layers' data in one place: the facet's.
        for part in layer.layer:
            part.data = alt.Undefined
        data = [dict(b, kind="bar") for b in bars] + [dict(e, kind="end") for e in ends]
        data += [{"kind": "zero", "zero": 0, "segment": s} for s in {b["segment"] for b in bars}]
        layer.layer[0] = layer.layer[0].transform_filter("datum.kind == 'zero'")
        layer.layer[1] = layer.layer[1].transform_filter("datum.kind == 'bar'")
        layer.layer[2] = layer.layer[2].transform_filter("datum.kind == 'end'")
        faceted = (
            layer.properties(width=plot_width, height=alt.Step(24))
            .facet(
                row=alt.Row(
                    "segment:N",
                    title=None,
                    header=alt.Header(
                        labelAngle=0,
                        labelOrient="top",
                        labelAnchor="start",
                        labelFontWeight="bold",
                        labelFontSize=12,
                    ),
                ),
                data=alt.InlineData(values=data),
            )
            .properties(title=chart_title)
            .add_params(*selection.variable_params())
        )
        return style.apply(faceted, theme)
    chart = layer.properties(width=plot_width, height=alt.Step(26), title=chart_title).add_params(
        *selection.variable_params()
    )
    return style.apply(chart, theme)


# -- metric matrices: heatmap and SERVQUAL gaps -----------------------------------------------


#: Cells at least this wide (px) show two decimals in 11 px text; narrower ones one, in 10 px.
_ROOMY_CELL = 50.0
#: Matrix cells are never narrower than this when no width is given, so values fit.
_MIN_CELL = 38.0


def _matrix_axis(axis: JourneyAxis, width: float | None) -> JourneyAxis:
    """The axis of a matrix: as the curve's, but with cells wide enough for their values."""
    if width is not None or axis.step >= _MIN_CELL:
        return axis
    return JourneyAxis.build(
        axis.ids, axis.labels, axis.stage_of, axis.stage_labels, _MIN_CELL * len(axis.ids)
    )


def _text_colour(value: float | None, mid: float, half: float) -> str:
    """White text on strongly coloured cells, dark text on pale ones."""
    if value is None or half <= 0:
        return _DARK_TEXT
    return _LIGHT_TEXT if abs(value - mid) / half > 0.72 else _DARK_TEXT


def _matrix(
    *,
    df: pd.DataFrame,
    axis: JourneyAxis,
    row_field: str,
    row_order: list[str],
    value: str,
    mid: float,
    half: float,
    text: pd.Series,
    tooltip: list[Any],
    colours: dict[str, str],
    title: str | alt.TitleParams,
    legend_title: str,
    with_stages: bool,
) -> Any:
    rows: list[dict[str, Any]] = []
    for i in range(len(df)):
        v = inputs.clean(df[value].iloc[i])
        # Only what the tooltip shows: the spec carries no column nobody sees.
        shown = [t.field for t in tooltip if t.field in df.columns]
        record = {k: inputs.clean(df[k].iloc[i]) for k in shown}
        record.update(
            {
                FIELD: str(df[FIELD].iloc[i]),
                "touchpoint": axis.labels.get(str(df[FIELD].iloc[i]), str(df[FIELD].iloc[i])),
                "row": str(df[row_field].iloc[i]),
                "value": v,
                "text": text.iloc[i],
                "text_colour": _text_colour(v, mid, half),
            }
        )
        rows.append(record)
    x = axis.x()
    y = alt.Y(
        "row:N",
        sort=row_order,
        title=None,
        axis=alt.Axis(ticks=False, domain=False, labelLimit=180),
    )
    base = alt.Chart(alt.InlineData(values=rows))
    cells = (
        base.mark_rect(stroke=colours["selection"])
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "value:Q",
                title=legend_title,
                scale=alt.Scale(
                    domain=[mid - half, mid + half],
                    domainMid=mid,
                    range=[colours["negative"], _CELL_MID, colours["positive"]],
                    clamp=True,
                ),
                legend=alt.Legend(orient="right", gradientLength=120),
            ),
            strokeWidth=alt.StrokeWidth(value=0, **selection.if_selected(3)),
            tooltip=tooltip,
        )
        .add_params(selection.point_selection())
    )
    labels = base.mark_text(fontSize=11 if axis.step >= _ROOMY_CELL else 10).encode(
        x=axis.x(bare=True),
        y=y,
        text="text:N",
        fill=alt.Fill("text_colour:N", scale=None),
    )
    layers: list[Any] = [cells, labels]
    if with_stages:
        stage_rows = alt.Chart(alt.InlineData(values=axis.rows()))
        layers.append(band_layers(stage_rows, axis, colours)[1])
    return (
        alt.layer(*layers)
        .properties(
            # A fixed height, not a step: the stage-name layer has no y scale to step along.
            width=axis.width,
            height=30 * len(row_order),
            title=title,
        )
        .add_params(*selection.variable_params())
    )


#: How heatmap titles and legends name the columns ``survey.summarize`` returns.
METRIC_TITLES = {
    "mean": "Mean score",
    "top2": "Top-2-box share",
    "nps": "NPS",
    "emotion": "Measured emotion",
    "n": "Respondents",
    "sd": "Standard deviation",
}

_KNOWN_DOMAINS: dict[str, tuple[float, float]] = {
    "top2": (0.0, 1.0),
    "top2_low": (0.0, 1.0),
    "top2_high": (0.0, 1.0),
    "nps": (-100.0, 100.0),
    "nps_low": (-100.0, 100.0),
    "nps_high": (-100.0, 100.0),
}


def heatmap(
    summary: Any,
    *,
    metric: str = "mean",
    touchpoint: str = "touchpoint",
    segment: str | None = "segment",
    domain: tuple[float, float] | None = None,
    midpoint: float | None = None,
    format: str | None = None,
    map: JourneyMap | None = None,
    language: str | None = None,
    width: float | None = None,
    title: str | None = None,
    theme: style.Theme | None = "auto",
) -> alt.LayerChart:
    """A heatmap of one metric by touchpoint (x, journey order) and segment (rows).

    Cells are coloured red below ``midpoint`` and green above it, and carry the value;
    values of touchpoints with too few respondents (``small_n``) are in brackets.

    Parameters
    ----------
    summary : DataFrame
        One row per touchpoint x segment, e.g. ``survey.summarize(..., segment="segment")``.
    metric : str
        Column to show: ``mean``, ``top2``, ``nps``, ``emotion``...
    touchpoint, segment : str
        Column names; ``segment=None`` (or a table without it) gives a single row.
    domain : (float, float), optional
        Colour range; by default ``top2`` spans 0..1, ``nps`` -100..100, ``emotion`` the
        map's scale, and other metrics the range of the data.
    midpoint : float, optional
        Where red turns green; by default the middle of ``domain`` (or, for other metrics
        without a domain, the metric's average, so cells read as better or worse than usual).
    format : str, optional
        d3 format of cell values (default ``.0%`` for top2, ``.0f`` for NPS, ``.2f`` else).
    map, language, width, title, theme
        As in :func:`distribution`.

    Examples
    --------
    >>> import pandas as pd
    >>> import journeywidgets as jw
    >>> s = pd.DataFrame({"touchpoint": ["web", "web", "call", "call"],
    ...                   "segment": ["new", "old", "new", "old"], "mean": [4.1, 3.2, 2.5, 2.9]})
    >>> chart = jw.charts.heatmap(s, metric="mean", domain=(1, 5))
    >>> chart.to_dict()["layer"][0]["encoding"]["color"]["scale"]["domainMid"]
    3.0
    """
    what = "heatmap()"
    hint = "summarize the responses with journeywidgets.survey.summarize(...) first"
    df = inputs.to_pandas(summary, what)
    attrs = getattr(summary, "attrs", None)
    segment = _segment_column(df, segment, attrs)
    segment_title = _segment_title(segment, attrs)
    has_segment = segment is not None and segment in df.columns
    inputs.require_columns(df, [touchpoint if FIELD not in df.columns else FIELD, metric], what)
    keys = [FIELD if FIELD in df.columns else touchpoint]
    if has_segment and segment is not None:
        keys.append(segment)
    inputs.require_unique(df, keys, what, hint)
    df[metric] = inputs.numeric(df, metric, what)
    axis = table_axis(df, touchpoint, map, language, what, width)
    axis = _matrix_axis(axis, width)
    if has_segment and segment is not None:
        df["_row"] = df[segment].astype(str)
        row_order = list(dict.fromkeys(df["_row"]))
    else:
        df["_row"] = "All respondents"
        row_order = ["All respondents"]
    values = df[metric].dropna()
    if domain is None:
        if metric in _KNOWN_DOMAINS:
            domain = _KNOWN_DOMAINS[metric]
        elif metric.startswith("emotion") and map is not None:
            domain = (map.scale.min, map.scale.max)
            midpoint = map.scale.neutral if midpoint is None else midpoint
    if midpoint is None:
        if domain is not None:
            midpoint = (domain[0] + domain[1]) / 2
        else:
            midpoint = float(values.mean()) if len(values) else 0.0
    if domain is not None:
        half = max(abs(domain[1] - midpoint), abs(midpoint - domain[0]))
    else:
        half = float((values - midpoint).abs().max()) if len(values) else 1.0
    half = half or 1.0
    digits = 2 if axis.step >= _ROOMY_CELL else 1
    fmt = format or (
        ".0%" if metric.startswith("top2") else ".0f" if metric.startswith("nps") else f".{digits}f"
    )
    dim = (
        df["small_n"].fillna(False).astype(bool)
        if "small_n" in df.columns
        else pd.Series(False, index=df.index)
    )
    # Low-base values in brackets (the survey-report convention) rather than faded cells,
    # whose colour would then depend on the notebook's background.
    text = pd.Series(
        [
            "" if pd.isna(v) else (f"({_fmt(v, fmt)})" if low else _fmt(v, fmt))
            for v, low in zip(df[metric], dim, strict=True)
        ],
        index=df.index,
    )
    theme_name = style.check_theme(theme) if theme is not None else "auto"
    c = style.colours(theme_name)
    tooltip = [
        alt.Tooltip("touchpoint:N", title="Touchpoint"),
        alt.Tooltip("row:N", title=segment_title),
        alt.Tooltip("value:Q", title=metric, format=fmt),
    ]
    extra = [("ci_low", "95% CI low"), ("ci_high", "95% CI high")] if metric == "mean" else []
    for col, label in [*extra, ("n", "Respondents")]:
        if col in df.columns:
            tooltip.append(
                alt.Tooltip(f"{col}:Q", title=label, format=",.0f" if col == "n" else ".2f")
            )
    if "small_n" in df.columns:
        tooltip.append(alt.Tooltip("small_n:N", title="Too few respondents"))
    chart = _matrix(
        df=df,
        axis=axis,
        row_field="_row",
        row_order=row_order,
        value=metric,
        mid=float(midpoint),
        half=float(half),
        text=text,
        tooltip=tooltip,
        colours=c,
        title=alt.TitleParams(
            title
            if title is not None
            else f"{METRIC_TITLES.get(metric, metric)} by touchpoint"
            + (" and segment" if has_segment else ""),
            subtitle=(
                f"(Values in brackets): fewer than {(attrs or {}).get('min_n', 30)} "
                "respondents (small_n)"
                if dim.any()
                else []
            ),
        ),
        legend_title=METRIC_TITLES.get(metric, metric),
        with_stages=map is not None,
    )
    return style.apply(chart, theme)


def _fmt(value: float, fmt: str) -> str:
    if fmt.endswith("%"):
        digits = int(fmt[1:-1] or 0) if fmt[1:-1].isdigit() else 0
        return f"{value * 100:.{digits}f}%"
    if fmt.startswith(".") and fmt.endswith("f"):
        return f"{value:.{int(fmt[1:-1])}f}"
    if fmt.startswith("+.") and fmt.endswith("f"):
        return f"{value:+.{int(fmt[2:-1])}f}"
    return f"{value:g}"


def servqual_gaps(
    table: Any,
    *,
    touchpoint: str = "touchpoint",
    dimension: str = "dimension",
    gap: str = "gap",
    map: JourneyMap | None = None,
    language: str | None = None,
    width: float | None = None,
    title: str | None = None,
    theme: style.Theme | None = "auto",
) -> alt.LayerChart:
    """SERVQUAL gaps (perception minus expectation) by touchpoint and dimension.

    Negative gaps (service below expectations) are red, positive green; a ``*`` marks gaps
    whose 95% interval (``gap_low``..``gap_high``) excludes zero.

    Parameters
    ----------
    table : DataFrame
        One row per touchpoint x dimension, as ``journeywidgets.survey.servqual`` returns
        (``touchpoint``, ``dimension``, ``gap``, optionally ``gap_low``, ``gap_high``,
        ``expectation``, ``perception``, ``n``).
    touchpoint, dimension, gap : str
        Column names.
    map, language, width, title, theme
        As in :func:`distribution`.

    Examples
    --------
    >>> import pandas as pd
    >>> import journeywidgets as jw
    >>> t = pd.DataFrame({"touchpoint": ["web", "web"], "dimension": ["reliability", "empathy"],
    ...                   "gap": [-1.2, 0.3], "gap_low": [-1.5, -0.1], "gap_high": [-0.9, 0.7]})
    >>> spec = jw.charts.servqual_gaps(t).to_dict()
    >>> [r["text"] for r in next(iter(spec["datasets"].values()))]
    ['−1.20*', '+0.30']
    """
    what = "servqual_gaps()"
    hint = "compute the gaps with journeywidgets.survey.servqual(...) first"
    df = inputs.to_pandas(table, what)
    inputs.require_columns(
        df, [touchpoint if FIELD not in df.columns else FIELD, dimension, gap], what
    )
    inputs.require_unique(df, [FIELD if FIELD in df.columns else touchpoint, dimension], what, hint)
    df[gap] = inputs.numeric(df, gap, what)
    axis = table_axis(df, touchpoint, map, language, what, width)
    axis = _matrix_axis(axis, width)
    df["_row"] = df[dimension].astype(str)
    present = list(dict.fromkeys(df["_row"]))
    canonical = [d for d in SERVQUAL_DIMENSIONS if d in {p.lower() for p in present}]
    row_order = [next(p for p in present if p.lower() == d) for d in canonical] + [
        p for p in present if p.lower() not in SERVQUAL_DIMENSIONS
    ]
    values = df[gap].dropna()
    half = float(values.abs().max()) if len(values) else 1.0
    half = half or 1.0
    significant = pd.Series(False, index=df.index)
    if "gap_low" in df.columns and "gap_high" in df.columns:
        low = inputs.numeric(df, "gap_low", what)
        high = inputs.numeric(df, "gap_high", what)
        significant = (low > 0) | (high < 0)

    digits = 2 if axis.step >= _ROOMY_CELL else 1

    def label(v: float, star: bool) -> str:
        if pd.isna(v):
            return ""
        v = round(float(v), digits) + 0.0  # no "-0.00"
        # A real minus sign: a hyphen looks like a dash next to the star.
        text = f"{v:+.{digits}f}".replace("-", "−") if v else f"{0:.{digits}f}"
        return text + ("*" if star else "")

    text = pd.Series(
        [label(v, s) for v, s in zip(df[gap], significant, strict=True)], index=df.index
    )
    theme_name = style.check_theme(theme) if theme is not None else "auto"
    c = style.colours(theme_name)
    tooltip = [
        alt.Tooltip("touchpoint:N", title="Touchpoint"),
        alt.Tooltip("row:N", title="Dimension"),
        alt.Tooltip("value:Q", title="Gap (P − E)", format="+.2f"),
    ]
    for col, name in (
        ("gap_low", "95% CI low"),
        ("gap_high", "95% CI high"),
        ("expectation", "Expectation"),
        ("perception", "Perception"),
        ("n", "Respondents"),
    ):
        if col in df.columns:
            tooltip.append(
                alt.Tooltip(f"{col}:Q", title=name, format=",.0f" if col == "n" else ".2f")
            )
    chart = _matrix(
        df=df,
        axis=axis,
        row_field="_row",
        row_order=row_order,
        value=gap,
        mid=0.0,
        half=half,
        text=text,
        tooltip=tooltip,
        colours=c,
        title=title if title is not None else "SERVQUAL gaps: perception − expectation",
        legend_title="Gap",
        with_stages=map is not None,
    )
    return style.apply(chart, theme)
