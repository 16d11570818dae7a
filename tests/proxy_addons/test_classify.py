"""Resource types from request headers and from response content types."""

from __future__ import annotations

import pytest
from mitmproxy.http import Request
from mitmproxy.test import tutils

from proxy_addons.classify import Resource, classify, resource_of_content_type


def _req(method: str = "GET", path: str = "/path", **headers: str) -> Request:
    raw = tuple((k.replace("_", "-").encode(), v.encode()) for k, v in headers.items())
    return tutils.treq(method=method.encode(), path=path.encode(), headers=raw)


@pytest.mark.parametrize(
    ("method", "path", "headers", "expected"),
    [
        # Sec-Fetch-Dest wins over everything else.
        ("GET", "/x.js", {"sec_fetch_dest": "document"}, Resource("document", True)),
        ("GET", "/", {"sec_fetch_dest": "iframe"}, Resource("document", True)),
        ("GET", "/", {"sec_fetch_dest": "image", "accept": "text/html"}, Resource("asset", True)),
        ("GET", "/w.js", {"sec_fetch_dest": "worker"}, Resource("asset", True)),
        ("GET", "/x.css", {"sec_fetch_dest": "empty"}, Resource("fetch", True)),
        ("POST", "/r", {"sec_fetch_dest": "report"}, Resource("fetch", True)),
        # Without it, Accept tells what it can.
        ("GET", "/", {"accept": "text/html,application/xhtml+xml,*/*"}, Resource("document", True)),
        ("POST", "/form", {"accept": "text/html"}, Resource("fetch", True)),
        ("GET", "/p", {"accept": "image/avif,image/webp,*/*"}, Resource("asset", True)),
        ("GET", "/s", {"accept": "text/css,*/*;q=0.1"}, Resource("asset", True)),
        ("GET", "/a", {"accept": "application/json"}, Resource("fetch", True)),
        ("GET", "/a", {"accept": "application/vnd.api+json"}, Resource("fetch", True)),
        # Then the extension; then an unsure guess.
        ("GET", "/static/app.js?v=3", {"accept": "*/*"}, Resource("asset", True)),
        ("GET", "/font.woff2", {}, Resource("asset", True)),
        ("GET", "/download", {"accept": "*/*"}, Resource("fetch", False)),
        ("GET", "/api/x", {}, Resource("fetch", False)),
    ],
)
def test_classify_request(
    method: str, path: str, headers: dict[str, str], expected: tuple[str, bool]
) -> None:
    assert classify(_req(method, path, **headers)) == expected


@pytest.mark.parametrize(
    ("ctype", "method", "expected"),
    [
        ("text/html; charset=utf-8", "GET", "document"),
        ("text/html", "POST", "fetch"),
        ("image/png", "GET", "asset"),
        ("application/javascript", "GET", "asset"),
        ("text/css", "GET", "asset"),
        ("font/woff2", "GET", "asset"),
        ("application/json", "GET", "fetch"),
        ("application/problem+json", "post", "fetch"),
        ("text/plain", "GET", "fetch"),
        ("application/octet-stream", "GET", None),
        ("", "GET", None),
        (None, "GET", None),
    ],
)
def test_resource_of_content_type(ctype: str | None, method: str, expected: str | None) -> None:
    assert resource_of_content_type(ctype, method) == expected
