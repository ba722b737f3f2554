"""Import a heavy library on a fresh call stack, so it costs what it costs at the top level.

CPython 3.11 keeps Python frames in chunks of memory and frees a chunk as soon as the stack
shrinks out of it.  Deep recursion that keeps crossing a chunk's end therefore allocates and
frees memory on every call.  altair's import builds 38 parsers with lark (jsonschema imports
rfc3987-syntax), recursing deeply, and whether it crosses that boundary depends on how deep
the import starts: a notebook cell's ``import journeywidgets.charts`` took 2.2 s of CPU where
``import altair`` at the top of the cell took 1.1 s (measured in a Jupyter kernel on this
project's 2-core machine; ``benchmarks/first_chart_bench.py``).  A new thread starts with an
empty stack, so the import runs at the same shallow depth wherever it is asked for.

Examples
--------
>>> import sys
>>> import_on_fresh_stack("json") is sys.modules["json"]
True
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType


def import_on_fresh_stack(name: str) -> ModuleType:
    """Import module ``name`` in a short-lived thread and return it (at once if imported).

    Where no thread can start (a browser's Pyodide), it is imported here instead.  An error
    raised by the import is raised again in the caller.
    """
    module = sys.modules.get(name)
    if module is not None:
        return module
    result: list[ModuleType] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(importlib.import_module(name))
        except BaseException as exc:  # handed to the caller below
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"import {name}", daemon=True)
    try:
        thread.start()
    except RuntimeError:  # no threads here: import on this stack
        return importlib.import_module(name)
    thread.join()
    if failure:
        raise failure[0]
    return result[0]
