"""Check a pack completely and report every problem with file, line and JSON pointer.

:func:`validate_pack` reads ``manifest.json`` and every line of ``scenarios.jsonl`` (the
same checks as loading, plus the manifest's count and sha256) and returns a list of
:class:`PackIssue`; ``gymfuzz validate PACK`` prints them, one per line, as
``pack/scenarios.jsonl:3: /faults/1/params/jitter_ms: Input should be greater than or equal
to 0 (got -5)``, and exits with code 2 when there is any.

The JSON Schemas of a scenario line and of the manifest are committed under
``scenarios/schema/`` (:func:`scenario_schema`, :func:`manifest_schema` regenerate them).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fielderrors import problems
from scenarios.model import SCHEMA_VERSION, Scenario, check_fault
from scenarios.pack import MANIFEST, SCENARIOS

SCHEMA_DIR = Path(__file__).with_name("schema")


@dataclass(frozen=True)
class PackIssue:
    """One problem: the file, its line (``None`` for the whole file) and a JSON pointer."""

    file: str
    line: int | None
    pointer: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.pointer or '/'}: {self.message}"


class Manifest(BaseModel):
    """The manifest of a pack (``manifest.json``)."""

    model_config = ConfigDict(extra="allow")

    schema_version: Literal[1]
    generator_version: str
    arguments: dict[str, Any]
    count: int = Field(ge=0)
    fault_kinds: dict[str, int] = Field(default_factory=dict)
    scenarios_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    seed: int | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    coverage: dict[str, Any] = Field(default_factory=dict)


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def _pydantic_issues(exc: ValidationError, file: str, line: int | None) -> list[PackIssue]:
    return [PackIssue(file, line, _pointer(loc), text) for loc, text in problems(exc)]


_FIELD = re.compile(r"^([A-Za-z_][\w]*(?:\[\d+\]|\.[A-Za-z_][\w]*)*): (.*)$", re.S)


def _dotted_pointer(message: str) -> tuple[str, str]:
    """``faults[1].params.ms: bad`` -> (``/faults/1/params/ms``, ``bad``)."""
    m = _FIELD.match(message)
    if not m:
        return "", message
    parts = re.findall(r"\[(\d+)\]|\.?([A-Za-z_]\w*)", m.group(1))
    return "".join(f"/{a or b}" for a, b in parts), m.group(2)


def check_line(text: str, file: str, line: int) -> list[PackIssue]:
    """The problems of one ``scenarios.jsonl`` line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [PackIssue(file, line, "", f"invalid JSON at column {exc.colno} ({exc.msg})")]
    if not isinstance(data, dict):
        return [PackIssue(file, line, "", f"expected a JSON object, got {type(data).__name__}")]
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        return _pydantic_issues(exc, file, line)
    issues, ids = [], set()
    for i, fault in enumerate(scenario.faults):
        if fault.get("id") in ids:
            issues.append(PackIssue(file, line, f"/faults/{i}/id", f"duplicate id {fault['id']!r}"))
        ids.add(fault.get("id"))
        try:
            check_fault(fault, f"faults[{i}]", scenario.seed)
        except ValueError as exc:
            for part in str(exc).split("; "):
                pointer, msg = _dotted_pointer(part)
                issues.append(PackIssue(file, line, pointer or f"/faults/{i}", msg))
    return issues


def validate_pack(path: Path) -> list[PackIssue]:
    """Every problem of the pack at ``path`` (an empty list: the pack is valid).

    ``path`` is the pack directory or its ``scenarios.jsonl``.
    """
    if path.name == SCENARIOS and path.is_file():
        path = path.parent
    mfile, sfile = path / MANIFEST, path / SCENARIOS
    if not path.is_dir():
        return [PackIssue(str(path), None, "", "no such pack directory")]
    issues: list[PackIssue] = []
    manifest: Manifest | None = None
    try:
        raw = json.loads(mfile.read_text(encoding="utf-8"))
        manifest = Manifest.model_validate(raw)
    except FileNotFoundError:
        issues.append(PackIssue(str(mfile), None, "", "missing"))
    except json.JSONDecodeError as exc:
        issues.append(PackIssue(str(mfile), exc.lineno, "", f"invalid JSON ({exc.msg})"))
    except ValidationError as exc:
        issues += _pydantic_issues(exc, str(mfile), None)
    if not sfile.is_file():
        return [*issues, PackIssue(str(sfile), None, "", "missing")]
    digest, count = hashlib.sha256(), 0
    with sfile.open("rb") as fh:
        for count, raw_line in enumerate(fh, 1):
            digest.update(raw_line)
            issues += check_line(raw_line.decode("utf-8", "replace"), str(sfile), count)
    if manifest is not None:
        if manifest.count != count:
            msg = f"says {manifest.count} scenarios, {SCENARIOS} has {count}"
            issues.append(PackIssue(str(mfile), None, "/count", msg))
        if manifest.scenarios_sha256 != digest.hexdigest():
            msg = f"does not match {SCENARIOS} (its sha256 is {digest.hexdigest()})"
            issues.append(PackIssue(str(mfile), None, "/scenarios_sha256", msg))
    return issues


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of one ``scenarios.jsonl`` line."""
    schema = Scenario.model_json_schema(mode="serialization")
    schema["$id"] = f"https://gymfuzz/schema/scenario-v{SCHEMA_VERSION}.json"
    return schema


def manifest_schema() -> dict[str, Any]:
    """The JSON Schema of ``manifest.json``."""
    schema = Manifest.model_json_schema()
    schema["$id"] = f"https://gymfuzz/schema/manifest-v{SCHEMA_VERSION}.json"
    return schema


def write_schemas(folder: Path = SCHEMA_DIR) -> None:
    """Write both schemas to ``folder`` (``scenario.schema.json``, ``manifest.schema.json``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in (("scenario", scenario_schema()), ("manifest", manifest_schema())):
        text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
        (folder / f"{name}.schema.json").write_text(text, encoding="utf-8")
