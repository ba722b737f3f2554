"""pm4py's variants and directly-follows counts of event logs, as JSON (a test oracle).

Run by the oracle's own environment (``.venv-oracle``, see ``scripts/ensure_oracle.sh``),
never imported: pm4py is AGPL-licensed and journeywidgets is BSD.  Each argument is a CSV log
with XES columns; the last line printed is a JSON list with, per log, ``variants`` (path and
cases) and ``dfg`` (pair and occurrences), as pm4py's ``get_variants`` and ``discover_dfg``
give them.

    .venv-oracle/bin/python tests/oracles/pm4py_counts.py log1.csv log2.csv
"""

from __future__ import annotations

import json
import sys

import pandas as pd
import pm4py


def counts(path: str) -> dict[str, list[list[object]]]:
    log = pd.read_csv(path, dtype={"case:concept:name": str, "concept:name": str})
    log["time:timestamp"] = pd.to_datetime(log["time:timestamp"], utc=True, format="ISO8601")
    variants = pm4py.get_variants(log)
    dfg, _start, _end = pm4py.discover_dfg(log)
    return {
        "variants": [[list(path), int(n)] for path, n in variants.items()],
        "dfg": [[a, b, int(n)] for (a, b), n in dfg.items()],
    }


if __name__ == "__main__":
    print(json.dumps([counts(path) for path in sys.argv[1:]]))
