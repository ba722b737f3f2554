"""SERVQUAL: the gap between what customers expect and what they perceive.

SERVQUAL (Parasuraman, Zeithaml and Berry) asks each respondent, item by item, what they
*expect* of a service and how they *perceive* it, on the same scale (1-7 classically).  Items
belong to five dimensions: tangibles, reliability, responsiveness, assurance and empathy.
The gap ``P - E`` is negative where the service falls short of expectations.

Because E and P come from the same respondent, the gap is a *paired* difference: its mean and
interval come from the per-response differences ``d = P - E`` (t interval on ``d``, with
Kish's effective n when weighted), not from two independent means; pairing removes the
between-respondent spread that E and P share, so the interval is much tighter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import SurveyError, closest
from ..model.ids import slugify
from . import _engine
from ._stats import t_values
from .summary import (
    ScaleLike,
    _numeric_codes,
    _valid,
    attach_map,
    check_level,
    survey_scale,
    warn_codes_inside,
)

if TYPE_CHECKING:
    from ..model.journey import JourneyMap

#: The five SERVQUAL dimensions, in their usual order.
SERVQUAL_DIMENSIONS: tuple[str, ...] = (
    "tangibles",
    "reliability",
    "responsiveness",
    "assurance",
    "empathy",
)

# Other names for the dimensions (English variants, Polish, Hungarian), as slugs.
_ALIASES = {
    "tangibles": "tangibles", "tangibility": "tangibles", "tangible": "tangibles",
    "materialnosc": "tangibles", "namacalnosc": "tangibles", "elementy_materialne": "tangibles",
    "kezzelfoghato_tenyezok": "tangibles", "targyi_tenyezok": "tangibles",
    "reliability": "reliability", "niezawodnosc": "reliability", "rzetelnosc": "reliability",
    "megbizhatosag": "reliability",
    "responsiveness": "responsiveness", "reagowanie": "responsiveness",
    "responsywnosc": "responsiveness", "gotowosc_do_pomocy": "responsiveness",
    "reagalokeszseg": "responsiveness", "valaszkeszseg": "responsiveness",
    "assurance": "assurance", "pewnosc": "assurance", "zapewnienie": "assurance",
    "kompetencja": "assurance", "biztonsag": "assurance", "szakertelem": "assurance",
    "empathy": "empathy", "empatia": "empathy", "empatycznosc": "empathy",
}  # fmt: skip


def dimension_of(name: Any) -> str | None:
    """The SERVQUAL dimension a label names (any case, English, Polish or Hungarian)."""
    if not isinstance(name, str):
        return None
    return _ALIASES.get(slugify(name))


def servqual(
    responses: Any,
    *,
    expectation: str = "expectation",
    perception: str = "perception",
    dimension: str = "dimension",
    touchpoint: str | None = "touchpoint",
    respondent: str | None = None,
    weight: str | None = None,
    scale: ScaleLike = (1, 7),
    na_codes: Sequence[Any] = (),
    min_n: int = 30,
    level: float = 0.95,
    map: JourneyMap | None = None,
    unmatched: Literal["warn", "error"] = "warn",
) -> pd.DataFrame:
    """SERVQUAL gaps ``P - E`` per dimension and touchpoint, with paired intervals.

    Parameters
    ----------
    responses:
        One row per respondent x item (in any engine): the ``dimension`` the item belongs
        to, the ``expectation`` and ``perception`` scores and, unless ``touchpoint=None``,
        the touchpoint it is about.  Dimension labels may be English, Polish or Hungarian
        ("niezawodność", "megbízhatóság"...).
    respondent:
        The respondent column.  When given, each respondent's items of a dimension (and
        touchpoint) are first averaged, so that ``n`` counts respondents and the interval
        does not treat one person's several answers as independent.  Without it, ``n``
        counts item responses.
    weight:
        Survey weights (per respondent).
    scale:
        The scale of both scores, 1-7 by default.
    na_codes:
        Codes meaning "does not apply"; a row counts only when both scores are valid.
    map:
        Adds ``touchpoint_id``, ``stage`` and ``order``, and sorts in journey order.

    Returns
    -------
    pandas.DataFrame
        ``touchpoint`` (unless None), ``dimension`` (in the canonical order), ``n``,
        ``n_eff``, ``expectation``, ``perception`` (means), ``gap`` (mean of P - E),
        ``gap_sd``, ``gap_low``, ``gap_high`` (t interval of the mean difference),
        ``small_n``.

    Raises
    ------
    SurveyError
        Missing columns, scores that are not numbers or lie off the scale, dimension labels
        that name no SERVQUAL dimension (listed with their counts), weights that are
        negative, missing, NaN, infinite or all zero, a ``level`` outside (0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"dimension": ["Reliability"] * 3 + ["empatia"] * 3,
    ...                      "expectation": [7, 6, 7, 5, 5, 6], "perception": [5, 5, 4, 5, 6, 6]})
    >>> servqual(rows, touchpoint=None, min_n=3)[["dimension", "n", "expectation", "perception",
    ...                                          "gap"]]
         dimension  n  expectation  perception       gap
    0  reliability  3     6.666667    4.666667 -2.000000
    1      empathy  3     5.333333    5.666667  0.333333
    """
    frame = _engine.as_frame(responses)
    _engine.require(
        frame,
        {
            "expectation": expectation,
            "perception": perception,
            "dimension": dimension,
            "touchpoint": touchpoint,
            "respondent": respondent,
            "weight": weight,
        },
    )
    lo, hi = survey_scale(scale)
    level = check_level(level)
    warn_codes_inside(na_codes, (lo, hi))
    frame = _engine.numeric(frame, expectation, na_codes)
    frame = _engine.numeric(frame, perception, na_codes)
    if weight:
        frame = _engine.numeric(frame, weight, ())
        _engine.check_weights(frame, weight)
    codes = _numeric_codes(na_codes)
    e, p = nw.col(expectation), nw.col(perception)
    valid = _valid(e, codes) & _valid(p, codes)
    w = nw.col(weight) if weight else nw.lit(1.0)
    centre = (lo + hi) / 2.0
    outside = valid & ((e < lo) | (e > hi) | (p < lo) | (p > hi))
    keys = [dimension] + ([touchpoint] if touchpoint else [])
    rows = frame.with_columns(_out=outside.cast(nw.Float64), _n=nw.lit(1.0))
    if respondent:
        # a respondent's items of one dimension become one pair of means: the unit of the
        # paired comparison is the respondent, not the item
        rows = (
            frame.with_columns(
                _ev=nw.when(valid).then(e),
                _pv=nw.when(valid).then(p),
                _wt=w,
                _o=outside.cast(nw.Float64),
            )
            .group_by(*keys, respondent)
            .agg(
                nw.col("_ev").mean(),
                nw.col("_pv").mean(),
                nw.col("_wt").max(),
                nw.col("_o").sum().alias("_out"),
                nw.len().alias("_n"),
            )
            .with_columns(nw.col("_n").cast(nw.Float64))
        )
        e, p, w = nw.col("_ev"), nw.col("_pv"), nw.col("_wt")
        valid = _valid(e, []) & _valid(p, [])
    staged = rows.with_columns(
        _v=valid.cast(nw.Float64),
        _w=nw.when(valid).then(w).otherwise(0.0),
        _e=nw.when(valid).then(e - centre).otherwise(0.0),
        _p=nw.when(valid).then(p - centre).otherwise(0.0),
    ).with_columns(
        _d=nw.col("_p") - nw.col("_e"),
        _w2=nw.col("_w") * nw.col("_w"),
        _we=nw.col("_w") * nw.col("_e"),
        _wp=nw.col("_w") * nw.col("_p"),
    )
    staged = staged.with_columns(
        _wd=nw.col("_w") * nw.col("_d"), _wd2=nw.col("_w") * nw.col("_d") * nw.col("_d")
    )
    sums = ["_v", "_w", "_w2", "_we", "_wp", "_wd", "_wd2", "_out", "_n"]
    stats = _engine.to_pandas(staged.group_by(*keys).agg(*(nw.col(c).sum() for c in sums)))
    stats["_rows"] = stats["_n"]
    if stats["_out"].sum() > 0:
        count, found = _engine.examples(frame, outside, perception)
        raise SurveyError(
            f"responses: {count} row{'s' if count != 1 else ''} hold expectation or perception "
            f"scores outside the scale {lo:g}-{hi:g} (perception shown): "
            f"{_engine.describe_examples(count, found)}; pass scale=(min, max) or na_codes=(...)",
            field=perception,
        )
    stats["_dim"] = stats[dimension].map(dimension_of)
    unknown = stats[stats["_dim"].isna()]
    if len(unknown):
        counts = unknown.groupby(dimension, dropna=False)["_rows"].sum()
        parts = []
        for label, count in counts.items():
            hint = closest(slugify(str(label)), SERVQUAL_DIMENSIONS)
            guess = f"; did you mean {hint!r}?" if hint else ""
            parts.append(f"{label!r} ({int(count)} rows{guess})")
        raise SurveyError(
            f"responses: column {dimension!r} holds labels that are not SERVQUAL dimensions: "
            + ", ".join(parts)
            + f"; the dimensions are {', '.join(SERVQUAL_DIMENSIONS)}",
            field=dimension,
        )
    # several labels of one dimension ("Empathy", "empatia") add up: sums are additive
    group = ["_dim"] + (["_tp"] if touchpoint else [])
    if touchpoint:
        stats["_tp"] = stats[touchpoint]
    merged = stats.groupby(group, dropna=False, sort=False)[["_rows", *sums]].sum().reset_index()
    table = _finish(merged, centre, level)
    if touchpoint:
        table.insert(0, "touchpoint", merged["_tp"])
    table["small_n"] = table["n"] < min_n
    rank = {d: n for n, d in enumerate(SERVQUAL_DIMENSIONS)}
    table["_rank"] = table["dimension"].map(rank)
    sort = (["touchpoint"] if touchpoint else []) + ["_rank"]
    table = table.sort_values(sort, kind="stable").drop(columns="_rank").reset_index(drop=True)
    if map is not None and touchpoint:
        mapped = attach_map(
            table.assign(mean=np.nan, ci_low=np.nan, ci_high=np.nan),
            map,
            (lo, hi),
            unmatched=unmatched,
            responses=table["n"],
        )
        table = mapped.drop(
            columns=["mean", "ci_low", "ci_high", "emotion", "emotion_low", "emotion_high"]
        )
        table["_rank"] = table["dimension"].map(rank)
        table = (
            table.sort_values(["order", "_rank"], na_position="last", kind="stable")
            .drop(columns="_rank")
            .reset_index(drop=True)
        )
    table.attrs.update({"scale": (lo, hi), "level": level, "weighted": weight is not None})
    return table


def _finish(stats: pd.DataFrame, centre: float, level: float) -> pd.DataFrame:
    sw, sw2 = stats["_w"].to_numpy(float), stats["_w2"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(sw2 > 0, sw * sw / sw2, 0.0)
        gap = stats["_wd"].to_numpy(float) / sw
        v1 = np.maximum(stats["_wd2"].to_numpy(float) / sw - gap * gap, 0.0)
        sd = np.where(n_eff > 1, np.sqrt(v1 * n_eff / (n_eff - 1)), np.nan)
        half = t_values(n_eff - 1, level) * sd / np.sqrt(n_eff)
        return pd.DataFrame(
            {
                "dimension": stats["_dim"],
                "n": stats["_v"].round().astype("int64"),
                "n_eff": n_eff,
                "expectation": centre + stats["_we"].to_numpy(float) / sw,
                "perception": centre + stats["_wp"].to_numpy(float) / sw,
                "gap": gap,
                "gap_sd": sd,
                "gap_low": gap - half,
                "gap_high": gap + half,
            }
        )
