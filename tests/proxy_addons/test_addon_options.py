from __future__ import annotations

import httpx
import pytest

from proxy_addons.embedded import EmbeddedProxy

from .conftest import Upstream, episode_proxy


@pytest.mark.proxy
def test_episode_header_option_renames_the_header(upstream: Upstream) -> None:
    with (
        EmbeddedProxy(
            upstream=upstream.url, mitm_options={"gymfuzz_episode_header": "X-Tenant"}
        ) as proxy,
        httpx.Client(proxy=episode_proxy(proxy, "ep-9")) as client,
    ):
        client.get(f"{upstream.url}/api/x")
    [(_, _, headers)] = upstream.seen
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["x-tenant"] == "ep-9"
    assert "x-gymfuzz-episode" not in lowered
