"""Tidy pandas tables of a journey map, and maps built back from tables and spreadsheets.

A map becomes one table per entity kind, each row one entity with its stable ``id``:

``map``
    One row: ``id``, ``title``, ``description``, ``scenario``, ``kind``, ``state``,
    ``language``, ``persona``, the scale as ``scale_min``, ``scale_max``, ``scale_neutral``,
    ``scale_step``, ``scale_labels``, and ``labels``, ``metadata``.
``personas``, ``stages``, ``lanes``
    ``id``, ``order`` (0-based position), then the entity's fields.
``touchpoints``
    ``id``, ``stage``, ``position`` (0-based, within the stage), ``order`` (0-based journey
    order), the fields, and the survey measurement flattened into ``measured_emotion``,
    ``measured_low``, ``measured_high``, ``measured_n``, ``measured_metric``,
    ``measured_source`` (all missing when nothing was measured).
``cards``
    ``id``, ``touchpoint``, ``lane``, ``position`` (0-based, within the cell), ``order``
    (0-based map order), then ``text``, ``tags``, ``source``, ``owner``, ``impact``, ``effort``,
    ``labels``.

A long ``cells`` view (one row per touchpoint x lane x card, empty cells included once with
the card columns missing) is there for analysis; it is derived and cannot be read back.

Lists and dicts (``tags``, ``goals``, ``labels``, ``metrics``, ``metadata``...) are Python
lists and dicts in the DataFrames, and JSON text in CSV and Excel files.  When reading, a list
column also accepts JSON text (``'["a", "b"]'``) or plain text separated by semicolons
(``"billing; urgent"``); a dict column accepts JSON text.  Missing values (``None``, NaN, and
in non-text columns an empty string) mean "the field's default".

:func:`from_dataframes` checks everything before it builds anything: every problem (missing or
misnamed columns, duplicate ids, references to unknown stages, touchpoints or lanes, emotions
off the scale, missing required values, values of the wrong type) is collected into one
:class:`~journeywidgets.errors.TableError` naming the table, row and column.  Rows are named
by the DataFrame's index labels; tables read from files are numbered like the spreadsheet
(the header is row 1, the first data row is row 2).

Examples
--------
>>> import journeywidgets as jw
>>> m = jw.JourneyMap("Demo")
>>> _ = m.add_stage("Buy"); _ = m.add_lane("Actions", kind="actions")
>>> _ = m.add_touchpoint("Website", stage="buy", emotion=1)
>>> _ = m.add_card("Compares tariffs", touchpoint="website", lane="actions", tags=("web",))
>>> tables = to_dataframes(m)
>>> tables["cards"][["id", "touchpoint", "lane", "text", "tags"]]
       id touchpoint     lane              text   tags
0  card_1    website  actions  Compares tariffs  [web]
>>> from_dataframes(tables) == m
True
"""

from __future__ import annotations

from .files import csv_files, read_csv, read_excel, read_flat, write_csv, write_excel
from .flat import FLAT_FIELDS, from_flat, to_flat
from .tables import TABLES, from_dataframes, to_dataframe, to_dataframes

__all__ = [
    "FLAT_FIELDS",
    "TABLES",
    "csv_files",
    "from_dataframes",
    "from_flat",
    "read_csv",
    "read_excel",
    "read_flat",
    "to_dataframe",
    "to_dataframes",
    "to_flat",
    "write_csv",
    "write_excel",
]
