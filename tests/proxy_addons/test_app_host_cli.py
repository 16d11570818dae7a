"""``gymfuzz proxy --app-host``: the forward proxy's app named on the command line."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.cli import command

from .conftest import Upstream

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app-host", "http://app.test"], "--app-host: expected host names"),
        (["--passthrough-other-hosts"], "--passthrough-other-hosts: needs --app-host"),
        (
            ["--app-host", "app.test", "--upstream", "http://127.0.0.1:9"],
            "--app-host 'app.test': forward mode only",
        ),
    ],
)
def test_bad_app_host_is_a_usage_error(args: list[str], message: str) -> None:
    proc = subprocess.run(
        command("proxy", *args), cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.proxy
def test_only_the_named_app_gets_the_default_plan(
    upstream: Upstream, other_upstream: Upstream, tmp_path: Path
) -> None:
    fault = {
        "id": "e",
        "kind": "http_error",
        "match": {"path": "/api/*"},
        "params": {"status": 503},
    }
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"seed": 1, "faults": [fault]}))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["--listen-port", str(port), "--plan", str(plan), "--confdir", str(tmp_path / "m")]
    with subprocess.Popen(
        command("proxy", *args, "--app-host", "127.0.0.2"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            banner = [proc.stdout.readline()]
            while banner[-1] and not banner[-1].startswith("  control:"):
                banner.append(proc.stdout.readline())
            with httpx.Client(proxy=f"http://127.0.0.1:{port}", timeout=10) as client:
                statuses = [
                    client.get(f"{u.url}/api/x").status_code for u in (upstream, other_upstream)
                ]
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(20)
    assert "  app: 127.0.0.2 (other hosts untouched)\n" in banner
    assert statuses == [200, 503]
