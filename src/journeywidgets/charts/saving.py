"""Save any chart as PNG, SVG, PDF or a standalone HTML page, without the internet; show a
chart live with a picture of itself for viewers without widgets (:func:`with_picture`).

Every chart helper returns an altair chart; :func:`save` writes it with vl-convert (Vega and
Vega-Lite bundled, no browser, nothing fetched), atomically, in the format its file name
ends with.  PDF keeps text as text (fonts embedded), so a chart in a report is searchable
and its Polish or Hungarian labels copy out intact.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import altair as alt

from .. import atomic
from ..errors import ExportError

#: File formats by suffix.
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".html": "html", ".json": "json"}


def save(chart: Any, path: str | Path, *, scale: float = 2.0) -> Path:
    """Write ``chart`` to ``path`` as PNG, SVG, PDF, HTML or Vega-Lite JSON (by suffix).

    Parameters
    ----------
    chart:
        An altair chart (any chart this package makes) or an :class:`altair.JupyterChart`.
    path:
        The file to write; its suffix picks the format.  Written whole or not at all.
    scale:
        PNG only: pixels per chart pixel (2, the default, is sharp on high-density screens
        and in print).

    Returns
    -------
    The path written.

    Examples
    --------
    >>> import journeywidgets as jw, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> chart = jw.charts.emotion_curve(jw.templates.it_laptop())
    >>> jw.charts.save(chart, folder / "curve.svg").read_text()[:4]
    '<svg'
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(f"{path.name}: cannot tell the format; use one of {', '.join(FORMATS)}")
    if not 0.1 <= scale <= 10:
        raise ExportError(f"scale: {scale:g} is outside 0.1-10")
    if isinstance(chart, alt.JupyterChart):
        chart = chart.chart
    if not hasattr(chart, "save"):
        raise ExportError(f"{type(chart).__name__} is not an altair chart")
    if fmt in ("png", "svg", "pdf"):
        try:
            import vl_convert  # noqa: F401
        except ImportError:
            raise ExportError(
                f"saving a chart as {fmt.upper()} needs vl-convert-python: "
                'pip install "journeywidgets[pdf]"'
            ) from None
    buffer: io.BytesIO | io.StringIO = io.BytesIO() if fmt in ("png", "pdf") else io.StringIO()
    options: dict[str, Any] = {"scale_factor": scale} if fmt == "png" else {}
    if fmt == "html":
        options["inline"] = True  # Vega inside the page: it opens offline
    chart.save(buffer, format=fmt, **options)
    data = buffer.getvalue()
    if isinstance(data, str):
        atomic.write_text(path, data)
    else:
        atomic.write_bytes(path, data)
    return path


def png_bytes(chart: Any, *, scale: float = 1.0) -> bytes:
    """``chart`` drawn as PNG by vl-convert (offline)."""
    if isinstance(chart, alt.JupyterChart):
        chart = chart.chart
    buffer = io.BytesIO()
    chart.save(buffer, format="png", scale_factor=scale)
    return buffer.getvalue()


class PictureChart:
    """A chart shown live (offline :class:`altair.JupyterChart`) that also carries a PNG of
    itself, which GitHub, nbviewer, untrusted notebooks and nbconvert show where no widget
    can run.  Made by :func:`with_picture`; display it at the end of a cell.

    ``widget`` is the live JupyterChart (its ``selections`` and ``params``), ``chart`` the
    altair chart.
    """

    def __init__(self, chart: Any) -> None:
        from .offline import ensure_bundle

        ensure_bundle()  # the live chart loads Vega from vl-convert, not from a CDN
        self.chart = chart.chart if isinstance(chart, alt.JupyterChart) else chart
        self.widget = chart if isinstance(chart, alt.JupyterChart) else alt.JupyterChart(chart)

    def __repr__(self) -> str:
        return f"<PictureChart of {type(self.chart).__name__}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data, metadata = dict(data or {}), dict(metadata or {})
        try:
            png = png_bytes(self.chart, scale=2)
        except Exception as exc:  # no picture is better than no chart
            import warnings

            from ..errors import JourneyWarning

            warnings.warn(f"no static picture of the chart ({exc})", JourneyWarning, stacklevel=2)
            return data, metadata
        # Drawn at twice the size for sharp text; shown at the chart's own size.
        width = int.from_bytes(png[16:20], "big") // 2
        data["image/png"] = base64.b64encode(png).decode("ascii")
        metadata["image/png"] = {"width": width}
        return data, metadata


def with_picture(chart: Any) -> PictureChart:
    """``chart`` to display live *and* as a picture for viewers without widgets.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> shown = jw.charts.with_picture(jw.charts.emotion_curve(jw.templates.it_laptop()))
    >>> data, meta = shown._repr_mimebundle_()
    >>> "application/vnd.jupyter.widget-view+json" in data, "image/png" in data
    (True, True)
    """
    return PictureChart(chart)
