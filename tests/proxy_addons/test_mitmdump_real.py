"""The same addon loaded by a plain ``mitmdump -s`` (how mitmproxy users run it)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from proxy_addons.ledger import read_ledger

from .conftest import Upstream

pytestmark = pytest.mark.proxy

ROOT = Path(__file__).resolve().parents[2]
MITMDUMP = Path(sys.executable).with_name("mitmdump")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"mitmdump did not listen on {port} (exit {proc.poll()})")


def _mitmdump(*args: str) -> subprocess.Popen[str]:
    script = ROOT / "proxy_addons" / "mitmdump_addon.py"
    return subprocess.Popen(
        [str(MITMDUMP), "--listen-host", "127.0.0.1", "-s", str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_mitmdump_with_plan_and_ledger_options(upstream: Upstream, tmp_path: Path) -> None:
    fault = {
        "id": "e",
        "kind": "http_error",
        "match": {"path": "/api/*"},
        "params": {"status": 429},
    }
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"seed": 1, "faults": [fault]}))
    port = _free_port()
    args = ["-q", "--mode", f"reverse:{upstream.url}", "-p", str(port)]
    args += ["--set", f"gymfuzz_plan={plan}", "--set", f"gymfuzz_ledger_dir={tmp_path / 'l'}"]
    with _mitmdump(*args) as proc:
        try:
            _wait_listening(port, proc)
            with httpx.Client(timeout=10) as client:
                hit = client.get(f"http://127.0.0.1:{port}/api/x").status_code
                miss = client.get(f"http://127.0.0.1:{port}/other").status_code
        finally:
            proc.terminate()
            proc.wait(20)
    assert (hit, miss) == (429, 200)
    responses = [
        r for r in read_ledger(tmp_path / "l" / "_default.jsonl") if r["type"] == "response"
    ]
    assert [r["status"] for r in responses] == [429, 200]


def test_mitmdump_rejects_a_bad_plan_naming_the_field(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"faults": [{"id": "x", "kind": "latency", "params": {}}]}))
    with _mitmdump("-p", str(_free_port()), "--set", f"gymfuzz_plan={plan}") as proc:
        try:
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode != 0
    assert f"gymfuzz_plan: {plan}.faults[0].params.ms: required field is missing" in out + err


def test_mitmdump_rejects_a_bad_app_host_naming_the_value() -> None:
    bad = "https://app.test"
    with _mitmdump("-p", str(_free_port()), "--set", f"gymfuzz_app_host={bad}") as proc:
        try:
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode != 0
    assert "gymfuzz_app_host: expected host names" in out + err and repr(bad) in out + err
