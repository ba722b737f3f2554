"""Share a map outside a live notebook: static SVG, an HTML fallback, a standalone page.

- :func:`to_svg` draws the whole map as one SVG document (see :mod:`journeywidgets.svg`).
- :func:`static_html` wraps that SVG in an HTML fragment with no script (what displaying a
  ``JourneyMap`` shows in a trusted notebook).
- :func:`picture` shows the map as a PNG overview in a notebook cell: what a displayed widget
  carries as its fallback, so that GitHub, nbviewer, untrusted notebooks and nbconvert
  without widget state show the map (see :mod:`journeywidgets.overview`).
- PDF and PNG pages, slides and wall posters: :mod:`journeywidgets.pages` (``m.to_pdf``).
- :func:`to_html` writes one self-contained, offline, interactive page (the widget's own
  front end running against an in-page model; see :mod:`journeywidgets.standalone`).

Every piece of user text is escaped by an XML/HTML serializer, never pasted into markup.
"""

from __future__ import annotations

import html
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import atomic, svg, theme
from .htmlsafe import inline_script, inline_style, script_json
from .overview import picture

if TYPE_CHECKING:
    from .model.journey import JourneyMap


#: Above this many cards :func:`static_html` draws a count per cell instead of every card:
#: the fallback is saved in every notebook output it appears in, and drawn cards weigh about
#: 0.5 KB each (1,000 cards: ~0.5 MB and ~0.12 s; see benchmarks/sharing_bench.py).
STATIC_MAX_CARDS = 1000

__all__ = [
    "STATIC_MAX_CARDS",
    "picture",
    "static_html",
    "static_page",
    "to_html",
    "to_svg",
    "write_svg",
]


def to_svg(m: JourneyMap, *, language: str | None = None, max_cards: int | None = None) -> str:
    """The whole map as a standalone SVG document (UTF-8 text, no XML declaration).

    Parameters
    ----------
    m:
        The map to draw.
    language:
        Show names in this language when an entity has a label for it (``"pl"``).
    max_cards:
        When the map has more cards than this, each cell shows how many cards it holds
        instead of the cards themselves.  ``None`` (default) draws every card.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Moving <house>")
    >>> text = jw.export.to_svg(m)
    >>> text.startswith("<svg") and "Moving &lt;house&gt;" in text
    True
    """
    return svg.to_string(svg.render(m, language=language, max_cards=max_cards))


def static_html(
    m: JourneyMap, *, language: str | None = None, max_cards: int | None = STATIC_MAX_CARDS
) -> str:
    """An HTML fragment showing the map as inline SVG, without any script.

    It scrolls sideways inside its container when the map is wider than the page.  Maps
    with more than ``max_cards`` cards show a card count per cell (see :func:`to_svg`).

    Examples
    --------
    >>> import journeywidgets as jw
    >>> html = jw.export.static_html(jw.JourneyMap("Demo"))
    >>> html.startswith('<div class="jws-static"') and "<script" not in html
    True
    """
    return (
        '<div class="jws-static" style="max-width:100%;overflow-x:auto">'
        f"{to_svg(m, language=language, max_cards=max_cards)}</div>"
    )


def write_svg(m: JourneyMap, path: str | Path, *, language: str | None = None) -> Path:
    """Write :func:`to_svg` to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    atomic.write_text(path, to_svg(m, language=language))
    return path


def static_page(m: JourneyMap, *, language: str | None = None) -> str:
    """A whole HTML document showing the map as a picture (no script at all).

    Examples
    --------
    >>> import journeywidgets as jw
    >>> page = jw.export.static_page(jw.JourneyMap("Demo <1>"))
    >>> "<title>Demo &lt;1&gt;</title>" in page and "<script" not in page
    True
    """
    title = html.escape(m.title or m.id)
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(language or m.language)}">\n<head>\n'
        '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, '
        f'initial-scale=1">\n<title>{title}</title>\n</head>\n'
        f'<body style="margin:16px;font-family:{html.escape(theme.PLAIN_FONT_FAMILY)}">\n'
        f"{static_html(m, language=language, max_cards=None)}\n</body>\n</html>\n"
    )


# ------------------------------------------------------------------- standalone page
_PAGE_CSS = """
html, body { margin: 0; background: #fff; }
body { font-family: %(font)s; color: #212121; }
.jwp-bar { display: flex; align-items: center; gap: 12px; padding: 8px 16px;
  border-bottom: 1px solid #e0e0e0; background: #fafafa; position: sticky; top: 0; z-index: 10; }
.jwp-bar button { font: inherit; padding: 4px 12px; border: 1px solid #9e9e9e;
  border-radius: 4px; background: #fff; cursor: pointer; }
.jwp-bar button:hover { background: #f0f0f0; }
.jwp-status { color: #616161; font-size: 13px; }
#jw-app { padding: 8px 16px 24px; }
"""


def _static_file(name: str) -> str:
    path = resources.files("journeywidgets").joinpath("static", name)
    if not path.is_file():
        raise FileNotFoundError(
            f"journeywidgets/static/{name} is missing: the front end is not built. "
            "From a source checkout run `make build` (npm ci && npm run build in js/)."
        )
    return path.read_text(encoding="utf-8")


def to_html(
    m: JourneyMap,
    path: str | Path | None = None,
    *,
    language: str | None = None,
    readonly: bool = False,
    height: int | str | None = None,
) -> str:
    """One self-contained HTML file showing the interactive map, with no network at all.

    The page runs the widget's own front end against an in-page model that plays the
    kernel's part: drag and drop, inline editing, adding, deleting, undo and redo work in
    the browser without Python.  "Download JSON" saves the edited map (read it back with
    :func:`journeywidgets.load`).  The map travels in the page as JSON data, never as markup.

    Parameters
    ----------
    m:
        The map.
    path:
        Where to write the page (UTF-8); nothing is written when None.
    language:
        Show names in this language where an entity has a label for it.
    readonly:
        Show the map without editing gestures.
    height:
        Height of the map area (pixels or a CSS length); by default it grows with the map.

    Returns
    -------
    The HTML text.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> page = jw.export.to_html(jw.templates.it_laptop())
    >>> page.startswith("<!DOCTYPE html>") and "http" not in page.split("<script")[0]
    True
    """
    data = {
        "doc": m.to_dict(),
        "theme": theme.widget_theme(),
        "options": {"language": language, "readonly": readonly, "height": height},
        "filename": f"{m.id}.json",
    }
    title = html.escape(m.title or m.id)
    # standalone.js's own stylesheet: the widget's CSS, bundled with it.
    css = _static_file("standalone.css")
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(language or m.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f"<style>\n{inline_style(_PAGE_CSS % {'font': theme.PLAIN_FONT_FAMILY})}</style>\n"
        f"<style>\n{inline_style(css)}\n</style>\n"
        "</head>\n<body>\n"
        '<div class="jwp-bar">\n'
        '<button type="button" id="jw-download" title="Save the map, with your edits, as a '
        'JSON file">Download JSON</button>\n'
        '<span class="jwp-status" id="jw-page-status">Edits stay in this page until you '
        "download them.</span>\n</div>\n"
        '<main id="jw-app"></main>\n'
        f'<script type="application/json" id="jw-data">{script_json(data)}</script>\n'
        f"<script>\n{inline_script(_static_file('standalone.js'))}\n</script>\n"
        "</body>\n</html>\n"
    )
    if path is not None:
        atomic.write_text(path, page)
    return page
