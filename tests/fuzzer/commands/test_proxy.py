"""``gymfuzz proxy``, run as a user runs it (a subprocess), with a real client."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.cli import command, gymfuzz
from tests.proxy_addons.conftest import Upstream

ROOT = Path(__file__).resolve().parents[3]
ERROR_503 = {
    "id": "down",
    "kind": "http_error",
    "match": {"path": "/api/*"},
    "params": {"status": 503, "retry_after": 3},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _gymfuzz(*args: str) -> subprocess.CompletedProcess[str]:
    return gymfuzz("proxy", *args, timeout=60)


@contextmanager
def _running(*args: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    with subprocess.Popen(
        command("proxy", *args),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            lines = [proc.stdout.readline()]  # the banner ends with the control line
            while lines[-1] and not lines[-1].startswith("  control:"):
                lines.append(proc.stdout.readline())
            yield proc, lines
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
            try:
                proc.wait(20)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(5)


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    up = Upstream()
    try:
        yield up
    finally:
        up.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "No such file or directory"),
        ("{", "not one JSON object"),
        ("[1]", "expected a JSON object, got list"),
        (
            json.dumps({"seed": 1, "faults": [{**ERROR_503, "params": {"status": 99}}]}),
            ".faults[0].params.status: 99 is less than 400",
        ),
    ],
)
def test_bad_plan_file_is_a_usage_error(tmp_path: Path, content: str | None, message: str) -> None:
    plan = tmp_path / "plan.json"
    if content is not None:
        plan.write_text(content)
    proc = _gymfuzz("--upstream", "http://127.0.0.1:9", "--plan", str(plan))
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and str(plan) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_bad_upstream_and_port_are_usage_errors() -> None:
    proc = _gymfuzz("--upstream", "ftp://x")
    assert proc.returncode == 2 and "expected an http:// or https:// URL" in proc.stderr
    proc = _gymfuzz("--listen-port", "70000")
    assert proc.returncode == 2 and "must be 0 to 65535, got 70000" in proc.stderr


@pytest.mark.proxy
def test_reverse_mode_with_plan_ledger_and_control(upstream: Upstream, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"seed": 4, "faults": [ERROR_503]}))
    port = _free_port()
    args = ["--upstream", upstream.url, "--listen-port", str(port), "--plan", str(plan)]
    args += ["--ledger", str(tmp_path / "ledgers"), "--control-token", "tok"]
    with _running(*args) as (proc, lines):
        what = f"reverse proxy in front of {upstream.url} at http://127.0.0.1:{port}"
        assert lines[0] == f"gymfuzz proxy: {what}\n"
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(timeout=10) as client:
            failed = client.get(f"{base}/api/x")
            fine = client.get(f"{base}/other")
            ledger = client.get(
                f"{base}/__gymfuzz/control/ledger/_default", headers={"authorization": "Bearer tok"}
            )
        proc.send_signal(signal.SIGINT)
        assert proc.wait(20) == 0
    assert (failed.status_code, failed.headers["retry-after"]) == (503, "3")
    assert fine.json() == {"path": "/other"}
    kinds = [json.loads(line)["type"] for line in ledger.text.splitlines()]
    assert kinds[0] == "plan" and kinds.count("response") == 2
    assert (tmp_path / "ledgers" / "_default.jsonl").exists()
    assert [p for _, p, _ in upstream.seen] == ["/other"]


@pytest.mark.proxy
def test_forward_mode_prints_the_ca_and_serves_episodes(upstream: Upstream, tmp_path: Path) -> None:
    port = _free_port()
    confdir = tmp_path / "mitm"
    with _running("--listen-port", str(port), "--confdir", str(confdir)) as (proc, lines):
        out = "".join(lines)
        assert f"forward proxy at http://127.0.0.1:{port}" in out
        cert = confdir / "mitmproxy-ca-cert.pem"
        assert f"--cacert {cert}" in out and cert.exists()
        with httpx.Client(proxy=f"http://127.0.0.1:{port}", timeout=10) as client:
            assert client.get(f"{upstream.url}/api/x").json() == {"path": "/api/x"}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
