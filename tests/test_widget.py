"""The kernel side of JourneyWidget, driven through its real comm protocol.

Each test talks to the widget the way a browser does: it delivers comm messages
(``{"method": "custom", "content": {...}}``) to the widget's comm and reads what the widget
published on it. The comm is the `comm` package's own base class with ``publish_msg``
recording instead of writing to a kernel socket; everything above it (ipywidgets, anywidget,
traitlets, the map) is the real code.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from typing import Any

import comm
import pytest
import traitlets
from comm.base_comm import BaseComm
from IPython.core.interactiveshell import InteractiveShell

import journeywidgets as jw
from comm_helpers import from_browser
from journeywidgets._host import ipython_shell
from journeywidgets.widget import JourneyWidget
from model_helpers import run_on_event_loop


class RecordingComm(BaseComm):
    """A comm whose messages are kept in ``sent`` instead of going to a kernel socket."""

    def __init__(self, **kwargs: Any) -> None:
        self.sent: list[dict[str, Any]] = []
        super().__init__(**kwargs)

    def publish_msg(
        self,
        msg_type: str,
        data: Any = None,
        metadata: Any = None,
        buffers: Any = None,
        **keys: Any,
    ) -> None:
        # What would go on the wire: the JSON text, so sizes are the real ones.
        self.sent.append({"msg_type": msg_type, "data": json.loads(json.dumps(data))})


@pytest.fixture(autouse=True)
def recording_comms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comm, "create_comm", lambda **kw: RecordingComm(**kw))


def sent(w: JourneyWidget) -> list[dict[str, Any]]:
    return w.comm.sent  # type: ignore[no-any-return]


def customs(w: JourneyWidget) -> list[dict[str, Any]]:
    """Custom messages the widget sent to its browser, in order."""
    return [m["data"]["content"] for m in sent(w) if m["data"].get("method") == "custom"]


def updates(w: JourneyWidget) -> list[dict[str, Any]]:
    """State updates the widget sent to its browser, in order."""
    return [m["data"]["state"] for m in sent(w) if m["data"].get("method") == "update"]


def clear(*widgets: JourneyWidget) -> None:
    for w in widgets:
        sent(w).clear()


def small_map() -> jw.JourneyMap:
    m = jw.JourneyMap("Buying electricity", scale=(-3, 3))
    m.add_stage("I want electricity", id="want")
    m.add_stage("I use and pay", id="use")
    m.add_lane("Actions", kind="actions")
    m.add_lane("Emotions", kind="emotions")
    m.add_touchpoint("Advert", id="ad", stage="want", emotion=1)
    m.add_touchpoint("Website", id="web", stage="want", emotion=-1)
    m.add_touchpoint("Invoice", id="invoice", stage="use", emotion=-2)
    m.add_card("Sees the advert", touchpoint="ad", lane="actions")
    m.add_card("Compares tariffs", touchpoint="web", lane="actions")
    m.add_card("Confused by prices", touchpoint="web", lane="actions")
    m.add_card("Reads the invoice", touchpoint="invoice", lane="actions")
    return m


@pytest.fixture
def w() -> Iterator[JourneyWidget]:
    widget = JourneyWidget(small_map())
    clear(widget)
    yield widget
    widget.close()


# ---------------------------------------------------------------------------- options
def test_opening_sends_the_document_version_and_theme() -> None:
    m = small_map()
    w = JourneyWidget(m, zoom=1.5, height=480, language="pl", readonly=True, selected=["ad"])
    opened = sent(w)[0]
    assert opened["msg_type"] == "comm_open"
    state = opened["data"]["state"]
    assert state["_doc"] == m.to_dict()
    assert state["_version"] == m.version
    assert state["_theme"]["lane_colours"]["emotions"] == jw.model.entities.LANE_COLOURS["emotions"]
    assert (state["zoom"], state["height"], state["language"], state["readonly"]) == (
        1.5,
        480,
        "pl",
        True,
    )
    assert state["selected"] == ["ad"]
    assert w.map is m
    w.close()


def test_a_document_dict_is_loaded_into_a_new_map() -> None:
    m = small_map()
    w = JourneyWidget(m.to_dict())
    assert w.map is not m
    assert w.map == m
    w.close()


def test_unknown_options_and_bad_values_are_named() -> None:
    m = small_map()
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'colour'.*height, zoom"):
        JourneyWidget(m, colour="red")
    with pytest.raises(TypeError, match=r"JourneyMap.*got str"):
        JourneyWidget("map.json")  # type: ignore[arg-type]
    with pytest.raises(traitlets.TraitError, match="zoom: 9 is outside"):
        JourneyWidget(m, zoom=9)
    with pytest.raises(traitlets.TraitError, match="height: -5 pixels"):
        JourneyWidget(m, height=-5)


# ---------------------------------------------------------------------------- browser edits
def test_an_edit_from_the_browser_is_applied_and_acked_without_resending_the_map(
    w: JourneyWidget,
) -> None:
    edit = {"op": "move", "id": "card_1", "touchpoint": "invoice", "lane": "actions", "index": 0}
    from_browser(w, {"type": "edit", "seq": 1, "edit": edit})

    assert [c.id for c in w.map.cards_in("invoice", "actions")] == ["card_1", "card_4"]
    assert customs(w) == [
        {
            "type": "ack",
            "seq": 1,
            "edit": {
                "op": "move",
                "id": "card_1",
                "index": 0,
                "stage": None,
                "touchpoint": "invoice",
                "lane": "actions",
            },
            "version": w.map.version,
        }
    ]
    # The browser already shows the move: the document is not sent back.
    assert updates(w) == []
    assert w.error == ""


def test_the_ack_carries_generated_ids_and_resolved_positions(w: JourneyWidget) -> None:
    add = {
        "op": "add",
        "kind": "card",
        "item": {"text": "New", "touchpoint": "ad", "lane": "actions"},
    }
    from_browser(w, {"type": "edit", "seq": 7, "edit": add})
    ack = customs(w)[0]
    assert ack["type"] == "ack"
    assert ack["seq"] == 7
    assert ack["edit"]["item"]["id"] == "card_5"
    assert ack["edit"]["index"] == 1
    assert ack["edit"]["item"]["source"] == "workshop"  # defaults filled in
    assert w.map["card_5"].text == "New"  # type: ignore[union-attr]


def test_a_rejected_edit_leaves_the_map_unchanged_and_says_why(w: JourneyWidget) -> None:
    before = w.map.to_dict()
    version = w.map.version
    edit = {"op": "move", "id": "card_1", "touchpoint": "nowhere", "lane": "actions"}
    from_browser(w, {"type": "edit", "seq": 3, "edit": edit})

    assert w.map.to_dict() == before
    assert w.map.version == version
    [reject] = customs(w)
    assert reject["type"] == "reject"
    assert reject["seq"] == 3
    assert "'nowhere' is not a touchpoint of this map" in reject["reason"]
    assert w.error == reject["reason"]
    # `error` is a synced trait too, so a second view shows it.
    assert updates(w) == [{"error": reject["reason"]}]

    # The next edit that succeeds clears it.
    from_browser(
        w, {"type": "edit", "seq": 4, "edit": {"op": "set_emotion", "id": "ad", "value": 2}}
    )
    assert w.error == ""
    assert customs(w)[-1]["type"] == "ack"


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        ({"op": "explode", "id": "card_1"}, "'explode' is not one of add"),
        ("not even a dict", "not a valid edit"),
        ({"op": "set_emotion", "id": "ad", "value": 9}, "outside the map's scale"),
        ({"op": "remove", "id": "web"}, "still holds 2 cards"),
    ],
)
def test_malformed_and_invalid_edits_are_rejected(w: JourneyWidget, edit: Any, reason: str) -> None:
    before = w.map.to_dict()
    from_browser(w, {"type": "edit", "seq": 1, "edit": edit})
    [reject] = customs(w)
    assert reject["type"] == "reject"
    assert reason in reject["reason"]
    assert w.map.to_dict() == before


def test_an_observer_failing_after_a_browser_edit_does_not_undo_it_in_the_browser(
    w: JourneyWidget,
) -> None:
    def broken(change: jw.model.journey.Change) -> None:
        raise RuntimeError("the dashboard could not redraw")

    unobserve = w.map.observe(broken)
    move = {"op": "move", "id": "card_1", "touchpoint": "invoice", "lane": "actions", "index": 0}
    with pytest.warns(jw.JourneyWarning, match="code observing the map failed: RuntimeError"):
        from_browser(w, {"type": "edit", "seq": 1, "edit": move})
    unobserve()
    # the map has the edit, so the browser must keep it: acked, not rejected
    assert w.map["card_1"].touchpoint == "invoice"  # type: ignore[union-attr]
    kinds = [c["type"] for c in customs(w)]
    assert kinds == ["status", "ack"]
    assert "the dashboard could not redraw" in customs(w)[0]["message"]
    assert customs(w)[1]["seq"] == 1
    assert customs(w)[1]["edit"]["touchpoint"] == "invoice"
    assert w.error == ""


def test_readonly_widgets_reject_edits_and_undo() -> None:
    w = JourneyWidget(small_map(), readonly=True)
    clear(w)
    from_browser(w, {"type": "edit", "seq": 1, "edit": {"op": "remove", "id": "card_1"}})
    from_browser(w, {"type": "undo"})
    assert "card_1" in w.map
    assert customs(w)[0] == {
        "type": "reject",
        "seq": 1,
        "reason": "this widget is read-only (readonly=True)",
    }
    assert customs(w)[1]["type"] == "status"
    w.close()


def test_messages_that_are_not_ours_are_ignored(w: JourneyWidget) -> None:
    before = w.map.to_dict()
    from_browser(w, {"type": "dance"})
    w.comm.handle_msg({"content": {"data": {"method": "custom", "content": [1, 2]}}, "buffers": []})
    assert customs(w) == []
    assert w.map.to_dict() == before


def test_the_browser_cannot_rewrite_the_document_through_state(w: JourneyWidget) -> None:
    before = w.map.to_dict()
    w.comm.handle_msg(
        {
            "content": {"data": {"method": "update", "state": {"_doc": {"title": "x"}, "zoom": 2}}},
            "buffers": [],
        }
    )
    assert w.map.to_dict() == before
    assert w.get_state()["_doc"] == before
    assert w.zoom == 2.0  # ordinary traits still sync


# ---------------------------------------------------------------------------- undo / redo
def test_undo_and_redo_from_the_browser_come_back_as_edits(w: JourneyWidget) -> None:
    move = {"op": "move", "id": "card_2", "touchpoint": "ad", "lane": "actions", "index": 0}
    from_browser(w, {"type": "edit", "seq": 1, "edit": move})
    clear(w)

    from_browser(w, {"type": "undo"})
    assert w.map["card_2"].touchpoint == "web"  # type: ignore[union-attr]
    [undone] = customs(w)
    assert undone == {
        "type": "edit",
        "edit": {
            "op": "move",
            "id": "card_2",
            "index": 0,
            "stage": None,
            "touchpoint": "web",
            "lane": "actions",
        },
        "version": w.map.version,
    }
    clear(w)
    from_browser(w, {"type": "redo"})
    assert w.map["card_2"].touchpoint == "ad"  # type: ignore[union-attr]
    assert customs(w)[0]["edit"]["touchpoint"] == "ad"

    clear(w)
    from_browser(w, {"type": "redo"})
    assert customs(w) == [{"type": "status", "message": "nothing to redo"}]


def test_python_undo_on_the_widget(w: JourneyWidget) -> None:
    w.map.remove("card_1")
    assert w.undo() is True
    assert "card_1" in w.map
    assert w.redo() is True
    assert "card_1" not in w.map


# ---------------------------------------------------------------------------- map -> browser
def test_python_edits_reach_the_browser_as_small_edits(w: JourneyWidget) -> None:
    w.map.set_emotion("invoice", -3)
    edit_msgs = [c for c in customs(w) if c["type"] == "edit"]
    assert edit_msgs == [
        {
            "type": "edit",
            "edit": {"op": "set_emotion", "id": "invoice", "value": -3.0},
            "version": w.map.version,
        }
    ]


def test_without_ipython_the_document_follows_each_python_change(w: JourneyWidget) -> None:
    # Plain Python (or marimo) has no "after the cell": the state is kept current at once.
    assert ipython_shell() is None
    w.map.update("card_1", text="Changed")
    [state] = updates(w)
    assert state["_doc"] == w.map.to_dict()
    assert state["_version"] == w.map.version


def test_on_an_event_loop_the_document_is_sent_once_the_loop_is_free(w: JourneyWidget) -> None:
    # marimo runs each cell as a coroutine on its event loop and has no "after the cell":
    # many changes in one cell send the whole document once, when the cell is done.
    async def cell() -> list[dict[str, Any]]:
        for n in range(5):
            w.map.update("card_1", text=f"Changed {n}")
        with w.map.batch():
            w.map.set_emotion("ad", 2)
            w.map.remove("card_2")
        during = updates(w)
        await asyncio.sleep(0)  # the cell ends; the loop runs what it was asked to
        return during

    during = run_on_event_loop(cell)
    assert [u for u in during if "_doc" in u] == []
    assert len([c for c in customs(w) if c["type"] == "edit"]) == 7  # each change, small
    [state] = [u for u in updates(w) if "_doc" in u]
    assert state["_doc"] == w.map.to_dict()
    assert state["_version"] == w.map.version


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    try:
        yield ip
    finally:
        InteractiveShell.clear_instance()


def test_the_document_is_sent_once_after_the_cell_that_changed_the_map(
    shell: InteractiveShell,
) -> None:
    w = JourneyWidget(small_map())
    shell.user_ns["w"] = w
    clear(w)

    result = shell.run_cell(
        "w.map.add_card('One', touchpoint='ad', lane='actions')\n"
        "w.map.add_card('Two', touchpoint='ad', lane='actions')\n"
    )
    result.raise_error()
    assert [c["type"] for c in customs(w)] == ["edit", "edit"]
    # One full document, after the cell (post_execute), not one per change.
    [state] = updates(w)
    assert state["_doc"] == w.map.to_dict()
    assert [c["text"] for c in state["_doc"]["cards"]][:3] == ["Sees the advert", "One", "Two"]
    assert state["_version"] == w.map.version

    clear(w)
    shell.run_cell("x = 1").raise_error()
    assert updates(w) == []  # nothing changed: nothing re-sent

    # Edits from the widget's own browser are not re-sent either: the browser has them.
    from_browser(
        w, {"type": "edit", "seq": 1, "edit": {"op": "set_emotion", "id": "ad", "value": 3}}
    )
    shell.run_cell("y = 2").raise_error()
    assert updates(w) == []
    # ...but whoever asks for the state (a page reload, embed_data) gets the current map.
    assert w.get_state()["_doc"] == w.map.to_dict()
    assert w._doc["touchpoints"][0]["emotion"] == 3
    w.close()


def test_a_reloaded_page_gets_the_current_map(w: JourneyWidget) -> None:
    from_browser(w, {"type": "edit", "seq": 1, "edit": {"op": "remove", "id": "card_3"}})
    clear(w)
    # A browser that reloads asks the kernel for the whole state.
    w.comm.handle_msg({"content": {"data": {"method": "request_state"}}, "buffers": []})
    [state] = updates(w)
    assert state["_doc"] == w.map.to_dict()
    assert "card_3" not in {c["id"] for c in state["_doc"]["cards"]}


def test_a_page_that_starts_from_an_old_version_gets_the_current_map(w: JourneyWidget) -> None:
    # marimo replays a reloaded page from the state the kernel last *sent*; edits made in
    # the browser since then are only in the kernel's map.
    old = w.map.version
    from_browser(w, {"type": "edit", "seq": 1, "edit": {"op": "remove", "id": "card_3"}})
    clear(w)
    from_browser(w, {"type": "sync", "version": w.map.version})  # a page that is current
    assert updates(w) == []  # only the answer that ends the page's retries
    assert customs(w) == [{"type": "synced", "version": w.map.version}]
    clear(w)
    from_browser(w, {"type": "sync", "version": old})  # a page replayed from older state
    [state] = updates(w)
    assert state["_version"] == w.map.version
    assert "card_3" not in {c["id"] for c in state["_doc"]["cards"]}
    # the document travels first, so the page has it when it hears "synced"
    assert [m["data"]["method"] for m in sent(w)] == ["update", "custom"]
    assert customs(w) == [{"type": "synced", "version": w.map.version}]
    clear(w)
    from_browser(w, {"type": "sync"})  # a session that lost track asks without a version
    assert [set(u) for u in updates(w)] == [{"_doc", "_version"}]


# ---------------------------------------------------------------------------- two widgets
def test_two_widgets_on_one_map_stay_consistent() -> None:
    m = small_map()
    a, b = JourneyWidget(m), JourneyWidget(m)
    clear(a, b)
    move = {"op": "move", "id": "card_4", "touchpoint": "ad", "lane": "emotions", "index": 0}
    from_browser(a, {"type": "edit", "seq": 1, "edit": move})

    assert [c["type"] for c in customs(a)] == ["ack"]  # no echo of its own edit
    [to_b] = [c for c in customs(b) if c["type"] == "edit"]
    assert to_b["edit"] == customs(a)[0]["edit"]
    assert to_b["version"] == customs(a)[0]["version"] == m.version

    # Undo in b undoes a's edit; both browsers hear it.
    clear(a, b)
    from_browser(b, {"type": "undo"})
    assert m["card_4"].touchpoint == "invoice"  # type: ignore[union-attr]
    assert [c["type"] for c in customs(a)] == ["edit"]
    assert [c["type"] for c in customs(b)] == ["edit"]
    a.close()
    b.close()


def test_a_closed_widget_no_longer_hears_the_map() -> None:
    m = small_map()
    w = JourneyWidget(m)
    comm_ = w.comm
    w.close()
    comm_.sent.clear()
    m.remove("card_1")
    assert comm_.sent == []


# ---------------------------------------------------------------------------- selection
def test_selection_from_the_browser_and_from_python(w: JourneyWidget) -> None:
    from_browser(w, {"type": "select", "ids": ["card_2", "web", "gone", "actions", 5]})
    assert w.selected == ["card_2", "web"]  # unknown ids and non-selectable kinds dropped
    # per view: the browser that clicked shows it; no other browser is told (co-editing)
    assert updates(w) == []

    w.selected = ["invoice", "card_1", "invoice"]
    assert w.selected == ["invoice", "card_1"]
    assert updates(w)[-1] == {"selected": ["invoice", "card_1"]}  # Python's reaches every view
    with pytest.raises(traitlets.TraitError, match="'nope' is not in this map"):
        w.selected = ["card_1", "nope"]
    with pytest.raises(traitlets.TraitError, match="'want' is a stage; only cards and touch"):
        w.selected = ["want"]
    assert w.selected == ["invoice", "card_1"]


def test_removed_entities_leave_the_selection(w: JourneyWidget) -> None:
    w.selected = ["card_1", "card_2"]
    w.map.remove("card_1")
    assert w.selected == ["card_2"]
    from_browser(w, {"type": "edit", "seq": 1, "edit": {"op": "remove", "id": "card_2"}})
    assert w.selected == []


def test_zoom_from_the_browser(w: JourneyWidget) -> None:
    seen: list[float] = []
    w.observe(lambda change: seen.append(change["new"]), "zoom")
    from_browser(w, {"type": "zoom", "value": 1.25})
    assert w.zoom == 1.25
    from_browser(w, {"type": "zoom", "value": 99})
    assert w.zoom == 4.0
    assert seen == [1.25, 4.0]  # Python observers hear it...
    assert updates(w) == []  # ...other browsers do not: zoom is per view


# ---------------------------------------------------------------------------- display
def test_the_display_bundle_carries_a_static_picture() -> None:
    m = jw.JourneyMap("Bills <script>alert(1)</script>")
    w = JourneyWidget(m)
    data, metadata = w._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id
    # A PNG, never HTML: an untrusted notebook would sanitise HTML into a wall of text
    # (tests/test_export_overview.py and tests/e2e/test_fallback_image.py check the picture).
    assert "text/html" not in data
    assert base64.b64decode(data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert metadata["image/png"]["width"] > 0
    assert data["text/plain"].startswith("<JourneyWidget of <JourneyMap")
    w.close()


# ---------------------------------------------------------------------------- cost of an edit
def big_document(n_cards: int, n_touchpoints: int = 60, n_lanes: int = 6) -> dict[str, Any]:
    stages = [{"id": f"s{i}", "name": f"Stage {i}"} for i in range(6)]
    tps = [
        {"id": f"tp{i}", "stage": f"s{i * 6 // n_touchpoints}", "name": f"Touchpoint {i}"}
        for i in range(n_touchpoints)
    ]
    lanes = [{"id": f"l{i}", "name": f"Lane {i}", "kind": "custom"} for i in range(n_lanes)]
    cards = [
        {
            "id": f"c{i}",
            "touchpoint": f"tp{i % n_touchpoints}",
            "lane": f"l{(i // n_touchpoints) % n_lanes}",
            "text": f"Card number {i} with a sentence of text",
        }
        for i in range(n_cards)
    ]
    return {"title": "Big", "stages": stages, "touchpoints": tps, "lanes": lanes, "cards": cards}


def test_a_card_move_on_a_20000_card_map_costs_well_under_2kb() -> None:
    w = JourneyWidget(big_document(20_000))
    clear(w)
    move = {"op": "move", "id": "c123", "touchpoint": "tp7", "lane": "l2", "index": 3}
    request = json.dumps({"type": "edit", "seq": 1, "edit": move})
    from_browser(w, json.loads(request))

    assert w.map["c123"].touchpoint == "tp7"  # type: ignore[union-attr]
    wire = [json.dumps(m["data"]) for m in sent(w)]
    # the first edit of a map also tells the browser there is now something to undo
    assert len(wire) == 2
    assert '"can_undo": true' in wire[0]
    assert '"ack"' in wire[1]
    assert len(request.encode()) + sum(len(m.encode()) for m in wire) < 2048

    clear(w)
    again = json.dumps({"type": "edit", "seq": 2, "edit": {**move, "index": 0}})
    from_browser(w, json.loads(again))
    wire = [json.dumps(m["data"]) for m in sent(w)]
    assert len(wire) == 1
    assert '"ack"' in wire[0]
    assert len(again.encode()) + len(wire[0].encode()) < 2048
    w.close()


def test_the_history_state_follows_the_map_for_the_undo_buttons() -> None:
    def history_updates() -> list[dict[str, Any]]:
        return [
            {k: v for k, v in u.items() if k.startswith("can_")}
            for u in updates(w)
            if any(k.startswith("can_") for k in u)
        ]

    fresh = jw.JourneyMap.from_dict(small_map().to_dict())  # no history yet
    w = JourneyWidget(fresh)
    opened = sent(w)[0]["data"]["state"]
    assert (opened["can_undo"], opened["can_redo"]) == (False, False)
    assert updates(w) == []
    clear(w)

    move = {"op": "move", "id": "card_2", "touchpoint": "ad", "lane": "actions", "index": 0}
    from_browser(w, {"type": "edit", "seq": 1, "edit": move})
    assert (w.can_undo, w.can_redo) == (True, False)
    # the new state travels before the ack, so the buttons are right when the answer lands
    assert [m["data"].get("method") for m in sent(w)] == ["update", "custom"]
    assert history_updates() == [{"can_undo": True}]
    clear(w)

    from_browser(w, {"type": "undo"})
    assert (w.can_undo, w.can_redo) == (False, True)
    assert history_updates() == [{"can_undo": False}, {"can_redo": True}]
    clear(w)
    w.map.redo()  # from Python: the browser hears it too
    assert (w.can_undo, w.can_redo) == (True, False)
    assert history_updates() == [{"can_undo": True}, {"can_redo": False}]
    clear(w)
    w.map.set_emotion("ad", 2)  # nothing changes for the buttons: nothing is sent for them
    assert history_updates() == []

    # a batch joins the history only when it ends: the buttons count it from its first edit
    fresh_again = JourneyWidget(jw.JourneyMap.from_dict(small_map().to_dict()))
    with fresh_again.map.batch("two stages"):
        fresh_again.map.add_stage("One")
        assert fresh_again.can_undo is True
        fresh_again.map.add_stage("Two")
    assert (fresh_again.can_undo, fresh_again.can_redo) == (True, False)
    fresh_again.map.undo()
    assert (fresh_again.can_undo, fresh_again.can_redo) == (False, True)
    seen_in_batch: list[bool] = []

    def failing_batch() -> None:
        with fresh_again.map.batch():
            fresh_again.map.add_stage("Three")
            seen_in_batch.append(fresh_again.can_redo)
            raise ValueError("the block fails")

    with pytest.raises(ValueError, match="the block fails"):
        failing_batch()
    assert seen_in_batch == [False]  # the redo stack goes when the batch ends...
    # ...unless it fails: then nothing changed, and the undone step can still be redone
    assert (fresh_again.can_undo, fresh_again.can_redo) == (False, True)
    fresh_again.close()

    # the browser cannot claim there is something to redo
    w.comm.handle_msg(
        {"content": {"data": {"method": "update", "state": {"can_redo": True}}}, "buffers": []}
    )
    assert w.can_redo is False
    with pytest.raises(traitlets.TraitError):
        w.can_undo = False
    w.close()


# ---------------------------------------------------------------------------- co-editing
# Two browsers on one kernel (JupyterLab real-time collaboration) both hear every message the
# widget sends; each names itself with a view id. These tests play both browsers.
def test_acks_and_rejects_name_the_view_that_sent_the_edit(w: JourneyWidget) -> None:
    move = {"op": "move", "id": "card_1", "touchpoint": "web", "lane": "actions", "index": 0}
    from_browser(w, {"type": "edit", "seq": 1, "edit": move, "view": "anna"})
    bad = {"op": "move", "id": "card_4", "touchpoint": "nowhere"}
    from_browser(w, {"type": "edit", "seq": 1, "edit": bad, "view": "bela"})
    ack, reject = customs(w)
    assert (ack["type"], ack["seq"], ack["view"]) == ("ack", 1, "anna")
    assert ack["version"] == w.map.version
    assert (reject["type"], reject["seq"], reject["view"]) == ("reject", 1, "bela")
    assert "nowhere" in reject["reason"]
    # the error text reaches Python, not every browser (anna must not see bela's error)
    assert "nowhere" in w.error
    assert updates(w) == []
    assert w.map["card_1"].touchpoint == "web"


def test_a_message_without_a_view_id_keeps_the_single_browser_protocol(w: JourneyWidget) -> None:
    from_browser(w, {"type": "edit", "seq": 1, "edit": {"op": "remove", "id": "nope"}})
    (reject,) = customs(w)
    assert "view" not in reject
    assert updates(w) == [{"error": reject["reason"]}]


def test_undo_mine_takes_back_only_the_senders_last_edit(w: JourneyWidget) -> None:
    edit = {"type": "edit", "view": "anna", "seq": 1}
    from_browser(w, {**edit, "edit": {"op": "update", "id": "card_1", "changes": {"text": "A"}}})
    from_browser(w, {**edit, "seq": 2, "edit": {"op": "set_emotion", "id": "ad", "value": 3}})
    from_browser(
        w,
        {"type": "edit", "view": "bela", "seq": 1, "edit": {"op": "remove", "id": "card_4"}},
    )
    clear(w)
    from_browser(w, {"type": "undo", "mine": True, "view": "anna"})
    assert w.map["ad"].emotion == 1  # anna's last edit is undone...
    assert "card_4" not in w.map  # ...bela's later one stays
    assert w.map["card_1"].text == "A"
    (told,) = customs(w)
    assert told["type"] == "edit"  # every view hears it, anna's included...
    assert told["view"] == "anna"  # ...and the others show it as her edit
    assert told["edit"] == {"op": "set_emotion", "id": "ad", "value": 1.0}
    from_browser(w, {"type": "undo", "mine": True, "view": "anna"})
    assert w.map["card_1"].text == "Sees the advert"
    clear(w)
    from_browser(w, {"type": "undo", "mine": True, "view": "anna"})
    assert customs(w) == [{"type": "status", "message": "you have no edit to undo", "view": "anna"}]


def test_undo_mine_remembers_a_bounded_number_of_edits(w: JourneyWidget) -> None:
    from journeywidgets.widget import _UNDO_MINE_LIMIT

    for n in range(_UNDO_MINE_LIMIT + 5):
        edit = {"op": "set_emotion", "id": "ad", "value": n % 3}
        from_browser(w, {"type": "edit", "view": "anna", "seq": n + 1, "edit": edit})
    assert len(w._mine["anna"]) == _UNDO_MINE_LIMIT


def test_undo_mine_that_no_longer_applies_says_so_and_changes_nothing(w: JourneyWidget) -> None:
    add = {
        "op": "add",
        "kind": "card",
        "item": {"id": "mine", "text": "x", "touchpoint": "ad", "lane": "actions"},
    }
    from_browser(w, {"type": "edit", "view": "anna", "seq": 1, "edit": add})
    w.map.update("mine", text="changed by bela")
    w.map.remove("mine")
    before, version = w.map.to_dict(), w.map.version
    clear(w)
    from_browser(w, {"type": "undo", "mine": True, "view": "anna"})
    assert (w.map.to_dict(), w.map.version) == (before, version)
    (told,) = customs(w)
    assert told["view"] == "anna"
    assert told["message"].startswith("cannot undo your last edit")


def test_undo_mine_follows_the_map_wide_undo_and_redo(w: JourneyWidget) -> None:
    edit = {"type": "edit", "view": "anna", "seq": 1}
    from_browser(w, {**edit, "edit": {"op": "update", "id": "card_1", "changes": {"text": "A"}}})
    from_browser(w, {**edit, "seq": 2, "edit": {"op": "set_emotion", "id": "ad", "value": 3}})
    from_browser(w, {"type": "undo", "view": "bela"})  # bela's map-wide undo takes anna's back
    assert w.map["ad"].emotion == 1
    w.map.set_emotion("web", 2)  # others go on editing
    w.map.set_emotion("ad", -2)  # (the same touchpoint too)
    from_browser(w, {"type": "undo", "mine": True, "view": "anna"})
    # anna's last edit still in the map is the text: the emotion was already taken back
    assert (w.map["card_1"].text, w.map["ad"].emotion) == ("Sees the advert", -2)
    from_browser(w, {**edit, "seq": 3, "edit": {"op": "set_emotion", "id": "ad", "value": 3}})
    w.map.undo()
    w.map.redo()  # the redo gives anna her edit back
    from_browser(w, {"type": "undo", "mine": True, "view": "anna"})
    assert w.map["ad"].emotion == -2
