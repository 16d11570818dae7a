"""The examples in the generator's docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "scenarios.covering",
        "scenarios.paths",
        "scenarios.fakedata",
        "scenarios.drills.graph",
        "scenarios.wording",
    ],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
