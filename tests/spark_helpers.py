"""The local Spark session the Spark test modules share the set-up of.

One session (one core, no UI, one shuffle partition) serves a whole module: starting it is what
costs time.  Spark needs Java 17+, which CI has.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from pyspark.sql import SparkSession

#: Mark for a Spark test module (``pytestmark = PANDAS_SUPPORT_WARNING``): PySpark 4.x warns
#: that it does not yet "fully support" pandas 3 on every conversion.
PANDAS_SUPPORT_WARNING = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)


@contextmanager
def local_spark(app_name: str, **config: str) -> Iterator[Any]:
    """A small local Spark session named ``app_name``, with ``config`` on top; stopped on exit."""
    builder = SparkSession.builder.master("local[1]").appName(app_name)
    settings = {
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "1",
        "spark.driver.memory": "1g",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        **config,
    }
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
