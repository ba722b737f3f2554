"""Survey findings written onto the map as cards: evidence, pain points and opportunities.

:func:`add_evidence` turns a key-driver table (and, optionally, a summary with intervals)
into sticky notes in three lanes, in one undoable step:

* the **evidence** lane (created when the map has none): at every touchpoint of the table,
  what the survey measured -- the mean with its interval and n, the importance with its
  rank, the quadrant, and which way the driver works;
* the **pain points** lane: at each "Concentrate here" touchpoint that is a positive driver,
  why it matters and how far it falls short;
* the **opportunities** lane: for the same touchpoints, in priority order, the score to
  reach.

Cards are marked ``source="survey"`` and tagged ``survey-evidence`` (and with their lane's
role, quadrant and priority), so a second call replaces the first one's cards rather than
adding copies.  With a summary, each touchpoint's measurement is also recorded in
``touchpoint.measured`` (:func:`~journeywidgets.survey.record`) in the same step: the card
states the figures, the touchpoint holds the measurement the charts and the widget draw.
Texts are written in the map's language (English, Polish or Hungarian) with the other two as
translations in ``labels``, as the built-in templates do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ..errors import JourneyError, SurveyError
from . import _engine
from .evidence import record
from .summary import match_touchpoints, report_unmatched

if TYPE_CHECKING:
    from ..model.entities import Card
    from ..model.journey import JourneyMap

#: The tag every card written by :func:`add_evidence` carries.
TAG = "survey-evidence"
LANGUAGES = ("en", "pl", "hu")
Role = Literal["evidence", "pain_points", "opportunities"]

_LANES: dict[str, dict[str, str]] = {
    "evidence": {"en": "Survey evidence", "pl": "Dowody z badania", "hu": "Felmérési bizonyítékok"},
    "pain_points": {"en": "Pain points", "pl": "Punkty bólu", "hu": "Problémák"},
    "opportunities": {"en": "Opportunities", "pl": "Szanse", "hu": "Lehetőségek"},
}
_QUADRANTS: dict[str, dict[str, str]] = {
    "concentrate_here": {
        "en": "Concentrate here",
        "pl": "Skoncentruj się tutaj",
        "hu": "Erre kell koncentrálni",
    },
    "keep_up_the_good_work": {
        "en": "Keep up the good work",
        "pl": "Utrzymaj dobrą pracę",
        "hu": "Csak így tovább",
    },
    "low_priority": {"en": "Low priority", "pl": "Niski priorytet", "hu": "Alacsony prioritás"},
    "possible_overkill": {
        "en": "Possible overkill",
        "pl": "Możliwy nadmiar",
        "hu": "Lehetséges túlteljesítés",
    },
}
_TEXT: dict[str, dict[str, str]] = {
    "measured": {
        "en": "Survey: mean {mean} of {top}{interval}, n = {n}.",
        "pl": "Badanie: średnia {mean} na {top}{interval}, n = {n}.",
        "hu": "Felmérés: átlag {mean} / {top}{interval}, n = {n}.",
    },
    "interval": {
        "en": " (95% CI {low}–{high})",
        "pl": " (95% PU {low}–{high})",
        "hu": " (95% KI {low}–{high})",
    },
    "importance": {
        "en": "Importance for {outcome}: {share} (rank {rank} of {total}).",
        "pl": "Waga dla wyniku {outcome}: {share} (miejsce {rank} z {total}).",
        "hu": "Fontosság ({outcome}): {share} ({rank}. hely a {total} közül).",
    },
    "negative": {
        "en": "Negative driver: higher scores go with a worse {outcome}; check the question "
        "before acting.",
        "pl": "Czynnik ujemny: wyższe oceny idą w parze z gorszym wynikiem {outcome}; sprawdź "
        "pytanie przed działaniem.",
        "hu": "Negatív hatótényező: a magasabb pontszám rosszabb eredménnyel jár ({outcome}); "
        "cselekvés előtt ellenőrizze a kérdést.",
    },
    "suppressor": {
        "en": "Suppressor: tied to {outcome} only with the other touchpoints held equal; not a "
        "reason to act.",
        "pl": "Supresor: związany z wynikiem {outcome} tylko przy stałych pozostałych punktach "
        "styku; to nie powód do działania.",
        "hu": "Szupresszor: csak a többi érintkezési pont rögzítése mellett függ össze az "
        "eredménnyel ({outcome}); nem ok a cselekvésre.",
    },
    "pain": {
        "en": "{quadrant}: it matters ({share} of the explained {outcome}, rank {rank}) and "
        "scores {performance}, {gap} below the {line} {target}.",
        "pl": "{quadrant}: ważne ({share} wyjaśnionego wyniku {outcome}, miejsce {rank}), a "
        "ocena {performance} jest o {gap} niższa od poziomu {target}.",
        "hu": "{quadrant}: fontos ({share} a megmagyarázott eredményből, {outcome}, {rank}. "
        "hely), pontszáma {performance}, {gap} ponttal a {target} szint alatt.",
    },
    "opportunity": {
        "en": "Priority {priority}: raise the score from {performance} to {target} (+{gap}).",
        "pl": "Priorytet {priority}: podnieść ocenę z {performance} do {target} (+{gap}).",
        "hu": "{priority}. prioritás: a pontszám emelése {performance} → {target} (+{gap}).",
    },
}


def _number(value: float, language: str, digits: int = 2) -> str:
    text = f"{value:,.{digits}f}"
    if language in ("pl", "hu"):  # decimal comma, a space between thousands
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def _count(value: int, language: str) -> str:
    text = f"{int(value):,}"
    return text.replace(",", "\u00a0") if language in ("pl", "hu") else text


def _percent(value: float, language: str) -> str:
    return _number(100.0 * value, language, 1) + (" %" if language == "pl" else "%")


def _texts(kind: str, **values: Any) -> dict[str, str]:
    """One text per language."""
    out = {}
    for language in LANGUAGES:
        shown = {k: (v(language) if callable(v) else v) for k, v in values.items()}
        out[language] = _TEXT[kind][language].format(**shown)
    return out


def _join(*parts: dict[str, str]) -> dict[str, str]:
    return {language: " ".join(p[language] for p in parts if p) for language in LANGUAGES}


def _lane(m: JourneyMap, role: str, wanted: str | None, language: str) -> str:
    """The lane for ``role``: the one named, else the first of that kind (the lane with id
    ``evidence`` for evidence), else a new one named in the map's language."""
    if wanted is not None:
        if m.kind_of(wanted) != "lane":
            lanes = ", ".join(repr(lane.id) for lane in m.lanes)
            raise SurveyError(
                f"add_evidence: lanes[{role!r}] = {wanted!r} is not a lane of this map "
                f"(its lanes are {lanes}); leave it out to have the lane created",
                field="lanes",
                id=wanted,
            )
        return wanted
    for lane in m.lanes:
        if (role == "evidence" and lane.id == "evidence") or (
            role != "evidence" and lane.kind == role
        ):
            return lane.id
    names = _LANES[role]
    name = names.get(language, names["en"])
    labels = {code: text for code, text in names.items() if code != language}
    kind = "custom" if role == "evidence" else role
    return m.add_lane(name, kind=kind, id=role if m.kind_of(role) is None else None,
                      labels=labels).id  # fmt: skip


def _matched(table: pd.DataFrame, m: JourneyMap, what: str) -> pd.Series:
    """The touchpoint id of each row (None when it matches nothing on the map)."""
    if "touchpoint_id" in table.columns:
        return table["touchpoint_id"].astype(object)
    if "touchpoint" not in table.columns:
        raise SurveyError(
            f"add_evidence: the {what} has no 'touchpoint' column; make it with "
            "jw.survey.key_drivers(...) or jw.survey.summarize(...)",
            field="touchpoint",
        )
    ids = match_touchpoints(table["touchpoint"].unique().tolist(), m)
    return table["touchpoint"].map(lambda name: ids.get(name)).astype(object)


def add_evidence(
    m: JourneyMap,
    drivers: pd.DataFrame,
    *,
    summary: pd.DataFrame | None = None,
    lanes: Mapping[str, str] | None = None,
    language: str | None = None,
    replace: bool = True,
    unmatched: Literal["warn", "error"] = "warn",
) -> list[Card]:
    """Write survey findings onto the map as cards, in one undoable step.

    Parameters
    ----------
    m : JourneyMap
        The map.
    drivers : DataFrame
        From :func:`~journeywidgets.survey.key_drivers` (with or without ``map=``): one row
        per touchpoint with its importance, direction, performance, quadrant and priority.
    summary : DataFrame, optional
        From :func:`~journeywidgets.survey.summarize`: its means, intervals and n go into the
        evidence cards, and are recorded in each touchpoint's ``measured`` in the same step.
        One row per touchpoint (pick a segment first).
    lanes : mapping, optional
        Lane ids for the roles ``"evidence"``, ``"pain_points"`` and ``"opportunities"``.
        By default the lane with id ``evidence`` and the first lanes of kind
        ``pain_points`` and ``opportunities``; a missing lane is created.
    language : str, optional
        The language of the card texts (``"en"``, ``"pl"`` or ``"hu"``; default: the
        map's); the other two are stored as translations in ``labels``.
    replace : bool
        Remove the cards an earlier call wrote (tagged ``survey-evidence``) first.
    unmatched : {"warn", "error"}
        Touchpoints of the tables that are not on the map: skipped with a warning, or refused.

    Returns
    -------
    list of Card
        The cards added.  ``m.undo()`` takes back all of it: cards, lanes, measurements.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.energy_utility()
    >>> responses = jw.survey.synthetic(m, n_respondents=1500, seed=7)
    >>> drivers = jw.survey.key_drivers(responses, outcome="satisfaction", na_codes=[0], map=m)
    >>> cards = jw.survey.add_evidence(m, drivers, language="en")
    >>> first = next(c for c in cards if c.lane == "opportunities")
    >>> first.text.startswith("Priority 1: raise the score from")
    True
    >>> first.labels["pl"].startswith("Priorytet 1: podnieść ocenę z")
    True
    >>> m.undo(); any("survey-evidence" in c.tags for c in m.cards)
    True
    False
    """
    if not isinstance(drivers, pd.DataFrame):
        raise SurveyError(
            "add_evidence: drivers must be the DataFrame jw.survey.key_drivers(...) returns, "
            f"not {type(drivers).__name__}",
            field="drivers",
        )
    language = (language or m.language).split("-")[0].lower()
    if language not in LANGUAGES:
        language = "en"
    for column in ("touchpoint", "importance", "performance", "quadrant"):
        if column not in drivers.columns:
            raise SurveyError(
                f"add_evidence: drivers has no {column!r} column; make it with "
                "jw.survey.key_drivers(...)",
                field=column,
            )
    roles = dict(lanes or {})
    unknown = sorted(set(roles) - set(_LANES))
    if unknown:
        raise SurveyError(
            f"add_evidence: lanes has unknown role(s) {_engine.quoted(unknown)}; the roles are "
            f"{_engine.quoted(_LANES)}",
            field="lanes",
        )
    rows = drivers.assign(_id=_matched(drivers, m, "drivers"))
    missing = rows["_id"].isna()
    if missing.any():
        counts = rows[missing].groupby("touchpoint", dropna=False)["n"].sum() if "n" in rows else (
            rows[missing].groupby("touchpoint", dropna=False).size()
        )  # fmt: skip
        report_unmatched({k: int(v) for k, v in counts.items()}, m, unmatched)
    rows = rows[~missing]
    measured: dict[str, dict[str, Any]] = {}
    if summary is not None:
        if not isinstance(summary, pd.DataFrame):
            raise SurveyError(
                "add_evidence: summary must be the DataFrame jw.survey.summarize(...) returns",
                field="summary",
            )
        if "segment" in summary.columns and summary["segment"].nunique() > 1:
            raise SurveyError(
                "add_evidence: the summary has a row per segment; pass one segment's rows, "
                "e.g. summary[summary.segment == 'regular']",
                field="segment",
            )
        ids = _matched(summary, m, "summary")
        records: list[dict[str, Any]] = [
            {str(k): v for k, v in row.items()} for row in summary.to_dict("records")
        ]
        measured = {str(tp): row for tp, row in zip(ids, records, strict=True) if tp}
    attrs = drivers.attrs
    outcome = str(attrs.get("outcome", "outcome"))
    scale = attrs.get("scale") or (summary.attrs.get("scale") if summary is not None else None)
    top = scale[1] if scale else None
    target = float(attrs.get("target", attrs.get("performance_threshold", math.nan)))
    line = (attrs.get("crosshair") or {}).get("performance", "mean")
    if abs(target - float(attrs.get("performance_threshold", target))) > 1e-12:
        line = "value"  # a target of its own
    line_name = {"mean": "mean", "median": "median", "midpoint": "scale midpoint"}.get(
        line, "target"
    )
    total = len(drivers)
    plans: list[tuple[str, str, dict[str, str], tuple[str, ...]]] = []
    ordered = rows.sort_values("priority_rank" if "priority_rank" in rows else "importance",
                               ascending="priority_rank" in rows, kind="stable")  # fmt: skip
    for row in ordered.to_dict("records"):
        tp = str(row["_id"])
        quadrant = str(row["quadrant"])
        direction = str(row.get("direction", "positive"))
        share = float(row["share"]) if "share" in row else math.nan
        rank = int(row["rank"]) if "rank" in row else 0
        stats = measured.get(tp, {})
        mean = float(stats.get("mean", row["performance"]))
        n = int(stats.get("n", row.get("n", 0)) or 0)
        low, high = stats.get("ci_low"), stats.get("ci_high")
        interval = (
            _texts(
                "interval",
                low=lambda lang, v=low: _number(float(v), lang),
                high=lambda lang, v=high: _number(float(v), lang),
            )
            if low is not None and high is not None and not (pd.isna(low) or pd.isna(high))
            else dict.fromkeys(LANGUAGES, "")
        )
        parts = [
            {
                lang: _TEXT["measured"][lang].format(
                    mean=_number(mean, lang),
                    top=_number(float(top), lang, 0) if top is not None else "?",
                    interval=interval[lang],
                    n=_count(n, lang),
                )
                for lang in LANGUAGES
            },
            _texts(
                "importance",
                outcome=outcome,
                share=lambda lang, v=share: _percent(v, lang),
                rank=rank,
                total=total,
            ),
            {lang: _QUADRANTS.get(quadrant, {}).get(lang, quadrant) + "." for lang in LANGUAGES},
        ]
        if direction in ("negative", "suppressor"):
            parts.append(_texts(direction, outcome=outcome))
        tags: tuple[str, ...] = (TAG, "evidence", quadrant, direction)
        plans.append(("evidence", tp, _join(*parts), tags))
        if quadrant != "concentrate_here" or direction != "positive":
            continue
        priority = int(row["priority_rank"]) if "priority_rank" in row else rank
        gap = target - float(row["performance"])
        figures = {
            "quadrant": lambda lang, q=quadrant: _QUADRANTS[q][lang],
            "share": lambda lang, v=share: _percent(v, lang),
            "outcome": outcome,
            "rank": rank,
            "performance": lambda lang, v=float(row["performance"]): _number(v, lang),
            "gap": lambda lang, v=gap: _number(v, lang),
            "target": lambda lang: _number(target, lang),
            "line": line_name,
            "priority": priority,
        }
        tagged = (TAG, quadrant, f"priority-{priority}")
        plans.append(("pain_points", tp, _texts("pain", **figures), (*tagged, "pain_point")))
        plans.append(("opportunities", tp, _texts("opportunity", **figures),
                      (*tagged, "opportunity")))  # fmt: skip
    added: list[Card] = []
    try:
        with m.batch("survey evidence"):
            if replace:
                for card in [c for c in m.cards if TAG in c.tags]:
                    m.remove(card.id)
            lane_of = {
                role: _lane(m, role, roles.get(role), language)
                for role in dict.fromkeys(plan[0] for plan in plans)
            }
            for role, tp, texts, tags in plans:
                labels = {code: text for code, text in texts.items() if code != language}
                added.append(
                    m.add_card(
                        texts[language],
                        touchpoint=tp,
                        lane=lane_of[role],
                        source="survey",
                        tags=tags,
                        labels=labels,
                    )
                )
            if summary is not None:
                record(m, summary, unmatched=unmatched)
    except SurveyError:
        raise
    except JourneyError as exc:
        raise SurveyError(f"add_evidence: {exc}", id=exc.id, field=exc.field) from exc
    return added
