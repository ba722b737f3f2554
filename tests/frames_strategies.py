"""Hypothesis strategies for random valid journey maps (used by the tables tests).

A map is built through the public API, so whatever the model accepts is what the tables
must carry back unchanged: awkward text, labels, metrics, measurements, personas, lists.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

import journeywidgets as jw
from journeywidgets.model.entities import LANE_KINDS, SOURCES

# Excel files cannot store most control characters, and store line breaks as "\n" (XML
# turns "\r" into "\n"); CSV and DataFrames keep them all.
EXCEL_SAFE = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters=[chr(c) for c in range(32) if chr(c) not in "\t\n"],
)

ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,12}", fullmatch=True)
language = st.sampled_from(["pl", "hu", "en", "de-AT"])


def maps(
    alphabet: Any = None, max_cards: int = 12, largest: float | None = None
) -> st.SearchStrategy[jw.JourneyMap]:
    """Random valid maps; ``alphabet`` restricts the characters of every text, ``largest``
    the size of free numbers (metrics, interval ends)."""
    finite = st.floats(
        min_value=-largest if largest else None,
        max_value=largest,
        allow_nan=False,
        allow_infinity=False,
    )
    text = st.text(alphabet=alphabet, max_size=20) if alphabet is not None else st.text(max_size=20)
    name = text.filter(lambda s: re.search(r"\S", s) is not None)  # not only spaces
    labels = st.dictionaries(language, text, max_size=2)
    words = st.lists(text, max_size=3).map(tuple)

    @st.composite
    def build(draw: st.DrawFn) -> jw.JourneyMap:
        low = draw(st.integers(-5, 1))
        high = draw(st.integers(low + 1, 7))
        step = draw(st.sampled_from([1, 0.5]))
        m = jw.JourneyMap(
            draw(text),
            description=draw(text),
            scenario=draw(text),
            kind=draw(st.sampled_from(["customer", "employee"])),
            state=draw(st.sampled_from(["current", "future"])),
            scale={"min": low, "max": high, "neutral": low, "step": step, "labels": draw(labels)},
            language=draw(language),
            id=draw(ids),
            labels=draw(labels),
            metadata=draw(
                st.dictionaries(
                    st.text(max_size=5),
                    st.one_of(st.none(), st.booleans(), st.integers(-9, 9), finite, text),
                    max_size=3,
                )
            ),
        )
        used: set[str] = set()

        def maybe_id() -> str | None:
            value = draw(st.one_of(st.none(), ids))
            if value is None or value in used or value in m:
                return None
            used.add(value)
            return value

        for _ in range(draw(st.integers(0, 2))):
            m.add_persona(
                draw(name),
                id=maybe_id(),
                role=draw(text),
                segment=draw(text),
                goals=draw(words),
                expectations=draw(words),
                frustrations=draw(words),
                quote=draw(text),
                labels=draw(labels),
            )
        if m.personas and draw(st.booleans()):
            m.set(persona=draw(st.sampled_from([p.id for p in m.personas])))
        for _ in range(draw(st.integers(0, 3))):
            m.add_stage(draw(name), id=maybe_id(), description=draw(text), labels=draw(labels))
        emotion = st.one_of(st.none(), st.floats(low, high, allow_nan=False))
        for _ in range(draw(st.integers(0, 5)) if m.stages else 0):
            measured = None
            if draw(st.booleans()):
                value = draw(st.floats(low, high, allow_nan=False))
                measured = {
                    "emotion": value,
                    "low": draw(st.one_of(st.none(), finite)),
                    "high": draw(st.one_of(st.none(), finite)),
                    "n": draw(st.integers(0, 10_000)),
                    "metric": draw(text),
                    "source": draw(text),
                }
            m.add_touchpoint(
                draw(name),
                stage=draw(st.sampled_from([s.id for s in m.stages])),
                index=0 if draw(st.booleans()) else None,
                id=maybe_id(),
                emotion=draw(emotion),
                description=draw(text),
                channel=draw(text),
                owner=draw(text),
                moment_of_truth=draw(st.booleans()),
                metrics=draw(
                    st.dictionaries(
                        st.text(max_size=5),
                        st.one_of(st.integers(-99, 99), finite, text),
                        max_size=2,
                    )
                ),
                measured=measured,
                labels=draw(labels),
            )
        for _ in range(draw(st.integers(0, 3))):
            m.add_lane(
                draw(name),
                kind=draw(st.sampled_from(LANE_KINDS)),
                id=maybe_id(),
                colour=draw(st.sampled_from(["", "#abc", "#A0B1C2"])),
                description=draw(text),
                labels=draw(labels),
            )
        if m.touchpoints and m.lanes:
            for _ in range(draw(st.integers(0, max_cards))):
                impact = draw(st.one_of(st.none(), st.integers(1, 5)))
                m.add_card(
                    draw(text),
                    touchpoint=draw(st.sampled_from([t.id for t in m.touchpoints])),
                    lane=draw(st.sampled_from([lane.id for lane in m.lanes])),
                    index=0 if draw(st.booleans()) else None,
                    id=maybe_id(),
                    tags=draw(words),
                    source=draw(st.sampled_from(SOURCES)),
                    owner=draw(text),
                    impact=impact,
                    effort=draw(st.one_of(st.none(), st.integers(1, 5))),
                    labels=draw(labels),
                )
        return m

    return build()
