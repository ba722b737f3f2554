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

Two more things the bundle does here:

* **No cross-talk between outputs.**  Vega's SVG renderer names gradients and clip paths
  from counters (``gradient_0``, ``clip1``...) that start again in every copy of the bundle,
  and anywidget loads one copy per chart, so two charts drawn as SVG in one notebook had
  the same ids and the page drew one chart's legend gradient or clip with the other's (a
  page resolves ``url(#id)`` to the first element with that id).  The bundle is patched so
  that each copy prefixes these ids with its own random token: every id is unique in the
  page.  (The default canvas renderer draws no ids at all.)
* **Built once per machine.**  vl-convert takes about a second (more on a busy machine) to
  bundle Vega; the result is kept in the user's cache folder
  (``$XDG_CACHE_HOME/journeywidgets`` or ``~/.cache/journeywidgets``), keyed by the altair
  and vl-convert versions, so a new kernel reads it in milliseconds.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import altair as alt

from .. import atomic
from .._host import ipython_shell
from ..errors import FileWriteError

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
            show_directly(False)
        return
    ensure_bundle()
    if renderer:
        alt.renderers.enable("jupyter", offline=True)
        show_directly()


def ensure_bundle() -> None:
    """Make JupyterChart use the offline bundle, with page-unique ids (once per process).

    Read from the cache folder when an earlier process built it for these versions of
    altair and vl-convert; otherwise built by vl-convert, patched and cached.
    """
    chart_class: Any = alt.JupyterChart
    if getattr(chart_class, "_jw_unique_ids", False) and getattr(chart_class, "_is_offline", False):
        return
    cached = _cache_path()
    source: str | None = None
    if cached is not None:
        try:
            source = cached.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            source = None
    if not source or _ID_TOKEN not in source:
        chart_class.enable_offline(False)  # so that enable_offline(True) builds afresh
        chart_class.enable_offline(True)
        source = unique_ids(chart_class._esm)
        if cached is not None:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                atomic.write_text(cached, source)
            except (OSError, FileWriteError):
                pass  # no cache (read-only home): built again by the next kernel
    # altair's enable_offline(True) returns early once _is_offline is set, so this bundle
    # stays in place when altair's "jupyter" renderer asks for offline mode again.
    chart_class._esm = source
    chart_class._is_offline = True
    chart_class._jw_unique_ids = True


#: Name of the per-copy token the patched bundle declares.
_ID_TOKEN = "__jwUniqueIds"
#: Where Vega's SVG renderer makes gradient and clip-path ids from a module counter.
_ID_SITES = (
    (re.compile(r'"gradient_"\+'), f'"gradient_"+{_ID_TOKEN}+'),
    (re.compile(r'"clip"\+(?=[\w$]+\+\+)'), f'"clip"+{_ID_TOKEN}+'),
)
# Bumped when the patch changes, so caches of an older patch are not used.
_PATCH_VERSION = "1"


class BundleChangedError(RuntimeError):
    """Vega's bundle no longer has the id counters :func:`unique_ids` rewrites."""


def unique_ids(bundle: str) -> str:
    """``bundle`` with Vega's SVG gradient and clip ids prefixed by a random per-copy token.

    Raises :class:`BundleChangedError` when a site is missing (a new Vega made them differently):
    better to fail loudly in the tests than to ship charts that corrupt each other.

    Examples
    --------
    >>> src = 'r=t.id="gradient_"+B12++;s=e.clip_id||(e.clip_id="clip"+$t2++)'
    >>> print(unique_ids(src).split(";", 1)[1])
    r=t.id="gradient_"+__jwUniqueIds+B12++;s=e.clip_id||(e.clip_id="clip"+__jwUniqueIds+$t2++)
    """
    out = bundle
    for pattern, replacement in _ID_SITES:
        out, count = pattern.subn(replacement, out)
        if count != 1:
            raise BundleChangedError(
                f"expected one id counter matching {pattern.pattern!r} in Vega's bundle, "
                f"found {count}; journeywidgets.charts.offline needs updating for this Vega"
            )
    token = (
        f"const {_ID_TOKEN}=Array.from(globalThis.crypto.getRandomValues(new Uint8Array(6)),"
        'b=>(b%36).toString(36)).join("")+"_";'
    )
    return token + out


def _cache_path() -> Path | None:
    """Cache file of the patched bundle for these altair/vl-convert versions (None: no home)."""
    try:
        import vl_convert as vlc
        from altair.jupyter.jupyter_chart import load_js_src

        root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        key = hashlib.sha256(
            "\0".join(
                [alt.__version__, getattr(vlc, "__version__", "?"), _PATCH_VERSION, load_js_src()]
            ).encode()
        ).hexdigest()[:16]
    except (ImportError, RuntimeError, OSError):
        return None
    return Path(root) / "journeywidgets" / f"jupyterchart-{key}.js"


def in_kernel() -> bool:
    """Whether this Python runs as a Jupyter kernel (IPython with a kernel attached)."""
    shell = ipython_shell()
    return shell is not None and getattr(shell, "kernel", None) is not None


def auto_enable() -> bool:
    """Enable offline rendering once, in a kernel, unless the user chose a renderer."""
    if _state["auto"] or not in_kernel() or alt.renderers.active != "default":
        return False
    _state["auto"] = True
    # The bundle now (from the cache in milliseconds; built once per machine otherwise):
    # were it left to altair's renderer, the first chart would get Vega without unique ids.
    ensure_bundle()
    alt.renderers.enable("jupyter", offline=True)
    show_directly()
    return True


def show_directly(on: bool = True) -> bool:
    """Let IPython display altair charts through :func:`show` (``on=False``: stop).

    Returns whether an IPython shell was there to tell.
    """
    shell = ipython_shell()
    if shell is None:
        return False
    formatter = shell.display_formatter.mimebundle_formatter
    if on:
        formatter.for_type(alt.TopLevelMixin, show)
    else:
        formatter.pop(alt.TopLevelMixin, None)
    return True


def show(chart: Any) -> Any:
    """The MIME bundle of ``chart``: what altair's offline ``"jupyter"`` renderer shows, sooner.

    altair hands its renderers the chart as a dict it has just validated; its ``"jupyter"``
    renderer makes a chart again from that dict (``Chart.from_dict`` validates every piece
    once more: about 0.35 s of CPU for an emotion curve, most of displaying it) for
    :class:`~altair.JupyterChart` to turn back into the same dict.  Given the chart itself,
    JupyterChart converts and validates it once.  With any other renderer (the user chose
    one) the chart displays as altair would display it.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> jw.charts.enable_offline()
    >>> data, metadata = show(jw.charts.emotion_curve(jw.templates.it_laptop()))
    >>> "application/vnd.jupyter.widget-view+json" in data
    True
    >>> jw.charts.enable_offline(False)
    """
    options = alt.renderers.options
    if alt.renderers.active != "jupyter" or not options.get("offline"):
        return chart._repr_mimebundle_()
    ensure_bundle()
    widget = alt.JupyterChart(chart, embed_options=options.get("embed_options"))
    return widget._repr_mimebundle_()
