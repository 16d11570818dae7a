"""`SiteStateSource`: snapshots from the embedded site's admin state endpoint."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from scenarios.verify.state import State, StateSourceError, parse_state


class SiteStateSource:
    """Read a tenant's state from ``GET {base_url}/_admin/tenants/{tenant}/state``.

    The endpoint must answer 200 with the `State` JSON itself (table -> primary key -> row),
    and requires the admin token in the ``X-Admin-Token`` header. Anything else raises
    `StateSourceError` saying what came back.

    Args:
        base_url: the site's root, e.g. ``http://127.0.0.1:8000``.
        tenant: the tenant (one per episode) whose data to read.
        admin_token: the site's admin token.
        timeout: seconds to wait for the endpoint.
        transport: an httpx transport to use instead of the network (tests pass
            ``httpx.MockTransport`` or ``httpx.ASGITransport(app)``).
    """

    def __init__(
        self,
        base_url: str,
        tenant: str,
        admin_token: str,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        if not tenant:
            raise ValueError("tenant must be a non-empty string, got ''")
        if not admin_token:
            raise ValueError("admin_token must be a non-empty string")
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout!r}")
        self.url = f"{base_url.rstrip('/')}/_admin/tenants/{quote(tenant, safe='')}/state"
        self._token = admin_token
        self._timeout = timeout
        self._transport = transport

    def __repr__(self) -> str:
        # The token stays out of reprs and logs.
        return f"SiteStateSource({self.url!r})"

    async def snapshot(self) -> State:
        try:
            async with httpx.AsyncClient(transport=self._transport, timeout=self._timeout) as c:
                response = await c.get(self.url, headers={"X-Admin-Token": self._token})
        except httpx.HTTPError as exc:
            raise StateSourceError(f"could not read state from {self.url}: {exc!r}") from exc
        if response.status_code != 200:
            raise StateSourceError(
                f"state endpoint {self.url} answered {response.status_code}: "
                f"{response.text[:200]!r}"
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise StateSourceError(
                f"state endpoint {self.url} returned invalid JSON: {response.text[:200]!r}"
            ) from exc
        try:
            return parse_state(data, source="state endpoint")
        except ValueError as exc:
            raise StateSourceError(f"{exc} (from {self.url})") from exc
