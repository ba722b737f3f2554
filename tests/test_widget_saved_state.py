"""A notebook executed by nbclient with ``store_widget_state=True`` saves the CURRENT map.

The widget sends its whole document only when the map changed outside its browser, once after
the cell (IPython's ``post_execute``): here a later cell edits the map in Python, and the saved
widget state must hold that edit, so the notebook rebuilds the map without a kernel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

import journeywidgets as jw

BUILD = """
import journeywidgets as jw
m = jw.JourneyMap("Before", scale=(-2, 2))
m.add_stage("Want", id="want")
m.add_lane("Actions", kind="actions")
m.add_touchpoint("Advert", id="ad", stage="want", emotion=1)
m.add_touchpoint("Website", id="web", stage="want")
m.add_card("Sees the advert", id="c1", touchpoint="ad", lane="actions")
"""

LATER = """
m.title = "After"
m.add_card("Added in a later cell", id="later", touchpoint="web", lane="actions")
m.move("c1", touchpoint="web", index=0)
m.set_emotion("web", -2)
"""

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def expected() -> jw.JourneyMap:
    namespace: dict[str, Any] = {}
    exec(BUILD + LATER, namespace)
    return namespace["m"]  # type: ignore[no-any-return]


def test_saved_widget_state_holds_the_current_map(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(BUILD + "w = jw.JourneyWidget(m)\nw"),
        nbformat.v4.new_code_cell(LATER),
    ]
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()

    states = nb.metadata["widgets"][WIDGET_STATE]["state"]
    docs = [s["state"]["_doc"] for s in states.values() if "_doc" in s.get("state", {})]
    assert len(docs) == 1, f"expected one journey widget in the saved state, got {len(docs)}"
    saved = jw.JourneyMap.from_dict(docs[0])
    assert saved == expected()
    assert saved.title == "After"
    assert [c.id for c in saved.cards_in("web", "actions")] == ["c1", "later"]
    # The display output also carries the static picture for viewers without widgets.
    outputs = nb.cells[0].outputs
    data = next(o["data"] for o in outputs if "data" in o)
    assert "application/vnd.jupyter.widget-view+json" in data
    assert "image/png" in data  # the picture of the map for viewers without widgets
