"""Draw a whole journey map as one standalone SVG document.

The picture follows the widget's grid: stage headers spanning their touchpoint columns, a
header per touchpoint (name, channel, a star for a moment of truth), the emotion curve with
its neutral line, then one row per lane with the cards as sticky notes in their cells.

The SVG is built as an element tree (:mod:`xml.etree.ElementTree`), never by pasting strings,
so every piece of user text is escaped by the serializer and cannot become markup, whatever
it holds.  Layout uses only the map and fixed metrics (no font measurement), so the same map
always gives byte-identical SVG.

Classes are prefixed ``jws-`` (not the widget's ``jw-``) so that the widget's stylesheet,
loaded in the same page, never restyles a static picture.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache

from . import layout as grid_layout
from . import theme
from .model.entities import Card, Lane, Stage, Touchpoint
from .model.journey import JourneyMap

SVG_NS = "http://www.w3.org/2000/svg"

# Fixed metrics (px).  Character width is an average for sans-serif fonts; wrapping with it
# is approximate but deterministic, and every card also carries its full text as a tooltip.
PAD = 16
LABEL_W = 150
COL_W = 176
CARD_W = COL_W - 16
CARD_PAD = 7
CARD_GAP = 6
CARD_FONT = 12
CARD_LINE = 15
CARD_MAX_LINES = 14
BADGE_FONT = 10
BADGE_LINE = 13
HEAD_FONT = 13
HEAD_LINE = 16
STAGE_H = 34
EMOTION_H = 168
MIN_ROW_H = 56
SUMMARY_H = CARD_LINE + 2 * CARD_PAD
CHAR_EM = 0.6  # average advance of a Latin character, in ems (generous: punctuation is wide)
BOLD_EM = 0.66  # the same in bold

# XML 1.0 cannot hold these code points at all, escaped or not; they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` with the code points XML cannot represent replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _char_width(ch: str) -> float:
    # Wide (CJK) and emoji characters take about two Latin character widths.
    return 2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0


def text_width(text: str, size: float) -> float:
    """Approximate rendered width of ``text`` at font ``size`` (px)."""
    return sum(_char_width(ch) for ch in text) * size * CHAR_EM


def wrap(
    text: str, width: float, size: float, max_lines: int | None = None, *, bold: bool = False
) -> list[str]:
    """Break ``text`` into lines that fit ``width`` px at font ``size``.

    Newlines in the text start new lines; words longer than a line are broken.  With
    ``max_lines`` the last kept line ends with an ellipsis when text was cut.
    """
    chars = max(4, int(width / (size * (BOLD_EM if bold else CHAR_EM))))
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        # textwrap counts code points; pass a narrower width when the text has wide glyphs.
        wide = sum(_char_width(c) for c in paragraph) / max(1, len(paragraph))
        lines += textwrap.wrap(paragraph, width=max(2, int(chars / wide))) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, chars - 1)].rstrip() + "\u2026"
    return lines


@cache
def _attr_name(key: str) -> str:
    """SVG attribute name of a keyword argument: ``class_`` -> ``class``, ``font_size`` ->
    ``font-size``, ``data_id`` -> ``data-id``."""
    return key.rstrip("_").replace("_", "-")


def _n(value: float) -> str:
    """A coordinate with at most one decimal, so output is stable across platforms."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _fmt(value: float) -> str:
    return f"{value:g}"


@dataclass
class _Column:
    x: float
    touchpoint: Touchpoint | None  # None: the placeholder column of an empty stage


@dataclass
class _Layout:
    columns: list[_Column] = field(default_factory=list)
    stage_spans: list[tuple[Stage, float, float]] = field(default_factory=list)
    head_lines: dict[str, list[str]] = field(default_factory=dict)
    card_lines: dict[str, list[str]] = field(default_factory=dict)
    row_heights: list[float] = field(default_factory=list)
    title: str = ""
    # Header blocks: (lines, font size, weight, class); each block is one <text>.
    header: list[tuple[list[str], int, str, str]] = field(default_factory=list)


class _Painter:
    """Builds the element tree of one map."""

    def __init__(self, m: JourneyMap, language: str | None, max_cards: int | None) -> None:
        self.m = m
        self.lang = language
        # Past max_cards each cell shows a count instead of its cards, so that a 20,000-card
        # map's fallback stays small and quick to draw.
        self.summary = max_cards is not None and len(m.cards) > max_cards
        self.root = ET.Element("svg")

    # -------------------------------------------------------------- helpers
    def el(self, parent: ET.Element, tag: str, **attrs: str | float) -> ET.Element:
        node = ET.SubElement(parent, tag)
        for key, value in attrs.items():
            node.set(_attr_name(key), _n(value) if isinstance(value, float | int) else clean(value))
        return node

    def text(
        self,
        parent: ET.Element,
        lines: list[str],
        x: float,
        y: float,
        *,
        size: float,
        line_h: float,
        **attrs: str | float,
    ) -> ET.Element:
        node = self.el(parent, "text", x=x, y=y, font_size=size, **attrs)
        if len(lines) == 1:
            node.text = clean(lines[0])
            return node
        for i, line in enumerate(lines):
            span = self.el(node, "tspan", x=x, dy=0 if i == 0 else line_h)
            span.text = clean(line)
        return node

    def tooltip(self, parent: ET.Element, text: str) -> None:
        ET.SubElement(parent, "title").text = clean(text)

    def label(self, entity: Stage | Touchpoint | Lane | Card) -> str:
        return entity.label(self.lang)

    # -------------------------------------------------------------- layout
    def layout(self) -> _Layout:
        m, lay = self.m, _Layout()
        # The header wraps within the drawing, and at 900 px even on a wide map: long lines
        # are hard to read.
        columns = sum(max(1, len(m.touchpoints_in(s.id))) for s in m.stages)
        title_w = min(900.0, max(420.0, PAD + LABEL_W + COL_W * max(1, columns) + PAD) - 2 * PAD)
        info = m.info
        lay.title = info.labels.get(self.lang or "", "") or info.title or "Untitled journey"
        lay.header.append(
            (wrap(lay.title, title_w, 20, max_lines=2, bold=True), 20, "bold", "jws-title")
        )
        persona = m.persona
        bits = []
        if persona is not None:
            who = persona.label(self.lang)
            bits.append(f"Persona: {who}" + (f" ({persona.role})" if persona.role else ""))
        bits.append(f"{info.kind} journey, {info.state} state")
        lay.header.append(
            (wrap(" \u00b7 ".join(bits), title_w, 12, max_lines=2), 12, "normal", "jws-subtitle")
        )
        for text, cls in ((info.scenario, "jws-scenario"), (info.description, "jws-description")):
            if text:
                lay.header.append((wrap(text, title_w, 12, max_lines=4), 12, "normal", cls))
        if self.summary:
            note = f"{len(m.cards):,} cards: each cell shows how many it holds."
            lay.header.append(([note], 12, "normal", "jws-note"))

        x = float(PAD + LABEL_W)
        for stage in m.stages:
            tps: list[Touchpoint | None] = list(m.touchpoints_in(stage.id))
            start = x
            for tp in tps or [None]:  # an empty stage keeps one blank column
                lay.columns.append(_Column(x, tp))
                x += COL_W
            lay.stage_spans.append((stage, start, x))
        for tp in m.touchpoints:
            lay.head_lines[tp.id] = wrap(
                self.label(tp), COL_W - 26, HEAD_FONT, max_lines=3, bold=True
            )
        for card in [] if self.summary else m.cards:
            lay.card_lines[card.id] = wrap(
                self.label(card), CARD_W - 2 * CARD_PAD, CARD_FONT, max_lines=CARD_MAX_LINES
            )
        for lane in m.lanes:
            tallest = 0.0
            name_h = (
                len(wrap(self.label(lane), LABEL_W - 24, HEAD_FONT, 4, bold=True)) * HEAD_LINE + 24
            )
            for col in lay.columns:
                if col.touchpoint is None:
                    continue
                cards = m.cards_in(touchpoint=col.touchpoint.id, lane=lane.id)
                if self.summary:
                    height = SUMMARY_H + CARD_GAP if cards else 0.0
                else:
                    height = sum(self.card_height(lay, c) + CARD_GAP for c in cards)
                tallest = max(tallest, height)
            lay.row_heights.append(max(MIN_ROW_H, name_h, tallest + 2 * CARD_GAP))
        return lay

    def card_height(self, lay: _Layout, card: Card) -> float:
        extra = len(_badges(card)) * BADGE_LINE
        return len(lay.card_lines[card.id]) * CARD_LINE + 2 * CARD_PAD + extra

    # -------------------------------------------------------------- drawing
    def draw(self) -> ET.Element:
        m, lay = self.m, self.layout()
        head_h = max([len(v) for v in lay.head_lines.values()] or [1]) * HEAD_LINE + 30
        title_h = sum(len(lines) * (size + 4) + 4 for lines, size, _, _ in lay.header) + PAD
        right = max(PAD + LABEL_W + COL_W * max(1, len(lay.columns)) + PAD, 420.0)
        y_stage = title_h + PAD / 2
        y_head = y_stage + STAGE_H
        # Rows in the order the widget draws them (journeywidgets.layout): the emotion row
        # sits just above the first emotions lane.
        heights = {lane.id: h for lane, h in zip(m.lanes, lay.row_heights, strict=True)}
        lane_tops: dict[str, float] = {}
        y_emotion: float | None = None
        y_row = y_head + head_h
        for row in grid_layout.rows(m):
            if row.lane is None:
                y_emotion = y_row
                y_row += EMOTION_H
            else:
                lane_tops[row.lane.id] = y_row
                y_row += heights[row.lane.id]
        bottom = y_row + PAD

        title = lay.title
        root = self.root
        root.attrib.update(
            {
                "xmlns": SVG_NS,
                "width": _n(right),
                "height": _n(bottom),
                "viewBox": f"0 0 {_n(right)} {_n(bottom)}",
                "role": "img",
                "aria-label": clean(f"Journey map: {title}"),
                "font-family": theme.PLAIN_FONT_FAMILY,
                "class": "jws-map",
                "data-map-id": clean(m.id),
            }
        )
        self.tooltip(root, f"Journey map: {title}")
        self.el(root, "rect", x=0, y=0, width=right, height=bottom, fill="#ffffff")

        y = float(PAD)
        for lines, size, weight, cls in lay.header:
            fill = "#212121" if weight == "bold" else "#555555"
            self.text(root, lines, PAD, y + size + 4, size=size, line_h=size + 4,
                      font_weight=weight, fill=fill, class_=cls)  # fmt: skip
            y += len(lines) * (size + 4) + 4

        self.draw_stages(lay, y_stage)
        self.draw_touchpoint_heads(lay, y_head, head_h)
        if y_emotion is not None:
            self.draw_emotion(lay, y_emotion)
        self.draw_lanes(lay, lane_tops)
        # Column separators over the whole grid make the cells readable.
        grid = self.el(root, "g", class_="jws-grid", stroke="#e0e0e0", stroke_width=1)
        for col in lay.columns[1:]:
            self.el(grid, "line", x1=col.x, y1=y_head, x2=col.x, y2=bottom - PAD)
        return root

    def draw_stages(self, lay: _Layout, y: float) -> None:
        group = self.el(self.root, "g", class_="jws-stages")
        for i, (stage, x0, x1) in enumerate(lay.stage_spans):
            g = self.el(group, "g", class_="jws-stage", data_id=stage.id)
            fill = "#37474f" if i % 2 == 0 else "#546e7a"
            self.el(
                g, "rect", x=x0 + 1, y=y, width=x1 - x0 - 2, height=STAGE_H - 4, rx=4, fill=fill
            )
            name = self.label(stage)
            line = wrap(name, x1 - x0 - 16, HEAD_FONT, max_lines=1, bold=True)
            self.text(
                g,
                line,
                x0 + 8,
                y + 20,
                size=HEAD_FONT,
                line_h=HEAD_LINE,
                fill="#ffffff",
                font_weight="bold",
            )
            self.tooltip(g, name + (f"\n{stage.description}" if stage.description else ""))

    def draw_touchpoint_heads(self, lay: _Layout, y: float, height: float) -> None:
        group = self.el(self.root, "g", class_="jws-touchpoints")
        for col in lay.columns:
            tp = col.touchpoint
            if tp is None:
                continue
            g = self.el(group, "g", class_="jws-touchpoint", data_id=tp.id)
            self.el(
                g,
                "rect",
                x=col.x + 2,
                y=y + 2,
                width=COL_W - 4,
                height=height - 6,
                rx=4,
                fill="#f5f5f5",
                stroke="#bdbdbd",
            )
            lines = lay.head_lines[tp.id]
            self.text(
                g,
                lines,
                col.x + 9,
                y + 19,
                size=HEAD_FONT,
                line_h=HEAD_LINE,
                fill="#212121",
                font_weight="bold",
                class_="jws-touchpoint-name",
            )
            if tp.channel:
                channel = wrap(tp.channel, COL_W - 18, 11, max_lines=1)
                self.text(
                    g,
                    channel,
                    col.x + 9,
                    y + height - 12,
                    size=11,
                    line_h=13,
                    fill="#616161",
                    font_style="italic",
                    class_="jws-channel",
                )
            if tp.moment_of_truth:
                star = self.text(
                    g,
                    ["\u2605"],
                    col.x + COL_W - 20,
                    y + 20,
                    size=16,
                    line_h=16,
                    fill=theme.MOMENT_OF_TRUTH,
                    class_="jws-moment-of-truth",
                )
                self.tooltip(star, "Moment of truth")
            details = [self.label(tp)]
            details += [f"Channel: {tp.channel}"] if tp.channel else []
            details += [f"Owner: {tp.owner}"] if tp.owner else []
            details += [tp.description] if tp.description else []
            details += ["Moment of truth"] if tp.moment_of_truth else []
            self.tooltip(g, "\n".join(details))

    def draw_emotion(self, lay: _Layout, y: float) -> None:
        scale = self.m.scale
        top, bottom = y + 14, y + EMOTION_H - 14
        span = scale.max - scale.min

        def to_y(value: float) -> float:
            return top + (scale.max - value) / span * (bottom - top)

        group = self.el(self.root, "g", class_="jws-emotion")
        x0, x1 = PAD + LABEL_W, PAD + LABEL_W + COL_W * max(1, len(lay.columns))
        self.el(
            group,
            "rect",
            x=PAD,
            y=y + 2,
            width=x1 - PAD,
            height=EMOTION_H - 4,
            fill="#fafafa",
            stroke="#eeeeee",
        )
        self.text(
            group,
            ["Emotion"],
            PAD + 8,
            y + 22,
            size=HEAD_FONT,
            line_h=HEAD_LINE,
            fill="#212121",
            font_weight="bold",
        )
        for value in sorted({scale.min, scale.neutral, scale.max}):
            name = scale.labels.get(_fmt(value), "")
            self.text(
                group,
                [f"{_fmt(value)} {name}".strip()],
                x0 - 8,
                to_y(value) + 4,
                size=11,
                line_h=13,
                fill="#757575",
                text_anchor="end",
            )
        ny = to_y(scale.neutral)
        self.el(
            group,
            "line",
            x1=x0,
            y1=ny,
            x2=x1,
            y2=ny,
            stroke=theme.NEUTRAL,
            stroke_dasharray="5 4",
            class_="jws-neutral",
        )

        points: list[tuple[float, float, Touchpoint]] = [
            (col.x + COL_W / 2, to_y(col.touchpoint.emotion), col.touchpoint)
            for col in lay.columns
            if col.touchpoint is not None and col.touchpoint.emotion is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{_n(px)},{_n(py)}" for px, py, _ in points)
            self.el(
                group,
                "polyline",
                points=path,
                fill="none",
                stroke=theme.CURVE,
                stroke_width=2.5,
                stroke_linejoin="round",
                class_="jws-curve",
            )
        for col in lay.columns:
            tp = col.touchpoint
            if tp is None or tp.measured is None:
                continue
            cx, meas = col.x + COL_W / 2 + 14, tp.measured
            g = self.el(group, "g", class_="jws-measured", data_id=tp.id)
            if meas.low is not None and meas.high is not None:
                self.el(
                    g,
                    "line",
                    x1=cx,
                    y1=to_y(_clamp(meas.low, scale.min, scale.max)),
                    x2=cx,
                    y2=to_y(_clamp(meas.high, scale.min, scale.max)),
                    stroke=theme.MEASURED,
                    stroke_width=2,
                )
            my = to_y(_clamp(meas.emotion, scale.min, scale.max))
            self.el(
                g,
                "rect",
                x=cx - 4,
                y=my - 4,
                width=8,
                height=8,
                fill=theme.MEASURED,
                transform=f"rotate(45 {_n(cx)} {_n(my)})",
            )
            interval = (
                f" [{meas.low:.2g}, {meas.high:.2g}]"
                if meas.low is not None and meas.high is not None
                else ""
            )
            metric = f" ({meas.metric})" if meas.metric else ""
            self.tooltip(g, f"Measured {meas.emotion:.2g}{interval}, n={meas.n}{metric}")
        for px, py, tp in points:
            assert tp.emotion is not None
            if tp.emotion > scale.neutral:
                colour = theme.POSITIVE
            elif tp.emotion < scale.neutral:
                colour = theme.NEGATIVE
            else:
                colour = theme.NEUTRAL
            g = self.el(group, "g", class_="jws-emotion-point", data_id=tp.id)
            self.el(g, "circle", cx=px, cy=py, r=6, fill=colour, stroke="#ffffff", stroke_width=2)
            self.text(g, [_fmt(tp.emotion)], px + 9, py - 8, size=11, line_h=13, fill=colour)
            self.tooltip(g, f"{self.label(tp)}: {_fmt(tp.emotion)}")

    def draw_lanes(self, lay: _Layout, tops: dict[str, float]) -> None:
        m = self.m
        group = self.el(self.root, "g", class_="jws-lanes")
        for lane, height in zip(m.lanes, lay.row_heights, strict=True):
            y = tops[lane.id]
            g = self.el(group, "g", class_="jws-lane", data_id=lane.id)
            colour = lane.display_colour
            right = PAD + LABEL_W + COL_W * max(1, len(lay.columns))
            self.el(
                g,
                "rect",
                x=PAD,
                y=y + 2,
                width=right - PAD,
                height=height - 4,
                fill=colour,
                fill_opacity=0.12,
            )
            self.el(g, "rect", x=PAD, y=y + 2, width=6, height=height - 4, fill=colour)
            name = wrap(self.label(lane), LABEL_W - 24, HEAD_FONT, max_lines=4, bold=True)
            self.text(
                g,
                name,
                PAD + 14,
                y + 22,
                size=HEAD_FONT,
                line_h=HEAD_LINE,
                fill="#212121",
                font_weight="bold",
                class_="jws-lane-name",
            )
            self.tooltip(
                g, self.label(lane) + (f"\n{lane.description}" if lane.description else "")
            )
            for col in lay.columns:
                if col.touchpoint is None:
                    continue
                cy = y + CARD_GAP
                cards = m.cards_in(touchpoint=col.touchpoint.id, lane=lane.id)
                if self.summary:
                    self.draw_summary(g, len(cards), col.x + 8, cy, colour)
                    continue
                for card in cards:
                    cy += self.draw_card(g, lay, card, col.x + 8, cy, colour) + CARD_GAP

    def draw_summary(self, parent: ET.Element, count: int, x: float, y: float, colour: str) -> None:
        """One note standing for all the cards of a cell, on maps too large to draw them."""
        if not count:
            return
        g = self.el(parent, "g", class_="jws-cell-summary")
        self.el(g, "rect", x=x, y=y, width=CARD_W, height=SUMMARY_H, rx=2, fill=colour)
        label = f"{count} card{'s' if count != 1 else ''}"
        self.text(g, [label], x + CARD_PAD, y + CARD_PAD + CARD_FONT, size=CARD_FONT,
                  line_h=CARD_LINE, fill="#212121")  # fmt: skip

    def draw_card(
        self, parent: ET.Element, lay: _Layout, card: Card, x: float, y: float, colour: str
    ) -> float:
        height = self.card_height(lay, card)
        g = self.el(parent, "g", class_="jws-card", data_id=card.id)
        # A soft offset shadow reads as a sticky note on paper.
        self.el(
            g,
            "rect",
            x=x + 2,
            y=y + 2,
            width=CARD_W,
            height=height,
            rx=2,
            fill="#000000",
            fill_opacity=0.12,
        )
        self.el(g, "rect", x=x, y=y, width=CARD_W, height=height, rx=2, fill=colour)
        lines = lay.card_lines[card.id]
        self.text(
            g,
            lines,
            x + CARD_PAD,
            y + CARD_PAD + CARD_FONT,
            size=CARD_FONT,
            line_h=CARD_LINE,
            fill="#212121",
            class_="jws-card-text",
        )
        badges = _badges(card)
        if badges:
            by = y + CARD_PAD + CARD_FONT + len(lines) * CARD_LINE
            self.text(
                g,
                badges,
                x + CARD_PAD,
                by,
                size=BADGE_FONT,
                line_h=BADGE_LINE,
                fill="#424242",
                font_weight="bold" if card.quick_win else "normal",
                class_="jws-card-badges",
            )
        tip = [self.label(card)]
        tip += [f"Tags: {', '.join(card.tags)}"] if card.tags else []
        tip += [f"Source: {card.source}"]
        tip += [f"Owner: {card.owner}"] if card.owner else []
        self.tooltip(g, "\n".join(tip))
        return height


def _badges(card: Card) -> list[str]:
    """The card's quick-win / impact / effort marks, wrapped to the card's width."""
    bits = ["quick win"] if card.quick_win else []
    bits += [f"impact {card.impact}"] if card.impact is not None else []
    bits += [f"effort {card.effort}"] if card.effort is not None else []
    if not bits:
        return []
    return wrap(" \u00b7 ".join(bits), CARD_W - 2 * CARD_PAD, BADGE_FONT)


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def render(
    m: JourneyMap, *, language: str | None = None, max_cards: int | None = None
) -> ET.Element:
    """The map's SVG as an element tree (see :func:`journeywidgets.export.to_svg`)."""
    return _Painter(m, language, max_cards).draw()


def to_string(root: ET.Element) -> str:
    """Serialize an SVG element tree; the serializer escapes every text and attribute."""
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)
