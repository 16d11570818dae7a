"""``gymfuzz proxy`` given scenarios: their page perturbations are installed, not dropped."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from proxy_addons.ledger import read_ledger
from tests.cli import command

from .conftest import Upstream
from .procs import free_port, running

pytestmark = pytest.mark.proxy

TOKEN = "scenario-token"
SCENARIO: dict[str, Any] = {
    "id": "s1",
    "drill": "outside",
    "seed": 4,
    "goal": {"text": "Read the page."},
    "verifier": {},
    "faults": [
        {
            "id": "banner",
            "layer": "page",
            "kind": "late_banner",
            "target": {"selector": "body"},
            "trigger": {"event": "load"},
        },
        {"id": "slow", "layer": "network", "kind": "latency", "params": {"ms": 1}},
    ],
}


def _plan_record(ledgers: Path, name: str) -> dict[str, Any]:
    plans = [r for r in read_ledger(ledgers / f"{name}.jsonl") if r["type"] == "plan"]
    return plans[-1]


def test_scenarios_given_to_the_command_and_the_control_api_keep_their_page_perturbations(
    upstream: Upstream, tmp_path: Path
) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO))
    ledgers = tmp_path / "ledgers"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = ["proxy", "--upstream", upstream.url, "--listen-port", str(port)]
    args += ["--plan", str(scenario), "--ledger", str(ledgers), "--control-token", TOKEN]
    auth = {"authorization": f"Bearer {TOKEN}"}
    named = {"proxy-authorization": "Basic " + base64.b64encode(b"ep-s:x").decode()}
    bad = {**SCENARIO, "faults": [{**SCENARIO["faults"][0], "kind": "no_such_kind"}]}
    ready = f"{base}/__gymfuzz/control/health"
    with running(command(*args), ready_url=ready), httpx.Client(timeout=60) as client:
        default_page = client.get(f"{base}/page").text
        put = client.put(f"{base}/__gymfuzz/control/plans/ep-s", json=SCENARIO, headers=auth)
        named_page = client.get(f"{base}/page", headers=named).text
        refused = client.put(f"{base}/__gymfuzz/control/plans/ep-s", json=bad, headers=auth)
    assert 'data-gymfuzz="runtime"' in default_page and "late_banner" in default_page
    assert put.status_code == 204
    assert '"episode":"ep-s"' in named_page and "late_banner" in named_page
    assert refused.status_code == 400 and "no_such_kind" in refused.json()["error"]
    for name in ("_default", "ep-s"):
        record = _plan_record(ledgers, name)
        assert record["page_script_sha256"] is not None
        assert [f["id"] for f in record["faults"]] == ["slow"]
