"""The widget's diff overlay, kernel side: what ``_diff`` holds after edits from Python and
from the browser (delivered through the widget's real comm, as in test_widget.py)."""

from __future__ import annotations

import doctest
from collections.abc import Iterator

import pytest
from IPython.core.interactiveshell import InteractiveShell

import journeywidgets as jw
import journeywidgets.diff_overlay
import journeywidgets.widget
from comm_helpers import from_browser
from journeywidgets.widget import JourneyWidget, flush_stale_documents
from test_widget import recording_comms, small_map, updates  # noqa: F401  (the fixture)


@pytest.fixture
def w() -> Iterator[JourneyWidget]:
    widget = JourneyWidget(small_map())
    yield widget
    widget.close()


def test_no_overlay_until_asked(w: JourneyWidget) -> None:
    assert w._diff == {}
    assert w.diff_summary == ""


def test_marks_added_changed_and_removed_with_where_they_were(w: JourneyWidget) -> None:
    m = w.map
    base = m.copy()
    w.show_diff(base)
    assert w._diff["added"] == {}
    assert w._diff["removed"] == []
    assert w._diff["changed"] == {}
    removed = m.cards_in("web", "actions")[1]
    m.remove(removed.id)
    new = m.add_card("<img src=x onerror=alert(1)>", touchpoint="invoice", lane="actions")
    m.set_emotion("web", 2)
    m.move(m.cards_in("ad", "actions")[0].id, touchpoint="invoice", lane="emotions")
    flush_stale_documents()  # what IPython runs after the cell
    d = w._diff
    assert d["added"] == {new.id: "card"}
    assert d["changed"]["web"] == {
        "kind": "touchpoint",
        "fields": ["emotion"],
        "detail": ["emotion: -1 \u2192 2"],
    }
    moved = next(v for v in d["changed"].values() if v["kind"] == "card")
    assert moved["fields"] == ["touchpoint", "lane"]
    assert d["removed"] == [
        {
            "kind": "card",
            "id": removed.id,
            "text": "Confused by prices",
            "touchpoint": "web",
            "lane": "actions",
            "position": 1,
        }
    ]
    assert "1 added" in d["summary"]
    assert "1 removed" in d["summary"]
    # the base is a copy: editing it later changes nothing
    base.set_emotion("ad", -3)
    assert w.diff_summary == d["summary"]


def test_a_python_cell_sends_the_overlay_once_after_the_cell() -> None:
    shell = InteractiveShell.instance()
    try:
        w = JourneyWidget(small_map())
        shell.user_ns["w"] = w
        w.show_diff(w.map.copy())
        w.comm.sent.clear()  # type: ignore[attr-defined]
        shell.run_cell(
            "with w.map.batch():\n"
            "    w.map.set_emotion('ad', 3)\n"
            "for i in range(5):\n"
            "    w.map.set_emotion('ad', i - 2)\n"
        ).raise_error()
        # one overlay, after the cell (post_execute), not one per change
        sent = [u["_diff"] for u in updates(w) if "_diff" in u]
        assert len(sent) == 1
        assert sent[0]["changed"]["ad"]["detail"] == ["emotion: 1 \u2192 2"]
        w.close()
    finally:
        InteractiveShell.clear_instance()


def test_a_browser_edit_updates_the_overlay_before_its_ack(w: JourneyWidget) -> None:
    w.show_diff(w.map.copy())
    w.comm.sent.clear()  # type: ignore[attr-defined]
    edit = {"op": "set_emotion", "id": "invoice", "value": 1}
    from_browser(w, {"type": "edit", "seq": 1, "edit": edit, "view": "v1"})
    kinds = [
        "diff" if m["data"].get("method") == "update" else m["data"]["content"]["type"]
        for m in w.comm.sent  # type: ignore[attr-defined]
    ]
    assert kinds.index("diff") < kinds.index("ack")
    assert w._diff["changed"]["invoice"]["fields"] == ["emotion"]
    # undo from the browser: back to no changes
    from_browser(w, {"type": "undo"})
    assert w._diff["changed"] == {}
    assert w._diff["summary"] == w.diff_summary


def test_show_diff_none_clears_and_bad_bases_are_named(w: JourneyWidget) -> None:
    w.show_diff(w.map.copy().to_dict())
    w.map.set_emotion("ad", 3)
    assert w.diff_summary
    w.show_diff(None)
    assert w._diff == {}
    assert w.diff_summary == ""
    with pytest.raises(TypeError, match=r"show_diff expects a JourneyMap.*got str"):
        w.show_diff("old.json")  # type: ignore[arg-type]
    with pytest.raises(jw.JourneyError):
        w.show_diff({"title": "x", "stages": "not a list"})
    assert w._diff == {}


def test_the_browser_cannot_write_the_overlay(w: JourneyWidget) -> None:
    w.show_diff(w.map.copy())
    w.map.set_emotion("ad", 3)
    flush_stale_documents()
    before = dict(w._diff)
    w.set_state({"_diff": {"summary": "forged"}})
    assert w._diff == before


@pytest.mark.parametrize("module", [journeywidgets.diff_overlay, journeywidgets.widget])
def test_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


def test_a_state_read_between_cells_has_the_current_overlay() -> None:
    # A page reloaded while the map was edited in a cell that has not ended yet (or in a
    # thread): the state it reads has the overlay of the map as it is.
    shell = InteractiveShell.instance()
    try:
        w = JourneyWidget(small_map())
        shell.user_ns["w"] = w
        w.show_diff(w.map.copy())
        shell.run_cell("w.map.set_emotion('invoice', 3)\nstate = w.get_state()\n").raise_error()
        state = shell.user_ns["state"]
        assert state["_diff"]["changed"]["invoice"]["fields"] == ["emotion"]
        # ... and the views already open get it after the cell
        sent = [u["_diff"] for u in updates(w) if "_diff" in u]
        assert sent[-1] == state["_diff"]
        w.close()
    finally:
        InteractiveShell.clear_instance()
