"""Genomes, coverage features, class keys, export and the command's bad input (no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fuzzer.fuzz
from fuzzer.cli import main
from fuzzer.fuzz.certify import certify
from fuzzer.fuzz.coverage import (
    class_key,
    failed_rule,
    features,
    strip_values,
    timing_bucket,
)
from fuzzer.fuzz.export import export_pack, export_replay, readable
from fuzzer.fuzz.run import _check_folder
from fuzzer.fuzz.shrink import Shrunk
from fuzzer.fuzz.space import Genome, SearchSpace
from fuzzer.play.episode import EpisodeResult
from fuzzer.play.ledger import Fire, fires
from scenarios.drills import DRILLS
from scenarios.pack import open_pack
from scenarios.validate import validate_pack
from tests.fuzzer.fuzz.fakes import FakeRunner

RULE = "required:bookings:exactly one booking on {date} at {time}"


@pytest.fixture(scope="module")
def space() -> SearchSpace:
    return SearchSpace(DRILLS["calendar"], seed=7)


def test_public_names() -> None:
    assert fuzzer.fuzz.__all__ == [
        "Campaign",
        "CampaignSettings",
        "Genome",
        "SearchSpace",
        "run_campaign",
    ]
    assert fuzzer.fuzz.Genome is Genome
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        fuzzer.fuzz.nope  # noqa: B018


def test_genome_ids_round_trip_and_scenarios_carry_them(space: SearchSpace) -> None:
    g = Genome(3, (0, 2, 0, 0, 0, 1))
    sc = space.scenario(g)
    assert sc.id == "calendar-00003-L0.2.0.0.0.1" and space.parse_id(sc.id) == g
    assert [f["id"] for f in sc.faults] == ["modal", "save_error"]
    assert space.kinds_of(g) == ["http_error", "modal"]
    generated = DRILLS["calendar"].scenario_dict(7, 3)
    mine = space.scenario_dict(space.generator_genome(3))
    assert {**mine, "id": generated["id"]} == generated  # the generator's scenario 3, renamed


@pytest.mark.parametrize(
    ("genome", "message"),
    [
        (Genome(0, (0, 1)), r"levels: expected 6 entries, got 2"),
        (Genome(0, (0, 10, 0, 0, 0, 0)), r"levels\[1\] \(modal\): must be 0..9, got 10"),
        (Genome(9, (0, 1, 0, 0, 0, 0)), r"index: scenario 9 is unsolvable by design"),
        (Genome(1000, (0, 1, 0, 0, 0, 0)), r"index: must be 0..999, got 1000"),
        (Genome(0, (0, 0, 0, 0, 0, 0)), r"excluded by the drill's constraints"),
        (Genome(0, (3, 6, 0, 0, 0, 0)), r"excluded by the drill's constraints"),
    ],
)
def test_bad_genomes_are_named(space: SearchSpace, genome: Genome, message: str) -> None:
    assert not space.valid(genome)
    with pytest.raises(ValueError, match=message):
        space.scenario(genome)


def test_parse_id_rejects_other_ids(space: SearchSpace) -> None:
    with pytest.raises(ValueError, match="'dropdown-00001-L1' is not a calendar genome id"):
        space.parse_id("dropdown-00001-L1")


def test_edges_page_steps_and_network_matches(space: SearchSpace) -> None:
    assert space.edges(Genome(0, (1, 0, 0, 1, 0, 1))) == {
        "rerender_widget": "next_month",
        "slow_availability": "GET /api/availability*",
        "save_error": "POST /api/bookings",
    }


def test_timing_buckets_are_log_scale() -> None:
    got = [timing_bucket(t) for t in (0, 499, 500, 999, 1000, 3999, 4000, 15999, 16000, 1e6)]
    assert got == [
        "t<0.5s", "t<0.5s", "t<1s", "t<1s", "t<2s", "t<4s", "t<8s", "t<16s", "t>=16s", "t>=16s",
    ]  # fmt: skip


def test_fires_come_from_the_last_episode_in_a_ledger() -> None:
    records = [
        {"type": "plan", "t_ms": 0},
        {"type": "page", "event": "fired", "perturbation": "old", "kind": "modal", "t_ms": 5},
        {"type": "plan", "t_ms": 1000},
        {"type": "page", "event": "shown", "perturbation": "modal", "kind": "modal", "t_ms": 1100},
        {"type": "page", "event": "fired", "perturbation": "modal", "kind": "modal", "t_ms": 1700},
        {
            "type": "request",
            "t_ms": 4000,
            "decisions": [
                {"id": "save_error", "kind": "http_error", "fired": True},
                {"id": "slow", "kind": "latency", "fired": False},
            ],
        },
    ]
    assert fires(records) == [
        Fire("modal", "modal", 700.0, "page"),
        Fire("save_error", "http_error", 3000.0, "network"),
    ]


def test_features_and_class_keys() -> None:
    edges = {"modal": "next_month", "save_error": "POST /api/bookings"}
    fired = [Fire("modal", "modal", 700.0, "page"), Fire("outage", "http_error", 10.0, "network")]
    assert features(edges, fired, None) == {"next_month|modal|t<1s", "outcome|pass"}
    assert "outcome|" + RULE in features(edges, [], RULE)
    assert class_key(["modal", "http_error", "modal"], RULE) == f"http_error+modal / {RULE}"


def test_strip_values_replaces_goal_data() -> None:
    fields = {"flight": "GF123", "email": "ann1@example.com", "date": "2027-01-04"}
    name = "request 2: exactly one trip GF123 for ann1@example.com on 2027-01-04"
    assert (
        strip_values(name, fields) == "request 2: exactly one trip {flight} for {email} on {date}"
    )
    assert strip_values("booking on 2031-05-06", {}) == "booking on {date}"


def test_failed_rule_names_kind_table_and_stripped_name(space: SearchSpace) -> None:
    sc = space.scenario(Genome(0, (0, 1, 0, 0, 0, 0)))
    verdict = {
        "results": [
            {"name": sc.verifier.required[0].name, "kind": "required", "passed": True},
            {"name": "no booking is ever removed", "kind": "forbidden", "passed": False},
        ]
    }
    result = EpisodeResult(sc.id, "calendar", "naive", "perturbed", 0, "e", False, False, "x")
    result.verdict = verdict
    assert failed_rule(sc, result) == "forbidden:bookings:no booking is ever removed"
    result.passed = True
    assert failed_rule(sc, result) is None


async def test_export_is_a_valid_pack_with_provenance(space: SearchSpace, tmp_path: Path) -> None:
    shrunk = Shrunk(Genome(4, (1, 6, 0, 2, 0, 3)), Genome(1, (0, 1, 0, 0, 0, 0)), RULE)
    cert = await certify(space, FakeRunner(space), shrunk, agent="naive", k=2)
    assert cert.certified
    prov = {"drill": "calendar", "agent": "naive", "seed": 7, "budget": 12}
    pack = export_pack(tmp_path / "pack", space, [cert, cert], prov)
    assert validate_pack(pack.path) == []
    [scenario] = list(open_pack(pack.path).scenarios())
    assert scenario.id == "calendar-00001-L0.1.0.0.0.0"
    [failure] = pack.manifest["provenance"]["failures"]
    assert pack.manifest["provenance"]["agent"] == "naive"
    assert failure["original"] == {"index": 4, "levels": [1, 6, 0, 2, 0, 3]}
    assert failure["shrunk"] == {"index": 1, "levels": [0, 1, 0, 0, 0, 0]}
    assert (failure["failures"], failure["k"], failure["class"]) == (2, 2, f"modal / {RULE}")
    replay = export_replay(tmp_path / "replays" / scenario.id, space, cert, "naive")
    assert validate_pack(replay.path) == []
    lines = readable(space, cert, replay.path, "naive")
    assert lines[-1].startswith(f"  replay:   gymfuzz run {replay.path} --agent naive --out ")
    shown = json.loads(lines[-2].split("scenario: ", 1)[1])
    assert [f["kind"] for f in shown["faults"]] == ["modal"]


def test_resume_needs_the_same_settings(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "fuzz.json").write_text(json.dumps({"drill": "calendar", "agent": "naive", "seed": 1}))
    with pytest.raises(ValueError, match=r"--out: .* already exists"):
        _check_folder(out, {"drill": "calendar"}, resume=False)
    with pytest.raises(ValueError, match=r"--seed: .* was started with 1, got 2"):
        _check_folder(out, {"drill": "calendar", "agent": "naive", "seed": 2}, resume=True)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--drill", "calendar", "--graph", "g.json"], "--drill or --graph: give exactly one"),
        (["--drill", "calendar", "--agent", "nobody"], "--agent: unknown agent 'nobody'"),
        (["--drill", "calendar", "--k", "0"], "--k: must be at least 1, got 0"),
        (["--drill", "calendar", "--strategy", "afl"], "invalid choice: 'afl'"),
    ],
)
def test_cli_bad_input(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["fuzz", "--agent", "naive", "--budget", "2", "--out", str(tmp_path / "o")]
    try:
        code = main([*base, *argv])
    except SystemExit as exc:
        code = int(exc.code or 0)
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_the_replay_command_names_a_target_file() -> None:
    from fuzzer.fuzz.export import replay_command

    pack = Path("out/replays/x")
    assert "--target" not in replay_command(pack, "naive")
    assert "--target" not in replay_command(pack, "naive", "embedded")
    assert replay_command(pack, "agents:Naive", "app.yaml") == (
        "gymfuzz run out/replays/x --agent agents:Naive --target app.yaml"
        " --out out/replays/x.results.jsonl"
    )
