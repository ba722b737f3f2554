"""Colours and type shared by the widget, the static SVG/HTML export and the charts.

Lane colours live on the model (``lane.display_colour``); this module holds the rest so that
a chart's emotion curve and the widget's look alike.  The widget uses the JupyterLab theme's
``--jp-*`` CSS variables where it runs in JupyterLab and these values as fallbacks.
"""

from __future__ import annotations

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
#: Font stack: JupyterLab's UI font where available, then common sans-serif fonts that cover
#: Polish and Hungarian diacritics.
FONT_FAMILY = (
    "var(--jp-ui-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, "
    "'DejaVu Sans', Arial, sans-serif)"
)
#: The same stack without the CSS variable, for places that cannot use one (SVG attributes,
#: Vega configs).
PLAIN_FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
