"""Print a map: PDF and PNG at slide, paper and poster size.

A page shows the map at the largest scale that fits, but never so small that the smallest text
(a card's impact/effort line) falls below ``min_text_pt`` points on paper (6 pt by default).
A journey too long for that is split across pages by touchpoint columns, and a page too tall by
lanes; every page repeats the stage headers, the touchpoint headers and the lane labels, so
each one reads on its own.  The first page carries the title, the persona panel and the
legend; every page has a footer with the title, state, date and page number.

A wall poster is the same map laid out at the poster's scale (``page="A0"``) and printed on
smaller sheets (``tiles="A3"``): each tile repeats headers and lane labels, carries the next
tile's first column as a faded overlap strip (cut along the dashed line, or glue over it), crop
marks at the corners of its own area, and its place in the grid.

Pages are drawn as SVG (:mod:`journeywidgets.svg`) and converted by ``vl-convert-python``
(the converter altair uses to save charts; resvg and svg2pdf inside, no browser), which keeps
text as text and embeds a subset of the font, so the PDF is searchable and Polish and
Hungarian letters survive copy and paste.  Several pages are joined with ``pypdf``.  Both come
with the ``pdf`` extra: ``pip install "journeywidgets[pdf]"``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import atomic, svg, theme
from . import layout as grid_layout
from .errors import ExportError, JourneyWarning

if TYPE_CHECKING:
    from .model.journey import JourneyMap

#: Paper sizes in millimetres, landscape (width, height).  "slide" is a 16:9 presentation
#: slide (13.33 x 7.5 in, PowerPoint's and Google Slides' default).
PAPER_MM: dict[str, tuple[float, float]] = {
    "A0": (1189.0, 841.0),
    "A1": (841.0, 594.0),
    "A2": (594.0, 420.0),
    "A3": (420.0, 297.0),
    "A4": (297.0, 210.0),
    "A5": (210.0, 148.0),
    "letter": (279.4, 215.9),
    "tabloid": (431.8, 279.4),
    "slide": (338.67, 190.5),
}
PT_PER_MM = 72 / 25.4
#: The smallest font in the picture (px): the cards' impact/effort line.
SMALLEST_FONT = svg.BADGE_FONT
#: Small maps are not blown up past twice their drawn size.
MAX_SCALE = 2.0
#: Fonts for printed pages: DejaVu Sans covers Polish, Hungarian and most European scripts
#: (Debian's fonts-dejavu-core); the rest are fallbacks for machines without it.
PRINT_FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, 'Noto Sans', sans-serif"
FOOTER_PT = 7.5

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Sheet:
    """One printed page (or poster tile) of a :class:`Plan`."""

    view: svg.View
    number: int  # 1-based
    row: int  # 1-based place in the grid of pages or tiles
    column: int
    scale: float = 0.0  # pt per drawing px on this sheet
    width: float = 0.0  # drawing size (px)
    height: float = 0.0
    core_width: float = 0.0  # drawing px from the left edge to the overlap strip

    def core_right_pt(self, plan: Plan) -> float:
        """Page x (pt) where this sheet's own columns end and the overlap strip begins."""
        return plan.margin_pt + self.core_width * self.scale


@dataclass(frozen=True)
class Plan:
    """How a map is laid out on paper: the page size, the scale and each page's part."""

    page_name: str
    width_pt: float
    height_pt: float
    margin_pt: float
    sheets: tuple[Sheet, ...]
    poster: str | None = None  # the poster's paper when the sheets are tiles of it

    @property
    def min_text_pt(self) -> float:
        """The smallest printed text size (pt) on any page."""
        return min(s.scale for s in self.sheets) * SMALLEST_FONT


def paper_size(page: str | Sequence[float], *, landscape: bool = True) -> tuple[float, float]:
    """``(width, height)`` in points of a paper name (``"A3"``, ``"slide"``) or a size in mm.

    Examples
    --------
    >>> w, h = paper_size("A3")
    >>> round(w, 2), round(h, 2)
    (1190.55, 841.89)
    >>> [round(v) for v in paper_size((100, 50))]
    [283, 142]
    >>> [round(v) for v in paper_size("A4", landscape=False)]
    [595, 842]
    """
    if isinstance(page, str):
        key = next((k for k in PAPER_MM if k.lower() == page.strip().lower()), None)
        if key is None:
            raise ExportError(
                f"page: unknown paper {page!r}; use one of {', '.join(PAPER_MM)} "
                "or a size in millimetres such as (500, 300)"
            )
        w, h = PAPER_MM[key]
        return (w * PT_PER_MM, h * PT_PER_MM) if landscape else (h * PT_PER_MM, w * PT_PER_MM)
    try:
        w, h = (float(v) for v in page)
    except (TypeError, ValueError):
        raise ExportError(
            f"page: {page!r} is neither a paper name nor a (width, height) in mm"
        ) from None
    if not (math.isfinite(w) and math.isfinite(h) and 20 <= w <= 20000 and 20 <= h <= 20000):
        raise ExportError(f"page: a size in mm must lie within 20-20000 mm, not {page!r}")
    return w * PT_PER_MM, h * PT_PER_MM


def _page_name(page: str | Sequence[float]) -> str:
    return page if isinstance(page, str) else "x".join(f"{float(v):g}" for v in page) + " mm"


class _Measure:
    """Drawing sizes of parts of one map, cached."""

    def __init__(self, m: JourneyMap, language: str | None, max_cards: int | None) -> None:
        self.m, self.language, self.max_cards = m, language, max_cards
        self.units = len(svg.column_units(m))
        rows = [row.lane for row in grid_layout.rows(m)]
        self.emotion_at = rows.index(None) if None in rows else None
        self._sizes: dict[svg.View, tuple[float, float]] = {}

    def size(self, view: svg.View) -> tuple[float, float]:
        # plan() asks for the same view more than once while it searches for a scale
        if view not in self._sizes:
            root = svg.render(self.m, language=self.language, max_cards=self.max_cards, view=view)
            self._sizes[view] = float(root.get("width", 0)), float(root.get("height", 0))
        return self._sizes[view]

    def card_slices(
        self, lane: int, columns: tuple[int, int] | None, room: float
    ) -> list[tuple[int, int]]:
        """``(start, stop)`` runs of each cell's cards in lane number ``lane`` that fit
        ``room`` px, for a lane too tall for one page."""
        cells = svg.card_heights(
            self.m, self.m.lanes[lane], language=self.language, view=svg.View(columns=columns)
        )
        count = max((len(c) for c in cells), default=0)
        room -= 2 * svg.CARD_GAP
        out, start = [], 0
        while start < count:
            stop = start + 1
            while stop < count and all(sum(c[start : stop + 1]) <= room for c in cells):
                stop += 1
            out.append((start, stop))
            start = stop
        return out or [(0, 0)]

    def rows(self, columns: tuple[int, int]) -> list[float]:
        view = svg.View(columns=columns)
        return svg.row_heights(self.m, language=self.language, max_cards=self.max_cards, view=view)


def column_runs(total: int, per: int) -> list[tuple[int, int]]:
    """``total`` columns in balanced runs of at most ``per``: the pages of a map, and the
    sections of its overview picture.

    >>> column_runs(10, 4), column_runs(0, 4)
    ([(0, 4), (4, 8), (8, 10)], [(0, 0)])
    """
    count = max(1, math.ceil(total / max(1, per)))
    size = max(1, math.ceil(total / count))
    return [(i, min(total, i + size)) for i in range(0, max(1, total), size)]


def _columns_per_sheet(area_w: float, scale: float, overlap: int) -> int:
    fixed = svg.PAD + svg.LABEL_W + svg.PAD
    return max(1, int((area_w / scale - fixed) / svg.COL_W) - overlap)


def _bands(
    measure: _Measure,
    columns: tuple[int, int],
    first_header: bool,
    limit_h: float,
    rows: list[float] | None = None,
) -> list[svg.View]:
    """Views of one column run, its rows split into bands each at most ``limit_h`` px tall.

    Every band repeats the stage and touchpoint headers; the first band of the first run
    has the map's header; the emotion row goes in the band holding its place among the lanes
    (see :mod:`journeywidgets.layout`).  A lane too tall for a band on its own goes on over
    several, each cell's cards split between them (for poster tiles, given ``rows``, split
    alike in every column of tiles so that the grid lines up).
    """
    heights: list[float | None] = list(rows or measure.rows(columns))  # None: emotion row
    if measure.emotion_at is not None:
        heights.insert(measure.emotion_at, None)
    views: list[svg.View] = []
    lane, i = 0, 0
    while True:
        header = first_header and not views
        base = svg.View(columns=columns, lanes=(lane, lane), header=header, emotion=False)
        used = measure.size(base)[1]
        first_lane, emotion, taken = lane, False, 0
        while i < len(heights):
            h = heights[i]
            need = svg.EMOTION_H if h is None else h
            if taken and used + need > limit_h:
                break
            if h is not None and not taken and used + need > limit_h:
                split = None if rows else columns
                slices = measure.card_slices(lane, split, limit_h - used)
                for n, cards in enumerate(slices):
                    views.append(replace(base, lanes=(lane, lane + 1), cards=cards,
                                         header=header and n == 0))  # fmt: skip
                lane += 1
                i += 1
                break
            used += need
            taken += 1
            if h is None:
                emotion = True
            else:
                lane += 1
            i += 1
        if taken:
            views.append(replace(base, lanes=(first_lane, lane), emotion=emotion))
        if i >= len(heights):
            return views


def plan(
    m: JourneyMap,
    page: str | Sequence[float] = "A3",
    *,
    tiles: str | Sequence[float] | None = None,
    landscape: bool = True,
    min_text_pt: float = 6.0,
    language: str | None = None,
    max_cards: int | None = None,
) -> Plan:
    """Lay ``m`` out on paper: how many pages, at what scale, which part on each.

    See :func:`to_pdf` for the parameters.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> p = plan(jw.templates.energy_utility(), "A3")
    >>> len(p.sheets) > 1, p.min_text_pt >= 6
    (True, True)
    >>> len(plan(jw.templates.energy_utility(), "A0").sheets)
    1
    """
    if not 3 <= min_text_pt <= 72:
        raise ExportError(f"min_text_pt: {min_text_pt:g} pt is outside 3-72")
    page_w, page_h = paper_size(page, landscape=landscape)
    measure = _Measure(m, language, max_cards)
    min_scale = min_text_pt / SMALLEST_FONT
    full_w, full_h = measure.size(svg.View())

    def area(w: float, h: float) -> tuple[float, float, float]:
        margin = min(10 * PT_PER_MM, 0.04 * min(w, h))
        return margin, w - 2 * margin, h - 2 * margin - 2.2 * FOOTER_PT

    if tiles is None:
        margin, area_w, area_h = area(page_w, page_h)
        fit = min(area_w / full_w, area_h / full_h)
        if fit >= min_scale:
            sheet = Sheet(svg.View(), 1, 1, 1, min(fit, MAX_SCALE), full_w, full_h, full_w)
            return Plan(_page_name(page), page_w, page_h, margin, (sheet,))
        scale, overlap, poster = min_scale, 0, None
        sheet_w, sheet_h = page_w, page_h
    else:
        # The poster's scale: the whole map on the poster paper, but never below legible.
        poster_w, poster_h = page_w, page_h
        _, poster_aw, poster_ah = area(poster_w, poster_h)
        scale = max(min_scale, min(poster_aw / full_w, poster_ah / full_h, MAX_SCALE))
        sheet_w, sheet_h = paper_size(tiles, landscape=landscape)
        overlap, poster = 1, _page_name(page)
        margin, area_w, area_h = area(sheet_w, sheet_h)

    def layout_at(scale: float) -> tuple[list[tuple[int, int, svg.View]], bool]:
        """The pages' views at ``scale``, and whether the header has a cover of its own."""
        per = _columns_per_sheet(area_w, scale, overlap)
        runs = column_runs(measure.units, per)
        # When the header (title, persona, legend) would push the first run's lanes onto an
        # extra page anyway, it gets a page of its own: a cover.  A poster's header always
        # has a sheet of its own, so that the tiles form a clean grid.
        first_bands = _bands(measure, runs[0], True, area_h / scale)
        own_cover = tiles is not None or len(first_bands) > len(
            _bands(measure, runs[0], False, area_h / scale)
        )
        # A poster's tiles form a grid: every column of tiles splits the lanes alike, at the
        # tallest run's row heights, so that the sheets line up when put on the wall.
        tallest = [max(hs) for hs in zip(*(measure.rows(run) for run in runs), strict=True)]
        views: list[tuple[int, int, svg.View]] = []
        for c, columns in enumerate(runs, start=1):
            last = columns[1] >= measure.units
            if tiles is not None:
                bands = _bands(measure, columns, False, area_h / scale, tallest or None)
            elif c == 1 and not own_cover:
                bands = first_bands
            else:
                bands = _bands(measure, columns, False, area_h / scale)
            for r, view in enumerate(bands, start=1):
                views.append((r, c, replace(view, overlap=0 if last else overlap)))
        return views, own_cover

    views, own_cover = layout_at(scale)
    if tiles is None:
        # Larger text for free: the largest scale that needs no more pages than the
        # smallest legible one.
        for bigger in (scale * 1.5, scale * 1.3, scale * 1.15):
            candidate = layout_at(bigger)
            if len(candidate[0]) + candidate[1] <= len(views) + own_cover:
                views, own_cover = candidate
                break
    # The cover's header wraps to the page, so that its text stays legible on narrow paper.
    cover = svg.View(columns=(0, 0), grid=False, width=max(420.0, min(932.0, area_w / scale)))
    sized = []
    for r, c, view in views:
        w, h = measure.size(view)
        core = w if view.overlap == 0 else w - svg.PAD - svg.COL_W * view.overlap
        sized.append((r, c, view, w, h, core))
    # One scale for every page (the same map at the same size), except a page that cannot
    # fit at the legible minimum (a card taller than the paper): it shrinks alone, with a
    # warning.
    fits = [min(area_w / w, area_h / h) for _, _, _, w, h, _ in sized]
    common = min([f for f in fits if f >= min_scale] or [min_scale])
    common = min(common, MAX_SCALE) if tiles is None else scale
    ordered = sorted(sized, key=lambda s: (s[1], s[0]) if tiles is None else (s[0], s[1]))
    sheets = []
    if own_cover:
        cover_w, cover_h = measure.size(cover)
        fit = min(area_w / cover_w, area_h / cover_h, MAX_SCALE)
        if fit < min_scale * 0.999:
            warnings.warn(
                f"page 1: the title, persona and legend do not fit {_page_name(tiles or page)} "
                f"legibly; their text is {fit * SMALLEST_FONT:.1f} pt (try a larger page)",
                JourneyWarning,
                stacklevel=3,
            )
        sheets.append(Sheet(cover, 1, 0, 0, fit, cover_w, cover_h, cover_w))
    for n, (r, c, view, w, h, core) in enumerate(ordered, start=len(sheets) + 1):
        sheet_scale = min(common, area_w / w, area_h / h)
        if sheet_scale < min_scale * 0.999:
            warnings.warn(
                f"page {n} does not fit {_page_name(tiles or page)} legibly (a card or the "
                f"headers are taller than the page); its text is "
                f"{sheet_scale * SMALLEST_FONT:.1f} pt (try a larger page)",
                JourneyWarning,
                stacklevel=3,
            )
        sheets.append(Sheet(view, n, r, c, sheet_scale, w, h, core))
    return Plan(_page_name(tiles or page), sheet_w, sheet_h, margin, tuple(sheets), poster=poster)


# ------------------------------------------------------------------------------ drawing
def _footer_text(
    m: JourneyMap, plan: Plan, sheet: Sheet, date: dt.date, language: str | None
) -> tuple[str, str]:
    info = m.info
    title = info.labels.get(language or "", "") or info.title or "Untitled journey"
    left = f"{title} \u00b7 {info.kind} journey, {info.state} state \u00b7 {date.isoformat()}"
    total = len(plan.sheets)
    if plan.poster:
        rows = max(s.row for s in plan.sheets)
        cols = max(s.column for s in plan.sheets)
        right = (
            f"{plan.poster} poster on {plan.page_name}: row {sheet.row} of {rows}, "
            f"column {sheet.column} of {cols} (tile {sheet.number} of {total})"
        )
    else:
        right = f"page {sheet.number} of {total}"
    return left, right


def page_svg(
    m: JourneyMap,
    plan: Plan,
    sheet: Sheet,
    *,
    language: str | None = None,
    max_cards: int | None = None,
    date: dt.date | None = None,
) -> str:
    """One page of ``plan`` as an SVG document sized in points."""
    date = date or dt.date.today()
    page_w, page_h, margin = plan.width_pt, plan.height_pt, plan.margin_pt
    s = sheet.scale
    section = svg.render(m, language=language, max_cards=max_cards, view=sheet.view)
    section.set("font-family", PRINT_FONT_FAMILY)
    del section.attrib["xmlns"]
    w, h = sheet.width * s, sheet.height * s
    single = len(plan.sheets) == 1
    # A single page is centred; pages and tiles are aligned top left so that they line up.
    x0 = (page_w - w) / 2 if single else margin
    y0 = margin
    section.attrib.update(
        {"x": svg._n(x0), "y": svg._n(y0), "width": svg._n(w), "height": svg._n(h)}
    )
    root = ET.Element(
        "svg",
        {
            "xmlns": svg.SVG_NS,
            # Two decimals: A3 is 1190.55 x 841.89 pt, and PDF readers report it so.
            "width": f"{page_w:.2f}",
            "height": f"{page_h:.2f}",
            "viewBox": f"0 0 {page_w:.2f} {page_h:.2f}",
            "font-family": PRINT_FONT_FAMILY,
        },
    )
    ET.SubElement(root, "rect", {"x": "0", "y": "0", "width": svg._n(page_w),
                                 "height": svg._n(page_h), "fill": "#ffffff"})  # fmt: skip
    root.append(section)
    left, right = _footer_text(m, plan, sheet, date, language)
    fy = page_h - margin + FOOTER_PT * 0.2 if margin > 2 * FOOTER_PT else page_h - FOOTER_PT
    fy = min(fy, page_h - 4)
    footer = ET.SubElement(root, "g", {"class": "jws-footer", "font-size": svg._n(FOOTER_PT),
                                       "fill": "#616161"})  # fmt: skip
    line_y = fy - FOOTER_PT * 1.4
    ET.SubElement(footer, "line", {"x1": svg._n(margin), "y1": svg._n(line_y),
                                   "x2": svg._n(page_w - margin), "y2": svg._n(line_y),
                                   "stroke": "#bdbdbd", "stroke-width": "0.5"})  # fmt: skip
    ET.SubElement(footer, "text", {"x": svg._n(margin), "y": svg._n(fy)}).text = svg.clean(left)
    ET.SubElement(
        footer, "text", {"x": svg._n(page_w - margin), "y": svg._n(fy), "text-anchor": "end"}
    ).text = svg.clean(right)
    if sheet.view.grid and not sheet.view.header:
        # Pages after the first repeat the legend, small, in the top margin: each page (and
        # each poster tile) reads on its own.
        legend = ET.SubElement(root, "g", {"font-size": svg._n(FOOTER_PT), "fill": "#616161"})
        _page_legend(legend, m, page_w / 2, margin * 0.62)
    if plan.poster:
        _crop_marks(root, x0, y0, x0 + sheet.core_width * s, y0 + h, margin)
    return svg.to_string(root)


def _page_legend(parent: ET.Element, m: JourneyMap, centre: float, y: float) -> None:
    items = svg.legend_items(m, FOOTER_PT)
    width = sum(w for _, _, w in items)
    g = ET.SubElement(parent, "g", {"class": "jws-legend"})
    x = centre - width / 2
    r = FOOTER_PT * 0.35
    cy = y - FOOTER_PT * 0.35
    for mark, text, w in items:
        item = ET.SubElement(g, "g", {"class": "jws-legend-item", "data-mark": mark})
        if mark == "point":
            for i, colour in enumerate((theme.POSITIVE, theme.NEUTRAL, theme.NEGATIVE)):
                ET.SubElement(item, "circle", {"cx": svg._n(x + r + i * 2.5 * r),
                              "cy": svg._n(cy), "r": svg._n(r), "fill": colour})  # fmt: skip
            tx = x + 8 * r
        elif mark == "measured":
            side = svg._n(2 * r)
            ET.SubElement(item, "rect", {"x": svg._n(x), "y": svg._n(cy - r), "width": side,
                          "height": side, "fill": theme.MEASURED})  # fmt: skip
            tx = x + 3.5 * r
        elif mark == "none":
            ET.SubElement(item, "text", {"x": svg._n(x), "y": svg._n(y),
                          "font-style": "italic"}).text = "n/a"  # fmt: skip
            tx = x + FOOTER_PT * 2
        else:
            ET.SubElement(item, "text", {"x": svg._n(x), "y": svg._n(y),
                          "fill": theme.MOMENT_OF_TRUTH}).text = "\u2605"  # fmt: skip
            tx = x + FOOTER_PT * 1.3
        ET.SubElement(item, "text", {"x": svg._n(tx), "y": svg._n(y)}).text = text
        x += w


def _crop_marks(root: ET.Element, x0: float, y0: float, x1: float, y1: float, gap: float) -> None:
    """Corner marks just outside the tile's own area: where to trim before gluing."""
    g = ET.SubElement(root, "g", {"class": "jws-crop-marks", "stroke": "#000000",
                                  "stroke-width": "0.5"})  # fmt: skip
    length = min(gap * 0.7, 8 * PT_PER_MM)
    off = 2.0
    for x, dx in ((x0, -1), (x1, 1)):
        for y, dy in ((y0, -1), (y1, 1)):
            ET.SubElement(
                g,
                "line",
                {
                    "x1": svg._n(x + dx * off),
                    "y1": svg._n(y),
                    "x2": svg._n(x + dx * (off + length)),
                    "y2": svg._n(y),
                },
            )
            ET.SubElement(
                g,
                "line",
                {
                    "x1": svg._n(x),
                    "y1": svg._n(y + dy * off),
                    "x2": svg._n(x),
                    "y2": svg._n(y + dy * (off + length)),
                },
            )


# ------------------------------------------------------------------------------ converters
def _vl_convert() -> Any:
    try:
        import vl_convert
    except ImportError:
        raise ExportError(
            'PDF and PNG export needs vl-convert-python: pip install "journeywidgets[pdf]"'
        ) from None
    return vl_convert


def _join_pdfs(parts: list[bytes]) -> bytes:
    if len(parts) == 1:
        return parts[0]
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError:
        raise ExportError(
            'a PDF of several pages needs pypdf: pip install "journeywidgets[pdf]"'
        ) from None
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_bytes(
    m: JourneyMap,
    page: str | Sequence[float] = "A3",
    *,
    tiles: str | Sequence[float] | None = None,
    landscape: bool = True,
    min_text_pt: float = 6.0,
    language: str | None = None,
    max_cards: int | None = None,
    date: dt.date | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The PDF of :func:`to_pdf` as bytes."""
    vlc = _vl_convert()
    sheets = _sheet_svgs(m, page, tiles=tiles, landscape=landscape, min_text_pt=min_text_pt,
                         language=language, max_cards=max_cards, date=date)  # fmt: skip
    parts = []
    for number, total, text in sheets:
        parts.append(vlc.svg_to_pdf(text))
        if progress is not None:
            progress(number, total)
    return _join_pdfs(parts)


def _sheet_svgs(
    m: JourneyMap,
    page: str | Sequence[float],
    *,
    tiles: str | Sequence[float] | None,
    landscape: bool,
    min_text_pt: float,
    language: str | None,
    max_cards: int | None,
    date: dt.date | None,
) -> Iterator[tuple[int, int, str]]:
    """``(number, total, svg text)`` of each sheet, drawn one at a time as it is asked for
    (a poster of many tiles never holds all its pages in memory)."""
    layout = plan(m, page, tiles=tiles, landscape=landscape, min_text_pt=min_text_pt,
                  language=language, max_cards=max_cards)  # fmt: skip
    for sheet in layout.sheets:
        text = page_svg(m, layout, sheet, language=language, max_cards=max_cards, date=date)
        yield sheet.number, len(layout.sheets), text


def to_pdf(
    m: JourneyMap,
    path: str | Path,
    page: str | Sequence[float] = "A3",
    *,
    tiles: str | Sequence[float] | None = None,
    landscape: bool = True,
    min_text_pt: float = 6.0,
    language: str | None = None,
    max_cards: int | None = None,
    date: dt.date | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the map as a PDF, on one page when it fits legibly, else on several.

    Parameters
    ----------
    m:
        The map.
    path:
        Where to write the PDF (written whole or not at all).
    page:
        ``"slide"`` (16:9), ``"A4"``, ``"A3"`` (default), ``"A2"``, ``"A1"``, ``"A0"``,
        ``"letter"``, ``"tabloid"``, or ``(width, height)`` in millimetres.
    tiles:
        Print a poster of size ``page`` on sheets of this paper (``page="A0", tiles="A3"``):
        each tile repeats the headers and lane labels and has crop marks and an overlap strip.
    landscape:
        Landscape (default) or portrait for named papers.
    min_text_pt:
        No text is printed smaller than this (points); the map is split across pages instead.
    language:
        Show names in this language where an entity has a label for it.
    max_cards:
        Above this many cards each cell shows a count instead of its cards.
    date:
        The date in the footer (default: today).
    progress:
        Called as ``progress(done, total)`` after each page is drawn.

    Returns
    -------
    The path written.

    Examples
    --------
    >>> import journeywidgets as jw, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> m = jw.templates.it_laptop()
    >>> m.to_pdf(folder / "laptop.pdf", page="A0").stat().st_size > 10_000
    True
    """
    data = pdf_bytes(m, page, tiles=tiles, landscape=landscape, min_text_pt=min_text_pt,
                     language=language, max_cards=max_cards, date=date,
                     progress=progress)  # fmt: skip
    path = Path(path)
    atomic.write_bytes(path, data)
    return path


def to_png(
    m: JourneyMap,
    path: str | Path,
    page: str | Sequence[float] = "slide",
    *,
    dpi: float = 150,
    tiles: str | Sequence[float] | None = None,
    landscape: bool = True,
    min_text_pt: float = 6.0,
    language: str | None = None,
    max_cards: int | None = None,
    date: dt.date | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write the map's pages as PNG images (``map.png``, or ``map-1.png``, ``map-2.png``...).

    The layout is that of :func:`to_pdf` (``page="slide"`` by default, for presentations);
    ``dpi`` sets the resolution (150: a 16:9 slide is 2000 x 1125 pixels).

    Returns
    -------
    The paths written, one per page.

    Examples
    --------
    >>> import journeywidgets as jw, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> m = jw.templates.it_laptop()
    >>> [p.name for p in m.to_png(folder / "laptop.png", page="A0", dpi=20)]
    ['laptop.png']
    """
    if not 10 <= dpi <= 1200:
        raise ExportError(f"dpi: {dpi:g} is outside 10-1200")
    from .overview import recompress_png

    vlc = _vl_convert()
    sheets = _sheet_svgs(m, page, tiles=tiles, landscape=landscape, min_text_pt=min_text_pt,
                         language=language, max_cards=max_cards, date=date)  # fmt: skip
    path = Path(path)
    written = []
    for number, total, text in sheets:
        data = recompress_png(bytes(vlc.svg_to_png(text, scale=dpi / 72)))
        target = path.with_name(f"{path.stem}-{number}{path.suffix}") if total > 1 else path
        atomic.write_bytes(target, data)
        written.append(target)
        if progress is not None:
            progress(number, total)
    return written
