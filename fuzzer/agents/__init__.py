"""Reference agents and the agent interface.

``AGENTS[name]()`` builds a reference agent: ``naive``, ``careful`` or ``noop``. Any object
with ``name`` and ``async run(page, task) -> AgentOutcome`` is an agent (see
:mod:`fuzzer.agents.base`); :func:`resolve_agent` also accepts ``module:attr`` (or
``path/to/file.py:attr``), a class or a zero-argument factory of your own, so ``gymfuzz run
--agent mypkg.agents:MyAgent`` works.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping

from fuzzer.agents.base import Agent, AgentError, AgentOutcome, Task
from fuzzer.loader import load_object


# The reference agents load Playwright; import them only when one is built, so that
# listing agent names (e.g. in ``gymfuzz --help``) stays light.
def _naive() -> Agent:
    from fuzzer.agents.naive import NaiveAgent

    return NaiveAgent()


def _careful() -> Agent:
    from fuzzer.agents.careful import CarefulAgent

    return CarefulAgent()


def _chat(options: Mapping[str, str]) -> Callable[[], Agent]:
    from fuzzer.agents.chat import ChatAgent

    ChatAgent.from_options(options)  # a missing endpoint fails before any episode
    return lambda: ChatAgent.from_options(options)


def _noop() -> Agent:
    from fuzzer.agents.noop import NoopAgent

    return NoopAgent()


AGENTS: Mapping[str, Callable[[], Agent]] = {"naive": _naive, "careful": _careful, "noop": _noop}


def resolve_agent(spec: str, options: Mapping[str, str] | None = None) -> Callable[[], Agent]:
    """The factory for ``spec``: a reference agent's name, ``chat`` (built from ``options``,
    the ``--agent-option`` values, see :mod:`fuzzer.agents.chat`) or ``module:attr``.

    Raises ``ValueError`` naming the option and the value when the module or attribute does
    not exist or does not build an agent (an object with ``name`` and an async ``run``).
    """
    if spec == "chat":
        return _chat(options or {})
    if spec in AGENTS:
        return AGENTS[spec]
    _, sep, attr = spec.partition(":")
    if not sep or not attr:
        raise ValueError(
            f"--agent: unknown agent {spec!r}; use one of {', '.join(AGENTS)} or module:attr"
        )
    factory = load_object(spec, "--agent")
    if not callable(factory):
        raise ValueError(f"--agent: {spec!r} is no callable")
    try:
        sample = factory()
    except TypeError as exc:
        raise ValueError(f"--agent: {spec} must be callable without arguments ({exc})") from None
    if not isinstance(getattr(sample, "name", None), str) or not inspect.iscoroutinefunction(
        getattr(sample, "run", None)
    ):
        raise ValueError(f"--agent: {spec} built {sample!r}, which lacks a str name and async run")
    built: Callable[[], Agent] = factory
    return built


__all__ = ["AGENTS", "Agent", "AgentError", "AgentOutcome", "Task", "resolve_agent"]
