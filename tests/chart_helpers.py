"""Maps and spec-reading helpers shared by the chart tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import journeywidgets as jw

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "charts"
#: A touchpoint name that must stay literal text (markup, quotes, diacritics).
AWKWARD = "Faktura <b>\"zła\"</b> & 'droga' — żółć"


def journey(*, scale: Any = (-3, 3), awkward: bool = False) -> jw.JourneyMap:
    """Three stages, six touchpoints (one without emotion), cards, two moments of truth.

    Stages ``want`` (ad, web, call), ``buy`` (office, contract), ``pay`` (invoice).
    """
    m = jw.JourneyMap(
        "Kupuję prąd",
        scale=scale,
        language="en",
        labels={"pl": "Kupuję prąd (PL)"},
    )
    m.add_persona("Anna Kowalska", id="anna")
    m.set(persona="anna")
    m.add_stage("I want electricity", id="want", labels={"pl": "Chcę mieć prąd"})
    m.add_stage("I decide and buy", id="buy", labels={"pl": "Decyduję – kupuję"})
    m.add_stage("I use and pay", id="pay", labels={"pl": "Korzystam i płacę"})
    m.add_lane("Actions", kind="actions")
    m.add_lane("Emotions", kind="emotions")
    lo, hi = (m.scale.min, m.scale.max)
    mid = m.scale.neutral
    m.add_touchpoint("Advert", id="ad", stage="want", emotion=mid + 1, channel="TV")
    m.add_touchpoint(
        "Website with a very long name about connection guides",
        id="web",
        stage="want",
        emotion=mid - 1,
        channel="web",
        labels={"pl": "Strona www: przewodnik po przyłączeniu"},
    )
    m.add_touchpoint(
        "Hotline call",
        id="call",
        stage="want",
        emotion=lo,
        moment_of_truth=True,
        channel="phone",
        labels={"pl": "Dzwoni na infolinię"},
    )
    m.add_touchpoint("Customer office", id="office", stage="buy", emotion=None)
    m.add_touchpoint(
        "Signs the contract", id="contract", stage="buy", emotion=hi, moment_of_truth=True
    )
    m.add_touchpoint(
        AWKWARD if awkward else "First invoice",
        id="invoice",
        stage="pay",
        emotion=mid - 2,
        labels={"pl": "Przychodzi pierwsza faktura"},
    )
    for i in range(5):
        m.add_card(
            f"Waits on hold for {10 + i} minutes, listening to the same tune again and again",
            touchpoint="call",
            lane="actions",
        )
    m.add_card("Zły: 'dlaczego tak drogo?'", touchpoint="invoice", lane="emotions")
    return m


def spec_of(chart: Any) -> dict[str, Any]:
    return json.loads(chart.to_json())


def walk(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every unit (a spec with a mark) in a layered/faceted/concatenated spec."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from walk(child)
    if "spec" in spec:
        yield from walk(spec["spec"])


def mark_type(unit: dict[str, Any]) -> str:
    mark = unit["mark"]
    return str(mark["type"] if isinstance(mark, dict) else mark)


def units(
    spec: dict[str, Any], mark: str, where: Callable[[dict[str, Any]], bool] = lambda u: True
) -> list[dict[str, Any]]:
    return [u for u in walk(spec) if mark_type(u) == mark and where(u)]


def rows(spec: dict[str, Any], unit: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The data rows a unit draws (before its transforms), or the facet's top-level data."""
    data = (unit or spec).get("data") or spec.get("data")
    assert data is not None, "unit has no data"
    if "values" in data:
        return list(data["values"])
    return list(spec["datasets"][data["name"]])


def filters(unit: dict[str, Any]) -> list[str]:
    return [t["filter"] for t in unit.get("transform", []) if "filter" in t]


def likert_responses(
    n: int, touchpoints: list[str], *, seed: int = 0, segments: int = 0
) -> pd.DataFrame:
    """``n`` raw Likert answers (1-5), deterministic, with a plausible spread per touchpoint."""
    rng = np.random.default_rng(seed)
    tp = rng.integers(0, len(touchpoints), n)
    shift = (tp % 3) - 1
    score = np.clip(np.rint(rng.normal(3.2, 1.1, n) + shift), 1, 5).astype(int)
    frame = pd.DataFrame({"touchpoint": np.asarray(touchpoints)[tp], "score": score})
    if segments:
        frame["segment"] = np.asarray([f"Segment {chr(65 + i)}" for i in range(segments)])[
            rng.integers(0, segments, n)
        ]
    return frame
