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
from dataclasses import dataclass, field, replace
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
PERSONA_FONT = 11
PERSONA_LINE = 14
PERSONA_PAD = 12
AVATAR_D = 44
LEGEND_FONT = 11
LEGEND_H = 22
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
    stage: Stage | None = None
    overlap: bool = False  # drawn faded: it belongs to the next page or tile


@dataclass(frozen=True)
class View:
    """Which part of a map one picture shows: the whole map, or a page or tile of it.

    Parameters
    ----------
    columns:
        ``(start, stop)`` over :func:`column_units` (touchpoints in map order, plus one
        blank column per empty stage); None shows every column.
    overlap:
        How many columns after ``stop`` to draw faded, as the overlap strip of a poster tile.
    lanes:
        ``(start, stop)`` over the map's lanes; None shows every lane.
    header:
        Draw the title, the persona panel and the legend above the grid.
    emotion:
        Draw the emotion row.
    grid:
        Draw the grid at all (False: only the header, as a cover page).
    cards:
        ``(start, stop)`` over each cell's cards: a lane too tall for one page goes on over
        several, its cards split between them.  None shows every card.
    width:
        Width (px) of a cover page (``grid=False``); a narrow page wraps the header sooner.
    """

    columns: tuple[int, int] | None = None
    overlap: int = 0
    lanes: tuple[int, int] | None = None
    header: bool = True
    emotion: bool = True
    grid: bool = True
    cards: tuple[int, int] | None = None
    width: float = 932.0


def column_units(m: JourneyMap) -> list[tuple[Stage, Touchpoint | None]]:
    """The map's columns in order: ``(stage, touchpoint)``, ``(stage, None)`` for an empty
    stage (it keeps one blank column so that its header shows)."""
    # The order is the widget's too: both follow journeywidgets.layout (layout.json).
    return [(column.stage, column.touchpoint) for column in grid_layout.columns(m)]


@dataclass
class _Layout:
    columns: list[_Column] = field(default_factory=list)
    stage_spans: list[tuple[Stage, float, float]] = field(default_factory=list)
    head_lines: dict[str, list[str]] = field(default_factory=dict)
    card_lines: dict[str, list[str]] = field(default_factory=dict)
    row_heights: list[float] = field(default_factory=list)
    lanes: list[Lane] = field(default_factory=list)
    title: str = ""
    # Header blocks: (lines, font size, weight, class); each block is one <text>.
    header: list[tuple[list[str], int, str, str]] = field(default_factory=list)
    header_w: float = 0.0
    persona: _PersonaBox | None = None
    legend: list[tuple[str, str, float]] = field(default_factory=list)  # (mark, text, width)

    @property
    def grid_right(self) -> float:
        return PAD + LABEL_W + COL_W * max(1, len(self.columns))


@dataclass
class _PersonaBox:
    """The persona panel's wrapped text and height."""

    name: str
    initials: str
    role: list[str]
    quote: list[str]
    about: list[str]
    lists: list[tuple[str, list[list[str]]]]  # (heading, wrapped items)
    col_w: float
    height: float


class _Painter:
    """Builds the element tree of one map."""

    def __init__(
        self, m: JourneyMap, language: str | None, max_cards: int | None, view: View | None = None
    ) -> None:
        self.m = m
        self.lang = language
        self.view = view or View()
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
        m, lay, view = self.m, _Layout(), self.view
        units = column_units(m)
        first, stop = view.columns or (0, len(units))
        shown = units[first : min(len(units), stop + view.overlap)]
        lanes = m.lanes
        lay.lanes = lanes[slice(*view.lanes)] if view.lanes else lanes

        x = float(PAD + LABEL_W)
        for n, (stage, tp) in enumerate(shown):
            lay.columns.append(_Column(x, tp, stage, overlap=first + n >= stop))
            if lay.stage_spans and lay.stage_spans[-1][0].id == stage.id:
                lay.stage_spans[-1] = (stage, lay.stage_spans[-1][1], x + COL_W)
            else:
                lay.stage_spans.append((stage, x, x + COL_W))
            x += COL_W
        if view.header:
            self.layout_header(lay)
        for col in lay.columns:
            if col.touchpoint is not None:
                lay.head_lines[col.touchpoint.id] = wrap(
                    self.label(col.touchpoint), COL_W - 26, HEAD_FONT, max_lines=3, bold=True
                )
        for lane in lay.lanes:
            tallest = 0.0
            name_h = (
                len(wrap(self.lane_name(lane), LABEL_W - 24, HEAD_FONT, 4, bold=True)) * HEAD_LINE
                + 24
            )
            for col in lay.columns:
                if col.touchpoint is None:
                    continue
                cards = self.cell_cards(col.touchpoint, lane)
                if self.summary:
                    height = SUMMARY_H + CARD_GAP if cards else 0.0
                else:
                    for card in cards:
                        lay.card_lines[card.id] = wrap(
                            self.label(card),
                            CARD_W - 2 * CARD_PAD,
                            CARD_FONT,
                            max_lines=CARD_MAX_LINES,
                        )
                    height = sum(self.card_height(lay, c) + CARD_GAP for c in cards)
                tallest = max(tallest, height)
            lay.row_heights.append(max(MIN_ROW_H, name_h, tallest + 2 * CARD_GAP))
        return lay

    def layout_header(self, lay: _Layout) -> None:
        """Title, subtitle, scenario, persona panel and legend above the grid."""
        m, info = self.m, self.m.info
        # The header wraps within the drawing, and at 900 px even on a wide map: long lines
        # are hard to read.
        # A cover page (no grid) takes the widest header: fewer, longer lines read better.
        grid_w = lay.grid_right + PAD if self.view.grid else self.view.width
        title_w = min(900.0, max(420.0, grid_w) - 2 * PAD)
        lay.header_w = title_w
        lay.title = info.labels.get(self.lang or "", "") or info.title or "Untitled journey"
        lay.header.append(
            (wrap(lay.title, title_w, 20, max_lines=2, bold=True), 20, "bold", "jws-title")
        )
        bits = [f"{info.kind} journey, {info.state} state"]
        lay.header.append(
            (wrap(" \u00b7 ".join(bits), title_w, 12, max_lines=2), 12, "normal", "jws-subtitle")
        )
        for text, cls in ((info.scenario, "jws-scenario"), (info.description, "jws-description")):
            if text:
                lay.header.append((wrap(text, title_w, 12, max_lines=4), 12, "normal", cls))
        if self.summary:
            note = f"{len(m.cards):,} cards: each cell shows how many it holds."
            lay.header.append(([note], 12, "normal", "jws-note"))
        if m.persona is not None:
            lay.persona = self.layout_persona(title_w)
        lay.legend = self.legend_items()

    def layout_persona(self, width: float) -> _PersonaBox:
        persona = self.m.persona
        assert persona is not None
        name = persona.label(self.lang)
        text_w = width - 2 * PERSONA_PAD - AVATAR_D - 12
        role = " \u00b7 ".join(b for b in (persona.role, persona.segment) if b)
        lists = [
            (heading, items)
            for heading, items in (
                ("Goals", persona.goals),
                ("Needs", persona.expectations),
                ("Pains", persona.frustrations),
            )
            if items
        ]
        col_w = (width - 2 * PERSONA_PAD - 16 * max(0, len(lists) - 1)) / max(1, len(lists))
        wrapped = [
            (heading, [wrap(f"\u2022 {item}", col_w, PERSONA_FONT, max_lines=3) for item in items])
            for heading, items in lists
        ]
        box = _PersonaBox(
            name=name,
            initials=_initials(name),
            role=wrap(role, text_w, PERSONA_FONT, max_lines=1) if role else [],
            quote=wrap(f"\u201c{persona.quote}\u201d", text_w, PERSONA_FONT, max_lines=2)
            if persona.quote
            else [],
            about=wrap(persona.description, text_w, PERSONA_FONT, max_lines=3)
            if persona.description
            else [],
            lists=wrapped,
            col_w=col_w,
            height=0.0,
        )
        top = 18 + len(box.role + box.quote + box.about) * PERSONA_LINE
        top = max(top, AVATAR_D + 4)
        lists_h = max(
            [PERSONA_LINE + sum(len(i) for i in items) * PERSONA_LINE for _, items in wrapped]
            or [0]
        )
        box.height = 2 * PERSONA_PAD + top + (lists_h + 8 if wrapped else 0)
        return box

    def legend_items(self) -> list[tuple[str, str, float]]:
        return legend_items(self.m, LEGEND_FONT)

    def lane_name(self, lane: Lane) -> str:
        """The lane's label; "(continued)" on a page that goes on with its cards."""
        cont = self.view.cards is not None and self.view.cards[0] > 0 and not self.summary
        return self.label(lane) + (" (continued)" if cont else "")

    def cell_cards(self, tp: Touchpoint, lane: Lane) -> list[Card]:
        """The cards of one cell that this view shows."""
        cards = self.m.cards_in(touchpoint=tp.id, lane=lane.id)
        if self.view.cards is None or self.summary:
            return list(cards)
        return list(cards[slice(*self.view.cards)])

    def card_height(self, lay: _Layout, card: Card) -> float:
        extra = len(_badges(card)) * BADGE_LINE
        return len(lay.card_lines[card.id]) * CARD_LINE + 2 * CARD_PAD + extra

    # -------------------------------------------------------------- drawing
    def draw(self) -> ET.Element:
        m, lay, view = self.m, self.layout(), self.view
        head_h = max([len(v) for v in lay.head_lines.values()] or [1]) * HEAD_LINE + 30
        title_h = float(sum(len(lines) * (size + 4) + 4 for lines, size, _, _ in lay.header))
        if lay.persona is not None:
            title_h += lay.persona.height + PAD / 2
        if lay.legend:
            title_h += self.legend_height(lay) + PAD / 2
        title_h += PAD if view.header else 0
        right = max(
            lay.grid_right + PAD if view.grid else 0.0,
            max(420.0, lay.header_w + 2 * PAD) if view.header else 0.0,
        )
        y_stage = title_h + PAD / 2
        y_head = y_stage + STAGE_H
        # Rows in the order the widget draws them (journeywidgets.layout): the emotion row
        # sits just above the first emotions lane.
        heights = {lane.id: h for lane, h in zip(lay.lanes, lay.row_heights, strict=True)}
        lane_tops: dict[str, float] = {}
        y_emotion: float | None = None
        y_row = y_head + head_h
        for row in grid_layout.rows(m, lanes=lay.lanes, emotion=view.emotion):
            if row.lane is None:
                y_emotion = y_row
                y_row += EMOTION_H
            else:
                lane_tops[row.lane.id] = y_row
                y_row += heights[row.lane.id]
        bottom = y_row + PAD if view.grid else title_h

        title = lay.title or m.info.title or "Untitled journey"
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
        if lay.persona is not None:
            self.draw_persona(lay.persona, PAD, y + PAD / 2, lay.header_w)
            y += lay.persona.height + PAD / 2
        if lay.legend:
            self.draw_legend(lay, PAD, y + PAD / 2)

        if not view.grid:
            return root
        self.draw_stages(lay, y_stage)
        self.draw_touchpoint_heads(lay, y_head, head_h)
        if y_emotion is not None:
            self.draw_emotion(lay, y_emotion)
        self.draw_lanes(lay, lane_tops)
        # Column separators over the whole grid make the cells readable.
        grid = self.el(root, "g", class_="jws-grid", stroke="#e0e0e0", stroke_width=1)
        for col in lay.columns[1:]:
            self.el(grid, "line", x1=col.x, y1=y_head, x2=col.x, y2=bottom - PAD)
        overlap = [col for col in lay.columns if col.overlap]
        if overlap:
            # A poster tile's overlap strip: the next tile's first columns, faded, so that
            # sheets glued edge to edge line up; the dashed line is where to cut.
            x0 = overlap[0].x
            g = self.el(root, "g", class_="jws-overlap")
            self.el(g, "rect", x=x0, y=y_stage, width=right - x0, height=bottom - y_stage,
                    fill="#ffffff", fill_opacity=0.6)  # fmt: skip
            self.el(g, "line", x1=x0, y1=y_stage - PAD / 2, x2=x0, y2=bottom,
                    stroke="#424242", stroke_width=1, stroke_dasharray="6 4")  # fmt: skip
        return root

    def legend_height(self, lay: _Layout) -> float:
        return len(self.legend_rows(lay)) * LEGEND_H

    def legend_rows(self, lay: _Layout) -> list[list[tuple[str, str, float]]]:
        rows: list[list[tuple[str, str, float]]] = [[]]
        used = 0.0
        width = max(lay.header_w, lay.grid_right - PAD)
        for item in lay.legend:
            if rows[-1] and used + item[2] > width:
                rows.append([])
                used = 0.0
            rows[-1].append(item)
            used += item[2]
        return rows

    def draw_legend(self, lay: _Layout, x0: float, y0: float) -> None:
        g = self.el(self.root, "g", class_="jws-legend")
        for r, row in enumerate(self.legend_rows(lay)):
            x, cy = x0, y0 + r * LEGEND_H + LEGEND_H / 2
            for mark, text, width in row:
                item = self.el(g, "g", class_="jws-legend-item", data_mark=mark)
                if mark == "point":
                    for i, colour in enumerate((theme.POSITIVE, theme.NEUTRAL, theme.NEGATIVE)):
                        self.el(item, "circle", cx=x + 4 + i * 9, cy=cy, r=4, fill=colour)
                    tx = x + 30
                elif mark == "measured":
                    self.el(item, "line", x1=x + 6, y1=cy - 8, x2=x + 6, y2=cy + 8,
                            stroke=theme.MEASURED, stroke_width=2)  # fmt: skip
                    self.el(item, "rect", x=x + 2, y=cy - 4, width=8, height=8,
                            fill=theme.MEASURED)  # fmt: skip
                    tx = x + 18
                elif mark == "none":
                    self.text(item, ["n/a"], x, cy + 4, size=LEGEND_FONT, line_h=13,
                              fill=theme.NEUTRAL, font_style="italic")  # fmt: skip
                    tx = x + 24
                else:
                    self.text(item, ["\u2605"], x, cy + 5, size=14, line_h=14,
                              fill=theme.MOMENT_OF_TRUTH)  # fmt: skip
                    tx = x + 18
                self.text(item, [text], tx, cy + 4, size=LEGEND_FONT, line_h=13, fill="#424242")
                x += width

    def draw_persona(self, box: _PersonaBox, x: float, y: float, width: float) -> None:
        g = self.el(self.root, "g", class_="jws-persona")
        self.el(g, "rect", x=x, y=y, width=width, height=box.height, rx=6,
                fill="#f3f6fb", stroke="#c5cae9")  # fmt: skip
        r = AVATAR_D / 2
        ax, ay = x + PERSONA_PAD + r, y + PERSONA_PAD + r
        self.el(g, "circle", cx=ax, cy=ay, r=r, fill=theme.CURVE, class_="jws-avatar")
        self.text(g, [box.initials], ax, ay + 6, size=17, line_h=17, fill="#ffffff",
                  font_weight="bold", text_anchor="middle")  # fmt: skip
        tx = x + PERSONA_PAD + AVATAR_D + 12
        ty = y + PERSONA_PAD + 13
        self.text(g, [box.name], tx, ty, size=14, line_h=16, fill="#212121",
                  font_weight="bold", class_="jws-persona-name")  # fmt: skip
        for lines, cls, style in (
            (box.role, "jws-persona-role", "normal"),
            (box.quote, "jws-persona-quote", "italic"),
            (box.about, "jws-persona-about", "normal"),
        ):
            if lines:
                ty += PERSONA_LINE
                self.text(g, lines, tx, ty + 4, size=PERSONA_FONT, line_h=PERSONA_LINE,
                          fill="#424242", font_style=style, class_=cls)  # fmt: skip
                ty += (len(lines) - 1) * PERSONA_LINE
        top = max(18 + len(box.role + box.quote + box.about) * PERSONA_LINE, AVATAR_D + 4)
        ly = y + PERSONA_PAD + top + 8
        for i, (heading, items) in enumerate(box.lists):
            lx = x + PERSONA_PAD + i * (box.col_w + 16)
            col = self.el(g, "g", class_="jws-persona-list", data_list=heading.lower())
            self.text(col, [heading], lx, ly + 11, size=PERSONA_FONT, line_h=PERSONA_LINE,
                      fill="#212121", font_weight="bold")  # fmt: skip
            iy = ly + 11 + PERSONA_LINE
            for lines in items:
                self.text(col, lines, lx, iy, size=PERSONA_FONT, line_h=PERSONA_LINE,
                          fill="#424242")  # fmt: skip
                iy += len(lines) * PERSONA_LINE

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

        # The curve breaks where a touchpoint has no emotion: joining its neighbours would
        # draw a value nobody recorded.
        points: list[tuple[float, float, Touchpoint]] = []
        runs: list[list[tuple[float, float]]] = [[]]
        for col in lay.columns:
            tp = col.touchpoint
            if tp is None or tp.emotion is None:
                runs.append([])
                if tp is not None:
                    self.text(group, ["n/a"], col.x + COL_W / 2, bottom + 8, size=11,
                              line_h=13, fill=theme.NEUTRAL, font_style="italic",
                              text_anchor="middle", class_="jws-no-emotion",
                              data_id=tp.id)  # fmt: skip
                continue
            point = (col.x + COL_W / 2, to_y(tp.emotion))
            points.append((*point, tp))
            runs[-1].append(point)
        for run in runs:
            if len(run) > 1:
                self.el(
                    group,
                    "polyline",
                    points=" ".join(f"{_n(px)},{_n(py)}" for px, py in run),
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
            # Measured values sit right of the hypothesis with their label to their right;
            # the hypothesis's label goes left, so the two never collide.
            cx, meas = col.x + COL_W / 2 + 16, tp.measured
            g = self.el(group, "g", class_="jws-measured", data_id=tp.id)
            if meas.low is not None and meas.high is not None:
                ylo = to_y(_clamp(meas.low, scale.min, scale.max))
                yhi = to_y(_clamp(meas.high, scale.min, scale.max))
                self.el(g, "line", x1=cx, y1=ylo, x2=cx, y2=yhi, stroke=theme.MEASURED,
                        stroke_width=2)  # fmt: skip
                for yy in (ylo, yhi):
                    self.el(g, "line", x1=cx - 4, y1=yy, x2=cx + 4, y2=yy,
                            stroke=theme.MEASURED, stroke_width=2)  # fmt: skip
            my = to_y(_clamp(meas.emotion, scale.min, scale.max))
            self.el(g, "rect", x=cx - 4.5, y=my - 4.5, width=9, height=9, fill=theme.MEASURED,
                    stroke="#ffffff", stroke_width=1)  # fmt: skip
            self.text(g, [f"{meas.emotion:.2g}"], cx + 8, my + 4, size=11, line_h=13,
                      fill=theme.MEASURED, font_weight="bold",
                      class_="jws-measured-value")  # fmt: skip
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
            self.text(g, [_fmt(tp.emotion)], px - 9, py - 8, size=11, line_h=13, fill=colour,
                      text_anchor="end")  # fmt: skip
            self.tooltip(g, f"{self.label(tp)}: {_fmt(tp.emotion)}")

    def draw_lanes(self, lay: _Layout, tops: dict[str, float]) -> None:
        group = self.el(self.root, "g", class_="jws-lanes")
        for lane, height in zip(lay.lanes, lay.row_heights, strict=True):
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
            name = wrap(self.lane_name(lane), LABEL_W - 24, HEAD_FONT, max_lines=4, bold=True)
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
                cards = self.cell_cards(col.touchpoint, lane)
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


def legend_items(m: JourneyMap, size: float) -> list[tuple[str, str, float]]:
    """The legend's entries ``(mark, text, width)`` at font ``size``: one per kind of mark
    the picture of ``m`` draws."""
    items = [("point", "Emotion (hypothesis): above / on / below neutral")]
    if any(tp.measured is not None for tp in m.touchpoints):
        items.append(("measured", "Measured (survey) with its interval"))
    if any(tp.emotion is None for tp in m.touchpoints):
        items.append(("none", "No emotion recorded"))
    if any(tp.moment_of_truth for tp in m.touchpoints):
        items.append(("star", "Moment of truth"))
    return [(mark, text, size * 3 + text_width(text, size)) for mark, text in items]


def _initials(name: str) -> str:
    """Up to two initials for the avatar: "Anna Kowalska" -> "AK"."""
    words = [w for w in name.split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or name[:1].upper()


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def render(
    m: JourneyMap,
    *,
    language: str | None = None,
    max_cards: int | None = None,
    view: View | None = None,
) -> ET.Element:
    """The map's SVG as an element tree (see :func:`journeywidgets.export.to_svg`).

    ``view`` picks a part of the map (the columns and lanes of one page or poster tile).
    """
    return _Painter(m, language, max_cards, view).draw()


def card_heights(
    m: JourneyMap, lane: Lane, *, language: str | None = None, view: View
) -> list[list[float]]:
    """Height (px, with the gap below) of each card in ``lane``, cell by cell across the
    columns of ``view``: how pages split a lane too tall for one page."""
    painter = _Painter(m, language, None, replace(view, lanes=None, cards=None))
    lay = _Layout()
    out = []
    first, stop = view.columns or (0, len(column_units(m)))
    for _, tp in column_units(m)[first:stop]:
        if tp is None:
            continue
        cards = m.cards_in(touchpoint=tp.id, lane=lane.id)
        for card in cards:
            lay.card_lines[card.id] = wrap(
                painter.label(card), CARD_W - 2 * CARD_PAD, CARD_FONT, max_lines=CARD_MAX_LINES
            )
        out.append([painter.card_height(lay, c) + CARD_GAP for c in cards])
    return out


def row_heights(
    m: JourneyMap, *, language: str | None = None, max_cards: int | None = None, view: View
) -> list[float]:
    """Height (px) of each lane row shown in ``view``: how pages split a tall map."""
    return _Painter(m, language, max_cards, view).layout().row_heights


def to_string(root: ET.Element) -> str:
    """Serialize an SVG element tree; the serializer escapes every text and attribute."""
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)
