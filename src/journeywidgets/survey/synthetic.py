"""Realistic synthetic surveys of a map, for examples, tests, documentation and benchmarks.

:func:`synthetic` asks made-up respondents about every touchpoint of a map.  Their answers
follow the map's emotion curve (a touchpoint the workshop marked -2 on a -3..3 map scores
about 2 of 5), bent per customer segment (new customers start happier and sour, customers at
risk are unhappier throughout and most of all late in the journey), with a personal mood per
respondent and noise per answer.  Not everyone meets every touchpoint, and a few answers are
"does not apply" codes.

Each respondent also gives an overall ``satisfaction`` (1-5), a likelihood to recommend
``nps`` (0-10) and a ``churn`` flag, driven by a few touchpoints only (the map's moments of
truth and its lowest points, unless ``drivers`` says otherwise), so that
:func:`~journeywidgets.survey.key_drivers` has something true to find.  Everything is seeded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import SurveyError
from .servqual import SERVQUAL_DIMENSIONS
from .summary import ScaleLike, survey_scale

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

#: The default segments: share of respondents, offset (in scale points on 1-5) and tilt
#: (change from the start to the end of the journey).
SEGMENTS: dict[str, tuple[float, float, float]] = {
    "new": (0.3, 0.35, -0.7),
    "regular": (0.5, 0.0, 0.0),
    "at_risk": (0.2, -0.45, -0.6),
}
DRIVER_WEIGHTS = (0.5, 0.3, 0.2)


def _labels(m: JourneyMap) -> list[str]:
    """Touchpoint names as a survey would print them; ids where names repeat."""
    names = [tp.name for tp in m.touchpoints]
    return [tp.name if names.count(tp.name) == 1 else tp.id for tp in m.touchpoints]


def _segments(
    segments: Sequence[str] | Mapping[str, float] | None, rng: np.random.Generator
) -> dict[str, tuple[float, float, float]]:
    if segments is None:
        return dict(SEGMENTS)
    shares = (
        dict(segments)
        if isinstance(segments, Mapping)
        else dict.fromkeys(segments, 1.0 / max(len(segments), 1))
    )
    if not shares or any(not share > 0 for share in shares.values()):
        raise SurveyError(
            "segments: give at least one segment, each with a share > 0", field="segments"
        )
    total = sum(shares.values())
    out = {}
    for name, share in shares.items():
        _, offset, tilt = SEGMENTS.get(
            name, (0.0, float(rng.normal(0.0, 0.3)), float(rng.normal(-0.2, 0.4)))
        )
        out[str(name)] = (share / total, offset, tilt)
    return out


def _drivers(
    m: JourneyMap, labels: list[str], drivers: Sequence[str] | Mapping[str, float] | None
) -> dict[int, float]:
    """Touchpoint positions that drive the outcome, with their weights."""
    tps = m.touchpoints
    if drivers is None:
        ranked = sorted(
            range(len(tps)),
            key=lambda j: (
                not tps[j].moment_of_truth,
                tps[j].emotion if tps[j].emotion is not None else m.scale.max,
                j,
            ),
        )
        chosen = ranked[: min(len(DRIVER_WEIGHTS), len(tps))]
        weights = DRIVER_WEIGHTS[: len(chosen)]
        return dict(zip(chosen, weights, strict=True))
    given = dict(drivers) if isinstance(drivers, Mapping) else dict.fromkeys(drivers, 1.0)
    out = {}
    for key, weight in given.items():
        found = [j for j, tp in enumerate(tps) if key in (tp.id, tp.name, labels[j])]
        if not found:
            raise SurveyError(f"drivers: {key!r} is not a touchpoint of this map", field="drivers")
        out[found[0]] = float(weight)
    return out


def synthetic(
    m: JourneyMap,
    n_respondents: int = 1000,
    *,
    segments: Sequence[str] | Mapping[str, float] | None = None,
    seed: int = 0,
    scale: ScaleLike = (1, 5),
    na_code: float | None = None,
    na_rate: float = 0.04,
    coverage: float = 0.85,
    drivers: Sequence[str] | Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """A seeded, realistic synthetic survey of map ``m`` in long form.

    Parameters
    ----------
    m:
        The map; its touchpoints' emotions shape the scores.
    n_respondents:
        How many respondents.
    segments:
        Segment names (equal shares) or ``{name: share}``.  Default: ``new`` (30%),
        ``regular`` (50%), ``at_risk`` (20%), each with its own curve.
    seed:
        The same seed gives the same survey.
    scale:
        The touchpoint question's scale, 1-5 by default.
    na_code:
        The "does not apply" answer (default 0 on scales starting above 0, else 99);
        ``na_rate`` of the answers use it.
    coverage:
        The chance that a respondent met (and rated) a touchpoint.
    drivers:
        Touchpoints (names or ids) that drive the overall outcome, or ``{touchpoint:
        weight}``.  Default: up to three, moments of truth first, then the lowest emotions,
        weighted 0.5, 0.3, 0.2.

    Returns
    -------
    pandas.DataFrame
        ``respondent``, ``segment``, ``touchpoint`` (the touchpoint's name), ``score``, and
        per respondent ``satisfaction`` (1-5), ``nps`` (0-10 likelihood to recommend),
        ``churn`` (bool) and a survey ``weight`` (mean 1).  ``attrs`` records ``drivers``
        (name -> weight), ``segments``, ``scale``, ``na_codes`` and ``seed``.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.energy_utility()
    >>> survey = synthetic(m, n_respondents=200, seed=3)
    >>> list(survey.columns)
    ['respondent', 'segment', 'touchpoint', 'score', 'satisfaction', 'nps', 'churn', 'weight']
    >>> synthetic(m, n_respondents=200, seed=3).equals(survey)
    True
    """
    tps = m.touchpoints
    if not tps:
        raise SurveyError("synthetic: the map has no touchpoints to ask about", field="map")
    if n_respondents < 1:
        raise SurveyError("synthetic: n_respondents must be at least 1", field="n_respondents")
    for name, value in (("na_rate", na_rate), ("coverage", coverage)):
        if not 0.0 <= value <= 1.0:
            raise SurveyError(f"synthetic: {name} must lie in [0, 1], not {value}", field=name)
    lo, hi = survey_scale(scale)
    unit = (hi - lo) / 4.0  # effects are set on a 1-5 scale and stretched to others
    code = na_code if na_code is not None else (0 if lo > 0 else 99)
    rng = np.random.default_rng(seed)
    labels = _labels(m)
    segs = _segments(segments, rng)
    driven = _drivers(m, labels, drivers)
    p, n = len(tps), n_respondents

    # the map's emotions on the survey scale; no emotion = the middle of the scale
    ms = m.scale
    base = np.array(
        [
            (lo + hi) / 2.0
            if tp.emotion is None
            else lo + (tp.emotion - ms.min) / (ms.max - ms.min) * (hi - lo)
            for tp in tps
        ]
    )
    position = np.linspace(0.0, 1.0, p) if p > 1 else np.zeros(1)
    names = list(segs)
    segment = rng.choice(len(names), size=n, p=[segs[s][0] for s in names])
    offset = np.array([segs[s][1] for s in names])[segment] * unit
    tilt = np.array([segs[s][2] for s in names])[segment] * unit
    mood = rng.normal(0.0, 0.45 * unit, size=n)
    latent = (
        base[None, :]
        + offset[:, None]
        + tilt[:, None] * (position[None, :] - 0.5)
        + mood[:, None]
        + rng.normal(0.0, 0.75 * unit, size=(n, p))
    )
    scores = np.clip(np.rint(latent), lo, hi)
    answered = rng.random((n, p)) < coverage
    not_applicable = answered & (rng.random((n, p)) < na_rate)

    # the overall outcome: a few touchpoints' experiences plus everything else (noise)
    z = (latent - latent.mean(axis=0)) / latent.std(axis=0).clip(min=1e-9)
    signal = sum(w * z[:, j] for j, w in driven.items())
    signal = np.asarray(signal, dtype=float) * np.ones(n)
    spread = float(signal.std()) or 1.0
    overall = signal / spread + rng.normal(0.0, 0.8, size=n)  # R^2 about 0.6
    overall = (overall - overall.mean()) / overall.std()
    satisfaction = np.clip(np.rint(3.4 + 1.0 * overall), 1, 5).astype(int)
    nps = np.clip(np.rint(6.5 + 2.2 * overall), 0, 10).astype(int)
    churn = rng.random(n) < 1.0 / (1.0 + np.exp(2.0 + 1.6 * overall))
    weight = rng.lognormal(0.0, 0.25, size=n)
    weight = weight / weight.mean()

    rows, cols = np.nonzero(answered)  # respondent-major, journey order within
    values = np.where(not_applicable[rows, cols], code, scores[rows, cols])
    integral = float(lo).is_integer() and float(hi).is_integer() and float(code).is_integer()
    survey = pd.DataFrame(
        {
            "respondent": rows + 1,
            "segment": np.asarray(names, dtype=object)[segment[rows]],
            "touchpoint": np.asarray(labels, dtype=object)[cols],
            "score": values.astype(int) if integral else values,
            "satisfaction": satisfaction[rows],
            "nps": nps[rows],
            "churn": churn[rows],
            "weight": weight[rows],
        }
    )
    survey.attrs.update(
        {
            "drivers": {labels[j]: w for j, w in driven.items()},
            "segments": {s: segs[s][0] for s in names},
            "scale": (lo, hi),
            "na_codes": [code],
            "seed": seed,
        }
    )
    return survey


def synthetic_servqual(
    m: JourneyMap,
    n_respondents: int = 200,
    *,
    seed: int = 0,
    scale: ScaleLike = (1, 7),
    items_per_dimension: int = 2,
) -> pd.DataFrame:
    """A seeded synthetic SERVQUAL survey of map ``m``: per respondent, touchpoint and item,
    an ``expectation`` and a ``perception`` score (1-7).

    Expectations are high everywhere (reliability highest); perceptions follow the map's
    emotion curve, so touchpoints the workshop marked low show negative gaps.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> rows = synthetic_servqual(jw.templates.it_laptop(), n_respondents=50)
    >>> list(rows.columns)
    ['respondent', 'touchpoint', 'dimension', 'item', 'expectation', 'perception']
    """
    tps = m.touchpoints
    if not tps:
        raise SurveyError("synthetic_servqual: the map has no touchpoints", field="map")
    lo, hi = survey_scale(scale)
    unit = (hi - lo) / 6.0
    rng = np.random.default_rng(seed)
    labels = _labels(m)
    ms = m.scale
    feel = np.array(
        [0.0 if tp.emotion is None else (tp.emotion - ms.neutral) / (ms.max - ms.min) for tp in tps]
    )
    expect_shift = {"tangibles": -0.8, "reliability": 0.4, "responsiveness": 0.1,
                    "assurance": 0.0, "empathy": -0.3}  # fmt: skip
    k = items_per_dimension
    dims = len(SERVQUAL_DIMENSIONS)
    n, p = n_respondents, len(tps)
    e_person = rng.normal(0.0, 0.4 * unit, size=n)
    p_person = rng.normal(0.0, 0.5 * unit, size=n)
    shape = (n, p, dims, k)
    expect = (
        hi
        - 1.0 * unit
        + np.array([expect_shift[d] for d in SERVQUAL_DIMENSIONS])[None, None, :, None] * unit
        + e_person[:, None, None, None]
        + rng.normal(0.0, 0.6 * unit, size=shape)
    )
    perceive = (
        (lo + hi) / 2.0
        + 0.5 * unit
        + 5.0 * feel[None, :, None, None] * unit
        + p_person[:, None, None, None]
        + rng.normal(0.0, 0.8 * unit, size=shape)
    )
    expect = np.clip(np.rint(expect), lo, hi).astype(int)
    perceive = np.clip(np.rint(perceive), lo, hi).astype(int)
    r, t, d, i = np.indices(shape).reshape(4, -1)
    records = pd.DataFrame(
        {
            "respondent": r + 1,
            "touchpoint": np.asarray(labels, dtype=object)[t],
            "dimension": np.asarray(SERVQUAL_DIMENSIONS, dtype=object)[d],
            "item": i + 1,
            "expectation": expect.ravel(),
            "perception": perceive.ravel(),
        }
    )
    records.attrs.update({"scale": (lo, hi), "seed": seed})
    return records
