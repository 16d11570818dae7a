from __future__ import annotations

import json
from pathlib import Path

from fuzzer.play.episode import EpisodeResult
from fuzzer.play.journal import Journal, load_results, read_journal


def result(scenario: str, trial: int, passed: bool = True) -> EpisodeResult:
    return EpisodeResult(
        scenario_id=scenario,
        drill="calendar",
        agent="naive",
        condition="perturbed",
        trial=trial,
        episode=f"{scenario}.{trial}",
        passed=passed,
        escalated=False,
        summary="PASS" if passed else "FAIL",
    )


def test_resume_cuts_a_torn_line_and_knows_what_is_done(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    j = Journal.open(path, resume=False)
    j.write(result("a", 0))
    j.write(result("b", 0))
    j.close()
    with path.open("a") as fh:  # a kill in the middle of a write
        fh.write('{"scenario_id": "c", "tri')
    j = Journal.open(path, resume=True)
    assert j.done == {("a", "naive", "perturbed", 0), ("b", "naive", "perturbed", 0)}
    j.write(result("c", 0))
    j.close()
    lines = path.read_text().splitlines()
    assert [json.loads(line)["scenario_id"] for line in lines] == ["a", "b", "c"]
    assert [r.scenario_id for r in load_results(path)] == ["a", "b", "c"]


def test_without_resume_the_journal_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(result("old", 0).to_json()) + "\n")
    j = Journal.open(path, resume=False)
    assert j.done == set()
    j.close()
    assert list(read_journal(path)) == []
