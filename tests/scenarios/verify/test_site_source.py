from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from scenarios.verify import SiteStateSource, StateSource, StateSourceError, judge, load_spec

TOKEN = "s3cret"


def _site(tenants: dict[str, Any]) -> Starlette:
    """A stand-in for the embedded site's admin state endpoint."""

    async def state(request: Request) -> JSONResponse:
        if request.headers.get("x-admin-token") != TOKEN:
            return JSONResponse({"error": "bad admin token"}, status_code=403)
        tenant = request.path_params["tenant"]
        if tenant not in tenants:
            return JSONResponse({"error": "no such tenant"}, status_code=404)
        return JSONResponse(tenants[tenant])

    return Starlette(routes=[Route("/_admin/tenants/{tenant}/state", state)])


async def test_snapshots_from_the_site_judge_an_episode() -> None:
    tenants: dict[str, Any] = {"ep 1": {"bookings": {}}}
    source = SiteStateSource(
        "http://site/", "ep 1", TOKEN, transport=httpx.ASGITransport(app=_site(tenants))
    )
    assert isinstance(source, StateSource)
    assert source.url == "http://site/_admin/tenants/ep%201/state"
    before = await source.snapshot()
    tenants["ep 1"] = {"bookings": {"7": {"id": 7, "date": "2026-12-14"}}}
    after = await source.snapshot()
    spec = load_spec(
        {
            "required": [{"name": "booked", "table": "bookings", "op": "added", "count": 1}],
            "allowed": [{"name": "book", "table": "bookings", "ops": ["added"]}],
        }
    )
    assert judge(spec, before, after, escalated=False).passed


async def test_a_refused_request_names_the_status_and_body() -> None:
    source = SiteStateSource(
        "http://site", "t", "wrong", transport=httpx.ASGITransport(app=_site({"t": {}}))
    )
    with pytest.raises(
        StateSourceError,
        match=re.escape(
            "state endpoint http://site/_admin/tenants/t/state answered 403: "
            '\'{"error":"bad admin token"}\''
        ),
    ):
        await source.snapshot()


def _mock(response: httpx.Response) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: response)


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            httpx.Response(200, json={"bookings": [{"id": 1}]}),
            "state endpoint returned table 'bookings' as an array, "
            "expected an object keyed by primary key (from http://site/_admin/tenants/t/state)",
        ),
        (
            httpx.Response(200, json=[]),
            "state endpoint returned an array, expected an object keyed by table name",
        ),
        (
            httpx.Response(200, text="<html>"),
            "state endpoint http://site/_admin/tenants/t/state returned invalid JSON: '<html>'",
        ),
        (httpx.Response(500, text="boom"), "answered 500: 'boom'"),
    ],
)
async def test_bad_answers_say_what_came_back(response: httpx.Response, message: str) -> None:
    source = SiteStateSource("http://site", "t", TOKEN, transport=_mock(response))
    with pytest.raises(StateSourceError, match=re.escape(message)):
        await source.snapshot()


async def test_an_unreachable_site_is_a_state_source_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    source = SiteStateSource("http://site", "t", TOKEN, transport=httpx.MockTransport(refuse))
    with pytest.raises(StateSourceError, match="could not read state from http://site/"):
        await source.snapshot()


async def test_the_admin_token_is_sent_and_never_shown() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    source = SiteStateSource("https://site", "t", TOKEN, transport=httpx.MockTransport(answer))
    assert await source.snapshot() == {}
    assert seen[0].headers["X-Admin-Token"] == TOKEN
    assert seen[0].method == "GET"
    assert TOKEN not in repr(source)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("site:80", "t", "k"), "base_url must start with http:// or https://, got 'site:80'"),
        (("http://site", "", "k"), "tenant must be a non-empty string"),
        (("http://site", "t", ""), "admin_token must be a non-empty string"),
    ],
)
def test_bad_arguments_are_rejected(args: tuple[str, str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        SiteStateSource(*args)
