"""The Examples sections of the survey helpers' docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

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
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{result.failed} example(s) of {name} failed (see output above)"
