"""Share a map outside a live notebook: static SVG, an HTML fallback, a standalone page.

- :func:`to_svg` draws the whole map as one SVG document (see :mod:`journeywidgets.svg`).
- :func:`static_html` wraps that SVG in an HTML fragment with no script: the widget adds it
  to its display output as ``text/html`` so that GitHub, nbviewer and nbconvert without
  widget state show the map instead of a blank cell.
- :func:`to_html` writes one self-contained, offline, interactive page (the widget's own
  front end running against an in-page model; see :mod:`journeywidgets.standalone`).

Every piece of user text is escaped by an XML/HTML serializer, never pasted into markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import svg

if TYPE_CHECKING:
    from .journey import JourneyMap


#: Above this many cards :func:`static_html` draws a count per cell instead of every card:
#: the fallback is saved in every notebook output, and 20,000 drawn cards weigh ~10 MB.
STATIC_MAX_CARDS = 2000


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
    path.write_text(to_svg(m, language=language), encoding="utf-8")
    return path
