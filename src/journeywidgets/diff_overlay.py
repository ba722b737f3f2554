"""What the widget's diff overlay marks: :func:`jw.diff <journeywidgets.versions.diff>` as JSON.

The kernel computes the changes (the rules of what counts as added, moved or edited stay in
Python) and the widget only draws them: added and changed entities are marked in place, and
removed ones are drawn as ghosts where they were. The result is plain JSON, sent to the browser
in the widget's ``_diff`` trait.

Examples
--------
>>> import journeywidgets as jw
>>> from journeywidgets.diff_overlay import overlay
>>> old = jw.JourneyMap("Moving house")
>>> _ = old.add_stage("Search", id="search")
>>> _ = old.add_touchpoint("Web", stage="search", id="web")
>>> _ = old.add_lane("Does", kind="actions", id="does")
>>> _ = old.add_card("Looks around", touchpoint="web", lane="does", id="c1")
>>> new = old.copy()
>>> _ = new.remove("c1")
>>> _ = new.add_card("Asks a friend", touchpoint="web", lane="does", id="c2")
>>> _ = new.set_emotion("web", 2)
>>> o = overlay(old, new)
>>> o["added"], o["changed"]["web"]["fields"], o["removed"][0]["text"]
({'c2': 'card'}, ['emotion'], 'Looks around')
"""

from __future__ import annotations

from typing import Any

from .versions import diff, summarize

#: Where a removed entity sat, by kind: the fields the widget needs to draw its ghost.
_PLACE = {"card": ("touchpoint", "lane"), "touchpoint": ("stage",)}


def _words(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def overlay(old: Any, new: Any) -> dict[str, Any]:
    """The changes from ``old`` to ``new`` as the widget's diff overlay draws them.

    Parameters
    ----------
    old, new : JourneyMap or dict
        The base version and the version shown.

    Returns
    -------
    dict
        ``summary`` (one line), ``added`` (id -> kind), ``changed`` (id -> ``kind``,
        ``fields`` and a readable ``detail`` per field, such as ``"emotion: -1 -> 3"``), and
        ``removed``: a list of ``kind``, ``id``, ``text`` and where it was (``touchpoint``
        and ``lane`` for a card, ``stage`` for a touchpoint, ``position`` in its place).
    """
    changes = diff(old, new)
    added: dict[str, str] = {}
    changed: dict[str, dict[str, Any]] = {}
    removed: list[dict[str, Any]] = []
    for row in changes.to_dict("records"):
        kind, id, change = row["kind"], row["id"], row["change"]
        if kind == "map":
            continue  # the title or persona: said in the summary line
        if change == "added":
            added[id] = kind
        elif change == "removed":
            before = row["before"] or {}
            ghost = {"kind": kind, "id": id, "text": str(row["name"] or id)}
            for field in _PLACE.get(kind, ()):
                ghost[field] = before.get(field)
            position = row["position"]
            ghost["position"] = None if position is None or position != position else int(position)
            removed.append(ghost)
        else:
            entry = changed.setdefault(id, {"kind": kind, "fields": [], "detail": []})
            field = str(row["field"])
            if field == "position" and "position" in entry["fields"]:
                continue
            entry["fields"].append(field)
            if field == "position":
                entry["detail"].append("moved")
            else:
                entry["detail"].append(
                    f"{field}: {_words(row['before'])} \u2192 {_words(row['after'])}"
                )
    return {
        "summary": summarize(changes),
        "added": added,
        "changed": changed,
        "removed": removed,
    }
