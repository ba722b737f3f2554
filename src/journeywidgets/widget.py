"""The journey map widget for Jupyter (placeholder until the drag-and-drop editor lands).

The front end is the esbuild bundle of ``js/src/widget.ts``, shipped in the wheel as
``journeywidgets/static/widget.js`` (and ``widget.css``). It is built, never committed: from a
source checkout run ``make build``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anywidget
import traitlets

_STATIC = Path(__file__).parent / "static"
_ESM = _STATIC / "widget.js"
_CSS = _STATIC / "widget.css"

if not _ESM.is_file():
    # Fail at import, with the fix, rather than showing an empty output cell later.
    raise ImportError(
        f"journeywidgets' front end is not built: {_ESM} is missing. "
        "From a source checkout run `make build` (it runs `npm ci && npm run build` in js/)."
    )


def _as_document(doc_or_map: object) -> dict[str, Any]:
    """Return the plain-dict document of a map, or of a dict, for syncing to the browser."""
    if isinstance(doc_or_map, Mapping):
        return dict(doc_or_map)
    to_dict = getattr(doc_or_map, "to_dict", None)
    if callable(to_dict):
        doc = to_dict()
        if not isinstance(doc, Mapping):
            raise TypeError(
                f"{type(doc_or_map).__name__}.to_dict() returned {type(doc).__name__}, "
                "expected a dict"
            )
        return dict(doc)
    raise TypeError(
        "JourneyWidget expects a JourneyMap (or any object with a to_dict() method) or a dict, "
        f"got {type(doc_or_map).__name__}"
    )


class JourneyWidget(anywidget.AnyWidget):
    """Show a journey map in a notebook.

    Parameters
    ----------
    doc_or_map : JourneyMap or dict
        The map to show: a ``JourneyMap`` (anything with a ``to_dict()`` method) or its
        plain-dict document.

    Examples
    --------
    >>> from journeywidgets.widget import JourneyWidget
    >>> w = JourneyWidget({"title": "Moving house"})
    >>> w._doc["title"]
    'Moving house'
    """

    # Paths, not strings, so ANYWIDGET_HMR=1 reloads the bundle while `npm run dev` rebuilds it.
    _esm = _ESM
    if _CSS.is_file():  # emitted only while the bundle imports a stylesheet
        _css = _CSS

    _doc = traitlets.Dict().tag(sync=True)
    """The whole map document as a JSON-able dict; the browser renders from it."""

    def __init__(self, doc_or_map: object, **kwargs: Any) -> None:
        super().__init__(_doc=_as_document(doc_or_map), **kwargs)
