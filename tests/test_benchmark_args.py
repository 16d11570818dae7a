"""The benchmark scripts that take ``--drills`` refuse a drill that is not built in: a usage
error (exit 2) naming the choices, before any work starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmark_modules import load


@pytest.mark.parametrize("name", ["fuzz_vs_random", "fuzz_planted", "weakness_sweep"])
def test_an_unknown_drill_is_a_usage_error(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = load(name)
    with pytest.raises(SystemExit) as exit_:
        bench.main(["--drills", "calendar", "nope", "--results", str(tmp_path / "results")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert (
        "--drills" in err
        and "'nope'" in err
        and "calendar, dropdown, endurance" in err.replace("'", "")
    )
    assert not (tmp_path / "results").exists()
