"""Survey evidence for journey maps: workshop maps are hypotheses, surveys test them.

- :func:`summarize` per-touchpoint (x segment) statistics: n, mean, sd, t interval, top-2-box
  share with a Wilson interval, NPS with an interval, weights, "does not apply" codes;
  :func:`melt` turns wide data (a column per touchpoint) into the long form it reads.
- :func:`to_emotion` maps survey scores onto a map's emotion scale; :func:`record` writes the
  measured values into the map (beside, never over, the workshop's emotions) and
  :func:`compare` tabulates hypothesis against measurement.
- :func:`add_evidence` writes the findings onto the map as cards (evidence, pain points,
  opportunities), in one undoable step.
- :func:`key_drivers` ranks touchpoints by how much they drive an overall outcome, says which
  way each works, and places them by importance-performance analysis (:func:`ipa`:
  "Concentrate here", "Keep up the good work", "Low priority", "Possible overkill") with a
  priority order (:func:`priorities` lists them as a manager reads them).
- :func:`servqual` computes SERVQUAL gaps (perception - expectation) per dimension.
- :func:`synthetic` makes a realistic survey of a map (and :func:`synthetic_servqual` a
  SERVQUAL one), for examples, tests and benchmarks.

Every function takes pandas, polars, pyarrow, DuckDB or Spark tables (through narwhals) and
aggregates inside that engine.

Examples
--------
>>> import journeywidgets as jw
>>> m = jw.templates.energy_utility()
>>> responses = jw.survey.synthetic(m, n_respondents=300, seed=1)
>>> s = jw.survey.summarize(responses, scale=(1, 5), na_codes=[0], map=m)
>>> list(s.columns[:4])
['touchpoint', 'touchpoint_id', 'stage', 'order']
>>> jw.survey.record(m, s)
>>> m.touchpoints[0].measured is not None
True
"""

from .cards import add_evidence
from .drivers import key_drivers
from .evidence import compare, record
from .ipa import ipa, priorities
from .servqual import SERVQUAL_DIMENSIONS, servqual
from .summary import melt, summarize, to_emotion
from .synthetic import synthetic, synthetic_servqual

__all__ = [
    "SERVQUAL_DIMENSIONS",
    "add_evidence",
    "compare",
    "ipa",
    "key_drivers",
    "melt",
    "priorities",
    "record",
    "servqual",
    "summarize",
    "synthetic",
    "synthetic_servqual",
    "to_emotion",
]
