from __future__ import annotations

import pytest

from fuzzer.report.metrics import (
    Rate,
    attack_success,
    attribution,
    success_by_kind,
    success_rates,
    wilson,
)
from tests.fuzzer.play.test_journal import result


def test_wilson_interval_known_values() -> None:
    lo, hi = wilson(6, 20)
    assert (round(lo, 3), round(hi, 3)) == (0.145, 0.519)
    assert wilson(20, 20)[1] == 1.0 and wilson(0, 20)[0] == 0.0
    assert wilson(0, 0) == (0.0, 1.0)


def test_rates_skip_harness_errors() -> None:
    broken = result("x", 0, passed=False)
    broken.harness_error = "browser crashed"
    rates = success_rates([result("a", 0), result("b", 0, passed=False), broken])
    assert rates == {("naive", "perturbed"): Rate(1, 2)}


def test_attribution_orders_kinds_by_lift() -> None:
    episodes = []
    for i in range(4):  # modal always breaks the agent, latency never does
        r = result(f"m{i}", 0, passed=False)
        r.faults_fired = ["modal"]
        episodes.append(r)
        ok = result(f"l{i}", 0)
        ok.faults_fired = ["latency"]
        episodes.append(ok)
    [first, second] = attribution(episodes, "naive")
    assert first.kind == "modal" and first.failed_with == Rate(4, 4)
    assert first.failed_without == Rate(0, 4) and first.lift == pytest.approx(1.0)
    assert second.kind == "latency" and second.lift == pytest.approx(-1.0)
    by_kind = success_by_kind(episodes)
    assert by_kind[("naive", "calendar", "modal")] == Rate(0, 4)


def test_attack_success_counts_episodes_that_took_the_bait_where_it_was_shown() -> None:
    shown_taken, shown_ignored, not_shown = (result(f"s{i}", 0) for i in range(3))
    shown_taken.faults_fired, shown_taken.distracted = ["decoy", "latency"], ["decoy"]
    shown_ignored.faults_fired = ["decoy", "popup_ad"]
    not_shown.faults_fired = ["modal"]  # not a distractor: never counted
    rates = attack_success([shown_taken, shown_ignored, not_shown])
    assert rates == {("naive", "decoy"): Rate(1, 2), ("naive", "popup_ad"): Rate(0, 1)}


def test_unsolvable_episodes_count_in_their_own_column_and_not_in_attribution() -> None:
    down = result("u", 0, passed=False)
    down.solvable, down.faults_fired = False, ["http_error"]
    ok = result("s", 0)
    ok.faults_fired = ["http_error"]
    assert success_rates([down, ok]) == {
        ("naive", "perturbed"): Rate(1, 1),
        ("naive", "unsolvable"): Rate(0, 1),
    }
    [only] = attribution([down, ok], "naive")
    assert only.failed_with == Rate(0, 1)
