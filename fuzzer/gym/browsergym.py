"""BrowserGym envs under gymfuzz: each episode's Playwright context goes through the proxy.

:class:`BrowserGymRouting` is what :func:`fuzzer.gym.wrap` uses for ``browsergym/...`` envs.
BrowserGym launches a new Chromium, context and page at every ``reset`` from the env's
``pw_context_kwargs``, so naming the episode is direct: before each reset the routing sets
``pw_context_kwargs["proxy"]`` to the gymfuzz proxy with the episode id as the username.

* **MiniWoB++ tasks** (``browsergym/miniwob.*``): the task pages of the ``miniwob`` package
  are served on 127.0.0.1 and given to the task as its ``base_url`` (Playwright does not
  bypass loopback for a context proxy). The verdict comes from the task's own raw reward,
  as for :mod:`fuzzer.gym.miniwob`. BrowserGym's own task timer (1000 s by default) is kept,
  and raised to :func:`~fuzzer.gym.miniwob.task_timer_ms` when a task was given a lower one.
* **The system Chromium for every browser BrowserGym opens**, its chat window included:
  BrowserGym pins an older Playwright whose own Chromium build may not be installed. When
  that build is missing, :func:`use_system_chromium` points ``PLAYWRIGHT_BROWSERS_PATH`` at
  a gymfuzz folder where that build's path leads to the system Chromium; nothing in
  site-packages is changed. It runs at wrap time; Playwright reads the variable when it
  starts, once per process, so wrap (or call it) before the process's first BrowserGym reset.

BrowserGym pins ``playwright==1.44``, older than gymfuzz's, so it lives in its own virtualenv:
``scripts/browsergym-venv`` makes ``.gymfuzz/browsergym-venv`` with both installed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, SupportsFloat

from fuzzer.gym.miniwob import reward_verdict, serve_html, task_timer_ms
from fuzzer.gym.routing import RoutingError

if TYPE_CHECKING:
    import gymnasium

    from proxy_addons.embedded import EmbeddedProxy
    from scenarios.model import Scenario

_READ_EVENTS = "() => (window.__gymfuzz && window.__gymfuzz.events) || []"
_SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _playwright_chromium_revision() -> str:
    import playwright

    browsers = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    data = json.loads(browsers.read_text(encoding="utf-8"))
    return str(next(b["revision"] for b in data["browsers"] if b["name"] == "chromium"))


def use_system_chromium(folder: Path | None = None) -> Path | None:
    """Make Playwright launch the system Chromium when its own build is missing.

    Returns the browsers folder now in ``PLAYWRIGHT_BROWSERS_PATH``, or ``None`` when
    Playwright's own build is there (nothing changed). Raises :class:`RoutingError` when
    neither exists.
    """
    revision = _playwright_chromium_revision()
    current = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(
        Path.home() / ".cache/ms-playwright"
    )
    if (Path(current) / f"chromium-{revision}" / "chrome-linux" / "chrome").exists():
        return None
    system = next(filter(None, map(shutil.which, _SYSTEM_NAMES)), None)
    system = os.environ.get("GYMFUZZ_CHROMIUM") or system
    if not system:
        raise RoutingError("BrowserGym: no Chromium (install chromium, or set GYMFUZZ_CHROMIUM)")
    folder = folder or Path.home() / ".cache" / "gymfuzz" / "playwright-browsers"
    link = folder / f"chromium-{revision}" / "chrome-linux" / "chrome"
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(system)
    os.environ["PLAYWRIGHT_BROWSERS_PATH"] = str(folder)
    return folder


def _is_miniwob(base: Any) -> bool:
    spec = getattr(base, "spec", None)
    return str(getattr(spec, "id", "")).startswith("browsergym/miniwob.")


class BrowserGymRouting:
    """The :class:`~fuzzer.gym.routing.ProxyRouting` of BrowserGym envs (module docstring).

    Args:
        system_chromium: call :func:`use_system_chromium` at attach time.
    """

    #: the wrapper writes the verdict in the ledger
    records_verdict = False

    def __init__(self, *, system_chromium: bool = True) -> None:
        self.system_chromium = system_chromium
        self.timer_ms: int | None = None
        self._stack = contextlib.ExitStack()
        self._proxy_url = ""
        self._context_kwargs: dict[str, Any] = {}
        self._miniwob = False
        self._drill = False

    def attach(self, env: gymnasium.Env[Any, Any], proxy: EmbeddedProxy) -> None:
        base: Any = env.unwrapped
        kwargs = dict(getattr(base, "pw_context_kwargs", None) or {})
        if "proxy" in kwargs:
            raise RoutingError("env: pw_context_kwargs already has a proxy; gymfuzz sets it")
        if self.system_chromium:
            use_system_chromium()
        self._context_kwargs = kwargs
        self._proxy_url = proxy.url
        self._miniwob = _is_miniwob(base)
        self._drill = str(getattr(base.spec, "id", "")).startswith("browsergym/gymfuzz.")
        if self._miniwob:
            site = self._stack.enter_context(serve_html())
            base.task_kwargs = {**dict(base.task_kwargs or {}), "base_url": f"{site}/miniwob/"}

    def begin(self, env: gymnasium.Env[Any, Any], episode: str, scenario: Scenario) -> None:
        base: Any = env.unwrapped
        proxy = {"server": self._proxy_url, "username": episode, "password": "gymfuzz"}
        base.pw_context_kwargs = {**self._context_kwargs, "proxy": proxy}
        if self._drill:
            # A gymfuzz drill task plays the wrapper's scenario, on the episode's tenant.
            base.task_kwargs = {**dict(base.task_kwargs), "scenario": scenario, "episode": episode}
        given = (base.task_kwargs or {}).get("episode_max_time")
        if self._miniwob and given is not None:
            self.timer_ms = max(int(given), task_timer_ms(scenario, base_ms=int(given)))
            base.task_kwargs = {**dict(base.task_kwargs), "episode_max_time": self.timer_ms}

    def page_events(self, env: gymnasium.Env[Any, Any]) -> list[dict[str, Any]]:
        base: Any = env.unwrapped
        try:
            events = base.page.evaluate(_READ_EVENTS)
        except Exception:  # no page yet, or it is closing: nothing to read
            return []
        return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []

    def verdict(
        self, scenario: Scenario, env_reward: SupportsFloat, info: dict[str, Any]
    ) -> dict[str, Any]:
        task = info.get("task_info") or {}
        if isinstance(task.get("verdict"), dict):
            judged = task["verdict"]
            return {"source": "verifier", "outcome": "passed" if judged["passed"] else "failed",
                    **judged}  # fmt: skip
        raw = task.get("RAW_REWARD_GLOBAL")
        if not self._miniwob or raw is None:
            return {"source": "env_reward", "passed": float(env_reward) > 0,
                    "outcome": "passed" if float(env_reward) > 0 else "failed",
                    "env_reward": float(env_reward)}  # fmt: skip
        return reward_verdict(float(raw), task.get("REWARD_REASON"), self.timer_ms)

    def harness_errors(self) -> tuple[type[BaseException], ...]:
        from playwright.sync_api import Error

        return (Error,)

    def close(self) -> None:
        self._stack.close()
