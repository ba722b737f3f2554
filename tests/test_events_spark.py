"""journeywidgets.events on a Spark DataFrame (through narwhals) gives pandas' results.

One local Spark session (one core, no UI, one shuffle partition) serves the module: starting
it is what costs time.  Spark needs Java 17+, which CI has.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from pyspark.sql import SparkSession

import journeywidgets as jw

pytestmark = pytest.mark.filterwarnings(
    # PySpark 4.x warns that it does not yet "fully support" pandas 3 on every conversion
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = (
        SparkSession.builder.master("local[1]")
        .appName("journeywidgets-events-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


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
