from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from fuzzer.agents import AGENTS, AgentOutcome, resolve_agent


class GoodAgent:
    name = "mine"

    async def run(self, page: object, task: object) -> AgentOutcome:
        return AgentOutcome()


class SyncAgent:
    name = "sync"

    def run(self, page: object, task: object) -> AgentOutcome:
        return AgentOutcome()


@pytest.fixture
def user_module(monkeypatch: pytest.MonkeyPatch) -> str:
    module = types.ModuleType("user_agents_for_test")
    module.GoodAgent = GoodAgent  # type: ignore[attr-defined]
    module.SyncAgent = SyncAgent  # type: ignore[attr-defined]
    module.needs_args = lambda x: GoodAgent()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module.__name__


def test_reference_agents_by_name() -> None:
    for name, factory in AGENTS.items():
        assert resolve_agent(name) is factory
        assert factory().name == name


def test_user_agent_by_module_attr(user_module: str) -> None:
    assert resolve_agent(f"{user_module}:GoodAgent")().name == "mine"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("clever", r"--agent: unknown agent 'clever'; use one of naive, careful, noop or"),
        ("no_such_module_xyz:A", r"--agent: cannot import 'no_such_module_xyz'"),
        ("{mod}:Missing", r"has no 'Missing'"),
        ("{mod}:SyncAgent", r"lacks a str name and async run"),
        ("{mod}:needs_args", r"must be callable without arguments"),
    ],
)
def test_bad_agent_specs(user_module: str, spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_agent(spec.format(mod=user_module))


def test_an_agent_module_in_the_current_directory_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_cwd_agents.py").write_text(
        "class Mine:\n"
        "    name = 'mine'\n\n"
        "    async def run(self, page, task):\n"
        "        return None\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    assert resolve_agent("my_cwd_agents:Mine")().name == "mine"


def test_an_agents_module_here_wins_over_one_of_the_same_name_imported_earlier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two examples, each with its own ``agents.py``, played in one process (as the tests
    do): each directory gets its own module, as ``python -m`` would give it."""
    for app in ("calendar", "tickets"):
        folder = tmp_path / app
        folder.mkdir()
        (folder / "agents.py").write_text(
            "class Agent:\n"
            f"    name = {app!r}\n"
            "    async def run(self, page, task):\n"
            "        return None\n"
        )
    monkeypatch.syspath_prepend(str(tmp_path))  # neither folder is on sys.path yet
    names = []
    for app in ("calendar", "tickets", "calendar"):
        monkeypatch.chdir(tmp_path / app)
        names.append(resolve_agent("agents:Agent")().name)
    assert names == ["calendar", "tickets", "calendar"]
    monkeypatch.delitem(sys.modules, "agents")


def test_an_agent_is_loaded_from_a_file_path(tmp_path: Path) -> None:
    folder = tmp_path / "drills" / "my-task"  # not an importable package name
    folder.mkdir(parents=True)
    (folder / "agent.py").write_text(
        "class Agent:\n"
        "    name = 'from-file'\n\n"
        "    async def run(self, page, task):\n"
        "        return None\n"
    )
    assert resolve_agent(f"{folder / 'agent.py'}:Agent")().name == "from-file"
    with pytest.raises(ValueError, match=r"--agent: no such file '.*nothere.py'"):
        resolve_agent(f"{folder / 'nothere.py'}:Agent")
