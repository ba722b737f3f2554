"""Importance-performance analysis (IPA): where to act first.

Martilla and James (1977, *Journal of Marketing* 41:1, 77-79) plot each attribute of a
service -- here each touchpoint -- by how much it matters to customers (importance, stated or
derived from a key-driver analysis) and how well it performs (its mean score), and split the
plane at a crosshair into four quadrants:

``"concentrate_here"``
    High importance, low performance: it matters and falls short.  Act here first.
``"keep_up_the_good_work"``
    High importance, high performance: a strength to protect.
``"low_priority"``
    Low importance, low performance: weak, but it matters little.
``"possible_overkill"``
    Low importance, high performance: effort that may be better spent elsewhere.

A point exactly on a line counts as high.  The crosshair sits at the data means by default
(the usual "data-centred" IPA); the performance line can sit at the scale's midpoint
(``performance_threshold="midpoint"``, the "scale-centred" IPA) or at any target, and either
line at the median or at a number.  The lines used are returned in ``attrs``.

Priority
--------
Quadrants sort touchpoints into four bins; a manager also needs an order within them.  Two
rankings are offered:

``priority="gap"`` (default)
    ``share x (target - performance)``: the touchpoint's share of the importance times how far
    it falls short of the target (by default the performance line), in scale points.  A
    touchpoint at or above target has priority <= 0.  Read it as "weighted shortfall": the
    shortfalls of all touchpoints add up to the journey's total.
``priority="diagonal"``
    The iso-priority diagonal of later IPA work (Bacon 2003, *International Journal of Market
    Research* 45:1, 55-71; Abalo, Varela and Manzano 2007, *Journal of Business Research*
    60:2, 115-121): with both axes standardised around the crosshair, priority is the
    distance above the line importance = performance through it,
    ``(z_importance - z_performance) / sqrt(2)``.  Points above the diagonal matter more
    than they perform.

A driver whose direction is not positive (see :func:`~journeywidgets.survey.key_drivers`:
higher scores go with a *worse* outcome, or a suppressor) has no priority: raising its
score is not known to help.  Its ``priority`` is missing and it ranks last.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import SurveyError

#: The four IPA quadrants, keyed by (high importance?, high performance?).
QUADRANTS: dict[tuple[bool, bool], str] = {
    (True, False): "concentrate_here",
    (True, True): "keep_up_the_good_work",
    (False, False): "low_priority",
    (False, True): "possible_overkill",
}
#: How the quadrants read in a table or on a chart (Martilla and James's own words).
QUADRANT_LABELS: dict[str, str] = {
    "concentrate_here": "Concentrate here",
    "keep_up_the_good_work": "Keep up the good work",
    "low_priority": "Low priority",
    "possible_overkill": "Possible overkill",
}
Priority = Literal["gap", "diagonal"]
Threshold = float | Literal["mean", "median", "midpoint"] | None


def threshold(
    values: Any, how: Threshold, what: str, scale: tuple[float, float] | None = None
) -> float:
    """Where a crosshair line sits: ``"mean"`` (or None), ``"median"``, ``"midpoint"`` of
    ``scale``, or a number.

    Examples
    --------
    >>> threshold([1.0, 2.0, 6.0], "mean", "performance_threshold")
    3.0
    >>> threshold([1.0, 2.0, 6.0], "median", "performance_threshold")
    2.0
    >>> threshold([1.0], "midpoint", "performance_threshold", scale=(1, 5))
    3.0
    """
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    if how is None or (isinstance(how, str) and how == "mean"):
        return float(np.mean(data)) if len(data) else math.nan
    if isinstance(how, str) and how == "median":
        return float(np.median(data)) if len(data) else math.nan
    if isinstance(how, str) and how == "midpoint":
        if scale is None:
            raise SurveyError(
                f"{what}='midpoint' needs the survey scale; pass scale=(min, max)", field=what
            )
        return (float(scale[0]) + float(scale[1])) / 2.0
    if isinstance(how, bool) or not isinstance(how, int | float) or not math.isfinite(how):
        choices = "'mean', 'median', 'midpoint' or a finite number"
        if what == "importance_threshold":
            choices = "'mean', 'median' or a finite number"
        raise SurveyError(f"{what} must be {choices}, not {how!r}", field=what)
    return float(how)


def ipa(
    table: Any,
    *,
    importance: str = "importance",
    performance: str = "performance",
    importance_threshold: float | Literal["mean", "median"] | None = "mean",
    performance_threshold: Threshold = "mean",
    target: float | None = None,
    scale: tuple[float, float] | None = None,
    priority: Priority = "gap",
) -> pd.DataFrame:
    """Importance-performance analysis of a table with one row per touchpoint.

    Adds ``quadrant`` (see :mod:`journeywidgets.survey.ipa`), ``gap`` (target minus
    performance, in scale points), ``priority`` and ``priority_rank`` (1 = act first).
    Importance may be stated (the mean answer to "how important is ...?") or derived
    (:func:`~journeywidgets.survey.key_drivers` calls this for you).

    Parameters
    ----------
    table : DataFrame
        One row per touchpoint with an importance and a performance column; a ``share``
        column (importance as a share of the total) is used for the gap priority when
        present, else importance / sum of importances.  A ``direction`` column marks
        drivers whose priority is unknown (anything but ``"positive"``).
    importance_threshold, performance_threshold :
        The crosshair: ``"mean"`` of the touchpoints (default), ``"median"``, for
        performance ``"midpoint"`` of ``scale``, or a number.
    target : float, optional
        The performance to reach, for the gap and the priority (default: the performance
        line).
    scale : (float, float), optional
        The survey scale, for ``"midpoint"``.
    priority : {"gap", "diagonal"}
        How priorities are computed (see the module documentation).

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` with the new columns; ``attrs`` gains ``importance_threshold``,
        ``performance_threshold``, ``target``, ``priority`` and ``crosshair`` (how each line
        was placed: ``"mean"``, ``"median"``, ``"midpoint"`` or ``"value"``).

    Examples
    --------
    Stated importance and performance of four touchpoints on a 1-5 scale; the crosshair is
    at the means (importance 3.5, performance 3.5):

    >>> import pandas as pd
    >>> t = pd.DataFrame({"touchpoint": ["Billing", "Website", "Shop", "App"],
    ...                   "importance": [4.6, 4.2, 2.5, 2.7],
    ...                   "performance": [2.4, 4.3, 3.0, 4.3]})
    >>> out = ipa(t)
    >>> out[["touchpoint", "quadrant", "gap", "priority", "priority_rank"]]
      touchpoint               quadrant  gap  priority  priority_rank
    0    Billing       concentrate_here  1.1  0.361429              1
    1    Website  keep_up_the_good_work -0.8 -0.240000              4
    2       Shop           low_priority  0.5  0.089286              2
    3        App      possible_overkill -0.8 -0.154286              3
    """
    if priority not in ("gap", "diagonal"):
        raise SurveyError(
            f"priority must be 'gap' or 'diagonal', not {priority!r}", field="priority"
        )
    for column in (importance, performance):
        if column not in table.columns:
            raise SurveyError(
                f"ipa: the table has no {column!r} column (columns: "
                f"{', '.join(map(repr, table.columns))})",
                field=column,
            )
    out = table.copy()
    imp = pd.to_numeric(out[importance], errors="coerce").to_numpy(float)
    perf = pd.to_numeric(out[performance], errors="coerce").to_numpy(float)
    it = threshold(imp, importance_threshold, "importance_threshold")
    pt = threshold(perf, performance_threshold, "performance_threshold", scale)
    goal = pt if target is None else threshold(perf, target, "target")
    out["quadrant"] = [
        QUADRANTS[(bool(i >= it), bool(p >= pt))] if not (np.isnan(i) or np.isnan(p)) else None
        for i, p in zip(imp, perf, strict=True)
    ]
    gap = goal - perf
    if priority == "gap":
        if "share" in out.columns:
            share = pd.to_numeric(out["share"], errors="coerce").to_numpy(float)
        else:
            total = np.nansum(np.abs(imp))
            share = np.abs(imp) / total if total > 0 else np.full(len(imp), np.nan)
        score = share * gap
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            sd_i = float(np.nanstd(imp, ddof=1)) if np.sum(~np.isnan(imp)) > 1 else math.nan
            sd_p = float(np.nanstd(perf, ddof=1)) if np.sum(~np.isnan(perf)) > 1 else math.nan
            score = ((imp - it) / sd_i - (perf - pt) / sd_p) / math.sqrt(2.0)
    if "direction" in out.columns:
        score = np.where(out["direction"].to_numpy(object) == "positive", score, np.nan)
    out["gap"] = gap
    out["priority"] = score
    ranks = pd.Series(score).rank(ascending=False, method="first", na_option="bottom")
    out["priority_rank"] = ranks.astype("int64").to_numpy()
    out.attrs.update(
        {
            "importance_threshold": it,
            "performance_threshold": pt,
            "target": goal,
            "priority": priority,
            "crosshair": {
                "importance": _how(importance_threshold),
                "performance": _how(performance_threshold),
            },
        }
    )
    return out


def _how(how: Threshold) -> str:
    """How a crosshair line was placed: ``"mean"``, ``"median"``, ``"midpoint"`` or
    ``"value"`` (a number given)."""
    if how is None:
        return "mean"
    return how if isinstance(how, str) else "value"


def priorities(table: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """The touchpoints in priority order, as a manager reads them.

    Parameters
    ----------
    table : DataFrame
        From :func:`~journeywidgets.survey.key_drivers` or :func:`ipa`.
    top : int, optional
        Only the first ``top`` rows.

    Returns
    -------
    pandas.DataFrame
        ``priority`` (1 = act first; missing for drivers whose direction is not positive),
        ``touchpoint``, ``quadrant`` (in words), ``importance`` (share, when the table has
        one), ``performance``, ``target``, ``gap`` and ``direction``, in priority order.

    Examples
    --------
    >>> import pandas as pd
    >>> t = ipa(pd.DataFrame({"touchpoint": ["Billing", "Website", "Shop", "App"],
    ...                       "importance": [4.6, 4.2, 2.5, 2.7],
    ...                       "performance": [2.4, 4.3, 3.0, 4.3]}))
    >>> priorities(t, top=2)
       priority touchpoint          quadrant  importance  performance  target  gap
    0         1    Billing  Concentrate here    0.328571          2.4     3.5  1.1
    1         2       Shop      Low priority    0.178571          3.0     3.5  0.5
    """
    for column in ("priority_rank", "quadrant", "performance", "gap"):
        if column not in table.columns:
            raise SurveyError(
                f"priorities: the table has no {column!r} column; make it with "
                "jw.survey.key_drivers(...) or jw.survey.ipa(...)",
                field=column,
            )
    ordered = table.sort_values("priority_rank", kind="stable")
    has_priority = (
        ordered["priority"].notna()
        if "priority" in ordered
        else pd.Series(True, index=ordered.index)
    )
    importance = ordered.get("share")
    if importance is None:
        total = float(pd.to_numeric(ordered["importance"]).abs().sum())
        importance = ordered["importance"].abs() / total if total > 0 else ordered["importance"]
    out = pd.DataFrame(
        {
            "priority": pd.array(
                ordered["priority_rank"].where(has_priority).tolist(), dtype="Int64"
            ),
            "touchpoint": ordered["touchpoint"].tolist(),
            "quadrant": [QUADRANT_LABELS.get(q, q) for q in ordered["quadrant"]],
            "importance": importance.to_numpy(float),
            "performance": ordered["performance"].to_numpy(float),
            "target": float(table.attrs.get("target", np.nan)),
            "gap": ordered["gap"].to_numpy(float),
        }
    )
    if "direction" in ordered:
        out["direction"] = ordered["direction"].tolist()
    out.attrs.update(table.attrs)
    return out if top is None else out.head(top)
