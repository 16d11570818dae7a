"""Reference agents and the agent interface.

``AGENTS[name]()`` builds a reference agent: ``naive``, ``careful`` or ``noop``. Any object
with ``name`` and ``async run(page, task) -> AgentOutcome`` is an agent (see
:mod:`fuzzer.agents.base`); :func:`resolve_agent` also accepts ``module:attr``, a class or a
zero-argument factory of your own, so ``gymfuzz run --agent mypkg.agents:MyAgent`` works.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from fuzzer.agents.base import Agent, AgentError, AgentOutcome, Task


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


def _current_directory_importable(module_name: str) -> None:
    """Find modules in the current directory, as ``python -m`` does (the ``gymfuzz`` script
    alone does not put it on ``sys.path``). A module of the same name imported earlier from
    elsewhere (another example's ``agents``, in one process) gives way to the one here."""
    cwd = os.getcwd()
    if "" not in sys.path and sys.path[:1] != [cwd]:
        if cwd in sys.path:
            sys.path.remove(cwd)
        sys.path.insert(0, cwd)
    top = module_name.split(".", 1)[0]
    here = Path(cwd) / f"{top}.py", Path(cwd) / top / "__init__.py"
    loaded = sys.modules.get(top)
    if loaded is None or not any(path.is_file() for path in here):
        return
    origin = getattr(loaded, "__file__", None)
    if origin is None or Path(origin).resolve() not in {path.resolve() for path in here}:
        for name in [n for n in sys.modules if n == top or n.startswith(top + ".")]:
            del sys.modules[name]


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
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(
            f"--agent: unknown agent {spec!r}; use one of {', '.join(AGENTS)} or module:attr"
        )
    _current_directory_importable(module_name)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(f"--agent: cannot import {module_name!r} ({exc})") from None
    factory = getattr(module, attr, None)
    if not callable(factory):
        raise ValueError(f"--agent: {module_name!r} has no callable {attr!r}")
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
