"""journeywidgets.events on a Spark DataFrame (through narwhals) gives pandas' results.

One local Spark session (one core, no UI, one shuffle partition) serves the module: starting
it is what costs time.  Spark needs Java 17+, which CI has.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import journeywidgets as jw
from spark_helpers import PANDAS_SUPPORT_WARNING, local_spark

pytestmark = PANDAS_SUPPORT_WARNING


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    with local_spark(
        "journeywidgets-events-tests", **{"spark.sql.session.timeZone": "UTC"}
    ) as session:
        yield session


def test_events_on_spark(spark: Any) -> None:
    m = jw.templates.it_laptop()
    log = jw.events.synthetic(m, n_cases=150, seed=21)
    log["time:timestamp"] += pd.to_timedelta(range(len(log)), unit="ms")  # no ties
    native = spark.createDataFrame(log)
    options = {"unmatched": "ignore"}

    def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
        pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-6)

    same(jw.events.variants(native, m, **options), jw.events.variants(log, m, **options))
    same(jw.events.transitions(native), jw.events.transitions(log))
    same(
        jw.events.summarize(native, m, segment="segment", channel="channel", **options),
        jw.events.summarize(log, m, segment="segment", channel="channel", **options),
    )
    got = jw.events.conformance(native, m, **options)
    want = jw.events.conformance(log, m, **options)
    same(got.cases, want.cases)
    same(got.deviations, want.deviations)
