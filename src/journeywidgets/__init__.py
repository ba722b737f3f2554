"""journeywidgets: customer and employee journey maps in Jupyter.

A validated model (:class:`JourneyMap`), a drag-and-drop widget (:class:`JourneyWidget`),
altair charts (:mod:`journeywidgets.charts`), pandas tables (:mod:`journeywidgets.frames`),
survey evidence (:mod:`journeywidgets.survey`) and ways to share maps.

Heavy parts (the widget, pandas, altair) are imported on first use, so that
``import journeywidgets`` stays fast.

Examples
--------
>>> import journeywidgets as jw
>>> m = jw.templates.energy_utility()
>>> [s.label("pl") for s in m.stages][:2]
['Chcę mieć prąd', 'Decyduję – kupuję']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    DocumentError,
    EditError,
    EventLogError,
    FileWriteError,
    JourneyError,
    JourneyWarning,
    MermaidError,
    SchemaVersionError,
    SurveyError,
    TableError,
)
from .model.document import SCHEMA_VERSION, json_schema, load, loads, read_json
from .model.edits import Add, Batch, Move, Remove, SetEmotion, Update, parse_edit
from .model.entities import LANE_KINDS, Card, Lane, Measurement, Persona, Scale, Stage, Touchpoint
from .model.journey import Change, JourneyMap

if TYPE_CHECKING:
    from . import charts, frames, survey, templates, versions
    from .frames import read_csv, read_excel
    from .interop import from_mermaid, read_mermaid, to_mermaid
    from .versions import diff, merge
    from .widget import JourneyWidget

__version__ = "0.1.0"

# name -> module that defines it; imported on first access (PEP 562)
_LAZY = {
    "JourneyWidget": "journeywidgets.widget",
    "templates": "journeywidgets.templates",
    "charts": "journeywidgets.charts",
    "frames": "journeywidgets.frames",
    "survey": "journeywidgets.survey",
    "events": "journeywidgets.events",
    "interop": "journeywidgets.interop",
    "to_mermaid": "journeywidgets.interop",
    "from_mermaid": "journeywidgets.interop",
    "read_mermaid": "journeywidgets.interop",
    "read_csv": "journeywidgets.frames",
    "read_excel": "journeywidgets.frames",
    "export": "journeywidgets.export",
    "pages": "journeywidgets.pages",
    "overview": "journeywidgets.overview",
    "notebook": "journeywidgets.notebook",
    "versions": "journeywidgets.versions",
    "diff": "journeywidgets.versions",
    "merge": "journeywidgets.versions",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        value = module if module.__name__.endswith(name) else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'journeywidgets' has no attribute {name!r}")


__all__ = [
    "LANE_KINDS",
    "SCHEMA_VERSION",
    "Add",
    "Batch",
    "Card",
    "Change",
    "DocumentError",
    "EditError",
    "EventLogError",
    "FileWriteError",
    "JourneyError",
    "JourneyMap",
    "JourneyWarning",
    "JourneyWidget",
    "Lane",
    "Measurement",
    "MermaidError",
    "Move",
    "Persona",
    "Remove",
    "Scale",
    "SchemaVersionError",
    "SetEmotion",
    "Stage",
    "SurveyError",
    "TableError",
    "Touchpoint",
    "Update",
    "charts",
    "diff",
    "frames",
    "from_mermaid",
    "json_schema",
    "load",
    "loads",
    "merge",
    "parse_edit",
    "read_csv",
    "read_excel",
    "read_json",
    "read_mermaid",
    "survey",
    "templates",
    "to_mermaid",
    "versions",
]
