"""Success by interface variant and its spread, with intervals; and the report's section."""

from __future__ import annotations

import pytest

from fuzzer.play.episode import EpisodeResult
from fuzzer.report.build import render_report
from fuzzer.report.metrics import Rate
from fuzzer.report.variants import spread, spreads, success_by_interface
from tests.fuzzer.play.test_journal import result


def _played(
    interface: str | None, passes: int, n: int, agent: str = "naive"
) -> list[EpisodeResult]:
    out = []
    for i in range(n):
        r = result(f"{interface}-{i}", 0, passed=i < passes)
        r.agent, r.interface = agent, interface
        out.append(r)
    return out


def test_rates_per_variant_leave_out_harness_errors_and_unnamed_variants() -> None:
    broken = _played("dark", 0, 1)[0]
    broken.harness_error = "browser died"
    results = [*_played("default", 3, 4), *_played("dark", 1, 4), broken, *_played(None, 2, 2)]
    assert success_by_interface(results) == {
        ("naive", "perturbed"): {"dark": Rate(1, 4), "default": Rate(3, 4)}
    }


def test_spread_is_best_minus_worst_with_a_bootstrap_interval() -> None:
    value, (lo, hi) = spread({"a": Rate(20, 20), "b": Rate(0, 20)})
    assert (value, lo, hi) == (1.0, 1.0, 1.0)  # no variation to draw from
    value, (lo, hi) = spread({"a": Rate(15, 20), "b": Rate(5, 20), "c": Rate(10, 20)})
    assert value == pytest.approx(0.5)
    assert 0.1 < lo < 0.5 < hi <= 0.9
    # equal variants: the point is 0, and noise alone opens the interval above it
    value, (lo, hi) = spread({"a": Rate(10, 20), "b": Rate(10, 20)})
    assert value == 0.0 and lo == 0.0 and hi > 0.2
    # more episodes per variant, a narrower interval
    _, (lo_many, hi_many) = spread({"a": Rate(150, 200), "b": Rate(50, 200)})
    assert hi_many - lo_many < hi - lo


def test_spread_is_deterministic_and_needs_two_variants() -> None:
    rates = {"a": Rate(7, 12), "b": Rate(3, 12)}
    assert spread(rates) == spread(rates)
    assert spread({"a": Rate(3, 4)}) == (0.0, (0.0, 0.0))
    assert spread({"a": Rate(3, 4), "b": Rate(0, 0)}) == (0.0, (0.0, 0.0))


def test_spreads_name_the_best_and_worst_variant_per_agent() -> None:
    results = [*_played("default", 9, 10), *_played("phone", 2, 10), *_played("dark", 6, 10)]
    results += [*_played("default", 10, 10, "careful"), *_played("phone", 10, 10, "careful")]
    by_agent = {s.agent: s for s in spreads(results)}
    assert (by_agent["naive"].best, by_agent["naive"].worst) == ("default", "phone")
    assert by_agent["naive"].value == pytest.approx(0.7)
    assert by_agent["careful"].value == 0.0 and by_agent["careful"].interval == (0.0, 0.0)


def test_the_report_shows_variants_only_when_the_results_name_them() -> None:
    html = render_report([*_played("default", 9, 10), *_played("long_text", 2, 10)])
    assert "Success by interface variant" in html
    assert "spread: default minus long_text" in html and "70.0%" in html
    assert "(bootstrap)" in html
    assert "Success by interface variant" not in render_report(_played(None, 1, 2))
