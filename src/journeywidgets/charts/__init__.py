"""Altair charts of journey maps and their survey evidence, linkable to the map widget.

Charts of the map:

* :func:`emotion_curve` -- touchpoints in journey order against the map's emotion scale,
  with stage bands, positive/negative colouring, moments of truth, tooltips, and the
  survey-measured curve with its 95% interval beside the workshop hypothesis;
* :func:`compare` -- several maps on one chart (current vs future state, personas, segments).

Charts of survey evidence (they take aggregates, never raw responses -- DESIGN principle 5 --
so their size does not grow with the survey):

* :func:`likert_counts` then :func:`distribution` -- diverging stacked bars of Likert answers;
* :func:`heatmap` -- a metric by touchpoint x segment;
* :func:`importance_performance` -- the importance x performance quadrant chart, labelling
  moments of truth and quick wins;
* :func:`servqual_gaps` -- SERVQUAL perception - expectation gaps by touchpoint x dimension.

Linking: :func:`link` joins a chart's touchpoint selection and a
:class:`~journeywidgets.JourneyWidget`'s ``selected`` both ways (needs a running kernel; see
:mod:`journeywidgets.charts.linking` for what works without one).

Saving: :func:`save` writes any of these charts as PNG, SVG, PDF or a standalone HTML page,
offline (vl-convert), e.g. ``jw.charts.save(chart, "curve.pdf")``; :func:`with_picture`
shows a chart live and carries a PNG of it for GitHub, nbviewer and untrusted notebooks.

Offline: inside a Jupyter kernel, importing this module makes altair display charts through
an offline :class:`~altair.JupyterChart` (Vega bundled by vl-convert, nothing from a CDN);
elsewhere call :func:`enable_offline` (see :mod:`journeywidgets.charts.offline`).

Themes: every chart function takes ``theme="auto" | "light" | "dark" | None``; ``"auto"``
reads on JupyterLab's light and dark themes alike (see :mod:`journeywidgets.charts.style`).
``theme=None`` returns an unconfigured chart to layer or concatenate; configure the result
with :func:`configure`.
"""

# ruff: noqa: E402 -- altair is imported (below) before the modules that import it

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .fresh_stack import import_on_fresh_stack

# altair first, on a stack of its own: imported from here, as deep as a notebook cell's import
# of this package reaches, it took twice as long (see fresh_stack)
import_on_fresh_stack("altair")

from . import offline as _offline
from .curve import compare, emotion_curve
from .linking import link, unlink
from .offline import enable_offline
from .saving import save, with_picture
from .style import Theme
from .style import apply as _apply

if TYPE_CHECKING:
    from .evidence import distribution, heatmap, likert_counts, servqual_gaps
    from .flow import drop_off, journey_flow, time_between
    from .quadrant import importance_performance

# Charts of tables (survey aggregates, event summaries) need pandas, which costs about a
# second to import: they are imported on first use (PEP 562), so that a map's own charts
# come up without it (issue #18).  Whoever calls them has a table, so pandas is loaded then.
_LAZY = {
    "distribution": "evidence",
    "heatmap": "evidence",
    "likert_counts": "evidence",
    "servqual_gaps": "evidence",
    "drop_off": "flow",
    "journey_flow": "flow",
    "time_between": "flow",
    "importance_performance": "quadrant",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def configure(chart: Any, theme: Theme = "auto") -> Any:
    """Apply a theme to a chart made of ``theme=None`` charts (layered, concatenated...).

    Charts from this module combined with each other share one touchpoint selection (altair
    merges their identical ``touchpoint`` selections and says so in a ``UserWarning``), so a
    click in one highlights the touchpoint in all of them.

    Examples
    --------
    >>> import altair as alt
    >>> import journeywidgets as jw
    >>> m = jw.templates.it_laptop()
    >>> source = alt.InlineData(values=[{"t": "Source: workshop, May"}])
    >>> note = alt.Chart(source).mark_text().encode(text="t:N")
    >>> both = alt.vconcat(jw.charts.emotion_curve(m, theme=None), note)
    >>> jw.charts.configure(both, "dark").to_dict()["config"]["axis"]["labelColor"]
    '#d0d0d0'
    """
    return _apply(chart, theme)


_offline.auto_enable()

__all__ = [
    "compare",
    "configure",
    "distribution",
    "drop_off",
    "emotion_curve",
    "enable_offline",
    "heatmap",
    "importance_performance",
    "journey_flow",
    "likert_counts",
    "link",
    "save",
    "servqual_gaps",
    "time_between",
    "unlink",
    "with_picture",
]
