"""Scenario packs: a directory with ``manifest.json`` and ``scenarios.jsonl``.

``scenarios.jsonl`` holds one scenario per line in canonical JSON (plain JSONL:
``pandas.read_json(path, lines=True)`` or ``datasets.load_dataset("json", data_files=path)``
read it); ``manifest.json`` records the schema version, the generator version, the
arguments, the seed, counts per drill and per fault kind, the coverage reached, and the
sha256 of the scenarios file. JSON Schemas of both are in ``scenarios/schema/``. A pack is
written to a temporary sibling directory and renamed into place, so an interrupted write
never leaves a half-written pack. Same arguments, same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.model import SCHEMA_VERSION, Scenario, ScenarioError, canonical_json, load_scenario

GENERATOR_VERSION = "0.2.0"
MANIFEST = "manifest.json"
SCENARIOS = "scenarios.jsonl"


@dataclass(frozen=True)
class EncodedLines:
    """Scenario lines already encoded (canonical JSON, one per line), with their counts."""

    data: bytes
    count: int
    kinds: Counter[str]


class PackError(ValueError):
    """A pack is missing, malformed, or cannot be written; the message says where."""


@dataclass(frozen=True)
class Pack:
    """A pack on disk: its manifest and a lazy reader of its scenarios."""

    path: Path
    manifest: dict[str, Any]

    def scenarios(self) -> Iterator[Scenario]:
        """Yield every scenario, validated; :class:`PackError` names file and line."""
        file = self.path / SCENARIOS
        with file.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                where = f"{file}:{lineno}"
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise PackError(f"{where}: invalid JSON ({exc.msg})") from None
                try:
                    yield load_scenario(data, source=where)
                except ScenarioError as exc:
                    raise PackError(str(exc)) from None


def write_pack(
    out: Path,
    scenarios: Iterable[Scenario | Mapping[str, Any] | EncodedLines],
    *,
    arguments: dict[str, Any],
    force: bool = False,
    extra: Callable[[], dict[str, Any]] | None = None,
) -> Pack:
    """Write a pack atomically to ``out``; refuse to overwrite unless ``force``.

    ``scenarios`` are models, the plain dicts their ``model_dump(mode="json")`` gives, or
    blocks of :class:`EncodedLines`; they are streamed to disk as they come. ``extra()`` is
    called once every line is written; its keys (e.g. coverage) are added to the manifest.
    """
    out = out.resolve()
    if out.exists() and not force:
        raise PackError(f"{out}: already exists (pass --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        digest, count, kinds = _write_lines(tmp / SCENARIOS, scenarios)
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "generator_version": GENERATOR_VERSION,
            "arguments": arguments,
            "count": count,
            "fault_kinds": dict(sorted(kinds.items())),
            "scenarios_sha256": digest,
            **(extra() if extra is not None else {}),
        }
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, sort_keys=True, indent=2) + "\n", encoding="utf-8"
        )
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Pack(out, manifest)


def _write_lines(
    path: Path, scenarios: Iterable[Scenario | Mapping[str, Any] | EncodedLines]
) -> tuple[str, int, Counter[str]]:
    """Stream the scenario lines to ``path``; return their sha256, count and fault kinds."""
    digest = hashlib.sha256()
    kinds: Counter[str] = Counter()
    count = 0
    with path.open("wb", buffering=1 << 20) as fh:
        for scenario in scenarios:
            if isinstance(scenario, EncodedLines):
                data, n = scenario.data, scenario.count
                kinds.update(scenario.kinds)
            else:
                if isinstance(scenario, Scenario):
                    line, faults = scenario.to_json(), scenario.faults
                else:
                    line, faults = canonical_json(scenario), scenario["faults"]
                data, n = (line + "\n").encode("utf-8"), 1
                kinds.update(f["kind"] for f in faults)
            digest.update(data)
            fh.write(data)
            count += n
    return digest.hexdigest(), count, kinds


def open_pack(path: Path) -> Pack:
    """Open a pack directory (or its ``scenarios.jsonl``); :class:`PackError` if unusable."""
    if path.is_file() and path.name == SCENARIOS:
        path = path.parent
    if not path.is_dir():
        raise PackError(f"{path}: no such pack directory")
    mpath = path / MANIFEST
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{mpath}: missing (is {path} a gymfuzz pack?)") from None
    except json.JSONDecodeError as exc:
        raise PackError(f"{mpath}: invalid JSON at line {exc.lineno} ({exc.msg})") from None
    if not isinstance(manifest, dict):
        raise PackError(f"{mpath}: expected a JSON object")
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise PackError(
            f"{mpath}: schema_version: unsupported value {version!r} (expected {SCHEMA_VERSION})"
        )
    if not (path / SCENARIOS).is_file():
        raise PackError(f"{path / SCENARIOS}: missing")
    return Pack(path, manifest)


def sha256_file(path: Path) -> str:
    """The sha256 of a file, hex."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
