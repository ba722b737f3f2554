"""The Examples sections of the survey helpers' docstrings run and print what they say."""

from __future__ import annotations

import pytest

from doctest_helpers import assert_examples_run

MODULES = [
    "journeywidgets.survey",
    "journeywidgets.survey._stats",
    "journeywidgets.survey.cards",
    "journeywidgets.survey.drivers",
    "journeywidgets.survey.evidence",
    "journeywidgets.survey.ipa",
    "journeywidgets.survey.servqual",
    "journeywidgets.survey.summary",
    "journeywidgets.survey.synthetic",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name: str) -> None:
    assert_examples_run(name)
