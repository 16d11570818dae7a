"""``malformed``: the backend answers, but the client gets a body it cannot use.

``mode`` picks how it is broken:

* ``invalid_json``: the body is replaced by text that starts like JSON and does not parse
  (the first half of the real body followed by ``<!-- gymfuzz -->``); the status and content
  type stay, so ``response.json()`` fails.
* ``content_type``: the body is untouched but ``Content-Type`` becomes ``content_type``
  (``text/html`` by default), so a client that trusts the header mis-reads it.
* ``html_error_page``: a ``200`` with an HTML error page instead of the data, as a
  misconfigured load balancer sends.

Params:
    mode: ``invalid_json``, ``content_type`` or ``html_error_page``.
    content_type: the content type used by ``content_type`` mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow

ERROR_PAGE = (
    b"<!doctype html><html><head><title>Service unavailable</title></head>"
    b"<body><h1>Something went wrong</h1><p>Please try again later.</p></body></html>"
)


class MalformedParams(BaseModel):
    """Parameters of :class:`MalformedFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: Literal["invalid_json", "content_type", "html_error_page"] = "invalid_json"
    content_type: str = Field(default="text/html; charset=utf-8", min_length=1, max_length=200)


class MalformedFault(NetworkFault):
    """Spoil the response body or its type; see the module docstring."""

    kind: ClassVar[str] = "malformed"
    Params: ClassVar[type[BaseModel]] = MalformedParams
    params: MalformedParams

    def acts_on_response(self) -> bool:
        return True

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        resp = flow.response
        if resp is None:
            return {}
        mode = self.params.mode
        if mode == "content_type":
            original = resp.headers.get("content-type")
            resp.headers["content-type"] = self.params.content_type
            return {"mode": mode, "original_content_type": original}
        if mode == "html_error_page":
            resp.status_code = 200
            resp.headers["content-type"] = "text/html; charset=utf-8"
            resp.headers.pop("content-encoding", None)
            resp.content = ERROR_PAGE
        else:
            body = resp.get_content(strict=False) or b"{"
            resp.content = body[: max(1, len(body) // 2)] + b"<!-- gymfuzz -->"
        return {"mode": mode, "backend_status": resp.status_code}
