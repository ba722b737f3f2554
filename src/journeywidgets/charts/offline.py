"""Show charts without the internet: Vega from vl-convert instead of a CDN.

altair's :class:`~altair.JupyterChart` (a Jupyter widget) imports Vega, Vega-Lite and
vega-embed from a CDN unless told otherwise; altair 6's default renderer emits a Vega-Lite 6
MIME bundle that JupyterLab 4 does not render at all.  :func:`enable_offline` fixes both:
JupyterChart's front end becomes one self-contained bundle built by ``vl-convert`` (about
0.9 MB, built once per kernel, in a few seconds), and every altair chart displays through it.

Inside a Jupyter kernel this happens on ``import journeywidgets.charts`` when altair's
renderer is still the default one, so charts work offline with no call at all;
``jw.charts.enable_offline(False)`` restores altair's defaults.

Where a chart lives on without a kernel: a notebook saved with widget state (JupyterLab's
"Save Widget State Automatically", nbclient ``store_widget_state=True``) shows each chart
again, interactive (tooltips, its own click selection), because the state carries the spec
and the bundle (so each chart adds about 0.9 MB to the file).  Without widget state, exports
such as nbconvert HTML show no chart; for a static report save the chart itself
(``chart.save("curve.svg")``, ``.png`` or ``.html`` with ``inline=True``), all rendered
locally.
"""

from __future__ import annotations

import altair as alt

from .._host import ipython_shell

_state = {"auto": False}


def enable_offline(offline: bool = True, *, renderer: bool = True) -> None:
    """Load Vega from the local ``vl-convert`` package rather than a CDN.

    Parameters
    ----------
    offline : bool
        True: JupyterChart (and :func:`journeywidgets.charts.link`) uses vl-convert's bundle.
        False: back to altair's defaults (CDN, default renderer).
    renderer : bool
        Also make altair display every chart as an offline JupyterChart (altair's
        ``"jupyter"`` renderer), so ``chart`` at the end of a cell renders without internet.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> jw.charts.enable_offline()
    >>> import altair as alt
    >>> alt.renderers.active
    'jupyter'
    >>> jw.charts.enable_offline(False)
    >>> alt.renderers.active
    'default'
    """
    if not offline:
        alt.JupyterChart.enable_offline(False)
        if renderer:
            alt.renderers.enable("default")
        return
    ensure_bundle()
    if renderer:
        alt.renderers.enable("jupyter", offline=True)


def ensure_bundle() -> None:
    """Build JupyterChart's offline bundle now (once per process)."""
    alt.JupyterChart.enable_offline(True)


def in_kernel() -> bool:
    """Whether this Python runs as a Jupyter kernel (IPython with a kernel attached)."""
    shell = ipython_shell()
    return shell is not None and getattr(shell, "kernel", None) is not None


def auto_enable() -> bool:
    """Enable offline rendering once, in a kernel, unless the user chose a renderer."""
    if _state["auto"] or not in_kernel() or alt.renderers.active != "default":
        return False
    _state["auto"] = True
    # Only the renderer: it builds the bundle on first display, so importing stays cheap.
    alt.renderers.enable("jupyter", offline=True)
    return True
