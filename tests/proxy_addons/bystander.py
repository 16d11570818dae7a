"""Another episode's traffic, kept flowing while a test attacks the proxy."""

from __future__ import annotations

import threading
import time
from types import TracebackType

import httpx

from proxy_addons.embedded import EmbeddedProxy

from .conftest import Upstream, episode_proxy

#: generous: the machine is shared and noisy; a stalled proxy takes seconds to minutes
BOUND_S = 10.0


class Bystander:
    """A client of episode ``bystander`` fetching ``/api/bystander/<n>`` until stopped."""

    def __init__(self, proxy: EmbeddedProxy, upstream: Upstream) -> None:
        self._url = f"{upstream.url}/api/bystander"
        self._proxy = episode_proxy(proxy, "bystander")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        #: (status or the error's name, seconds taken) of each request
        self.results: list[tuple[int | str, float]] = []

    def _run(self) -> None:
        with httpx.Client(proxy=self._proxy, timeout=60) as client:
            n = 0
            while not self._stop.is_set() or n < 3:
                t0 = time.monotonic()
                try:
                    status: int | str = client.get(f"{self._url}/{n}").status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                self.results.append((status, time.monotonic() - t0))
                n += 1
                time.sleep(0.02)

    def __enter__(self) -> Bystander:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(120)

    def check(self) -> None:
        """Every request was answered by the app, none waited past :data:`BOUND_S`."""
        assert len(self.results) >= 3
        assert {status for status, _ in self.results} == {200}, self.results
        slowest = max(seconds for _, seconds in self.results)
        assert slowest < BOUND_S, f"a bystander request waited {slowest:.1f} s"


def app_saw_gymfuzz(upstream: Upstream, *secrets: str) -> list[str]:
    """The requests the app received that were meant for the proxy, or that carry a secret."""
    from proxy_addons.reserved import is_reserved

    leaked = []
    with upstream.lock:
        seen = list(upstream.seen)
    for method, path, headers in seen:
        text = " ".join(f"{k}: {v}" for k, v in headers.items())
        if is_reserved(path) or "gymfuzz" in path.lower() or any(s in text for s in secrets):
            leaked.append(f"{method} {path}")
    return leaked
