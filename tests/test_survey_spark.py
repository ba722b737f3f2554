"""The survey functions on Spark DataFrames (through narwhals) give pandas' numbers.

One local Spark session (one core, no UI, one shuffle partition) serves every test in this
module: starting it is what costs time.  Spark needs Java 17+, which CI has.
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
    with local_spark("journeywidgets-tests") as session:
        yield session


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return jw.survey.synthetic(jw.templates.it_laptop(), n_respondents=300, seed=31)


def test_summarize_on_spark(spark: Any, survey: pd.DataFrame) -> None:
    m = jw.templates.it_laptop()
    options = {"na_codes": [0], "segment": "segment", "weight": "weight", "map": m}
    got = jw.survey.summarize(spark.createDataFrame(survey), **options)
    want = jw.survey.summarize(survey, **options)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-10)


def test_key_drivers_and_servqual_on_spark(spark: Any, survey: pd.DataFrame) -> None:
    m = jw.templates.it_laptop()
    got = jw.survey.key_drivers(spark.createDataFrame(survey), outcome="nps", na_codes=[0])
    want = jw.survey.key_drivers(survey, outcome="nps", na_codes=[0])
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-9)
    rows = jw.survey.synthetic_servqual(m, n_respondents=30, seed=2)
    got = jw.survey.servqual(spark.createDataFrame(rows), respondent="respondent")
    want = jw.survey.servqual(rows, respondent="respondent")
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-10)
