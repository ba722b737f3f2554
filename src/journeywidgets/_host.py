"""Where the code runs: an IPython kernel, a cell run on an event loop (marimo), or neither.

The widget and linked charts do their bulk work once per cell rather than once per change
of the map: after the cell (IPython's ``post_execute``) in a Jupyter kernel, or when the
event loop running the cell is next free in marimo, which runs each cell as a coroutine.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any


def ipython_shell() -> Any:
    """The running IPython shell, or None (plain Python, marimo)."""
    ipython = sys.modules.get("IPython")
    return None if ipython is None else ipython.get_ipython()


def cell_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running the current code as one of its tasks, or None.

    A task is required, not just a loop marked as running in this thread: Playwright's
    synchronous API, for one, leaves its loop marked as running between calls, and work
    scheduled on it would wait for the next Playwright call.

    Examples
    --------
    >>> cell_loop() is None
    True
    >>> async def cell():
    ...     return cell_loop() is not None
    >>> asyncio.run(cell())
    True
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop if asyncio.current_task(loop) is not None else None


def after_each_cell(shell: Any, callback: Callable[[], None]) -> None:
    """Run ``callback`` after every cell of ``shell`` (IPython's ``post_execute``), once
    however often this is asked."""
    if callback not in shell.events.callbacks.get("post_execute", []):
        shell.events.register("post_execute", callback)
