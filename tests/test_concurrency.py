"""A map edited from two threads at once (a widget message handled on an ipykernel 7
subshell thread while a cell runs): edits never interleave inside one another."""

from __future__ import annotations

import copy
import pickle
import threading
import time
from typing import Any

import journeywidgets as jw
from model_helpers import small_map

ROUNDS = 150


def _run(*workers: Any) -> None:
    threads = [threading.Thread(target=w) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread is stuck: a deadlock"


def test_two_threads_never_interleave_inside_one_edit() -> None:
    """Each change is told to observers while the map holds its lock; an observer that
    dawdles would see another thread's edit start inside its own if edits could overlap."""
    m = small_map()
    start_version = m.version
    inside: list[int] = []
    overlaps: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def observer(change: jw.Change) -> None:
        me = threading.get_ident()
        if inside:
            overlaps.append((inside[-1], me))
        inside.append(me)
        time.sleep(0.0002)  # a slow view: leaves room for another thread to barge in
        inside.pop()

    m.observe(observer)

    def cell() -> None:  # what a running cell does
        try:
            for n in range(ROUNDS):
                m.set_emotion("ad", n % 3 - 1)
                m.update("card_1", text=f"cell {n}")
        except BaseException as exc:
            errors.append(exc)

    def browser() -> None:  # what the widget's messages do
        try:
            for n in range(ROUNDS):
                m.apply({"op": "move", "id": "card_2", "index": 0}, origin="browser")
                m.apply({"op": "set_emotion", "id": "web", "value": n % 2}, origin="browser")
        except BaseException as exc:
            errors.append(exc)

    _run(cell, browser)
    assert errors == []
    assert overlaps == []
    assert m.version == start_version + 4 * ROUNDS
    assert len({entry["version"] for entry in m.history}) == len(m.history)  # no lost update
    assert jw.loads(m.to_json()) == m


def test_a_batch_is_not_split_by_another_thread() -> None:
    """Another thread's edit waits until a ``with m.batch():`` block ends, so the batch's
    edits stay together in the history and its undo takes back only its own edits."""
    m = small_map()
    entered = threading.Event()
    order: list[str] = []

    def cell() -> None:
        with m.batch("two cards"):
            m.add_card("first", touchpoint="ad", lane="actions", id="first")
            entered.set()
            time.sleep(0.05)  # the other thread tries to edit now
            m.add_card("second", touchpoint="ad", lane="actions", id="second")
        order.append("batch")

    def browser() -> None:
        entered.wait(5)
        m.set_emotion("web", 2)
        order.append("browser")

    _run(cell, browser)
    assert order == ["batch", "browser"]
    ids = [entry["edit"].get("item", {}).get("id") for entry in m.history[-3:]]
    assert ids == ["first", "second", None]
    assert m.undo()  # the browser's edit
    assert m["web"].emotion == -1
    assert m.undo()  # the whole batch
    assert "first" not in m
    assert "second" not in m


def test_an_observer_may_edit_the_map_it_observes() -> None:
    """The lock is re-entrant: an observer's own edit (in the same thread) does not hang."""
    m = small_map()

    def follow(change: jw.Change) -> None:
        if change.edit.op == "set_emotion" and change.edit.id == "ad" and change.action == "edit":
            m.update("ad", channel="followed")

    m.observe(follow)
    done = threading.Event()

    def worker() -> None:
        m.set_emotion("ad", 3)
        done.set()

    _run(worker)
    assert done.is_set()
    assert m["ad"].channel == "followed"


def test_undo_and_redo_from_two_threads_keep_the_map_consistent() -> None:
    m = small_map()
    for n in range(20):
        m.set_emotion("invoice", n % 5 - 2)
    errors: list[BaseException] = []

    def undoer() -> None:
        try:
            for _ in range(ROUNDS):
                m.undo()
        except BaseException as exc:
            errors.append(exc)

    def redoer() -> None:
        try:
            for _ in range(ROUNDS):
                m.redo()
        except BaseException as exc:
            errors.append(exc)

    _run(undoer, redoer)
    assert errors == []
    assert jw.loads(m.to_json()) == m
    while m.redo():
        pass
    assert m["invoice"].emotion == 19 % 5 - 2


def test_a_copy_or_pickle_of_a_map_has_its_own_lock() -> None:
    m = small_map()
    for twin in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert twin == m
        assert twin._lock is not m._lock
        twin.set_emotion("ad", 3)  # the copy is independent and editable
        assert m["ad"].emotion == 1
