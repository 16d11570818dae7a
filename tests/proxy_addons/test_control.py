from __future__ import annotations

import json

import pytest

from proxy_addons.control import CONTROL_PREFIX, authorized, handle
from proxy_addons.episodes import EpisodeRegistry


def test_control_is_off_without_a_token() -> None:
    reply = handle("PUT", CONTROL_PREFIX + "plans/ep", {}, b"{}", EpisodeRegistry(None), "")
    assert reply.status == 403
    assert "no control token" in json.loads(reply.body)["error"]


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("Bearer t0k", True),
        ("bearer t0k", True),
        ("Bearer t0", False),
        ("Basic t0k", False),
        ("", False),
    ],
)
def test_authorized(header: str, ok: bool) -> None:
    assert authorized({"authorization": header}, "t0k") is ok


def test_default_plan_is_set_and_reset_by_name() -> None:
    reg = EpisodeRegistry(None)
    body = json.dumps({"seed": 4, "faults": [{"id": "r", "kind": "reset"}]}).encode()
    auth = {"authorization": "Bearer t"}
    assert handle("PUT", CONTROL_PREFIX + "plans/_default", auth, body, reg, "t").status == 204
    assert reg.default_plan.seed == 4 and len(reg.default_plan.faults) == 1
    assert reg.get("new-episode").plan is reg.default_plan
    assert handle("DELETE", CONTROL_PREFIX + "plans/_default", auth, b"", reg, "t").status == 204
    assert reg.default_plan.faults == ()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "plans/ep", 405), ("POST", "nothing/ep", 404), ("GET", "plans", 404)],
)
def test_unknown_calls(method: str, path: str, status: int) -> None:
    reply = handle(
        method,
        CONTROL_PREFIX + path,
        {"authorization": "Bearer t"},
        b"",
        EpisodeRegistry(None),
        "t",
    )
    assert reply.status == status
