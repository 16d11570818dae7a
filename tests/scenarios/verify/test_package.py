from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import scenarios.verify

MODULES = sorted(m.name for m in pkgutil.iter_modules(scenarios.verify.__path__))


def test_public_names() -> None:
    assert sorted(scenarios.verify.__all__) == [
        "Change",
        "ChangeOp",
        "ChangeRule",
        "Exchange",
        "Join",
        "NetworkRule",
        "Record",
        "RecordChange",
        "Requirement",
        "RequirementOp",
        "Row",
        "RuleKind",
        "RuleResult",
        "SiteStateSource",
        "SpecError",
        "SqlStateSource",
        "State",
        "StateDiff",
        "StateSource",
        "StateSourceError",
        "StaticStateSource",
        "TableDiff",
        "Traffic",
        "Verdict",
        "VerifierSpec",
        "apply_diff",
        "diff_states",
        "judge",
        "load_spec",
        "parse_state",
        "row_matches",
    ]
    for name in scenarios.verify.__all__:
        assert getattr(scenarios.verify, name) is not None


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_a_test_file(module: str) -> None:
    assert (Path(__file__).parent / f"test_{module}.py").is_file()


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"scenarios.verify.{module}"))
    assert result.failed == 0
