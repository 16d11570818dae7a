"""What the examples' ``gymfuzz record`` tests share: the example's target file without its
``ignore``, the gate of a recorded drill through the CLI, episodes grouped by agent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli import gymfuzz


def bare_target(example: Path, folder: Path) -> Path:
    """The example's target file without its ``ignore`` (the recording must find the app's
    own writes by itself), written into ``folder``, its ``cwd`` made absolute."""
    text = (example / "target.yaml").read_text().replace("cwd: .", f"cwd: {example}")
    path = folder / "target.yaml"
    path.write_text("\n".join(x for x in text.splitlines() if not x.startswith("ignore:")) + "\n")
    return path


def gate_recorded(drill: Path, target: Path, pack: Path, *, count: int, seed: int) -> str:
    """``gymfuzz generate`` ``count`` scenarios from the recorded drill, then ``gymfuzz gate``
    them with its replay agent on 2 workers; the gate's output (asserted to exit 0)."""
    made = gymfuzz(
        "generate", "--graph", str(drill / "graph.yaml"), "--count", str(count),
        "--seed", str(seed), "--out", str(pack), timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    gate = gymfuzz(
        "gate", str(pack), "--target", str(target), "--careful", f"{drill / 'agent.py'}:Agent",
        "--workers", "2", timeout=1200,
    )  # fmt: skip
    assert gate.returncode == 0, gate.stdout + gate.stderr
    return gate.stdout


async def replay_and_wrong_agents(
    scenarios: list[Any],
    agents: list[str],
    target: Path,
    ledgers: Path,
    *,
    goal: str,
    missing_goal: tuple[str, ...],
) -> dict[str, list[Any]]:
    """Play ``agents`` (the recorded drill's replay agent first, then wrong ones) on
    ``scenarios`` unperturbed; assert no harness error, the replay passing every one, every
    other agent failing every one, those named in ``missing_goal`` each with a rule starting
    with ``goal`` (the required row). The wrong agents' results by name, for the checks
    particular to each."""
    from fuzzer.play.runner import run_episodes
    from fuzzer.targets.choose import choose_targets

    results = await run_episodes(
        scenarios, agents, ["unperturbed"], ledger_dir=ledgers, targets=choose_targets(target)
    )
    assert all(r.harness_error is None for r in results), [r.summary for r in results]
    played: dict[str, list[Any]] = {}
    for r in results:
        played.setdefault(r.agent, []).append(r)
    assert all(r.passed for r in played.pop("replay")), [r.summary for r in results]
    for name, runs in played.items():
        for r in runs:
            assert not r.passed, (name, r.summary)
            if name in missing_goal:
                assert any(rule.startswith(goal) for rule in r.failed_rules), (name, r.summary)
    return played
