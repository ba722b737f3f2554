"""Undo, redo and the log of what happened to a map.

Each undo step is a pair (applied edit, inverse edit).  Undo applies the inverse, redo the
edit again; both are ordinary edits, so views see them like any other change.  The log is a
plain list of dicts, JSON-serializable, one entry per applied edit, undo or redo.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import EditError
from .edits import Edit

Action = Literal["edit", "undo", "redo"]

#: How many changes a map can undo unless told otherwise (``JourneyMap(undo_limit=...)``).
DEFAULT_UNDO_LIMIT = 1000
#: The largest undo limit: far beyond any session, and within what a deque can hold.
MAX_LIMIT = 10**9


@dataclass
class History:
    """Undo and redo stacks plus the log of the latest changes, oldest first.

    At most ``limit`` undo steps are kept, and the log keeps as many entries (an entry is
    about 550 bytes for a move: an unbounded log grew without end in long sessions).
    ``forgotten`` counts the undo steps dropped because of the limit.
    """

    limit: int = DEFAULT_UNDO_LIMIT
    undo_stack: list[tuple[Edit, Edit]] = field(default_factory=list)
    redo_stack: list[tuple[Edit, Edit]] = field(default_factory=list)
    log: deque[dict[str, Any]] = field(default_factory=deque)
    forgotten: int = 0

    def __post_init__(self) -> None:
        self.log = deque(self.log, maxlen=self.limit)

    @staticmethod
    def check_limit(value: Any) -> int:
        """``value`` as an undo limit, or EditError naming ``undo_limit``."""
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_LIMIT:
            shown = repr(value) if len(repr(value)) <= 30 else f"{repr(value)[:20]}..."
            raise EditError(
                f"map: field 'undo_limit': {shown} is not a whole number of steps from 0 to "
                f"{MAX_LIMIT:,}",
                kind="map",
                field="undo_limit",
            )
        return value

    def set_limit(self, value: Any) -> None:
        self.limit = self.check_limit(value)
        excess = len(self.undo_stack) - self.limit
        if excess > 0:
            del self.undo_stack[:excess]
            self.forgotten += excess
        self.log = deque(self.log, maxlen=self.limit)

    def record(self, action: Action, edit: Edit, version: int, origin: str) -> None:
        self.log.append(
            {"version": version, "action": action, "origin": origin, "edit": edit.to_dict()}
        )

    def push(self, applied: Edit, inverse: Edit) -> None:
        self.undo_stack.append((applied, inverse))
        if len(self.undo_stack) > self.limit:
            del self.undo_stack[0]
            self.forgotten += 1
        self.redo_stack.clear()

    def clear(self) -> None:
        self.undo_stack.clear()
        self.redo_stack.clear()
