"""MiniWoB++ (the Farama ``miniwob`` package) under gymfuzz: Selenium's Chrome through the proxy.

:class:`MiniWoBRouting` is what :func:`fuzzer.gym.wrap` uses for ``miniwob/...`` envs. At wrap
time it

* serves the package's task pages over HTTP on 127.0.0.1 (``file://`` pages cannot go
  through a proxy), uncacheable (the browser lives across episodes, and each episode's
  requests must all pass the proxy, under that episode's plan), and points the env at them;
* relaunches the env's Chrome with ``--proxy-server`` set to an
  :class:`~fuzzer.gym.relay.EpisodeRelay` in front of the gymfuzz proxy and
  ``--proxy-bypass-list=<-loopback>`` (Chrome otherwise never proxies loopback). Chrome
  cannot send proxy credentials by itself; the relay adds the episode's to every request.
  The binaries are ``MINIWOB_CHROME_BINARY`` and ``MINIWOB_CHROMEDRIVER`` (set both, as the
  ``miniwob`` package requires), else ``chromium`` and ``chromedriver`` from ``PATH``
  (Debian: ``apt-get install chromium chromium-driver``).

At each reset it names the new episode to the relay and reloads the task page, so the page
gets that episode's page runtime before the task starts, and sets the task's timer
(``core.EPISODE_MAX_TIME``, 10 s in MiniWoB++) from :func:`task_timer_ms`: a scenario that
injects latency gets more time, so that the delay it adds is not turned into a timeout.

**Verdict.** A MiniWoB++ task has no backend to diff: its own reward is the ground truth.
The verdict is ``{"source": "env_reward", "passed": raw_reward > 0, "outcome", "env_reward",
"reason"}`` where ``outcome`` is ``passed``, ``failed``, or ``timeout`` when the task's timer
ran out (a limit of the harness, counted apart from the agent's failures).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import math
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, SupportsFloat

from fuzzer.browser import CHROMIUM_ARGS
from fuzzer.gym.relay import EpisodeRelay
from fuzzer.gym.routing import RoutingError

if TYPE_CHECKING:
    import gymnasium

    from proxy_addons.embedded import EmbeddedProxy
    from scenarios.model import Scenario

#: MiniWoB++'s own task time limit (``core.EPISODE_MAX_TIME``).
MINIWOB_TIMER_MS = 10_000
#: The longest timer :func:`task_timer_ms` sets.
MAX_TIMER_MS = 600_000
_SYNC_SCREEN = "sync-task-cover"
_READ_EVENTS = "return (window.__gymfuzz && window.__gymfuzz.events) || [];"


def html_root() -> Path:
    """The ``html`` folder shipped in the ``miniwob`` package."""
    import miniwob  # type: ignore[import-untyped]

    return Path(miniwob.__file__).resolve().parent / "html"


def task_timer_ms(scenario: Scenario, *, base_ms: int = MINIWOB_TIMER_MS, requests: int = 5) -> int:
    """The task timer for ``scenario``: ``base_ms`` plus, for each ``latency`` fault, its
    longest likely delay (``ms + jitter_ms``, or ``ms * e^(3 sigma)`` when lognormal, capped
    at its ``max_ms``) times ``requests``, the requests a task may wait on; at most
    :data:`MAX_TIMER_MS`."""
    extra = 0.0
    for fault in scenario.network_faults():
        if fault.get("kind") != "latency":
            continue
        p = fault.get("params", {})
        ms = float(p.get("ms", 0))
        if p.get("distribution") == "lognormal":
            worst = ms * math.exp(3 * float(p.get("sigma", 0.5)))
        else:
            worst = ms + float(p.get("jitter_ms", 0))
        extra += min(worst, float(p.get("max_ms", MAX_TIMER_MS))) * requests
    return int(min(MAX_TIMER_MS, base_ms + extra))


def chrome_paths() -> tuple[str, str]:
    """(Chrome binary, chromedriver) for MiniWoB++; :class:`RoutingError` says what is missing."""
    binary = os.environ.get("MINIWOB_CHROME_BINARY")
    driver = os.environ.get("MINIWOB_CHROMEDRIVER")
    if bool(binary) != bool(driver):
        raise RoutingError("MINIWOB_CHROME_BINARY and MINIWOB_CHROMEDRIVER: set both or neither")
    if binary and driver:
        return binary, driver
    found = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    found_driver = shutil.which("chromedriver")
    if not found or not found_driver:
        raise RoutingError(
            "MiniWoB++ needs Chromium and its chromedriver: set MINIWOB_CHROME_BINARY and "
            "MINIWOB_CHROMEDRIVER, or install them (apt-get install chromium chromium-driver)"
        )
    return found, found_driver


def reward_verdict(raw_reward: float, reason: Any, timer_ms: int | None) -> dict[str, Any]:
    """The verdict of a MiniWoB++ task from its raw reward and reason (module docstring)."""
    timed_out = reason == "timed out"
    return {
        "source": "env_reward",
        "passed": raw_reward > 0,
        "outcome": "timeout" if timed_out else "passed" if raw_reward > 0 else "failed",
        "env_reward": raw_reward,
        "reason": None if reason is None else str(reason),
        "timer_ms": timer_ms,
    }


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    # Keep-alive, like a real app server: the proxy keeps its upstream connections open.
    protocol_version = "HTTP/1.1"

    def end_headers(self) -> None:
        # The env's browser lives across episodes: a script or style it kept from an earlier
        # episode would never pass the proxy again, and a network fault on it would fire in
        # the first episode only. Every episode fetches every file afresh.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_html() -> contextlib.AbstractContextManager[str]:
    """Serve :func:`html_root` on 127.0.0.1 (a free port); yields the base URL."""
    return serve_folder(html_root())


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve the files of ``folder`` on 127.0.0.1 (a free port, never cached) in a thread
    until the block ends; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="static-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _proxied_instance(proxy_url: str, **kwargs: Any) -> Any:
    """A MiniWoB++ ``SeleniumInstance`` whose Chrome goes through ``proxy_url``."""
    from miniwob.selenium_instance import SeleniumInstance  # type: ignore[import-untyped]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    class ProxiedSeleniumInstance(SeleniumInstance):  # type: ignore[misc]
        def create_driver(self) -> None:
            binary, driver = chrome_paths()
            options = webdriver.ChromeOptions()
            options.binary_location = binary
            args = [
                *CHROMIUM_ARGS,
                f"--proxy-server={proxy_url}",
                "--proxy-bypass-list=<-loopback>",
            ]
            args.append("--headless=new" if self.headless else "--window-size=600,800")
            for arg in args:
                options.add_argument(arg)
            self.driver = webdriver.Chrome(service=Service(executable_path=driver), options=options)
            self.driver.implicitly_wait(5)
            # No page yet: each episode loads its page once the proxy knows the episode.
            self.inner_width, self.inner_height = self.driver.execute_script(
                "return [window.innerWidth, window.innerHeight];"
            )

    return ProxiedSeleniumInstance(index=0, **kwargs)


class MiniWoBRouting:
    """The :class:`~fuzzer.gym.routing.ProxyRouting` of MiniWoB++ envs (module docstring).

    Args:
        base_ms: the task timer without latency (MiniWoB++'s own: 10 s).
        requests: passed to :func:`task_timer_ms`.
    """

    #: the wrapper writes the verdict in the ledger
    records_verdict = False

    def __init__(self, *, base_ms: int = MINIWOB_TIMER_MS, requests: int = 5) -> None:
        if not 0 < base_ms <= MAX_TIMER_MS:
            raise ValueError(f"base_ms: expected 1 to {MAX_TIMER_MS}, got {base_ms!r}")
        if requests < 0:
            raise ValueError(f"requests: expected >= 0, got {requests!r}")
        self.base_ms = base_ms
        self.requests = requests
        self.timer_ms = base_ms
        self._stack = contextlib.ExitStack()
        self._relay: EpisodeRelay | None = None

    def attach(self, env: gymnasium.Env[Any, Any], proxy: EmbeddedProxy) -> None:
        base: Any = env.unwrapped
        subdomain = str(getattr(base, "subdomain", ""))
        if subdomain.startswith("flight."):
            raise RoutingError(f"env: MiniWoB++ task {subdomain!r}: flight tasks are not supported")
        site = self._stack.enter_context(serve_html())
        relay = self._relay = self._stack.enter_context(EpisodeRelay(proxy.url))
        kwargs = dict(base.instance_kwargs)
        kwargs["base_url"] = f"{site}/miniwob/"
        base.instance_kwargs = kwargs

        def hard_reset() -> None:
            # Replaces the env's own, so a crashed browser comes back through the proxy too.
            old = getattr(base, "instance", None)
            if old is not None:
                old.close()
            base.instance = _proxied_instance(relay.url, **kwargs)
            base.instance.start()
            base.instance.wait()

        base._hard_reset_instance = hard_reset
        hard_reset()

    def begin(self, env: gymnasium.Env[Any, Any], episode: str, scenario: Scenario) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.wait import WebDriverWait

        if self._relay is None:
            raise RuntimeError("MiniWoBRouting.begin: call attach() first")
        base: Any = env.unwrapped
        if getattr(base, "instance", None) is None or base.instance.died:
            base._hard_reset_instance()
        driver = base.instance.driver
        # Leave the last episode's page first: what it sends while unloading (the runtime's
        # last events) still goes out under the last episode's name.
        driver.get("about:blank")
        self._relay.episode = episode
        driver.get(base.instance.url)
        WebDriverWait(driver, 30).until(ec.element_to_be_clickable((By.ID, _SYNC_SCREEN)))
        self.timer_ms = task_timer_ms(scenario, base_ms=self.base_ms, requests=self.requests)
        driver.execute_script("core.EPISODE_MAX_TIME = arguments[0];", self.timer_ms)

    def page_events(self, env: gymnasium.Env[Any, Any]) -> list[dict[str, Any]]:
        from selenium.common.exceptions import WebDriverException

        try:
            unwrapped: Any = env.unwrapped
            events = unwrapped.instance.driver.execute_script(_READ_EVENTS)
        except (WebDriverException, AttributeError):
            return []
        return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []

    def verdict(
        self, scenario: Scenario, env_reward: SupportsFloat, info: dict[str, Any]
    ) -> dict[str, Any]:
        raw = info.get("raw_reward", env_reward)
        return reward_verdict(float(raw), info.get("reason"), self.timer_ms)

    def harness_errors(self) -> tuple[type[BaseException], ...]:
        from selenium.common.exceptions import WebDriverException

        return (WebDriverException,)

    def close(self) -> None:
        self._stack.close()
