"""How a wrapped env's browser reaches the gymfuzz proxy: one :class:`ProxyRouting` per family.

Envs launch their browsers in their own ways (Selenium for MiniWoB++, Playwright for
BrowserGym), so routing them through the proxy, naming each episode to it, and reading the
env's own outcome differ per family. A routing implements these steps, called by
:class:`~fuzzer.gym.wrapper.GymfuzzWrapper`:

``attach(env, proxy)``
    once, at wrap time: make the env's browser go through ``proxy`` (relaunching it if
    needed) and serve its pages from where the proxy can reach them.
``begin(env, episode, scenario)``
    at each reset, before the env's first navigation of the episode: name ``episode`` to
    the proxy and (re)load the page so that it gets the episode's page runtime.
``page_events(env)``
    the page runtime's events so far (``[]`` when the page cannot be read).
``verdict(scenario, env_reward, info)``
    at termination: the verdict of the episode, as a JSON-able dict.
``harness_errors()``
    the exception types that mean the browser or driver failed (not the agent): a step
    raising one ends truncated, reported as a harness error.
``close()``
    release what ``attach`` started.
``records_verdict``
    ``True`` when the env writes the verdict in the episode's ledger itself (then the wrapper
    does not write it again); ``False`` for the env families whose verdict the wrapper writes.

:func:`routing_for` picks the routing of an env; :class:`RoutingError` says when none fits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, SupportsFloat

if TYPE_CHECKING:
    import gymnasium

    from proxy_addons.embedded import EmbeddedProxy
    from scenarios.model import Scenario


class RoutingError(ValueError):
    """The env cannot be routed through the proxy (unsupported family or setup)."""


class ProxyRouting(Protocol):
    """The per-family steps the wrapper needs (see the module docstring)."""

    records_verdict: bool

    def attach(self, env: gymnasium.Env[Any, Any], proxy: EmbeddedProxy) -> None: ...

    def begin(self, env: gymnasium.Env[Any, Any], episode: str, scenario: Scenario) -> None: ...

    def page_events(self, env: gymnasium.Env[Any, Any]) -> list[dict[str, Any]]: ...

    def verdict(
        self, scenario: Scenario, env_reward: SupportsFloat, info: dict[str, Any]
    ) -> dict[str, Any]: ...

    def harness_errors(self) -> tuple[type[BaseException], ...]: ...

    def close(self) -> None: ...


def routing_for(env: gymnasium.Env[Any, Any]) -> ProxyRouting:
    """The routing of ``env``'s family; :class:`RoutingError` naming the env if none fits."""
    unwrapped = env.unwrapped
    module = type(unwrapped).__module__
    if module.startswith("miniwob"):
        from fuzzer.gym.miniwob import MiniWoBRouting

        return MiniWoBRouting()
    if module.startswith("browsergym"):
        from fuzzer.gym.browsergym import BrowserGymRouting

        return BrowserGymRouting()
    raise RoutingError(
        f"env: no gymfuzz routing for {type(unwrapped).__module__}.{type(unwrapped).__name__}"
        " (supported: the Farama 'miniwob' package's envs and BrowserGym's); pass routing=..."
    )
