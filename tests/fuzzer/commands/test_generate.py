"""``gymfuzz generate`` and ``gymfuzz validate``, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests import cli

ROOT = Path(__file__).resolve().parents[3]
SHOP = ROOT / "tests" / "scenarios" / "graphs" / "shop_checkout.yaml"


def gymfuzz(*args: str, hashseed: str = "0") -> subprocess.CompletedProcess[str]:
    """``gymfuzz ARGS`` with Python's string hashing seeded by ``hashseed`` (the packs must not
    depend on it)."""
    return cli.gymfuzz(*args, timeout=300, env={**os.environ, "PYTHONHASHSEED": hashseed})


def test_user_graph_pack_same_bytes_across_hash_seeds(tmp_path: Path) -> None:
    packs = []
    for name, hashseed in (("a", "1"), ("b", "4242")):
        out = tmp_path / name
        proc = gymfuzz(
            "generate",
            "--graph",
            str(SHOP),
            "--count",
            "60",
            "--seed",
            "3",
            "--out",
            str(out),
            hashseed=hashseed,
        )
        assert proc.returncode == 0, proc.stderr
        assert "shop-checkout: edges 9/9, 2-way perturbation tuples" in proc.stdout
        assert "generate: 60/60 (100%)" in proc.stderr  # the progress line
        packs.append(out)
    for name in ("scenarios.jsonl", "manifest.json"):
        assert (packs[0] / name).read_bytes() == (packs[1] / name).read_bytes()
    ok = gymfuzz("validate", str(packs[0]))
    assert ok.returncode == 0 and "valid" in ok.stdout


def test_validate_reports_every_problem_and_exits_2(tmp_path: Path) -> None:
    out = tmp_path / "p"
    assert (
        gymfuzz(
            "generate", "--drill", "all", "--count", "3", "--out", str(out), "--quiet"
        ).returncode
        == 0
    )
    lines = (out / "scenarios.jsonl").read_text().splitlines()
    lines[1] = lines[1].replace('"solvable":true', '"solvable":"maybe"')
    lines[2] = "[]"
    (out / "scenarios.jsonl").write_text("\n".join(lines) + "\n")
    proc = gymfuzz("validate", str(out))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    err = proc.stderr.splitlines()
    assert any(
        line.endswith("scenarios.jsonl:2: /solvable: 'maybe' is not a boolean") for line in err
    )
    assert any("scenarios.jsonl:3: /: expected a JSON object, got list" in line for line in err)
    assert any("manifest.json: /scenarios_sha256: does not match" in line for line in err)
    assert err[-1].startswith("gymfuzz: 3 problem(s) in")


def test_generate_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "g.json"
    bad.write_text(json.dumps({"name": "x"}))
    cases = [
        (["--graph", str(bad)], f"{bad}: start: required field is missing"),
        ([], "--drill, --graph or --any-app: give exactly one of them"),
        (
            ["--drill", "all", "--graph", str(bad)],
            "--drill, --graph or --any-app: give exactly one of them",
        ),
        (["--any-app", "--drill", "all"], "--drill, --graph or --any-app: give exactly one"),
        (["--drill", "calendar", "--locale", "xx_XX"], "locale: unknown faker locale 'xx_XX'"),
        (["--graph", str(tmp_path / "none.yaml")], "none.yaml: cannot read"),
    ]
    for extra, message in cases:
        proc = gymfuzz("generate", "--count", "2", "--out", str(tmp_path / "p"), "--quiet", *extra)
        assert proc.returncode == 2, proc.stderr
        assert message in proc.stderr
        assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json"]
    proc = gymfuzz("generate", "--drill", "bridge", "--count", "2", "--out", str(tmp_path / "p"))
    assert proc.returncode == 2 and "invalid choice: 'bridge'" in proc.stderr
