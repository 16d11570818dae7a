from __future__ import annotations

import pytest

from fuzzer.report.metrics import pass_hat_k
from fuzzer.report.summary import failure_kinds, pass_table
from tests.fuzzer.play.test_journal import result


def test_pass_hat_k_is_the_mean_of_comb_ratios() -> None:
    # scenario a: 3 of 4 trials pass; scenario b: 4 of 4; scenario c: 0 of 4
    results = [result("a", t, passed=t != 0) for t in range(4)]
    results += [result("b", t) for t in range(4)]
    results += [result("c", t, passed=False) for t in range(4)]
    key = ("naive", "perturbed")
    assert pass_hat_k(results, 1)[key] == pytest.approx((3 / 4 + 1 + 0) / 3)
    assert pass_hat_k(results, 2)[key] == pytest.approx((3 / 6 + 1 + 0) / 3)
    assert pass_hat_k(results, 4)[key] == pytest.approx((0 + 1 + 0) / 3)
    assert pass_hat_k(results, 5) == {}


def test_pass_table_and_failure_kinds() -> None:
    ok, bad = result("a", 0), result("b", 0, passed=False)
    bad.faults_fired = ["modal", "latency"]
    broken = result("c", 0, passed=False)
    broken.harness_error = "browser crashed"
    assert pass_table([ok, bad, broken]) == {"naive": {"perturbed": {"episodes": 2, "passed": 1}}}
    assert failure_kinds([ok, bad], "naive") == {"latency": 1, "modal": 1}
