"""The importance x performance quadrant chart (importance-performance analysis).

Each touchpoint is a point: how well it performs (x, e.g. mean satisfaction) against how much
it matters (y, e.g. its derived importance as a driver of overall satisfaction).  Lines at
the thresholds (by default the averages) split the plane into four quadrants, named in the
corners.  Moments of truth carry a star; touchpoints the survey marks as quick wins (or with
quick-win cards on the map) say so in their label.  Labels are placed beside their points,
on the side where they overlap nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from . import inputs, selection, style
from .curve import STAR
from .evidence import table_axis
from .selection import FIELD

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

#: Quadrant names (of ``survey.key_drivers`` and of this chart) and how they are shown.
QUADRANT_TITLES = {
    "moment_of_truth": "Moment of truth",
    "quick_win": "Quick win",
    "fix_first": "Fix first",
    "concentrate_here": "Concentrate here",
    "strength": "Strength",
    "keep_up": "Keep up the good work",
    "maintain": "Maintain",
    "overkill": "Possible overkill",
    "possible_overkill": "Possible overkill",
    "low_priority": "Low priority",
}
#: The quadrants this chart computes when the table has none: (high importance?, high
#: performance?) -> name.
DEFAULT_QUADRANTS = {
    (True, False): "fix_first",
    (True, True): "keep_up",
    (False, False): "low_priority",
    (False, True): "overkill",
}
#: The corners of ``survey.key_drivers``' quadrants; its ``quick_win`` is the strip of the
#: important touchpoints just below the performance threshold (by at most ``quick_win_gap``).
SURVEY_QUADRANTS = {
    (True, False): "moment_of_truth",
    (True, True): "strength",
    (False, False): "low_priority",
    (False, True): "maintain",
}
_CHAR_PX = 6.2
_LABEL_HEIGHT = 13.0
_LABEL_LIMIT = 180.0
_BOLD_CHAR_PX = 7.6


def _title(name: str) -> str:
    return QUADRANT_TITLES.get(name, name.replace("_", " ").capitalize())


def _quadrant_colours(names: list[str], c: dict[str, str]) -> list[str]:
    known = {
        "moment_of_truth": c["negative"],
        "fix_first": c["negative"],
        "concentrate_here": c["negative"],
        "quick_win": c["moment_of_truth"],
        "keep_up": c["positive"],
        "strength": c["positive"],
        "maintain": c["curve"],
        "low_priority": c["neutral"],
        "overkill": c["curve"],
        "possible_overkill": c["curve"],
    }
    spare = style.series_colours(len(names) + 2)[1:]
    out = []
    for name in names:
        colour = known.get(name)
        if colour is None or colour in out:
            colour = next(s for s in spare if s not in out)
        out.append(colour)
    return out


def _place_labels(
    points: list[dict[str, Any]],
    width: float,
    height: float,
    reserved: Sequence[tuple[float, float, float, float]] = (),
) -> None:
    """Choose each label's side: right, left, above or below its point, avoiding overlaps.

    Greedy in order of importance (most important first keeps the best spot), using an
    estimate of each label's size; sets ``dx``, ``dy``, ``align`` and ``baseline`` on each
    point's row.  Points with ``must_label`` false (unimportant ones) keep their label only
    where it overlaps nothing; otherwise their label is emptied and the tooltip names them.
    """

    def mark_box(p: dict[str, Any]) -> tuple[float, float, float, float]:
        r = 13.0 if p["moment_of_truth"] else 7.0  # a star is bigger than a point
        return (p["px"] - r, p["py"] - r, p["px"] + r, p["py"] + r)

    boxes = [mark_box(p) for p in points]
    placed: list[tuple[float, float, float, float]] = list(reserved)
    options = [
        (9, 0, "left", "middle"),
        (-9, 0, "right", "middle"),
        (0, -10, "center", "bottom"),
        (0, 10, "center", "top"),
        (9, -9, "left", "bottom"),
        (9, 9, "left", "top"),
        (-9, -9, "right", "bottom"),
        (-9, 9, "right", "top"),
        (0, -22, "center", "bottom"),
        (0, 22, "center", "top"),
    ]
    for p in sorted(points, key=lambda r: -r["py_rank"]):
        w = min(_LABEL_LIMIT, len(p["label"]) * _CHAR_PX)
        best = None
        best_cost = math.inf
        for rank, (dx, dy, align, baseline) in enumerate(options):
            if p["moment_of_truth"]:  # clear the star
                dx, dy = int(dx * 1.5), int(dy * 1.4)
            x0 = p["px"] + dx - (w if align == "right" else w / 2 if align == "center" else 0)
            y0 = (
                p["py"]
                + dy
                - (
                    _LABEL_HEIGHT
                    if baseline == "bottom"
                    else _LABEL_HEIGHT / 2
                    if baseline == "middle"
                    else 0
                )
            )
            box = (x0, y0, x0 + w, y0 + _LABEL_HEIGHT)
            cost = sum(_overlap(box, b) for b in placed)
            cost += sum(_overlap(box, b) for j, b in enumerate(boxes) if j != p["index"])
            # Leaving the plot is worse than touching a neighbour.
            cost += 4 * (max(0.0, -box[0]) + max(0.0, box[2] - width)) * _LABEL_HEIGHT
            cost += 4 * (max(0.0, -box[1]) + max(0.0, box[3] - height)) * w
            cost += rank * 1e-3  # among equals, the usual places first
            if cost < best_cost - 1e-9:
                best, best_cost = (dx, dy, align, baseline, box), cost
        assert best is not None
        dx, dy, align, baseline, box = best
        if not p["must_label"] and best_cost >= 1:
            p.update(label="", dx=0, dy=0, align="left", baseline="middle")
            continue
        placed.append(box)
        p.update(dx=dx, dy=dy, align=align, baseline=baseline)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _domain(values: pd.Series, threshold: float) -> list[float]:
    lo = min(float(values.min()), threshold)
    hi = max(float(values.max()), threshold)
    pad = (hi - lo) * 0.12 or abs(hi) * 0.1 or 1.0
    return [lo - pad, hi + pad]


def importance_performance(
    drivers: Any,
    *,
    touchpoint: str = "touchpoint",
    importance: str = "importance",
    performance: str = "performance",
    quadrant: str = "quadrant",
    importance_threshold: float | None = None,
    performance_threshold: float | None = None,
    quick_win_gap: float | None = None,
    map: JourneyMap | None = None,
    language: str | None = None,
    width: float = 560,
    height: float = 400,
    title: str | None = None,
    theme: style.Theme | None = "auto",
) -> alt.LayerChart:
    """The importance x performance quadrant chart, labelling moments of truth and quick wins.

    Parameters
    ----------
    drivers : DataFrame
        One row per touchpoint with its importance and performance, e.g.
        ``journeywidgets.survey.key_drivers(...)``.  Its ``quadrant`` column (values such as
        ``"moment_of_truth"``, ``"quick_win"``) colours the points; without one, quadrants are
        computed from the thresholds: ``fix_first`` (important, performing below the
        threshold), ``keep_up``, ``low_priority`` and ``overkill``.
    touchpoint, importance, performance, quadrant : str
        Column names.
    importance_threshold, performance_threshold, quick_win_gap : float, optional
        Where the quadrant lines are: by default the thresholds ``key_drivers`` used (its
        table's ``attrs``), else the averages of the touchpoints.  With a quick-win gap, a
        dotted line marks the quick-win strip: important touchpoints performing below the
        threshold by at most the gap.
    map : JourneyMap, optional
        Labels touchpoints like the map, and stars its moments of truth; touchpoints with
        quick-win cards (impact 4-5, effort 1-2) are labelled as quick wins.
    language, title, theme
        As in :func:`journeywidgets.charts.emotion_curve`.
    width, height : float
        Plot size in pixels.

    Examples
    --------
    >>> import pandas as pd
    >>> import journeywidgets as jw
    >>> d = pd.DataFrame({"touchpoint": ["web", "call", "invoice", "app"],
    ...                   "importance": [0.2, 0.6, 0.5, 0.1], "performance": [4.1, 2.9, 3.0, 4.4]})
    >>> chart = jw.charts.importance_performance(d)
    >>> sorted(r["quadrant"] for r in chart.layer[-2].data.values)
    ['fix_first', 'fix_first', 'overkill', 'overkill']
    """
    what = "importance_performance()"
    hint = "compute one row per touchpoint first, e.g. with journeywidgets.survey.key_drivers(...)"
    df = inputs.to_pandas(drivers, what)
    tp_col = FIELD if FIELD in df.columns else touchpoint
    inputs.require_columns(df, [tp_col, importance, performance], what)
    inputs.require_unique(df, [tp_col], what, hint)
    df[importance] = inputs.numeric(df, importance, what)
    df[performance] = inputs.numeric(df, performance, what)
    df = df[df[importance].notna() & df[performance].notna()].reset_index(drop=True)
    axis = table_axis(df, touchpoint, map, language, what, None)
    # key_drivers() keeps the thresholds it placed quadrants by in the table's attrs.
    attrs = getattr(drivers, "attrs", None) or {}
    if importance_threshold is None:
        importance_threshold = attrs.get("importance_threshold")
    if performance_threshold is None:
        performance_threshold = attrs.get("performance_threshold")
    if quick_win_gap is None:
        quick_win_gap = attrs.get("quick_win_gap")
    it = float(df[importance].mean()) if importance_threshold is None else importance_threshold
    pt = float(df[performance].mean()) if performance_threshold is None else performance_threshold
    if quadrant in df.columns:
        quadrants = df[quadrant].astype(str)
    else:
        quadrants = pd.Series(
            [
                DEFAULT_QUADRANTS[(bool(i >= it), bool(p >= pt))]
                for i, p in zip(df[importance], df[performance], strict=True)
            ],
            index=df.index,
        )
    theme_name = style.check_theme(theme) if theme is not None else "auto"
    c = style.colours(theme_name)
    strip = pt - quick_win_gap if quick_win_gap else None
    x_domain = _domain(df[performance], pt if strip is None else min(pt, strip))
    y_domain = _domain(df[importance], it)

    moments: set[str] = set()
    quick: set[str] = set()
    if map is not None:
        moments = {t.id for t in map.touchpoints if t.moment_of_truth}
        quick = {card.touchpoint for card in map.cards if card.quick_win}
    points: list[dict[str, Any]] = []
    for i in range(len(df)):
        tp = str(df[FIELD].iloc[i])
        q = quadrants.iloc[i]
        perf, imp = float(df[performance].iloc[i]), float(df[importance].iloc[i])
        is_moment = tp in moments or q == "moment_of_truth"
        is_quick = tp in quick or q == "quick_win"
        label = axis.labels.get(tp, tp)
        points.append(
            {
                FIELD: tp,
                "touchpoint": label,
                "label": label + (" · quick win" if is_quick else ""),
                "importance": imp,
                "performance": perf,
                "quadrant": q,
                "quadrant_title": _title(q),
                "moment_of_truth": is_moment,
                "quick_win": is_quick,
                "index": i,
                "px": (perf - x_domain[0]) / (x_domain[1] - x_domain[0]) * width,
                "py": (1 - (imp - y_domain[0]) / (y_domain[1] - y_domain[0])) * height,
                "py_rank": imp,
            }
        )
    for p in points:
        p["must_label"] = (
            p["importance"] >= it or p["quick_win"] or p["quadrant"] == "moment_of_truth"
        )

    # Legend in a fixed order (the known names first), whatever order the rows come in.
    preferred = [*QUADRANT_TITLES, *DEFAULT_QUADRANTS.values()]
    names = sorted(
        dict.fromkeys(quadrants),
        key=lambda n: (preferred.index(n) if n in preferred else len(preferred), n),
    )
    titles = [_title(n) for n in names]
    colour = alt.Color(
        "quadrant_title:N",
        title=None,
        scale=alt.Scale(domain=titles, range=_quadrant_colours(names, c)),
        legend=alt.Legend(orient="top", direction="horizontal", symbolStrokeWidth=0),
    )
    x_title = "Performance" if performance == "performance" else f"Performance ({performance})"
    y_title = "Importance" if importance == "importance" else f"Importance ({importance})"

    def x_of(field: str) -> alt.X:
        return alt.X(
            f"{field}:Q", title=x_title, scale=alt.Scale(domain=x_domain, nice=False, zero=False)
        )

    def y_of(field: str) -> alt.Y:
        return alt.Y(
            f"{field}:Q", title=y_title, scale=alt.Scale(domain=y_domain, nice=False, zero=False)
        )

    x, y = x_of("performance"), y_of("importance")
    # Quadrant names in the corners, named by the quadrant that has points there (the
    # table's own names), or by the default names.
    corners: list[dict[str, Any]] = []
    survey_names = set(quadrants) & {*SURVEY_QUADRANTS.values(), "quick_win"}
    defaults = SURVEY_QUADRANTS if survey_names else DEFAULT_QUADRANTS
    for (high_i, high_p), default in defaults.items():
        inside = [
            p["quadrant"]
            for p in points
            if (p["importance"] >= it) == high_i and (p["performance"] >= pt) == high_p
        ]
        inside = [q for q in inside if q != "quick_win"]  # the strip is labelled on its own
        name = max(set(inside), key=inside.count) if inside else default
        corners.append(
            {
                "performance": x_domain[1] if high_p else x_domain[0],
                "importance": y_domain[1] if high_i else y_domain[0],
                "text": _title(name),
                "align": "right" if high_p else "left",
                "baseline": "top" if high_i else "bottom",
                "dx": -6 if high_p else 6,
                "dy": 6 if high_i else -6,
            }
        )
    # Point labels keep clear of the quadrant names.
    reserved = []
    for corner in corners:
        w = len(corner["text"]) * _BOLD_CHAR_PX
        x1 = width - 6 if corner["align"] == "right" else 6 + w
        y0 = 6 if corner["baseline"] == "top" else height - 6 - _LABEL_HEIGHT
        reserved.append((x1 - w, y0, x1, y0 + _LABEL_HEIGHT))
    if strip is not None:
        mid = ((strip + pt) / 2 - x_domain[0]) / (x_domain[1] - x_domain[0]) * width
        w = len(_title("quick_win")) * _BOLD_CHAR_PX
        reserved.append((mid - w / 2, 6, mid + w / 2, 6 + _LABEL_HEIGHT))
    _place_labels(points, width, height, reserved)
    for p in points:
        for key in ("px", "py", "py_rank", "index", "must_label"):
            p.pop(key)
    base = alt.Chart(alt.InlineData(values=points))
    rules = alt.Chart(alt.InlineData(values=[{"performance": pt, "importance": it}]))
    layers: list[Any] = [
        rules.mark_rule(color=c["neutral"], strokeDash=[5, 4]).encode(x=x),
        rules.mark_rule(color=c["neutral"], strokeDash=[5, 4]).encode(y=y),
    ]
    if strip is not None:
        strip_rows = alt.Chart(
            alt.InlineData(
                values=[
                    {
                        "performance": strip,
                        "importance": it,
                        "top": y_domain[1],
                        "middle": (strip + pt) / 2,
                        "text": _title("quick_win"),
                    }
                ]
            )
        )
        layers += [
            strip_rows.mark_rule(color=c["neutral"], strokeDash=[2, 3]).encode(
                x=x, y=y, y2="top:Q"
            ),
            strip_rows.mark_text(
                fontSize=11,
                fontWeight="bold",
                color=c["text"],
                opacity=0.8,
                baseline="top",
                align="center",
                dy=6,
            ).encode(x=x_of("middle"), y=y_of("top"), text="text:N"),
        ]
    layers += [
        alt.Chart(alt.InlineData(values=corners))
        .mark_text(
            fontSize=12,
            fontWeight="bold",
            color=c["text"],
            opacity=0.8,
            align=alt.expr("datum.align"),
            baseline=alt.expr("datum.baseline"),
            dx=alt.expr("datum.dx"),
            dy=alt.expr("datum.dy"),
        )
        .encode(x=x, y=y, text="text:N"),
        base.transform_filter("datum.moment_of_truth")
        .mark_point(shape=STAR, filled=True, size=480, color=c["moment_of_truth"], opacity=0.9)
        .encode(x=x, y=y),
        base.mark_point(filled=True, opacity=1, stroke=c["selection"])
        .encode(
            x=x,
            y=y,
            color=colour,
            size=alt.Size(value=110, **selection.if_selected(320)),
            strokeWidth=alt.StrokeWidth(value=0, **selection.if_selected(3)),
            tooltip=[
                alt.Tooltip("touchpoint:N", title="Touchpoint"),
                alt.Tooltip("quadrant_title:N", title="Quadrant"),
                alt.Tooltip("importance:Q", title="Importance", format=".3~f"),
                alt.Tooltip("performance:Q", title="Performance", format=".3~f"),
                alt.Tooltip("moment_of_truth:N", title="Moment of truth"),
                alt.Tooltip("quick_win:N", title="Quick win"),
            ],
        )
        .add_params(selection.point_selection()),
        base.mark_text(
            fontSize=11,
            color=c["text"],
            align=alt.expr("datum.align"),
            baseline=alt.expr("datum.baseline"),
            dx=alt.expr("datum.dx"),
            dy=alt.expr("datum.dy"),
            limit=_LABEL_LIMIT,
        ).encode(x=x, y=y, text="label:N"),
    ]
    chart = (
        alt.layer(*layers)
        .properties(
            width=width,
            height=height,
            title=title if title is not None else "Importance x performance",
        )
        .add_params(*selection.variable_params())
    )
    return style.apply(chart, theme)
