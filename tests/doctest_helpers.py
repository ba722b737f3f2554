"""Running a module's docstring examples (its Examples sections) as a test."""

from __future__ import annotations

import doctest
import importlib


def assert_examples_run(name: str) -> None:
    """Run the examples of module ``name``; fail if it has none or any of them fails."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{result.failed} example(s) of {name} failed (see output above)"
