"""The examples in the fuzzer's docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "fuzzer.fuzz.space",
        "fuzzer.fuzz.coverage",
        "fuzzer.fuzz.combos",
        "fuzzer.fuzz.signals",
    ],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
