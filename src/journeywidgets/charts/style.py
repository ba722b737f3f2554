"""Chart colours and the Vega-Lite config that makes charts readable in light and dark themes.

The colours come from :mod:`journeywidgets.theme` (shared with the widget and the SVG export).
A chart cannot read JupyterLab's ``--jp-*`` CSS variables (Vega draws on a canvas), so we
choose instead:

* ``"auto"`` (the default): a transparent background, so the chart sits on whatever the
  notebook theme paints, with text and lines whose luminance reads on both white and
  near-black backgrounds (a mid grey has about 4.3:1 contrast on each), and each theme colour
  nudged, keeping its hue, until it has at least 3:1 contrast on both.
* ``"light"`` / ``"dark"``: the same, tuned for one background with higher contrast, for
  people who know which theme they use (and for exported images).
"""

from __future__ import annotations

from typing import Any, Literal

from .. import theme

Theme = Literal["auto", "light", "dark"]
THEMES: tuple[str, ...] = ("auto", "light", "dark")

#: The backgrounds the themes are tuned for: JupyterLab's light ``--jp-layout-color0`` and
#: its dark one.
LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#111111"

#: Text and axis colour per theme.  ``auto``'s grey sits at the luminance where contrast on
#: white and on #111 is equal (about 4.3:1 on each).
_TEXT = {"auto": "#777777", "light": "#424242", "dark": "#d0d0d0"}
_TITLE = {"auto": "#777777", "light": "#212121", "dark": "#eeeeee"}
#: Grid and stage bands: a grey drawn with low opacity reads as a tint on either background.
BAND_GREY = "#888888"

#: Colours of several series (maps compared, survey segments), after the curve's own colour.
_SERIES = ["#00897b", "#8e24aa", "#6d4c41", "#d81b60", "#546e7a", "#7cb342", "#5e35b1"]

# Minimum contrast of a graphical object (WCAG 2.1, 1.4.11).
_MIN_CONTRAST = 3.0


def _rgb(colour: str) -> tuple[float, float, float]:
    text = colour.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    return (int(text[0:2], 16) / 255, int(text[2:4], 16) / 255, int(text[4:6], 16) / 255)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """Relative luminance of a ``#rrggbb`` colour (WCAG definition)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(colour: str, towards: str, t: float) -> str:
    c, d = _rgb(colour), _rgb(towards)
    return _hex((c[0] + (d[0] - c[0]) * t, c[1] + (d[1] - c[1]) * t, c[2] + (d[2] - c[2]) * t))


def _backgrounds(name: Theme) -> tuple[str, ...]:
    if name == "light":
        return (LIGHT_BACKGROUND,)
    if name == "dark":
        return (DARK_BACKGROUND,)
    return (LIGHT_BACKGROUND, DARK_BACKGROUND)


def readable(colour: str, name: Theme = "auto") -> str:
    """``colour``, lightened or darkened just enough for 3:1 contrast on the theme's background.

    Examples
    --------
    >>> readable("#3949ab", "light")  # already fine on white
    '#3949ab'
    >>> contrast(readable("#3949ab", "dark"), DARK_BACKGROUND) >= 3
    True
    """

    def ok(c: str) -> bool:
        return all(contrast(c, bg) >= _MIN_CONTRAST for bg in _backgrounds(name))

    if ok(colour):
        return colour
    # Too dark for a dark background -> towards white; too light for a light one -> black.
    too_dark = contrast(colour, DARK_BACKGROUND) < _MIN_CONTRAST and name != "light"
    towards = "#ffffff" if too_dark else "#000000"
    for step in range(1, 101):
        candidate = _mix(colour, towards, step / 100)
        if ok(candidate):
            return candidate
    return _TEXT[name]


def colours(name: Theme = "auto") -> dict[str, str]:
    """The chart colours for a theme, from :mod:`journeywidgets.theme`, made readable.

    Keys: ``positive``, ``negative``, ``neutral``, ``curve``, ``measured``,
    ``moment_of_truth``, ``selection`` (the widget's selection colour), ``text``, ``title``,
    ``band``.
    """
    check_theme(name)
    return {
        "positive": readable(theme.POSITIVE, name),
        "negative": readable(theme.NEGATIVE, name),
        "neutral": readable(theme.NEUTRAL, name),
        "curve": readable(theme.CURVE, name),
        "measured": readable(theme.MEASURED, name),
        "moment_of_truth": readable(theme.MOMENT_OF_TRUTH, name),
        "selection": readable(theme.SELECTION, name),
        "text": _TEXT[name],
        "title": _TITLE[name],
        "band": BAND_GREY,
    }


def series_colours(n: int, name: Theme = "auto", *, first: str | None = None) -> list[str]:
    """``n`` distinct series colours: the curve colour (or ``first``) then a fixed palette."""
    palette = [first or theme.CURVE, *_SERIES]
    return [readable(palette[i % len(palette)], name) for i in range(n)]


def check_theme(name: object) -> Theme:
    if name not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(map(repr, THEMES))}, got {name!r}")
    return name  # type: ignore[return-value]


def config(name: Theme = "auto") -> dict[str, Any]:
    """The Vega-Lite ``config`` of a theme (fonts, text colours, transparent background)."""
    c = colours(name)
    font = theme.PLAIN_FONT_FAMILY
    return {
        "background": "transparent",
        "font": font,
        "view": {"stroke": None},
        "title": {
            "color": c["title"],
            "subtitleColor": c["text"],
            "font": font,
            "fontSize": 14,
            "anchor": "start",
        },
        "axis": {
            "labelColor": c["text"],
            "titleColor": c["text"],
            "domainColor": c["text"],
            "tickColor": c["text"],
            "gridColor": BAND_GREY,
            "gridOpacity": 0.3,
            "labelFont": font,
            "titleFont": font,
            "labelFontSize": 11,
            "titleFontSize": 12,
        },
        "legend": {
            "labelColor": c["text"],
            "titleColor": c["text"],
            "labelFont": font,
            "titleFont": font,
            "labelFontSize": 11,
            "titleFontSize": 12,
            "labelLimit": 260,
        },
        "header": {"labelColor": c["text"], "titleColor": c["text"]},
        "text": {"color": c["text"], "font": font},
    }


def apply(chart: Any, name: Theme | None) -> Any:
    """Return ``chart`` configured with theme ``name``; unchanged when ``name`` is None.

    A configured chart cannot be layered or concatenated (altair refuses sub-charts with a
    config), so the chart functions take ``theme=None`` for charts meant to be combined;
    configure the combination with :func:`journeywidgets.charts.configure`.
    """
    if name is None:
        return chart
    cfg = config(check_theme(name))
    background = cfg.pop("background")
    return chart.properties(background=background).configure(**cfg)
