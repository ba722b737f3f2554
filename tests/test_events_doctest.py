"""The Examples sections of journeywidgets.events' docstrings run and print what they say."""

from __future__ import annotations

import pytest

from doctest_helpers import assert_examples_run

MODULES = [
    "journeywidgets.events",
    "journeywidgets.events.paths",
    "journeywidgets.events.summary",
    "journeywidgets.events.conformance",
    "journeywidgets.events.discover",
    "journeywidgets.events.evidence",
    "journeywidgets.events.files",
    "journeywidgets.events.journeys",
    "journeywidgets.events.simulate",
    "journeywidgets.charts.flow",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name: str) -> None:
    assert_examples_run(name)
