"""Save any chart as PNG, SVG, PDF or a standalone HTML page, without the internet.

Every chart helper returns an altair chart; :func:`save` writes it with vl-convert (Vega and
Vega-Lite bundled, no browser, nothing fetched), atomically, in the format its file name
ends with.  PDF keeps text as text (fonts embedded), so a chart in a report is searchable
and its Polish or Hungarian labels copy out intact.
"""

from __future__ import annotations

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
