"""Maps from one spreadsheet-like table (a sticky note per row), and back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import ValidationError as PydanticError

from ..errors import Problem, TableError
from ..model.entities import MapInfo, as_scale
from ..model.ids import new_id, slugify
from ..model.journey import JourneyMap
from ..model.store import Store
from ._cells import MISSING, Kind, TableProblem, _did_you_mean, _read_column
from .tables import _as_pandas, _column_of, _map_table, from_dataframes

# ============================================================================ flat tables
#: The fields of a flat (spreadsheet) table.  Touchpoint-level ones may repeat on every
#: row of the touchpoint, but must agree.
FLAT_FIELDS: dict[str, Kind] = {
    "stage": "text",
    "stage_id": "text",
    "touchpoint": "text",
    "touchpoint_id": "text",
    "emotion": "number",
    "channel": "text",
    "owner": "text",
    "description": "text",
    "moment_of_truth": "bool",
    "lane": "text",
    "lane_id": "text",
    "lane_kind": "text",
    "card_id": "text",
    "text": "text",
    "tags": "list",
    "source": "text",
    "impact": "integer",
    "effort": "integer",
    "card_owner": "text",
}
_TOUCHPOINT_FLAT = ("emotion", "channel", "owner", "description", "moment_of_truth")
_CARD_FLAT = {
    "tags": "tags",
    "source": "source",
    "impact": "impact",
    "effort": "effort",
    "card_owner": "owner",
}

# Words a spreadsheet uses for a lane, mapped to the lane kind.
_LANE_WORDS = {
    "action": "actions", "actions": "actions", "does": "actions", "doing": "actions",
    "thought": "thoughts", "thoughts": "thoughts", "thinks": "thoughts",
    "emotion": "emotions", "emotions": "emotions", "feels": "emotions", "feelings": "emotions",
    "expectation": "expectations", "expectations": "expectations", "expects": "expectations",
    "pain_point": "pain_points", "pain_points": "pain_points", "pains": "pain_points",
    "opportunity": "opportunities", "opportunities": "opportunities",
    "channel": "channels", "channels": "channels",
    "frontstage": "frontstage", "backstage": "backstage", "support": "support",
}  # fmt: skip


def _lane_kind(name: str) -> str:
    return _LANE_WORDS.get(slugify(name), "custom")


def from_flat(
    table: Any,
    columns: Mapping[str, str] | None = None,
    *,
    fill_down: bool = False,
    lanes: Mapping[str, str] | None = None,
    extra: Literal["error", "ignore"] = "error",
    scale: Any = None,
    **map_fields: Any,
) -> JourneyMap:
    """Build a map from one spreadsheet-like table, one sticky note per row.

    Parameters
    ----------
    table:
        A DataFrame (or a polars / pyarrow table).  Each row names a ``stage`` and a
        ``touchpoint``; a row with ``text`` is a card in its ``lane``.  A row without text
        only declares the touchpoint (and its ``emotion``, ``channel``...).
    columns:
        Which column holds which field, ``{"stage": "Etap", "text": "Notatka", ...}``.  A
        field not mapped is read from a column of its own name (any case).  The fields are
        ``stage``, ``touchpoint``, ``lane``, ``text`` and optionally ``emotion``,
        ``channel``, ``owner``, ``description``, ``moment_of_truth`` (per touchpoint),
        ``tags``, ``source``, ``impact``, ``effort``, ``card_owner`` (per card), and ids:
        ``stage_id``, ``touchpoint_id``, ``lane_id``, ``card_id``, ``lane_kind``.
    fill_down:
        Spreadsheets often leave a repeated stage or touchpoint blank under its first row
        (merged cells); ``True`` fills blank ``stage`` and ``touchpoint`` cells from above.
    lanes:
        Lane name -> lane kind, for names the kind is not guessed from (English words
        such as "Actions", "Feels", "Pain points" are recognised; others are ``custom``).
    extra:
        ``"error"`` (default) reports columns that are neither mapped nor known, which
        catches misspelt ones; ``"ignore"`` skips them.
    scale, **map_fields:
        The map's scale and fields (``title``, ``description``, ``kind``...).

    Stages, touchpoints and lanes appear in order of first appearance.  Ids are made from
    names (``"I use and pay"`` -> ``i_use_and_pay``) unless id columns give them, so the same
    table always gives the same ids.  Every problem is reported at once in one
    :class:`~journeywidgets.errors.TableError` naming row and column; no map is built.

    Examples
    --------
    >>> import pandas as pd
    >>> sheet = pd.DataFrame({
    ...     "Etap": ["Buy", "Buy", "Use"],
    ...     "Punkt": ["Shop", "Shop", "Invoice"],
    ...     "Kategoria": ["Actions", "Feels", None],
    ...     "Notatka": ["Compares prices", "Curious", None],
    ...     "Emocja": [1, 1, -2],
    ... })
    >>> m = from_flat(sheet, {"stage": "Etap", "touchpoint": "Punkt", "lane": "Kategoria",
    ...                       "text": "Notatka", "emotion": "Emocja"}, title="Buying")
    >>> [(t.id, t.emotion) for t in m.touchpoints], [(l.id, l.kind) for l in m.lanes]
    ([('shop', 1.0), ('invoice', -2.0)], [('actions', 'actions'), ('emotions', 'emotions')])
    """
    frame = _as_pandas(table, "flat")
    problems: list[Problem] = []
    where = "flat table"
    mapping = dict(columns or {})
    present = [str(c) for c in frame.columns]
    for field, column in mapping.items():
        if field not in FLAT_FIELDS:
            problems.append(
                TableProblem(
                    "columns=",
                    str(field),
                    f"{field!r} is not a field of a flat table"
                    f"{_did_you_mean(str(field), list(FLAT_FIELDS))} "
                    f"(the fields are {', '.join(FLAT_FIELDS)})",
                )
            )
        elif column not in present:
            problems.append(
                TableProblem(
                    where,
                    str(column),
                    f"missing column for {field!r}{_did_you_mean(str(column), present)}",
                )
            )
    lowered = {c.lower().strip(): c for c in present}
    for field in FLAT_FIELDS:
        if field not in mapping and field in lowered:
            mapping[field] = lowered[field]
        elif field not in mapping and field.replace("_", " ") in lowered:
            mapping[field] = lowered[field.replace("_", " ")]
    used = set(mapping.values())
    for field in ("stage", "touchpoint"):
        if field not in mapping:
            unused = [c for c in present if c not in used]
            problems.append(
                TableProblem(
                    where,
                    field,
                    f"missing required column{_did_you_mean(field, unused)}; "
                    f"name it in columns={{{field!r}: ...}}",
                )
            )
    if "text" in mapping and "lane" not in mapping and "lane_id" not in mapping:
        problems.append(
            TableProblem(where, "lane", "missing column: cards (text) need a lane column")
        )
    if extra == "error":
        for column in present:
            if column not in used:
                free = [f for f in FLAT_FIELDS if mapping.get(f) not in present]
                hint = _did_you_mean(column, free)
                problems.append(
                    TableProblem(
                        where,
                        column,
                        f"column is not used{hint}; map it with columns= or pass extra='ignore'",
                    )
                )
    mapping = {f: c for f, c in mapping.items() if f in FLAT_FIELDS and c in present}
    if "stage" not in mapping or "touchpoint" not in mapping:
        # without them no row can be placed: the column problems are the whole story
        raise TableError.from_problems("cannot build a map from this table", problems)
    cells = {
        field: _read_column(frame[column], FLAT_FIELDS[field], where, column, problems)
        for field, column in mapping.items()
    }
    labels = frame.index.tolist()
    if fill_down:
        for field in ("stage", "touchpoint", "stage_id", "touchpoint_id"):
            last = MISSING
            for n, value in enumerate(cells.get(field, [])):
                if value is MISSING or value == "":
                    cells[field][n] = last
                else:
                    last = value
    try:
        built_scale = as_scale(scale)
    except (TypeError, ValueError) as exc:
        raise TableError(f"flat table: scale: {exc}", field="scale") from None
    parsed = _parse_flat(labels, cells, mapping, problems, fill_down, dict(lanes or {}))
    try:
        info = MapInfo.model_validate({**map_fields, "scale": built_scale})
    except PydanticError as exc:
        for err in exc.errors():
            problems.append(TableProblem("map", _column_of("map", err["loc"]), err["msg"]))
        info = MapInfo(scale=built_scale)
    # Rows with a problem were left out above; the rest still go through every check of
    # the tidy tables, so that one error lists everything.
    tables = _flat_tables(*parsed)
    map_table = _map_table(JourneyMap._from_store(_info_store(info)))
    try:
        m = from_dataframes({"map": map_table, **tables})
    except TableError as exc:
        # the tidy tables' rows carry the flat table's row labels; name the user's columns
        for p in exc.problems:
            tidy, _, label = p.where.partition(" row ")
            flat_field = _FLAT_OF.get(tidy, {}).get(p.field or "", p.field)
            user_column = mapping.get(flat_field, flat_field) if flat_field else None
            place = f"flat table row {label}" if label else "flat table"
            message = p.message
            for name in _FLAT_OF:
                message = message.replace(f"of {name} row ", "of flat table row ")
            problems.append(TableProblem(place, user_column, message))
    if problems:
        raise TableError.from_problems("cannot build a map from this table", problems)
    return m


# tidy table -> its column -> the flat field it came from
_FLAT_OF = {
    "stages": {"name": "stage", "id": "stage_id"},
    "touchpoints": {"name": "touchpoint", "id": "touchpoint_id", "stage": "stage"},
    "lanes": {"name": "lane", "id": "lane_id", "kind": "lane_kind"},
    "cards": {"id": "card_id", "owner": "card_owner"},
}


def _info_store(info: MapInfo) -> Store:
    store = Store()
    store.info = info
    return store


_Flat = tuple[
    dict[Any, dict[str, Any]],
    dict[tuple[Any, Any], dict[str, Any]],
    dict[Any, dict[str, Any]],
    list[dict[str, Any]],
]


def _parse_flat(
    labels: list[Any],
    cells: dict[str, list[Any]],
    mapping: dict[str, str],
    problems: list[Problem],
    fill_down: bool,
    lane_kinds: dict[str, str],
) -> _Flat:
    """Stages, touchpoints, lanes and cards of a flat table, in order of first appearance.

    Each entity remembers the label of the row it first appeared in (``_row``).
    """

    def cell(field: str, n: int) -> Any:
        values = cells.get(field)
        value = MISSING if values is None else values[n]
        return MISSING if isinstance(value, str) and value == "" and field != "text" else value

    def where(n: int) -> str:
        return f"flat table row {labels[n]}"

    hint = "" if fill_down else " (pass fill_down=True if blank cells repeat the row above)"
    stages: dict[Any, dict[str, Any]] = {}
    touchpoints: dict[tuple[Any, Any], dict[str, Any]] = {}
    first_row: dict[tuple[Any, Any], dict[str, Any]] = {}
    lanes: dict[Any, dict[str, Any]] = {}
    cards: list[dict[str, Any]] = []
    for n in range(len(labels)):
        stage, stage_id = cell("stage", n), cell("stage_id", n)
        stage_key = stage if stage_id is MISSING else stage_id
        if stage_key is MISSING:
            problems.append(TableProblem(where(n), mapping.get("stage"), f"missing value{hint}"))
            continue
        if stage_key not in stages:
            stages[stage_key] = {"name": stage_key if stage is MISSING else stage, "_row": n}
            if stage_id is not MISSING:
                stages[stage_key]["id"] = stage_id
        tp, tp_id = cell("touchpoint", n), cell("touchpoint_id", n)
        tp_key = (stage_key, tp if tp_id is MISSING else tp_id)
        if tp_key[1] is MISSING:
            problems.append(
                TableProblem(where(n), mapping.get("touchpoint"), f"missing value{hint}")
            )
            continue
        if tp_key not in touchpoints:
            touchpoints[tp_key] = {
                "name": tp_key[1] if tp is MISSING else tp,
                "_stage": stage_key,
                "_row": n,
            }
            first_row[tp_key] = {}
            if tp_id is not MISSING:
                touchpoints[tp_key]["id"] = tp_id
        fields, firsts = touchpoints[tp_key], first_row[tp_key]
        for field in _TOUCHPOINT_FLAT:
            value = cell(field, n)
            if value is MISSING:
                continue
            if field in fields and fields[field] != value:
                problems.append(
                    TableProblem(
                        where(n),
                        mapping[field],
                        f"{value!r} differs from {fields[field]!r} given for touchpoint "
                        f"{fields['name']!r} in row {labels[firsts[field]]}",
                    )
                )
                continue
            fields[field] = value
            firsts[field] = n
        text, card_id = cell("text", n), cell("card_id", n)
        card_values = {f: cell(f, n) for f in _CARD_FLAT if cell(f, n) is not MISSING}
        if card_id is MISSING and (text is MISSING or text == ""):
            if card_values:
                given = ", ".join(repr(mapping[f]) for f in card_values)
                problems.append(
                    TableProblem(
                        where(n),
                        mapping.get("text", "text"),
                        f"missing value: the row gives {given} for a card but no card text",
                    )
                )
            continue
        lane, lane_id = cell("lane", n), cell("lane_id", n)
        lane_key = lane if lane_id is MISSING else lane_id
        if lane_key is MISSING:
            problems.append(
                TableProblem(
                    where(n), mapping.get("lane", "lane"), "missing value: a card needs a lane"
                )
            )
            continue
        if lane_key not in lanes:
            name = lane_key if lane is MISSING else lane
            kind = cell("lane_kind", n)
            if kind is MISSING:
                kind = lane_kinds.get(name, _lane_kind(name))
            lanes[lane_key] = {"name": name, "kind": kind, "_row": n}
            if lane_id is not MISSING:
                lanes[lane_key]["id"] = lane_id
        card: dict[str, Any] = {"text": "" if text is MISSING else text, "_tp": tp_key}
        card.update(_lane=lane_key, _row=n)
        if card_id is not MISSING:
            card["id"] = card_id
        for field, value in card_values.items():
            card[_CARD_FLAT[field]] = value
        cards.append(card)
    # the rows' labels, not their positions, name them in errors
    for group in (stages.values(), touchpoints.values(), lanes.values(), cards):
        for item in group:
            item["_row"] = labels[item["_row"]]
    return stages, touchpoints, lanes, cards


def _flat_tables(
    stages: dict[Any, dict[str, Any]],
    touchpoints: dict[tuple[Any, Any], dict[str, Any]],
    lanes: dict[Any, dict[str, Any]],
    cards: list[dict[str, Any]],
) -> dict[str, pd.DataFrame]:
    """Tidy tables from a parsed flat table, every id settled (explicit ones first)."""
    taken = {
        item["id"]
        for group in (stages.values(), touchpoints.values(), lanes.values(), cards)
        for item in group
        if "id" in item
    }
    for kind, group in (("stage", stages.values()), ("touchpoint", touchpoints.values())):
        for item in group:
            if "id" not in item:
                item["id"] = new_id(kind, str(item["name"]), taken)
                taken.add(item["id"])
    for item in lanes.values():
        if "id" not in item:
            by_kind = item["kind"] != "custom" and item["kind"] not in taken
            item["id"] = item["kind"] if by_kind else new_id("lane", str(item["name"]), taken)
            taken.add(item["id"])
    counter = 1
    for item in cards:
        if "id" not in item:
            item["id"] = new_id("card", None, taken, start=counter)
            counter = int(item["id"].rsplit("_", 1)[1]) + 1
            taken.add(item["id"])

    def table(items: Sequence[dict[str, Any]], columns: list[str], refs: dict[str, Any]) -> Any:
        records = [
            {
                **{k: v for k, v in item.items() if not k.startswith("_")},
                **{ref: get(item) for ref, get in refs.items()},
            }
            for item in items
        ]
        frame = pd.DataFrame(records, columns=columns)
        frame.index = pd.Index([item["_row"] for item in items], dtype=object)
        return frame

    return {
        "stages": table(list(stages.values()), ["id", "name"], {}),
        "touchpoints": table(
            list(touchpoints.values()),
            ["id", "stage", "name", *_TOUCHPOINT_FLAT],
            {"stage": lambda t: stages[t["_stage"]]["id"]},
        ),
        "lanes": table(list(lanes.values()), ["id", "name", "kind"], {}),
        "cards": table(
            cards,
            ["id", "touchpoint", "lane", "text", *dict.fromkeys(_CARD_FLAT.values())],
            {
                "touchpoint": lambda c: touchpoints[c["_tp"]]["id"],
                "lane": lambda c: lanes[c["_lane"]]["id"],
            },
        ),
    }


def to_flat(m: JourneyMap) -> pd.DataFrame:
    """The map as one spreadsheet-like table: a row per card, and a row for each touchpoint
    that has none; :func:`from_flat` reads it back into the same stages, touchpoints, lanes
    and cards (with the same ids).

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Demo")
    >>> _ = m.add_stage("Buy"); _ = m.add_touchpoint("Shop", stage="buy", emotion=1)
    >>> to_flat(m)[["stage", "touchpoint", "emotion", "lane", "text"]]
      stage touchpoint  emotion  lane  text
    0   Buy       Shop      1.0  None  None
    """
    stages = {s.id: s for s in m.stages}
    lanes = {lane.id: lane for lane in m.lanes}
    rows: list[dict[str, Any]] = []
    for tp in m.touchpoints:
        base = {
            "stage_id": tp.stage,
            "stage": stages[tp.stage].name,
            "touchpoint_id": tp.id,
            "touchpoint": tp.name,
            "emotion": tp.emotion,
            "channel": tp.channel,
            "owner": tp.owner,
            "description": tp.description,
            "moment_of_truth": tp.moment_of_truth,
        }
        cards = m.cards_in(touchpoint=tp.id)
        for card in cards:
            lane = lanes[card.lane]
            rows.append(
                {
                    **base,
                    "lane_id": lane.id,
                    "lane": lane.name,
                    "lane_kind": lane.kind,
                    "card_id": card.id,
                    "text": card.text,
                    "tags": list(card.tags),
                    "source": card.source,
                    "impact": card.impact,
                    "effort": card.effort,
                    "card_owner": card.owner,
                }
            )
        if not cards:
            rows.append(base)
    data: dict[str, Any] = {}
    for field, kind in FLAT_FIELDS.items():
        values = [row.get(field) for row in rows]
        if field == "emotion":
            data[field] = np.array([np.nan if v is None else v for v in values], dtype=float)
        elif kind == "integer":
            data[field] = pd.array(values, dtype="Int64")
        elif kind == "bool":
            data[field] = pd.array(values, dtype="boolean")
        else:  # text and lists: object, with None where a touchpoint has no card
            data[field] = pd.Series(values, dtype=object)
    return pd.DataFrame(data)
