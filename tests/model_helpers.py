"""Small maps and assertions shared by the model's tests (test_model, test_edits...)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

import journeywidgets as jw
from journeywidgets.errors import JourneyError

T = TypeVar("T")

#: Text that must survive every round trip byte for byte.
AWKWARD_TEXTS = [
    "Zażółć gęślą jaźń — Chcę mieć prąd",
    "Árvíztűrő tükörfúrógép: új laptop igénylése",
    "Rachunek 🧾⚡️ przyszedł 😡👍🏽 👨‍👩‍👧",
    "أريد الكهرباء",
    "אני רוצה חשמל",
    "<script>alert(1)</script> & <b>bold</b> \"quoted\" 'single'",
    "tab\tnew\nline \\ back\\slash \u0000 nul \u2028 line sep",
    "  leading and trailing spaces  ",
]


def small_map() -> jw.JourneyMap:
    """A map with every entity kind: 2 stages, 3 touchpoints, 2 lanes, 5 cards, 2 personas.

    ids: stages ``want``, ``use``; touchpoints ``ad`` and ``web`` (in ``want``), ``invoice``
    (in ``use``); lanes ``actions``, ``emotions``; cards ``card_1``..``card_5``; personas
    ``anna``, ``bela``.
    """
    m = jw.JourneyMap(
        "Buying electricity",
        description="From the first ad to the first invoice",
        scale=(-3, 3),
        labels={"pl": "Kupuję prąd"},
        metadata={"workshop": "2024-03", "facilitators": ["Ola", "Béla"]},
    )
    m.add_persona("Anna", id="anna", role="Tenant", goals=("Cheap power",), quote="Prąd!")
    m.add_persona("Béla", id="bela", role="Owner")
    m.add_stage("I want electricity", id="want", labels={"pl": "Chcę mieć prąd"})
    m.add_stage("I use and pay", id="use", labels={"pl": "Używam i płacę"})
    m.add_lane("Actions", kind="actions")
    m.add_lane("Emotions", kind="emotions", colour="#ff00aa")
    m.add_touchpoint("Advert", id="ad", stage="want", emotion=1, channel="TV")
    m.add_touchpoint("Website", id="web", stage="want", emotion=-1, moment_of_truth=True)
    m.add_touchpoint("Invoice", id="invoice", stage="use", emotion=-2, metrics={"csat": 3.1})
    m.add_card("Sees the advert", touchpoint="ad", lane="actions")
    m.add_card("Compares tariffs", touchpoint="web", lane="actions", source="interview")
    m.add_card("Confused by prices", touchpoint="web", lane="emotions", impact=4, effort=2)
    m.add_card("Reads the invoice", touchpoint="invoice", lane="actions", tags=("billing",))
    m.add_card("Angry 😡", touchpoint="invoice", lane="emotions")
    return m


def fresh(m: jw.JourneyMap) -> jw.JourneyMap:
    """The same document, without history (what a replay starts from)."""
    return jw.JourneyMap.from_dict(m.to_dict())


def snapshot(m: jw.JourneyMap) -> tuple[str, int, int, bool, bool]:
    """Everything a rejected edit must leave alone: document, version, log, undo state."""
    return (
        json.dumps(m.to_dict(), sort_keys=True),
        m.version,
        len(m.history),
        m.can_undo,
        m.can_redo,
    )


def assert_rejected(
    m: jw.JourneyMap,
    action: Callable[[jw.JourneyMap], Any],
    *,
    error: type[Exception] = jw.EditError,
    id: str | None = None,
    field: str | None = None,
    mentions: tuple[str, ...] = (),
) -> Exception:
    """``action(m)`` raises ``error``; its message names ``id`` and ``field`` (and also
    ``mentions``); its attributes say the same; and the map is exactly as it was."""
    before = snapshot(m)
    with pytest.raises(error) as info:
        action(m)
    exc = info.value
    message = str(exc)
    if id is not None:
        assert repr(id) in message, f"{id!r} not named in: {message}"
        if isinstance(exc, JourneyError):
            assert exc.id == id, (exc.id, message)
    if field is not None:
        assert repr(field) in message, f"field {field!r} not named in: {message}"
        if isinstance(exc, JourneyError):
            assert exc.field == field, (exc.field, message)
    for word in mentions:
        assert word in message, f"{word!r} not in: {message}"
    assert snapshot(m) == before, "a rejected edit changed the map"
    return exc


def assert_undoable(m: jw.JourneyMap, action: Callable[[jw.JourneyMap], Any]) -> dict[str, Any]:
    """``action(m)`` changes the map as one undo step: undo restores the document exactly,
    redo brings the change back exactly, and a second undo restores it again.  Returns the
    document after the change."""
    before = m.to_dict()
    action(m)
    after = m.to_dict()
    assert after != before, "the action changed nothing"
    assert m.undo() is True
    assert m.to_dict() == before
    assert m.redo() is True
    assert m.to_dict() == after
    assert m.undo() is True
    assert m.to_dict() == before
    assert m.redo() is True
    return after


def run_on_event_loop(cell: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``cell()`` as marimo runs a cell: a coroutine on an event loop (a fresh one).

    In a thread of its own: Playwright's synchronous API, used by browser tests in the same
    process, leaves its loop marked as running in the main thread, where ``asyncio.run``
    refuses to start another.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, cell()).result()
