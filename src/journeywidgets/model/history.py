"""Undo, redo and the log of what happened to a map.

Each undo step is a pair (applied edit, inverse edit).  Undo applies the inverse, redo the
edit again; both are ordinary edits, so views see them like any other change.  The log is a
plain list of dicts, JSON-serializable, one entry per applied edit, undo or redo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .edits import Edit

Action = Literal["edit", "undo", "redo"]


@dataclass
class History:
    """Undo and redo stacks plus the log of every change, oldest first."""

    limit: int = 1000
    undo_stack: list[tuple[Edit, Edit]] = field(default_factory=list)
    redo_stack: list[tuple[Edit, Edit]] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)

    def record(self, action: Action, edit: Edit, version: int, origin: str) -> None:
        self.log.append(
            {"version": version, "action": action, "origin": origin, "edit": edit.to_dict()}
        )

    def push(self, applied: Edit, inverse: Edit) -> None:
        self.undo_stack.append((applied, inverse))
        if len(self.undo_stack) > self.limit:
            del self.undo_stack[0]
        self.redo_stack.clear()

    def clear(self) -> None:
        self.undo_stack.clear()
        self.redo_stack.clear()
