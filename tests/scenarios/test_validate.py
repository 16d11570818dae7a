"""Pack validation: every problem with file, line and JSON pointer; committed schemas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenarios.generate import generate_pack
from scenarios.pack import MANIFEST, SCENARIOS
from scenarios.validate import SCHEMA_DIR, manifest_schema, scenario_schema, validate_pack


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return generate_pack(tmp_path / "p", drill="calendar", count=4, seed=7).path


def _edit_line(pack: Path, n: int, old: str, new: str) -> None:
    lines = (pack / SCENARIOS).read_text().splitlines()
    assert old in lines[n - 1]
    lines[n - 1] = lines[n - 1].replace(old, new, 1)
    (pack / SCENARIOS).write_text("\n".join(lines) + "\n")


def test_a_fresh_pack_is_valid(pack: Path) -> None:
    assert validate_pack(pack) == []
    assert validate_pack(pack / SCENARIOS) == []


def test_each_error_names_file_line_and_pointer(pack: Path) -> None:
    _edit_line(pack, 2, '"seed":', '"seed":-')
    _edit_line(pack, 3, '"probability":1.0', '"probability":7')
    _edit_line(pack, 4, '"drill":"calendar"', '"drill":"calendar","extra":1')
    issues = [str(i) for i in validate_pack(pack)]
    file = str(pack / SCENARIOS)
    assert issues[0].startswith(f"{file}:2: /seed: -")
    assert issues[0].endswith(" is less than 0")
    assert issues[1].startswith(f"{file}:3: /faults/0/probability: ")
    assert f"{file}:4: /extra: unknown field (got 1)" in issues
    assert issues[-1].startswith(f"{pack / MANIFEST}: /scenarios_sha256: does not match")


def test_fault_params_are_checked_against_the_catalogs(pack: Path) -> None:
    text = (pack / SCENARIOS).read_text().splitlines()[0]
    data = json.loads(text)
    data["faults"][0]["params"] = {"nonsense": True}
    lines = (pack / SCENARIOS).read_text().splitlines()
    lines[0] = json.dumps(data)
    (pack / SCENARIOS).write_text("\n".join(lines) + "\n")
    issues = validate_pack(pack)
    assert issues[0].line == 1
    assert issues[0].pointer.startswith("/faults/0/params")


def test_bad_json_and_manifest_problems(pack: Path) -> None:
    with (pack / SCENARIOS).open("a") as fh:
        fh.write("{not json\n")
    manifest = json.loads((pack / MANIFEST).read_text())
    manifest["schema_version"] = 9
    (pack / MANIFEST).write_text(json.dumps(manifest))
    issues = [str(i) for i in validate_pack(pack)]
    assert f"{pack / MANIFEST}: /schema_version: 9 is not one of 1" in issues
    assert any(i.startswith(f"{pack / SCENARIOS}:5: /: invalid JSON") for i in issues)


def test_missing_pieces(tmp_path: Path) -> None:
    assert [str(i) for i in validate_pack(tmp_path / "nope")] == [
        f"{tmp_path / 'nope'}: /: no such pack directory"
    ]
    (tmp_path / "empty").mkdir()
    issues = [str(i) for i in validate_pack(tmp_path / "empty")]
    assert issues == [
        f"{tmp_path / 'empty' / MANIFEST}: /: missing",
        f"{tmp_path / 'empty' / SCENARIOS}: /: missing",
    ]


def test_committed_schemas_match_the_models() -> None:
    for name, schema in (("scenario", scenario_schema()), ("manifest", manifest_schema())):
        committed = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text())
        assert committed == schema, "regenerate with scenarios.validate.write_schemas()"


def test_packs_load_as_plain_jsonl(pack: Path) -> None:
    rows = [json.loads(line) for line in (pack / SCENARIOS).read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"calendar-{i:05d}" for i in range(4)]
    assert all(isinstance(r["goal"]["fields"]["date"], str) for r in rows)
