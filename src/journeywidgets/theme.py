"""Colours and type shared by the widget, the static SVG/HTML export and the charts.

Lane colours live on the model (``lane.display_colour``, defaulting to
:data:`journeywidgets.model.entities.LANE_COLOURS`); this module holds the rest so that a chart's
emotion curve and the widget's look alike.  The widget uses the JupyterLab theme's ``--jp-*``
CSS variables where it runs in JupyterLab and these values as fallbacks.
"""

from __future__ import annotations

from typing import Any

from .model.entities import LANE_COLOURS

#: Emotion above the neutral line, below it, and the neutral line itself.
POSITIVE = "#2e7d32"
NEGATIVE = "#c62828"
NEUTRAL = "#757575"
#: The emotion curve and its points.
CURVE = "#3949ab"
#: The survey-measured curve and its interval band.
MEASURED = "#ef6c00"
#: Moments of truth are marked with this colour (a star).
MOMENT_OF_TRUTH = "#f9a825"
#: Text on sticky notes: dark in light and dark themes alike, because notes keep their
#: pastel lane colours in both.
CARD_TEXT = "#1f2328"
#: Selection outline and keyboard focus ring (fallback for ``--jp-brand-color1``).
SELECTION = "#1976d2"
#: Font stack: JupyterLab's UI font where available, then common sans-serif fonts that cover
#: Polish and Hungarian diacritics.
FONT_FAMILY = (
    "var(--jp-ui-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, "
    "'DejaVu Sans', Arial, sans-serif)"
)
#: The same stack without the CSS variable, for places that cannot use one (SVG attributes,
#: Vega configs).
PLAIN_FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"


def widget_theme() -> dict[str, Any]:
    """The colours the widget's front end draws with, as one JSON-able dict.

    The widget syncs this once, so the browser never keeps its own copy of the lane
    defaults that could drift from :data:`~journeywidgets.model.entities.LANE_COLOURS`.

    Examples
    --------
    >>> from journeywidgets import theme
    >>> theme.widget_theme()["lane_colours"]["actions"]
    '#8bc34a'
    """
    return {
        "lane_colours": dict(LANE_COLOURS),
        "positive": POSITIVE,
        "negative": NEGATIVE,
        "neutral": NEUTRAL,
        "curve": CURVE,
        "measured": MEASURED,
        "moment_of_truth": MOMENT_OF_TRUTH,
        "card_text": CARD_TEXT,
        "selection": SELECTION,
    }
