"""Small tools shared by the real-proxy fault tests: plans, ledgers and curl."""

from __future__ import annotations

import subprocess
from typing import Any

from proxy_addons.embedded import EmbeddedProxy
from proxy_addons.ledger import read_ledger

from .conftest import episode_proxy


def plan(episode: str, *faults: dict[str, Any], seed: int = 11) -> dict[str, Any]:
    return {"episode": episode, "seed": seed, "faults": list(faults), "page_script": None}


def fault(kind: str, path: str = "/api/*", **params: Any) -> dict[str, Any]:
    return {"id": f"f-{kind}", "kind": kind, "match": {"path": path}, "params": params}


def records(proxy: EmbeddedProxy, episode: str | None, kind: str) -> list[dict[str, Any]]:
    path = proxy.ledger_path(episode)
    assert path is not None
    return [r for r in read_ledger(path) if r["type"] == kind]


def curl(proxy: EmbeddedProxy, episode: str, url: str, *extra: str) -> tuple[int, str]:
    """Run curl through the proxy as ``episode``; return its exit code and its body."""
    done = subprocess.run(
        ["curl", "-sS", "--max-time", "20", "--proxy", episode_proxy(proxy, episode), *extra, url],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.returncode, done.stdout
