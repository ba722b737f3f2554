"""Talking to a JourneyWidget's kernel side the way its browser does, through its real comm."""

from __future__ import annotations

from typing import Any


def from_browser(w: Any, content: dict[str, Any]) -> None:
    """Deliver a custom message from the browser, as the kernel's comm manager would."""
    w.comm.handle_msg(
        {
            "content": {
                "comm_id": w.comm.comm_id,
                "data": {"method": "custom", "content": content},
            },
            "buffers": [],
        }
    )
