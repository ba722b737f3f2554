"""The Examples sections of the charts' docstrings run and print what they say."""

from __future__ import annotations

import pytest

from doctest_helpers import assert_examples_run

MODULES = [
    "journeywidgets.charts",
    "journeywidgets.charts.curve",
    "journeywidgets.charts.evidence",
    "journeywidgets.charts.quadrant",
    "journeywidgets.charts.linking",
    "journeywidgets.charts.offline",
    "journeywidgets.charts.style",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name: str) -> None:
    assert_examples_run(name)
