"""The touchpoint axis: touchpoints in journey order, their labels and the stage bands.

Touchpoints sit on an ordinal ``touchpoint_id`` axis (ids are unique; names need not be)
whose scale domain is the journey order.  The axis shows each touchpoint's label, wrapped
onto up to three lines when there is room and slanted when touchpoints are many.  Stage
bands are one rect per touchpoint, shaded per stage, with the stage's name centred over its
touchpoints above the plot.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt

from .selection import FIELD

#: Horizontal space per touchpoint, in pixels, when no width is given.
DEFAULT_STEP = 96.0
MIN_STEP = 28.0
#: Widest default chart; beyond it touchpoints get narrower (down to MIN_STEP).
DEFAULT_MAX_WIDTH = 700.0
#: With at least this much room per touchpoint labels are wrapped horizontally.
WRAP_STEP = 70.0
# Average glyph width of an 11 px sans-serif label, to fit wrapped lines into a step.
_CHAR_PX = 6.2
# ... and of the bold 12 px stage names.
_STAGE_CHAR_PX = 8.2


@dataclass
class StageRun:
    """Consecutive touchpoints of one stage on the axis."""

    stage_id: str
    label: str
    first: int
    count: int


@dataclass
class JourneyAxis:
    """Order, labels and stage runs of the touchpoints on a chart's x axis."""

    ids: list[str]
    labels: dict[str, str]
    stage_of: dict[str, str]
    stage_labels: dict[str, str]
    step: float
    runs: list[StageRun] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        ids: Sequence[str],
        labels: dict[str, str],
        stage_of: dict[str, str],
        stage_labels: dict[str, str],
        width: float | None,
    ) -> JourneyAxis:
        n = max(1, len(ids))
        if width is None:
            step = max(MIN_STEP, min(DEFAULT_STEP, DEFAULT_MAX_WIDTH / n))
        else:
            if width <= 0:
                raise ValueError(f"width must be positive, got {width!r}")
            step = float(width) / n
        axis = cls(list(ids), dict(labels), dict(stage_of), dict(stage_labels), step)
        for i, tp in enumerate(axis.ids):
            stage = axis.stage_of.get(tp, "")
            if axis.runs and axis.runs[-1].stage_id == stage:
                axis.runs[-1].count += 1
            else:
                axis.runs.append(StageRun(stage, axis.stage_labels.get(stage, stage), i, 1))
        return axis

    @property
    def width(self) -> float:
        return self.step * len(self.ids)

    @property
    def wrapped(self) -> bool:
        return self.step >= WRAP_STEP

    def label_lines(self, tp: str) -> list[str]:
        """The axis label of ``tp``: wrapped to the step, at most three lines."""
        chars = max(6, int((self.step - 6) / _CHAR_PX))
        # Words are not broken ("przyłą-czenie" reads worse than "przyłącz…"): a word longer
        # than the step is cut by the axis' label limit.
        lines = textwrap.wrap(self.labels.get(tp, tp), chars, break_long_words=False) or [tp]
        if len(lines) > 3:
            lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), chars, placeholder="…")]
        return lines

    def label_expr(self) -> str:
        """A Vega expression mapping an id (``datum.value``) to its label (lines when wrapped).

        Labels are JSON-quoted into an object literal, so any text (quotes, diacritics, markup)
        stays literal text.
        """
        entries = []
        for tp in self.ids:
            value: Any = self.label_lines(tp) if self.wrapped else self.labels.get(tp, tp)
            entries.append(
                f"{json.dumps(tp, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
            )
        return "{" + ", ".join(entries) + "}[datum.value]"

    def x(self, *, title: str | None = None, labels: bool = True, bare: bool = False) -> alt.X:
        """The x encoding: ordinal ids, journey order, no padding so bands touch.

        ``bare=True`` leaves the axis out: layers share the first layer's axis, so its label
        table is written into the spec once rather than once per layer.  It also leaves out
        ``sort`` (the scale's domain already gives the order): on long journeys each copy of
        the id list costs time every time altair copies or converts the chart.
        """
        scale = alt.Scale(domain=self.ids, paddingInner=0, paddingOuter=0)
        if bare:
            return alt.X(f"{FIELD}:N", scale=scale)
        axis = alt.Axis(
            title=title,
            labelExpr=self.label_expr(),
            labelAngle=0 if self.wrapped else -40,
            labelAlign="center" if self.wrapped else "right",
            labelBaseline="top",
            labelLimit=self.step - 2 if self.wrapped else 170,
            labelPadding=6,
            labelLineHeight=13,
            ticks=False,
            domain=False,
            labels=labels,
            labelFontSize=11,
            # Screen readers hear the names, not the ids the scale is built on.
            description="Touchpoints in journey order: "
            + "; ".join(self.labels.get(tp, tp) for tp in self.ids),
        )
        return alt.X(
            f"{FIELD}:N",
            sort=self.ids,
            scale=scale,
            axis=axis,
        )

    def y(self, *, title: str | None = None, limit: float = 220) -> alt.Y:
        """A y encoding listing touchpoints top to bottom in journey order (single-line labels)."""
        expr = (
            "{"
            + ", ".join(
                f"{json.dumps(tp, ensure_ascii=False)}: "
                f"{json.dumps(self.labels.get(tp, tp), ensure_ascii=False)}"
                for tp in self.ids
            )
            + "}[datum.value]"
        )
        return alt.Y(
            f"{FIELD}:N",
            sort=self.ids,
            scale=alt.Scale(domain=self.ids),
            axis=alt.Axis(title=title, labelExpr=expr, labelLimit=limit, ticks=False, domain=False),
        )

    def stage_lines(self, run: StageRun) -> list[str]:
        """A stage's name wrapped onto at most two lines of its span (bold 12 px text)."""
        chars = max(4, int((run.count * self.step - 8) / _STAGE_CHAR_PX))
        lines = textwrap.wrap(run.label, chars, break_long_words=False) or [run.label]
        if len(lines) > 2:
            lines = [lines[0], " ".join(lines[1:])]  # the limit ellipsizes what is left
        return lines

    def stage_font(self, run: StageRun, limit: float) -> float:
        """Font size of a stage's name: 12 px, smaller (down to 9) when a word would not fit."""
        longest = max(len(line) for line in self.stage_lines(run)) * _STAGE_CHAR_PX
        if longest <= limit:
            return 12.0
        return float(max(9, int(12 * limit / longest)))

    def stage_name_height(self) -> float:
        """Pixels the stage names take above the plot (8 px gap, 14 px per line)."""
        lines = max((len(self.stage_lines(run)) for run in self.runs), default=1)
        return 8 + 14 * lines

    def stage_limits(self) -> list[float]:
        """How wide each stage's name may be drawn, in pixels.

        Its own span, plus room its neighbours leave unused on both sides (a name is
        centred, so it can only grow by the smaller of the two), so that a short stage next
        to short names is not cut.
        """
        spans = [run.count * self.step for run in self.runs]
        used = [
            max(len(line) for line in self.stage_lines(run)) * _STAGE_CHAR_PX for run in self.runs
        ]
        free = [max(0.0, (span - width) / 2) for span, width in zip(spans, used, strict=True)]
        limits = []
        for i, span in enumerate(spans):
            left = free[i - 1] if i > 0 else 0.0
            right = free[i + 1] if i + 1 < len(spans) else 0.0
            limits.append(max(10.0, span - 8 + 2 * min(left, right)))
        return limits

    def rows(self) -> list[dict[str, Any]]:
        """One row per touchpoint: id, label, order, stage, band parity and stage-label place."""
        out: list[dict[str, Any]] = []
        limits = self.stage_limits()
        for r, run in enumerate(self.runs):
            half = (run.count - 1) / 2
            anchor = run.first + int(half)
            for i in range(run.first, run.first + run.count):
                tp = self.ids[i]
                out.append(
                    {
                        FIELD: tp,
                        "touchpoint": self.labels.get(tp, tp),
                        "order": i,
                        "stage_id": run.stage_id,
                        "stage": run.label,
                        "band": r % 2,
                        # The stage name is drawn once per run, centred: on the middle
                        # touchpoint, or half a step right of it when the count is even.
                        "stage_anchor": i == anchor,
                        "stage_dx": (half - int(half)) * self.step,
                        "stage_limit": limits[r],
                        "stage_lines": self.stage_lines(run),
                        "stage_font": self.stage_font(run, limits[r]),
                    }
                )
        return out


def band_layers(
    base: alt.Chart, axis: JourneyAxis, colours: dict[str, str], *, labels: bool = True
) -> list[alt.Chart]:
    """Stage bands (alternating tints) and stage names above the plot.

    ``labels=False`` leaves the touchpoint names off the axis (a panel below shows them).
    """
    bands = base.mark_rect(color=colours["band"], strokeWidth=0).encode(
        x=axis.x(labels=labels),
        opacity=alt.condition("datum.band == 1", alt.value(0.16), alt.value(0.06)),
    )
    names = (
        base.transform_filter("datum.stage_anchor")
        .mark_text(
            baseline="bottom",
            fontWeight="bold",
            fontSize=alt.expr("datum.stage_font"),
            color=colours["title"],
            dx=alt.expr("datum.stage_dx"),
            # Vega draws extra lines below the first: lift two-line names by one line.
            dy=alt.expr("-(length(datum.stage_lines) - 1) * 14"),
            lineHeight=14,
            limit=alt.expr("datum.stage_limit"),
            ellipsis="…",
        )
        .encode(x=axis.x(bare=True), y=alt.value(-8), text="stage_lines:N")
    )
    return [bands, names]
