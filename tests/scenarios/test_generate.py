from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from scenarios.drills.calendar import GRAPH, TODAY
from scenarios.generate import generate_pack, iter_scenarios
from scenarios.pack import SCENARIOS, PackError, open_pack, sha256_file
from scenarios.workflow import follow
from sites.booking.rules import SLOTS
from tests.cli import gymfuzz


def _generate_in_subprocess(out: Path, hashseed: str) -> bytes:
    done = gymfuzz(
        "generate", "--drill", "calendar", "--count", "25", "--seed", "42", "--out", str(out),
        env={**os.environ, "PYTHONHASHSEED": hashseed},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return (out / SCENARIOS).read_bytes()


def test_same_seed_same_pack_bytes_across_processes(tmp_path: Path) -> None:
    a = _generate_in_subprocess(tmp_path / "a", "1")
    b = _generate_in_subprocess(tmp_path / "b", "987")
    assert a == b
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["scenarios_sha256"] == sha256_file(tmp_path / "a" / SCENARIOS)
    assert manifest["count"] == 25


def test_different_seed_different_pack(tmp_path: Path) -> None:
    a = generate_pack(tmp_path / "a", drill="calendar", count=5, seed=1)
    b = generate_pack(tmp_path / "b", drill="calendar", count=5, seed=2)
    assert a.manifest["scenarios_sha256"] != b.manifest["scenarios_sha256"]


def test_scenario_index_is_independent_of_count() -> None:
    few = [s.to_json() for s in iter_scenarios("calendar", 3, 9)]
    many = [s.to_json() for s in iter_scenarios("calendar", 10, 9)]
    assert many[:3] == few


def test_calendar_scenarios_are_well_formed() -> None:
    for sc in iter_scenarios("calendar", 50, 3):
        if not sc.solvable:  # the backend is down for good: escalate after a failed save
            assert sc.verifier.expect_escalation and sc.essential == ("outage",)
            assert sc.path[-3:] == ("save_failed", "recheck_bookings", "escalate")
            assert follow(GRAPH, sc.path)[-1] == "escalated"
            continue
        date, time = sc.goal.fields["date"], sc.goal.fields["time"]
        assert date > TODAY.isoformat()
        assert date not in sc.fixture["closed_days"]
        same_day = {b["time"] for b in sc.fixture["bookings"] if b["date"] == date}
        assert len(same_day) == 2 and time not in same_day  # two other slots of the day taken
        per_day = Counter(b["date"] for b in sc.fixture["bookings"])
        assert sorted(per_day.values())[-1] == len(SLOTS)  # and another day is fully booked
        assert 1 <= len(sc.faults) <= 6
        save_error = [f for f in sc.faults if f["id"] == "save_error"]
        if not save_error:
            assert sc.path[-2:] == ("save_ok", "verify")
        elif save_error[0]["params"]["when"] == "after":  # the write landed: do not retry
            assert sc.path[-3:] == ("recheck_bookings", "found_saved", "verify")
        else:
            assert sc.path[-4:] == ("recheck_bookings", "retry", "save_ok", "verify")
        assert follow(GRAPH, sc.path)[-1] == "done"  # the path is a walk of the drill's graph
        months = int(date[:4]) * 12 + int(date[5:7]) - (TODAY.year * 12 + TODAY.month)
        assert sc.path.count("next_month") == months
        assert sc.verifier.required[0].where["date"] == date
        assert sc.verifier.required[0].where["time"] == time
        assert sc.path.index("pick_day") < sc.path.index("pick_time") < sc.path.index("confirm")


def test_pack_round_trips(tmp_path: Path) -> None:
    written = list(iter_scenarios("calendar", 4, 5))
    pack = generate_pack(tmp_path / "p", drill="calendar", count=4, seed=5)
    assert [s.to_json() for s in open_pack(pack.path).scenarios()] == [s.to_json() for s in written]


def test_existing_pack_is_not_overwritten(tmp_path: Path) -> None:
    generate_pack(tmp_path / "p", drill="calendar", count=2, seed=1)
    before = (tmp_path / "p" / SCENARIOS).read_bytes()
    with pytest.raises(PackError, match="already exists"):
        generate_pack(tmp_path / "p", drill="calendar", count=3, seed=2)
    assert (tmp_path / "p" / SCENARIOS).read_bytes() == before
    generate_pack(tmp_path / "p", drill="calendar", count=3, seed=2, force=True)
    assert len((tmp_path / "p" / SCENARIOS).read_text().splitlines()) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]  # no temp dirs left


def test_interrupted_write_leaves_nothing(tmp_path: Path) -> None:
    from scenarios.pack import write_pack

    def boom():  # type: ignore[no-untyped-def]
        yield from iter_scenarios("calendar", 2, 1)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_pack(tmp_path / "p", boom(), arguments={})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda s: s.replace('"drill":"calendar"', '"drill":7'),
            r"scenarios\.jsonl:2: drill: 7 is not a string",
        ),
        (lambda s: s[:40], r"scenarios\.jsonl:2: invalid JSON"),
        (
            lambda s: s.replace('"jitter_ms":100', '"jitter_ms":-5'),
            r"scenarios\.jsonl:2: faults\[\d\]\.params\.jitter_ms: -5 is less than 0",
        ),
        (
            lambda s: s.replace('"order":"shuffled"', '"order":"random"'),
            r"scenarios\.jsonl:2: faults\[0\]\.params\.order: 'random'",
        ),
        (
            lambda s: s.replace('"verifier":{', '"verifier":{"requird":[],'),
            r"scenarios\.jsonl:2: verifier: requird",
        ),
    ],
)
def test_bad_scenarios_name_file_line_and_field(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    pack = generate_pack(tmp_path / "p", drill="calendar", count=3, seed=7)
    lines = (pack.path / SCENARIOS).read_text().splitlines()
    bad = edit(lines[1])
    assert bad != lines[1]
    lines[1] = bad
    (pack.path / SCENARIOS).write_text("\n".join(lines) + "\n")
    with pytest.raises(PackError, match=message):
        list(open_pack(pack.path).scenarios())


def test_open_pack_errors(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="no such pack directory"):
        open_pack(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(PackError, match=r"manifest\.json: missing"):
        open_pack(tmp_path / "empty")
    pack = generate_pack(tmp_path / "p", drill="calendar", count=1, seed=1)
    (pack.path / "manifest.json").write_text('{"schema_version": 9}')
    with pytest.raises(PackError, match=r"schema_version: unsupported value 9"):
        open_pack(pack.path)


def test_unknown_drill_and_bad_count() -> None:
    with pytest.raises(ValueError, match="--drill: unknown drill 'x'"):
        iter_scenarios("x", 1, 0)
    with pytest.raises(ValueError, match=r"--count: must be at least 1 \(got 0\)"):
        iter_scenarios("calendar", 0, 0)


def test_follow_rejects_a_path_that_is_not_a_walk() -> None:
    with pytest.raises(ValueError, match=r"path\[1\]: no action 'confirm' from state 'form'"):
        follow(GRAPH, ["open_page", "confirm"])


def test_calendar_pack_covers_every_edge_and_pair(tmp_path: Path) -> None:
    from scenarios.drills import DRILLS

    rows = len(DRILLS["calendar"].rows)
    pack = generate_pack(tmp_path / "p", drill="calendar", count=rows, seed=2)
    cov = pack.manifest["coverage"]["calendar"]
    assert cov["paths"]["edges_covered"] == cov["paths"]["edges_total"] == GRAPH.number_of_edges()
    assert cov["perturbations"]["covered"] == cov["perturbations"]["total"] > 0
    assert cov["perturbations"]["rows"] == rows
    paths = {s.path for s in open_pack(pack.path).scenarios()}
    assert any("retry" in p for p in paths) and any("found_saved" in p for p in paths)


def test_interrupted_parallel_write_leaves_nothing(tmp_path: Path) -> None:
    def stop(done: int, total: int) -> None:
        if done >= 2 * 4096:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate_pack(
            tmp_path / "p", drill="calendar", count=6 * 4096, seed=1, workers=2, progress=stop
        )
    assert list(tmp_path.iterdir()) == []


def test_scenario_lines_equal_validated_model_dumps(tmp_path: Path) -> None:
    pack = generate_pack(tmp_path / "p", drill="calendar", count=150, seed=4)
    lines = (pack.path / SCENARIOS).read_text(encoding="utf-8").splitlines()
    assert lines == [s.to_json() for s in iter_scenarios("calendar", 150, 4)]
