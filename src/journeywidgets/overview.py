"""A picture of the whole map that any notebook viewer shows: the widget's static fallback.

Where no widget manager runs (GitHub, nbviewer, a notebook opened untrusted in JupyterLab,
``nbconvert --to html/pdf/webpdf`` without widget state) a notebook shows the best output it
may.  HTML and inline SVG are sanitised there into a wall of unstyled text or dropped, and an
``image/svg+xml`` output is not trusted either; a PNG image is shown everywhere.  So the
fallback is a PNG.

A journey map is long and narrow; scaled to a notebook's width its text would be unreadable.
The overview wraps it instead: the journey is cut into sections of a few touchpoints, stacked
top to bottom, each repeating its stage headers and lane labels, at the map's own size, so
the text is as large as in the widget.  The first section carries the title, the persona
panel and the legend.  Large maps stay light: above :data:`MAX_CARDS` cards each cell shows a
count instead of its cards, and the picture is scaled down to stay within
:data:`MAX_PIXELS`.
"""

from __future__ import annotations

import base64
import struct
import weakref
import xml.etree.ElementTree as ET
import zlib
from typing import TYPE_CHECKING, Any

from . import pages, svg, theme
from .pages import column_runs

if TYPE_CHECKING:
    from .model.journey import JourneyMap

#: Set to False to display widgets without the picture (saves about a second per display of
#: a large map; viewers without widgets then show nothing).
ENABLED = True
#: Width of the overview (CSS px): a JupyterLab notebook column at a common window size.
WIDTH = 1200
#: Above this many cards the overview draws a count per cell (like the SVG fallback).
MAX_CARDS = 1000
#: The overview's pixel budget: about 1-2 MB of PNG for a wordy map.
MAX_PIXELS = 8_000_000
#: The line under a widget's picture.  Where the picture shows instead of the live widget
#: (GitHub, nbviewer, an untrusted notebook, a browser that opened the notebook before the
#: widget's cell ran in a shared session) it tells the reader how to get the editor back.
WIDGET_NOTE = (
    "A picture of the map. To edit it, open the notebook in Jupyter and run the cell; "
    "if it is already open, trust the notebook (File > Trust Notebook) or reload the page."
)
NOTE_FONT = 12


def sections(m: JourneyMap, *, width: float = WIDTH) -> list[svg.View]:
    """The views the overview stacks: runs of columns that fit ``width`` px each."""
    fixed = svg.PAD + svg.LABEL_W + svg.PAD
    per = max(1, int((width - fixed) / svg.COL_W))
    runs = column_runs(len(svg.column_units(m)), per)
    return [svg.View(columns=run, header=run[0] == 0) for run in runs]


def overview_svg(
    m: JourneyMap,
    *,
    language: str | None = None,
    width: float = WIDTH,
    max_cards: int | None = MAX_CARDS,
    note: str | None = None,
) -> str:
    """The overview as one SVG document: sections of the journey stacked top to bottom,
    with ``note`` (plain text) as a line under them.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> text = overview_svg(jw.templates.energy_utility())
    >>> text.count('class="jws-map"') > 1  # several stacked sections
    True
    """
    root = _overview(m, language=language, width=width, max_cards=max_cards, note=note)
    return svg.to_string(root)


def _overview(
    m: JourneyMap, *, language: str | None, width: float, max_cards: int | None, note: str | None
) -> ET.Element:
    parts = [
        svg.render(m, language=language, max_cards=max_cards, view=view)
        for view in sections(m, width=width)
    ]
    w = max(float(p.get("width", 0)) for p in parts)
    h = 0.0
    title = m.info.title or "Untitled journey"
    root = ET.Element(
        "svg",
        {"xmlns": svg.SVG_NS, "role": "img", "aria-label": svg.clean(f"Journey map: {title}")},
    )
    ET.SubElement(root, "title").text = svg.clean(f"Journey map: {title}")
    for part in parts:
        del part.attrib["xmlns"]
        part.set("y", svg._n(h))
        h += float(part.get("height", 0))
        root.append(part)
    if note:
        line = ET.SubElement(
            root,
            "text",
            {
                "x": svg._n(svg.PAD),
                "y": svg._n(h + NOTE_FONT + 4),
                "font-size": svg._n(NOTE_FONT),
                "font-family": theme.PLAIN_FONT_FAMILY,
                "fill": "#555555",
                "class": "jws-note",
            },
        )
        line.text = svg.clean(note)
        h += NOTE_FONT + 16
    root.attrib.update(
        {"width": svg._n(w), "height": svg._n(h), "viewBox": f"0 0 {svg._n(w)} {svg._n(h)}"}
    )
    return root


def overview_png(
    m: JourneyMap,
    *,
    language: str | None = None,
    width: float = WIDTH,
    max_cards: int | None = MAX_CARDS,
    max_pixels: int = MAX_PIXELS,
    note: str | None = None,
) -> tuple[bytes, dict[str, Any]]:
    """The overview as PNG bytes, with the display size (``{"width": ..., "height": ...}``
    in CSS px) to show it at: its own size, so the text is as large as in the widget.

    Raises :class:`~journeywidgets.errors.ExportError` when vl-convert is not installed.
    """
    root = _overview(m, language=language, width=width, max_cards=max_cards, note=note)
    w, h = float(root.get("width", 1)), float(root.get("height", 1))
    scale = min(1.0, (max_pixels / (w * h)) ** 0.5)
    data = pages._vl_convert().svg_to_png(svg.to_string(root), scale=scale)
    return recompress_png(bytes(data)), {"width": round(w), "height": round(h)}


def recompress_png(data: bytes, level: int = 6) -> bytes:
    """``data`` with its image stream deflated again at ``level``.

    The converter favours speed and writes PNGs three to four times larger than they need be;
    the image is saved in every notebook it is shown in, so it is packed once more (lossless:
    the same filtered pixels, only compressed better).
    """
    chunks: list[tuple[bytes, bytes]] = []
    pos = 8
    while pos + 8 <= len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]))
        pos += 12 + size
    stream = zlib.compress(zlib.decompress(b"".join(b for t, b in chunks if t == b"IDAT")), level)
    out = [data[:8]]
    written = False
    for kind, body in chunks:
        if kind == b"IDAT":
            if written:
                continue  # one IDAT holds the whole stream
            body, written = stream, True
        out.append(struct.pack(">I", len(body)) + kind + body)
        out.append(struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    return b"".join(out)


def mimebundle(
    m: JourneyMap, *, language: str | None = None, note: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The overview as notebook output data: ``image/png`` (base64) plus its display size;
    ``note`` is a line of text drawn under the map (the widget's says how to edit it).

    Examples
    --------
    >>> import journeywidgets as jw
    >>> data, meta = mimebundle(jw.JourneyMap("Demo"))
    >>> sorted(data), meta["image/png"]["width"] <= 1200
    (['image/png'], True)
    """
    key = id(m)
    cached = _CACHE.get(key)
    if cached is not None and cached[0]() is m and cached[1:3] == (m.version, (language, note)):
        return cached[3]
    png, size = overview_png(m, language=language, note=note)
    # Only the width: with max-width 100% in a narrow notebook a fixed height would stretch it.
    bundle = (
        {"image/png": base64.b64encode(png).decode("ascii")},
        {"image/png": {"width": size["width"]}},
    )
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (weakref.ref(m), m.version, (language, note), bundle)
    return bundle


# The last pictures drawn, by map: showing an unchanged map again (a widget displayed twice,
# a cell re-run) costs nothing.  Keyed by id() with a weak reference to tell a new map that
# reuses a freed map's id from the same map; a map's version grows with every change.
_CACHE_SIZE = 8
_CACHE: dict[
    int, tuple[Any, int, tuple[str | None, str | None], tuple[dict[str, Any], dict[str, Any]]]
] = {}


class Picture:
    """A map shown as its overview picture (PNG) in any notebook viewer.

    Display it at the end of a cell.  Unlike the map's own HTML picture it survives
    GitHub, nbviewer and untrusted notebooks, whose sanitisers drop inline SVG.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> data, meta = jw.export.picture(jw.JourneyMap("Demo"))._repr_mimebundle_()
    >>> sorted(data)
    ['image/png', 'text/plain']
    """

    def __init__(self, m: JourneyMap, *, language: str | None = None) -> None:
        self.map = m
        self.language = language

    def __repr__(self) -> str:
        return f"<picture of {self.map!r}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        data, metadata = mimebundle(self.map, language=self.language)
        return {**data, "text/plain": repr(self)}, metadata


def picture(m: JourneyMap, *, language: str | None = None) -> Picture:
    """The map's overview as a picture to display in a notebook (see :class:`Picture`)."""
    return Picture(m, language=language)
