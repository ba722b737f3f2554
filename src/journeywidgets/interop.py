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

from .mermaid import from_mermaid, to_mermaid
from .mermaid import unsupported as mermaid_unsupported
from .model.document import json_schema

__all__ = ["from_mermaid", "json_schema", "mermaid_unsupported", "to_mermaid"]
