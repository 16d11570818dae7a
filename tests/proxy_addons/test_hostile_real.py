"""Hostile input through a real mitmproxy: sealed own paths, no stall, no exhaustion.

Each test attacks the proxy while another episode's client keeps fetching from the app, and
asserts what the app received (nothing of the attack) and that the other episode's requests
kept flowing.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from proxy_addons.embedded import EmbeddedProxy
from proxy_addons.ledger import DEFAULT_OPEN_FILES
from proxy_addons.plan import PlanError
from proxy_addons.reserved import MAX_EVENT_BYTES, MAX_PLAN_BYTES

from .bystander import Bystander, app_saw_gymfuzz
from .conftest import Upstream, episode_proxy
from .faultkit import records

pytestmark = pytest.mark.proxy

TOKEN = "control-token-7f3a"
AUTH = {"authorization": f"Bearer {TOKEN}"}
JSON = {"content-type": "application/json"}


@pytest.fixture
def sproxy(upstream: Upstream, tmp_path: Path) -> Iterator[EmbeddedProxy]:
    with EmbeddedProxy(
        upstream=upstream.url, ledger_dir=tmp_path / "ledgers", control_token=TOKEN
    ) as p:
        yield p


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _nested_objects(depth: int) -> bytes:
    return (b'{"a":' * depth) + b"1" + (b"}" * depth)


# (name, method, path, headers, body, expected status, words in the one-line reason)
CASES: list[tuple[str, str, str, Any, Any, int, str]] = [
    ("deep array event", "POST", "events", JSON, _nested(20_000), 400, "nested deeper"),
    ("deep object event", "POST", "events", JSON, _nested_objects(40), 400, "nested deeper"),
    ("event not JSON", "POST", "events", JSON, b"{nope", 400, "not JSON"),
    ("event too large", "POST", "events", JSON, b" " * (MAX_EVENT_BYTES + 1), 413, "limit"),
    ("chunked event", "POST", "events", JSON, iter([b'{"a":', b"1}"]), 411, "Content-Length"),
    ("event by GET", "GET", "events", {}, None, 405, "POST"),
    (
        "non-ASCII credential",
        "PUT",
        "control/plans/ep",
        [(b"authorization", b"Bearer \xff\xfe" + TOKEN.encode()), (b"content-type", b"json")],
        b"{}",
        401,
        "token",
    ),
    ("deep plan", "PUT", "control/plans/ep", AUTH, _nested(30_000), 400, "nested deeper"),
    ("plan too large", "PUT", "control/plans/ep", AUTH, b" " * (MAX_PLAN_BYTES + 1), 413, "limit"),
    ("failing handler", "GET", "control/ledger/boom", AUTH, None, 500, "failed to answer"),
    ("unknown path", "GET", "nothing-here", {}, None, 404, "unknown gymfuzz path"),
]


@pytest.mark.parametrize(
    ("method", "path", "headers", "body", "status", "reason"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_own_paths_are_answered_by_the_proxy_and_never_reach_the_app(
    sproxy: EmbeddedProxy,
    upstream: Upstream,
    tmp_path: Path,
    method: str,
    path: str,
    headers: Any,
    body: Any,
    status: int,
    reason: str,
) -> None:
    (tmp_path / "ledgers" / "boom.jsonl").mkdir(parents=True)  # a ledger that cannot be read
    routes = [  # the reverse listener, then the forward one as a named episode
        (sproxy.reverse_url, None),
        (upstream.url, episode_proxy(sproxy, "attacker")),
    ]
    with Bystander(sproxy, upstream) as bystander:
        for base, proxy_url in routes[:1] if isinstance(body, Iterator) else routes:
            with httpx.Client(proxy=proxy_url, timeout=60) as client:
                resp = client.request(
                    method, f"{base}/__gymfuzz/{path}", headers=headers, content=body
                )
            assert resp.status_code == status, resp.text
            assert reason in resp.text and resp.text.strip().count("\n") == 0
    bystander.check()
    assert app_saw_gymfuzz(upstream, TOKEN) == []


@pytest.mark.parametrize(
    "spelling", ["/%5F%5Fgymfuzz/control/health", "/__GYMFUZZ/control/health", "//__gymfuzz/x"]
)
def test_other_spellings_of_the_reserved_prefix_are_sealed_too(
    sproxy: EmbeddedProxy, upstream: Upstream, spelling: str
) -> None:
    resp = httpx.get(f"{sproxy.reverse_url}{spelling}", headers=AUTH, timeout=60)
    assert resp.status_code == 404 and resp.text.startswith("gymfuzz: unknown gymfuzz path")
    assert app_saw_gymfuzz(upstream, TOKEN) == []


def test_a_backtracking_pattern_does_not_stall_the_proxy(
    sproxy: EmbeddedProxy, upstream: Upstream
) -> None:
    # With a backtracking engine this path meets ^/api/(a+)+$ in ~2**60 steps.
    evil = {"id": "e", "kind": "http_error", "match": {"path": "re:^/api/(a+)+$"}}
    sproxy.set_plan(
        {"episode": "victim", "seed": 1, "faults": [{**evil, "params": {"status": 503}}]}
    )
    with (
        Bystander(sproxy, upstream) as bystander,
        httpx.Client(proxy=episode_proxy(sproxy, "victim"), timeout=60) as client,
    ):
        for _ in range(3):
            assert client.get(f"{upstream.url}/api/{'a' * 60}b").status_code == 200
        assert client.get(f"{upstream.url}/api/aaaa").status_code == 503  # it still matches
    bystander.check()


def test_patterns_that_need_backtracking_are_refused_at_plan_load(sproxy: EmbeddedProxy) -> None:
    backref = {
        "id": "b",
        "kind": "http_error",
        "match": {"path": r"re:^/(a)\1$"},
        "params": {"status": 503},
    }
    with pytest.raises(PlanError, match=r"faults\[0\]\.match\.path: .*RE2 syntax.*\\1"):
        sproxy.set_plan({"episode": "x", "seed": 1, "faults": [backref]})


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_many_episode_names_keep_the_open_files_bounded(
    sproxy: EmbeddedProxy, upstream: Upstream
) -> None:
    names = [f"ep-{i:04d}" for i in range(DEFAULT_OPEN_FILES + 200)]
    before = _open_fds()
    # One client, one connection: each request names another episode.
    with Bystander(sproxy, upstream) as bystander, httpx.Client(proxy=sproxy.url) as client:
        for name in names:
            resp = client.get(f"{upstream.url}/api/x", headers=_credentials(name))
            assert resp.status_code == 200
        grown = _open_fds() - before
        # the first episode's ledger was closed long ago; a new request reopens it
        again = client.get(f"{upstream.url}/api/again", headers=_credentials(names[0]))
        assert again.status_code == 200
    bystander.check()
    assert sproxy.registry.files.count() <= DEFAULT_OPEN_FILES
    assert grown < DEFAULT_OPEN_FILES + 30, f"{grown} more descriptors open"
    assert [r["path"] for r in records(sproxy, names[0], "request")] == ["/api/x", "/api/again"]
    path = sproxy.ledger_path(names[0])
    assert path is not None
    seqs = [json.loads(line)["seq"] for line in path.read_text().splitlines()]
    assert seqs == list(range(len(seqs)))


def test_many_episode_names_keep_the_episodes_held_bounded(
    sproxy: EmbeddedProxy, upstream: Upstream
) -> None:
    sproxy.registry.max_unplanned = 50  # the default is 4096: the same bound, sooner
    with Bystander(sproxy, upstream) as bystander, httpx.Client(proxy=sproxy.url) as client:
        for i in range(300):
            resp = client.get(f"{upstream.url}/api/x", headers=_credentials(f"name-{i:03d}"))
            assert resp.status_code == 200
        held = sproxy.registry.count()
    bystander.check()
    assert held <= 50 + 1, held  # the strangers, and the bystander's own planned episode
    assert sproxy.registry.peek("name-299") is not None
    assert sproxy.registry.peek("name-000") is None
    # a forgotten name's ledger keeps what it saw
    assert [r["path"] for r in records(sproxy, "name-000", "request")] == ["/api/x"]


def _credentials(episode: str) -> dict[str, str]:
    token = base64.b64encode(f"{episode}:x".encode()).decode()
    return {"proxy-authorization": f"Basic {token}"}


def test_a_large_plan_is_validated_without_holding_traffic(
    sproxy: EmbeddedProxy, upstream: Upstream
) -> None:
    fault = {"kind": "latency", "match": {"path": "/api/never/*"}, "params": {"ms": 1}}
    faults = [{**fault, "id": f"f{i}"} for i in range(12_000)]
    body = json.dumps({"seed": 1, "faults": faults}).encode()
    assert len(body) < MAX_PLAN_BYTES
    base = f"{sproxy.reverse_url}/__gymfuzz/control/plans"
    with Bystander(sproxy, upstream) as bystander, httpx.Client(timeout=120) as client:
        assert client.put(f"{base}/big", content=body, headers=AUTH).status_code == 204
    bystander.check()
    state = sproxy.registry.peek("big")
    assert state is not None and len(state.plan.faults) == 12_000
