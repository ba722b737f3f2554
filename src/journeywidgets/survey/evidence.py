"""Survey measurements as evidence on the map: written beside the workshop's hypotheses.

A workshop gives each touchpoint a hypothesised ``emotion``; a survey measures it.
:func:`record` stores the measured value (mapped onto the map's emotion scale, with its
interval and n) in each touchpoint's ``measured`` field, as one undoable step, and never
touches ``emotion``; :func:`compare` puts the two side by side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from pydantic import ValidationError

from ..errors import JourneyError, SurveyError
from ..model.entities import Measurement
from . import _engine
from .summary import (
    EmotionMapping,
    ScaleLike,
    attach_map,
    emotions,
    report_unmatched,
    survey_scale,
)

if TYPE_CHECKING:
    from ..model.journey import JourneyMap


def _survey_scale(summary: pd.DataFrame, scale: ScaleLike | None) -> tuple[float, float]:
    if scale is not None:
        return survey_scale(scale)
    if "scale" in summary.attrs:
        return survey_scale(tuple(summary.attrs["scale"]))
    raise SurveyError(
        "record: the summary does not say which scale its scores use; pass scale=(min, max)",
        field="scale",
    )


def record(
    m: JourneyMap,
    summary: pd.DataFrame,
    *,
    segment: Any = None,
    scale: ScaleLike | None = None,
    metric: str | None = None,
    source: str = "survey",
    unmatched: Literal["warn", "error"] = "warn",
    emotion_mapping: EmotionMapping | None = None,
) -> None:
    """Write a survey summary into the map as measured evidence, in one undo step.

    Each touchpoint of the summary gets ``measured = Measurement(emotion, low, high, n,
    metric, source)``: its mean and interval mapped linearly onto the map's emotion scale
    (:func:`~journeywidgets.survey.to_emotion`).  The hypothesised ``emotion`` is left as
    the workshop set it.  ``m.undo()`` takes the whole recording back.

    Parameters
    ----------
    m:
        The map.
    summary:
        From :func:`~journeywidgets.survey.summarize` (with or without ``map=``).
    segment:
        Which segment to record when the summary has a row per segment.
    scale:
        The survey scale, when the summary's ``attrs`` lost it.
    metric, source:
        Stored with each measurement (default: the score column's name, and "survey").
    unmatched:
        Touchpoint names that match nothing on the map are reported with a
        :class:`~journeywidgets.errors.JourneyWarning` (``"warn"``) and skipped, or refused
        (``"error"``).  Touchpoints without a single valid response are skipped.
    emotion_mapping:
        ``"linear"``, ``"zscore"`` or ``"top2"`` (see :mod:`journeywidgets.survey.summary`);
        default: the one the summary was made with, else ``"linear"``.

    Raises
    ------
    SurveyError
        When the summary cannot be recorded; the map is left unchanged.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Demo")
    >>> _ = m.add_stage("Pay"); _ = m.add_touchpoint("Invoice", stage="pay", emotion=-2)
    >>> import pandas as pd
    >>> s = jw.survey.summarize(pd.DataFrame({"touchpoint": ["Invoice"] * 4,
    ...                                       "score": [2, 3, 2, 3]}), scale=(1, 5))
    >>> record(m, s)
    >>> m["invoice"].emotion, m["invoice"].measured.emotion, m["invoice"].measured.n
    (-2.0, -0.75, 4)
    >>> _ = m.undo(); m["invoice"].measured is None
    True
    """
    for column in ("touchpoint", "mean", "ci_low", "ci_high", "n"):
        if column not in summary.columns:
            raise SurveyError(
                f"record: the summary has no {column!r} column; make it with "
                "jw.survey.summarize(...)",
                field=column,
            )
    lo, hi = _survey_scale(summary, scale)
    rows = summary
    if "segment" in rows.columns:
        segments = rows["segment"].drop_duplicates().tolist()
        if segment is None and len(segments) > 1:
            raise SurveyError(
                f"record: the summary has a row per segment ({_engine.quoted(segments)}); "
                "pass segment=... to record one of them",
                field="segment",
            )
        if segment is not None:
            if segment not in segments:
                raise SurveyError(
                    f"record: segment {segment!r} is not in the summary (it has "
                    f"{_engine.quoted(segments)})",
                    field="segment",
                )
            rows = rows[rows["segment"] == segment]
    if "touchpoint_id" not in rows.columns:
        rows = attach_map(rows, m, (lo, hi), unmatched=unmatched)
    else:
        missing = rows["touchpoint_id"].isna()
        if missing.any():
            counts = rows[missing].groupby("touchpoint", dropna=False)["n"].sum()
            report_unmatched({k: int(v) for k, v in counts.items()}, m, unmatched)
    for column in ("mean", "ci_low", "ci_high", "n"):
        numbers = pd.to_numeric(rows[column], errors="coerce")
        bad = numbers.isna() & rows[column].notna()
        if bad.any():
            at = bad.to_numpy().nonzero()[0][0]
            raise SurveyError(
                f"record: touchpoint {rows['touchpoint'].iloc[at]!r}: column {column!r} "
                f"holds {rows[column].iloc[at]!r}, not a number",
                id=str(rows["touchpoint"].iloc[at]),
                field=column,
            )
    negative = pd.to_numeric(rows["n"]) < 0
    if negative.any():
        at = negative.to_numpy().nonzero()[0][0]
        raise SurveyError(
            f"record: touchpoint {rows['touchpoint'].iloc[at]!r}: n is "
            f"{rows['n'].iloc[at]!r}; a number of responses cannot be negative",
            field="n",
        )
    rows = rows[rows["touchpoint_id"].notna() & (pd.to_numeric(rows["n"]) > 0)]
    unknown = [tp for tp in rows["touchpoint_id"] if m.kind_of(tp) != "touchpoint"]
    if unknown:
        raise SurveyError(
            f"record: touchpoint ids {_engine.quoted(unknown)} are not touchpoints of "
            f"map {m.title or m.id!r}; was the summary made with another map?",
            field="touchpoint_id",
        )
    repeated = rows["touchpoint_id"][rows["touchpoint_id"].duplicated()].unique().tolist()
    if repeated:
        raise SurveyError(
            f"record: touchpoints {_engine.quoted(repeated)} have several rows in the "
            "summary; record one row per touchpoint",
            field="touchpoint_id",
        )
    label = metric if metric is not None else str(summary.attrs.get("score", ""))
    mapping = emotion_mapping or summary.attrs.get("emotion_mapping", "linear")
    # an interval end past the scale is clipped: the mean cannot lie outside it
    value, low, high = emotions(rows, (lo, hi), m.scale, mapping)
    measurements = []
    row: dict[Any, Any]
    for j, row in enumerate(rows.to_dict("records")):
        has_interval = not (pd.isna(low[j]) or pd.isna(high[j]))
        try:
            measurement = Measurement(
                emotion=float(value[j]),
                low=float(low[j]) if has_interval else None,
                high=float(high[j]) if has_interval else None,
                n=int(row["n"]),
                metric=str(label),
                source=str(source),
            )
        except (ValidationError, TypeError, ValueError) as exc:
            raise SurveyError(
                f"record: touchpoint {row['touchpoint_id']!r} (row {j} of the summary) cannot "
                f"be recorded: mean {row['mean']!r}, interval {row['ci_low']!r} to "
                f"{row['ci_high']!r}, n {row['n']!r}: {_first_error(exc)}",
                id=str(row["touchpoint_id"]),
                field="mean",
            ) from None
        measurements.append((str(row["touchpoint_id"]), measurement.model_dump()))
    try:
        with m.batch(f"record {source}"):
            for tp_id, measured in measurements:
                m.update(tp_id, measured=measured)
    except SurveyError:
        raise
    except JourneyError as exc:
        raise SurveyError(f"record: {exc}", id=exc.id, field=exc.field) from exc


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{first['msg']} ({'.'.join(map(str, first['loc']))})"
    return str(exc)


def compare(m: JourneyMap) -> pd.DataFrame:
    """Hypothesis (the workshop's emotion) against measurement, per touchpoint, in journey
    order.

    Columns: ``touchpoint_id``, ``name``, ``stage``, ``order``, ``hypothesis``,
    ``measured``, ``measured_low``, ``measured_high``, ``n``, ``metric``, ``gap``
    (measured - hypothesis, on the map's scale) and ``within_interval`` (whether the
    hypothesis lies inside the measured interval; missing when either is).

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Demo")
    >>> _ = m.add_stage("Pay"); _ = m.add_touchpoint("Invoice", stage="pay", emotion=-2)
    >>> _ = m.update("invoice", measured={"emotion": -0.5, "low": -1, "high": 0, "n": 80})
    >>> compare(m)[["touchpoint_id", "hypothesis", "measured", "gap", "within_interval"]]
      touchpoint_id  hypothesis  measured  gap  within_interval
    0       invoice        -2.0      -0.5  1.5            False
    """
    rows = []
    for order, tp in enumerate(m.touchpoints):
        measured = tp.measured
        hypothesis = tp.emotion
        value = measured.emotion if measured else None
        low = measured.low if measured else None
        high = measured.high if measured else None
        within = None
        if hypothesis is not None and low is not None and high is not None:
            within = bool(low <= hypothesis <= high)
        rows.append(
            {
                "touchpoint_id": tp.id,
                "name": tp.name,
                "stage": tp.stage,
                "order": order,
                "hypothesis": hypothesis,
                "measured": value,
                "measured_low": low,
                "measured_high": high,
                "n": measured.n if measured else None,
                "metric": measured.metric if measured else None,
                "gap": None if value is None or hypothesis is None else value - hypothesis,
                "within_interval": within,
            }
        )
    columns = [
        "touchpoint_id",
        "name",
        "stage",
        "order",
        "hypothesis",
        "measured",
        "measured_low",
        "measured_high",
        "n",
        "metric",
        "gap",
        "within_interval",
    ]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("hypothesis", "measured", "measured_low", "measured_high", "gap"):
        table[column] = table[column].astype(float)
    table["n"] = pd.array(table["n"].tolist(), dtype="Int64")
    table["within_interval"] = pd.array(table["within_interval"].tolist(), dtype="boolean")
    return table
