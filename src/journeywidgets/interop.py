"""Formats other tools speak: Mermaid ``journey`` text and the JSON Schema of a saved map.

Each codec lives in its own module (:mod:`journeywidgets.mermaid`); this module gathers them
under one name, ``jw.interop``.

Examples
--------
>>> import journeywidgets as jw
>>> m = jw.interop.from_mermaid("journey\\n  section Go\\n    Make tea: 5: Me\\n")
>>> jw.interop.to_mermaid(m).splitlines()[2]
'    Make tea: 5: Me'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import MermaidError
from .mermaid import from_mermaid, to_mermaid
from .mermaid import unsupported as mermaid_unsupported
from .model.document import json_schema

if TYPE_CHECKING:
    from .model.journey import JourneyMap

__all__ = ["from_mermaid", "json_schema", "mermaid_unsupported", "read_mermaid", "to_mermaid"]


def read_mermaid(path: str | Path, **options: Any) -> JourneyMap:
    """Read a map from a Mermaid ``journey`` file (``.mmd``); options as
    :func:`journeywidgets.mermaid.from_mermaid`.

    Raises :class:`~journeywidgets.errors.MermaidError` naming the file when it cannot be
    read, is not UTF-8 text, or is not a journey diagram.

    Examples
    --------
    >>> import journeywidgets as jw, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tea.mmd"
    >>> tea = jw.JourneyMap.from_mermaid("journey\\n  section Go\\n    Tea: 5: Me\\n")
    >>> _ = tea.to_mermaid(path)
    >>> [t.name for t in jw.read_mermaid(path).touchpoints]
    ['Tea']
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise MermaidError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise MermaidError(
            f"{path} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})"
        ) from None
    return from_mermaid(text, **options)
