"""The Examples sections of journeywidgets.events' docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "journeywidgets.events",
    "journeywidgets.events.paths",
    "journeywidgets.events.summary",
    "journeywidgets.events.conformance",
    "journeywidgets.events.discover",
    "journeywidgets.events.evidence",
    "journeywidgets.events.files",
    "journeywidgets.events.simulate",
    "journeywidgets.charts.flow",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{result.failed} example(s) of {name} failed (see output above)"
