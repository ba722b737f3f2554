"""The importance x performance quadrant chart (importance-performance analysis).

Each touchpoint is a point: how well it performs (x, e.g. its mean score) against how much it
matters (y, e.g. its importance as a driver of overall satisfaction).  The crosshair -- by
default at the mean importance and mean performance, as in Martilla and James (1977) -- splits
the plane into "Concentrate here", "Keep up the good work", "Low priority" and "Possible
overkill" (see :mod:`journeywidgets.survey.ipa`); the lines are drawn with their values.

Every point is labelled, with its priority number when the table has one.  Labels are placed
beside their points where they overlap no point, no other label, no line and no quadrant
name, further out with a thin leader line when the near places are taken; a label that finds
no free place at all shows only its number, and a table beside the chart lists every number
with its touchpoint.  Negative and suppressor drivers are drawn as hollow triangles and
diamonds and say so in their labels; touchpoints with few respondents say ``n = ...``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import altair as alt
import pandas as pd

from ..survey.ipa import QUADRANT_LABELS, QUADRANTS, threshold
from . import inputs, selection, style
from .curve import STAR
from .evidence import table_axis
from .selection import FIELD

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

#: How quadrant names read on the chart: the IPA quadrants, and names of older tables.
QUADRANT_TITLES = {
    **QUADRANT_LABELS,
    "moment_of_truth": "Moment of truth",
    "quick_win": "Quick win",
    "fix_first": "Fix first",
    "strength": "Strength",
    "keep_up": "Keep up the good work",
    "maintain": "Maintain",
    "overkill": "Possible overkill",
}
#: The quadrants this chart computes when the table has none: (high importance?, high
#: performance?) -> name (those of ``survey.key_drivers``).
DEFAULT_QUADRANTS = dict(QUADRANTS)
#: How a direction is drawn: point shape and the words added to the label.
DIRECTIONS = {
    "positive": ("circle", ""),
    "negative": ("triangle-down", "negative driver"),
    "suppressor": ("diamond", "suppressor"),
}
_CHAR_PX = 6.2
_LABEL_HEIGHT = 13.0
_LABEL_LIMIT = 280.0
_BOLD_CHAR_PX = 7.6
_LINE_TITLES = {
    "mean": "Mean {what}",
    "median": "Median {what}",
    "midpoint": "Scale midpoint",
    "value": "{What} line",
}
Box = tuple[float, float, float, float]


def _title(name: str) -> str:
    return QUADRANT_TITLES.get(name, name.replace("_", " ").capitalize())


def _quadrant_colours(names: list[str], c: dict[str, str]) -> list[str]:
    known = {
        "concentrate_here": c["negative"],
        "moment_of_truth": c["negative"],
        "fix_first": c["negative"],
        "quick_win": c["moment_of_truth"],
        "keep_up_the_good_work": c["positive"],
        "keep_up": c["positive"],
        "strength": c["positive"],
        "possible_overkill": c["curve"],
        "overkill": c["curve"],
        "maintain": c["curve"],
        "low_priority": c["neutral"],
    }
    spare = style.series_colours(len(names) + 2)[1:]
    out = []
    for name in names:
        colour = known.get(name)
        if colour is None or colour in out:
            colour = next(s for s in spare if s not in out)
        out.append(colour)
    return out


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _text_width(text: str) -> float:
    return min(_LABEL_LIMIT, max(len(line) for line in text.split("\n")) * _CHAR_PX + 2)


def _text_height(text: str) -> float:
    return _LABEL_HEIGHT * (text.count("\n") + 1)


def _wrapped(text: str) -> str | None:
    """``text`` on two lines, broken at the space nearest its middle (None if it is short)."""
    if len(text) < 24 or " " not in text:
        return None
    middle = len(text) / 2
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces[1:] or spaces, key=lambda i: abs(i - middle))  # not after the number
    return text[:cut] + "\n" + text[cut + 1 :]


def _candidates() -> list[tuple[float, float, str, str]]:
    """Label offsets from a point: the eight sides, near first, then further out."""
    out = []
    for reach in (10.0, 20.0, 34.0, 52.0, 74.0, 100.0):
        out += [
            (reach, 0.0, "left", "middle"),
            (-reach, 0.0, "right", "middle"),
            (0.0, -reach, "center", "bottom"),
            (0.0, reach, "center", "top"),
            (reach * 0.8, -reach * 0.8, "left", "bottom"),
            (reach * 0.8, reach * 0.8, "left", "top"),
            (-reach * 0.8, -reach * 0.8, "right", "bottom"),
            (-reach * 0.8, reach * 0.8, "right", "top"),
        ]
    return out


def _box(x: float, y: float, w: float, align: str, baseline: str, h: float = _LABEL_HEIGHT) -> Box:
    x0 = x - (w if align == "right" else w / 2 if align == "center" else 0)
    y0 = y - (h if baseline == "bottom" else h / 2 if baseline == "middle" else 0)
    return (x0, y0, x0 + w, y0 + h)


def _place_labels(
    points: list[dict[str, Any]],
    width: float,
    height: float,
    reserved: Sequence[Box] = (),
    crossings: tuple[Sequence[float], Sequence[float]] = ((), ()),
) -> list[Box]:
    """Choose each label's place (greedy, most important point first).

    A label takes the first candidate place (near before far) that overlaps nothing: no
    other label, no point, no reserved box (lines, quadrant names) and stays inside the plot.
    Failing that, the label is tried on two lines, and failing that too it is cut to the
    point's number (``short``) and placed the same way, taking the least bad place.  A place
    whose leader line would cross a line of ``crossings`` (x positions of vertical lines, y
    positions of horizontal ones) comes after those whose leader does not, and counts as
    taken when it is far from its point.  Sets ``dx``, ``dy``, ``align``, ``baseline`` and
    ``numbered`` on each point; returns the boxes of the placed labels.
    """
    verticals, horizontals = crossings

    def crosses(p: dict[str, Any], dx: float, dy: float) -> int:
        x0, y0, x1, y1 = p["px"], p["py"], p["px"] + dx, p["py"] + dy
        return sum((x0 - v) * (x1 - v) < 0 for v in verticals) + sum(
            (y0 - h) * (y1 - h) < 0 for h in horizontals
        )

    def mark_box(p: dict[str, Any]) -> Box:
        r = 12.0 if p["moment_of_truth"] else 7.0  # a star is bigger than a point
        return (p["px"] - r, p["py"] - r, p["px"] + r, p["py"] + r)

    marks = [mark_box(p) for p in points]
    placed: list[Box] = []
    options = _candidates()

    def cost_of(box: Box, index: int) -> float:
        cost = sum(_overlap(box, b) for b in placed)
        cost += sum(_overlap(box, b) for b in reserved)
        cost += sum(_overlap(box, b) for j, b in enumerate(marks) if j != index)
        cost += sum(_overlap(box, b) for b in [marks[index]]) * 4  # not over its own point
        outside = max(0.0, -box[0]) + max(0.0, box[2] - width)
        outside += max(0.0, -box[1]) + max(0.0, box[3] - height)
        return cost + outside * 100

    for p in sorted(points, key=lambda r: (r["order_key"], -r["py_rank"])):
        chosen = None
        tries = [(p["label"], False)]
        if _wrapped(p["label"]):
            tries.append((str(_wrapped(p["label"])), False))
        for text, numbered in [*tries, (p["short"], True)]:
            w, h = _text_width(text), _text_height(text)
            best: tuple[float, float, Any] = (math.inf, math.inf, None)
            grow = 1.5 if p["moment_of_truth"] else 1.0  # clear the star
            for rank, (dx0, dy0, align, baseline) in enumerate(options):
                dx, dy = dx0 * grow, dy0 * grow
                box = _box(p["px"] + dx, p["py"] + dy, w, align, baseline, h)
                cost = cost_of(box, p["index"])
                crossing = crosses(p, dx, dy)
                if crossing and max(abs(dx0), abs(dy0)) > 20:
                    cost += 1.0  # a long leader across a line reads as pointing elsewhere
                key = (cost + rank * 1e-3, crossing + rank * 1e-3)
                if cost == 0:
                    key = (0.0, key[1])
                if key < best[:2]:
                    best = (*key, (dx, dy, align, baseline, box))
                if cost == 0 and key[1] < 1:
                    break  # free, and its leader crosses no line
            if best[0] == 0.0 or numbered:
                chosen = (text, numbered, best[2])
                break
        assert chosen is not None
        text, numbered, (dx, dy, align, baseline, box) = chosen
        placed.append(box)
        p.update(text=text, numbered=numbered, dx=dx, dy=dy, align=align, baseline=baseline)
    return placed


def _domain(values: pd.Series, *lines: float) -> list[float]:
    lo = min(float(values.min()), *lines)
    hi = max(float(values.max()), *lines)
    pad = (hi - lo) * 0.14 or abs(hi) * 0.1 or 1.0
    return [lo - pad, hi + pad]


def _format(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def importance_performance(
    drivers: Any,
    *,
    touchpoint: str = "touchpoint",
    importance: str = "importance",
    performance: str = "performance",
    quadrant: str = "quadrant",
    importance_threshold: float | Literal["mean", "median"] | None = None,
    performance_threshold: float | Literal["mean", "median", "midpoint"] | None = None,
    target: float | None = None,
    map: JourneyMap | None = None,
    language: str | None = None,
    table: bool | Literal["auto"] = "auto",
    width: float = 560,
    height: float = 420,
    title: str | None = None,
    theme: style.Theme | None = "auto",
) -> alt.LayerChart | alt.HConcatChart:
    """The importance x performance quadrant chart of importance-performance analysis.

    Parameters
    ----------
    drivers : DataFrame
        One row per touchpoint with its importance and performance, e.g.
        ``journeywidgets.survey.key_drivers(...)`` (or ``survey.ipa(...)`` of stated
        importance).  Its ``quadrant`` column colours the points; without one, quadrants
        are computed from the crosshair.  ``priority_rank`` numbers the labels,
        ``direction`` marks negative and suppressor drivers, ``small_n`` and ``n`` say when
        few respondents rated a touchpoint.
    touchpoint, importance, performance, quadrant : str
        Column names.
    importance_threshold, performance_threshold, target :
        Where the crosshair and the target line are: by default those the table's ``attrs``
        record (``key_drivers`` and ``ipa`` keep them), else the means of the touchpoints.
        ``"median"``, ``"midpoint"`` (of the ``scale`` in ``attrs``) or a number place them
        elsewhere.  A target other than the performance line is drawn dotted.
    map : JourneyMap, optional
        Labels touchpoints like the map, and stars its moments of truth.
    table : bool or "auto"
        A numbered list of the touchpoints beside the chart (in priority order when the
        table has priorities): always, never, or (``"auto"``) when some label could only
        show its number.
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
    >>> sorted(r["quadrant"] for r in chart.layer[-1].data.values)
    ['concentrate_here', 'concentrate_here', 'possible_overkill', 'possible_overkill']
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
    # key_drivers() and ipa() keep the crosshair they placed quadrants by in attrs.
    attrs = getattr(drivers, "attrs", None) or {}
    how = dict(attrs.get("crosshair") or {})
    scale = attrs.get("scale")
    if importance_threshold is None:
        importance_threshold = attrs.get("importance_threshold")
    else:
        how["importance"] = (
            importance_threshold if isinstance(importance_threshold, str) else "value"
        )
    if performance_threshold is None:
        performance_threshold = attrs.get("performance_threshold")
    else:
        how["performance"] = (
            performance_threshold if isinstance(performance_threshold, str) else "value"
        )
    it = threshold(df[importance], importance_threshold, "importance_threshold")
    pt = threshold(df[performance], performance_threshold, "performance_threshold", scale)
    goal = target if target is not None else attrs.get("target")
    goal = None if goal is None or abs(float(goal) - pt) < 1e-12 else float(goal)
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
    x_domain = _domain(df[performance], pt, *([goal] if goal is not None else []))
    y_domain = _domain(df[importance], it)

    def px(value: float) -> float:
        return (value - x_domain[0]) / (x_domain[1] - x_domain[0]) * width

    def py(value: float) -> float:
        return (1 - (value - y_domain[0]) / (y_domain[1] - y_domain[0])) * height

    moments: set[str] = set()
    if map is not None:
        moments = {t.id for t in map.touchpoints if t.moment_of_truth}
    has_rank = "priority_rank" in df.columns
    min_n = attrs.get("min_n", 30)
    points: list[dict[str, Any]] = []
    for i in range(len(df)):
        tp = str(df[FIELD].iloc[i])
        q = quadrants.iloc[i]
        perf, imp = float(df[performance].iloc[i]), float(df[importance].iloc[i])
        direction = str(df["direction"].iloc[i]) if "direction" in df.columns else "positive"
        shape, flag = DIRECTIONS.get(direction, DIRECTIONS["positive"])
        small = bool(df["small_n"].iloc[i]) if "small_n" in df.columns else False
        n = inputs.clean(df["n"].iloc[i]) if "n" in df.columns else None
        rank = inputs.clean(df["priority_rank"].iloc[i]) if has_rank else None
        number = str(int(rank)) if rank is not None else str(i + 1)
        name = axis.labels.get(tp, tp)
        notes = [flag] if flag else []
        if small and n is not None:
            notes.append(f"n = {int(n)}")
        label = f"{number}. {name}" + (f" ({', '.join(notes)})" if notes else "")
        points.append(
            {
                FIELD: tp,
                "touchpoint": name,
                "label": label,
                "short": number,
                "number": int(number),
                "importance": imp,
                "performance": perf,
                "quadrant": q,
                "quadrant_title": _title(q),
                "direction": direction,
                "shape": shape,
                "small_n": small,
                "n": n,
                "priority": inputs.clean(df["priority"].iloc[i])
                if "priority" in df.columns
                else None,
                "moment_of_truth": tp in moments,
                "index": i,
                "px": px(perf),
                "py": py(imp),
                "py_rank": imp,
                "order_key": int(number) if has_rank else 0,
            }
        )

    # Legend in a fixed order (the IPA names first), whatever order the rows come in.
    preferred = list(QUADRANT_TITLES)
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
    shapes_used = [d for d in DIRECTIONS if any(p["direction"] == d for p in points)]
    shape_channel = alt.Shape(
        "direction_title:N",
        title=None,
        scale=alt.Scale(
            domain=[_direction_title(d) for d in shapes_used],
            range=[DIRECTIONS[d][0] for d in shapes_used],
        ),
        legend=(
            alt.Legend(orient="top", direction="horizontal", symbolFillColor=c["neutral"])
            if len(shapes_used) > 1
            else None
        ),
    )
    for p in points:
        p["direction_title"] = _direction_title(p["direction"])
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
    # The quadrant names in the corners.
    corners: list[dict[str, Any]] = []
    for (high_i, high_p), name in DEFAULT_QUADRANTS.items():
        inside = [
            p["quadrant"]
            for p in points
            if (p["importance"] >= it) == high_i and (p["performance"] >= pt) == high_p
        ]
        shown = max(set(inside), key=inside.count) if inside else name
        corners.append(
            {
                "performance": x_domain[1] if high_p else x_domain[0],
                "importance": y_domain[1] if high_i else y_domain[0],
                "text": _title(shown),
                "align": "right" if high_p else "left",
                "baseline": "top" if high_i else "bottom",
                "dx": -6 if high_p else 6,
                "dy": 6 if high_i else -6,
            }
        )
    # The lines and their names: "Mean performance 3.12" along the top of the vertical line,
    # "Mean importance 0.071" at the right end of the horizontal one.
    line_texts = [
        {
            "performance": pt,
            "importance": y_domain[1],
            "text": f"{_line_title(how.get('performance', 'mean'), 'performance')} {_format(pt)}",
            "align": "left",
            "baseline": "top",
            "dx": 4,
            "dy": 22,
        },
        {
            "performance": x_domain[1],
            "importance": it,
            "text": f"{_line_title(how.get('importance', 'mean'), 'importance')} {_format(it)}",
            "align": "right",
            "baseline": "bottom",
            "dx": -4,
            "dy": -3,
        },
    ]
    if goal is not None:
        line_texts.append(
            {
                "performance": goal,
                "importance": y_domain[0],
                "text": f"Target {_format(goal)}",
                "align": "left",
                "baseline": "bottom",
                "dx": 4,
                "dy": -22,
            }
        )
    # Labels keep clear of the quadrant names, the lines and the lines' names.
    reserved: list[Box] = []
    for item, bold in [(corner, True) for corner in corners] + [(t, False) for t in line_texts]:
        w = len(item["text"]) * (_BOLD_CHAR_PX if bold else _CHAR_PX)
        reserved.append(
            _box(
                px(item["performance"]) + item["dx"],
                py(item["importance"]) + item["dy"],
                w,
                item["align"],
                item["baseline"],
            )
        )
    reserved += [(px(pt) - 3, 0.0, px(pt) + 3, height), (0.0, py(it) - 4, width, py(it) + 4)]
    if goal is not None:
        reserved.append((px(goal) - 2, 0.0, px(goal) + 2, height))
    _place_labels(
        points,
        width,
        height,
        reserved,
        ([px(pt)] + ([px(goal)] if goal is not None else []), [py(it)]),
    )
    numbered = any(p["numbered"] for p in points)
    leaders = []
    for p in points:
        distance = math.hypot(p["dx"], p["dy"])
        if distance > 12:  # far from its point: a thin line shows whose label it is
            end_x = p["px"] + p["dx"] * (1 - 6 / distance)
            end_y = p["py"] + p["dy"] * (1 - 6 / distance)
            leaders.append(
                {
                    "performance": p["performance"],
                    "importance": p["importance"],
                    "x2": x_domain[0] + end_x / width * (x_domain[1] - x_domain[0]),
                    "y2": y_domain[0] + (1 - end_y / height) * (y_domain[1] - y_domain[0]),
                }
            )
    for p in points:
        # Vega draws a label's first line at its anchor and the next lines below it, whatever
        # the baseline; the placement above measured the whole block, so lift it into place.
        extra = p["text"].count("\n") * _LABEL_HEIGHT
        p["dy"] -= {"bottom": extra, "middle": extra / 2}.get(p["baseline"], 0.0)
        for key in ("px", "py", "py_rank", "index", "order_key"):
            p.pop(key)
    base = alt.Chart(alt.InlineData(values=points))
    lines = alt.Chart(alt.InlineData(values=[{"performance": pt, "importance": it}]))
    layers: list[Any] = [
        lines.mark_rule(color=c["neutral"], strokeDash=[5, 4]).encode(x=x),
        lines.mark_rule(color=c["neutral"], strokeDash=[5, 4]).encode(y=y),
    ]
    if goal is not None:
        layers.append(
            alt.Chart(alt.InlineData(values=[{"performance": goal}]))
            .mark_rule(color=c["neutral"], strokeDash=[2, 3])
            .encode(x=x)
        )
    if leaders:
        layers.append(
            alt.Chart(alt.InlineData(values=leaders))
            .mark_rule(color=c["neutral"], strokeWidth=0.8, opacity=0.8)
            .encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
        )
    text_mark: dict[str, Any] = {
        "align": alt.expr("datum.align"),
        "baseline": alt.expr("datum.baseline"),
        "dx": alt.expr("datum.dx"),
        "dy": alt.expr("datum.dy"),
    }
    layers += [
        alt.Chart(alt.InlineData(values=corners))
        .mark_text(fontSize=12, fontWeight="bold", color=c["text"], opacity=0.8, **text_mark)
        .encode(x=x, y=y, text="text:N"),
        alt.Chart(alt.InlineData(values=line_texts))
        .mark_text(fontSize=10, color=c["text"], **text_mark)
        .encode(x=x, y=y, text="text:N"),
        base.transform_filter("datum.moment_of_truth")
        .mark_point(shape=STAR, filled=True, size=420, color=c["moment_of_truth"], opacity=0.9)
        .encode(x=x, y=y),
        base.mark_text(
            fontSize=11,
            lineHeight=_LABEL_HEIGHT,
            color=c["text"],
            limit=_LABEL_LIMIT,
            lineBreak="\n",
            **text_mark,
        ).encode(x=x, y=y, text="text:N"),
        base.mark_point(filled=True, opacity=1, stroke=c["selection"])
        .encode(
            x=x,
            y=y,
            color=colour,
            shape=shape_channel,
            size=alt.Size(value=110, **selection.if_selected(320)),
            strokeWidth=alt.StrokeWidth(value=0, **selection.if_selected(3)),
            tooltip=[
                alt.Tooltip("touchpoint:N", title="Touchpoint"),
                alt.Tooltip("quadrant_title:N", title="Quadrant"),
                alt.Tooltip("importance:Q", title="Importance", format=".3~f"),
                alt.Tooltip("performance:Q", title="Performance", format=".3~f"),
                alt.Tooltip("direction_title:N", title="Direction"),
                *([alt.Tooltip("number:Q", title="Priority")] if has_rank else []),
                *([alt.Tooltip("n:Q", title="Respondents", format=",")] if "n" in df else []),
            ],
        )
        .add_params(selection.point_selection()),
    ]
    subtitle: list[str] = []
    few = [p for p in points if p["small_n"]]
    if few:
        subtitle.append(
            f"Few respondents (n < {min_n}) at {len(few)} touchpoint"
            f"{'s' if len(few) != 1 else ''}: read with care"
        )
    if any(p["direction"] != "positive" for p in points):
        subtitle.append(
            "Triangles and diamonds: higher scores go with a worse outcome (negative) or "
            "only with the others held equal (suppressor); no priority"
        )
    heading = alt.TitleParams(
        title if title is not None else "Importance x performance", subtitle=subtitle or []
    )
    chart = alt.layer(*layers).properties(width=width, height=height)
    if table is True or (table == "auto" and numbered):
        listing = sorted(points, key=lambda p: p["number"])
        side = (
            alt.Chart(
                alt.InlineData(
                    values=[
                        {
                            FIELD: p[FIELD],
                            "row": j,
                            "text": f"{p['number']}. {p['touchpoint']}",
                            "quadrant_title": p["quadrant_title"],
                        }
                        for j, p in enumerate(listing)
                    ]
                )
            )
            .mark_text(align="left", baseline="middle", fontSize=11, color=c["text"], limit=260)
            .encode(
                x=alt.value(0),
                y=alt.Y("row:O", axis=None, title=None),
                text="text:N",
                tooltip=[alt.Tooltip("quadrant_title:N", title="Quadrant")],
            )
            .properties(
                width=260,
                height=alt.Step(16),
                title=alt.TitleParams("Priority" if has_rank else "Key", anchor="start"),
            )
        )
        combined = alt.hconcat(chart, side, title=heading).add_params(*selection.variable_params())
        return style.apply(combined, theme)
    chart = chart.properties(title=heading).add_params(*selection.variable_params())
    return style.apply(chart, theme)


def _direction_title(direction: str) -> str:
    return {
        "positive": "Positive driver",
        "negative": "Negative driver",
        "suppressor": "Suppressor",
    }.get(direction, direction)


def _line_title(how: str, what: str) -> str:
    return _LINE_TITLES.get(how, "{What} line").format(what=what, What=what.capitalize())
