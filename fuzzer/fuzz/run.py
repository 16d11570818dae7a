"""Run a campaign on the real harness into an output folder, resumably.

The folder holds::

    fuzz.json         the campaign's settings (a resumed run must match them)
    episodes.jsonl    every episode played, a standard results journal (gymfuzz report reads it)
    ledgers/          each episode's ledger (the coverage is read back from them on resume)
    report.json       what was found: search summary, certificates, classes
    pack/             the certified failures as a scenario pack, with provenance
    replays/<id>/     one pack per certified failure, to replay it alone

``resume`` continues a killed run: the search proposes the same scenarios again and the
journal answers those already played, so no episode is played twice. The drill, agent,
seed, strategy and workers must be the ones the folder was started with (they decide which
scenarios are proposed); the budgets may grow.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from fuzzer.fuzz.campaign import Campaign, CampaignSettings, run_campaign
from fuzzer.fuzz.export import export_pack, export_replay
from fuzzer.fuzz.play import HarnessRunner
from fuzzer.fuzz.space import SearchSpace
from fuzzer.play.episode import EpisodeResult
from fuzzer.targets.choose import TargetsFactory
from scenarios.drills.graph import GraphDrill

SETTINGS_FILE = "fuzz.json"
#: Settings a resumed run must share with the folder: they decide what the search proposes.
FIXED = ("drill", "graph_sha256", "agent", "seed", "strategy", "workers")


@dataclass
class FuzzRun:
    """A finished campaign and where its files are."""

    campaign: Campaign
    space: SearchSpace
    settings: CampaignSettings
    out: Path
    played: int
    used: int

    @property
    def pack(self) -> Path:
        return self.out / "pack"

    def replay_pack(self, scenario_id: str) -> Path:
        return self.out / "replays" / scenario_id


def load_drill(drill: str | None, graph: Path | None) -> tuple[GraphDrill, dict[str, Any]]:
    """The drill to fuzz (a built-in name or a workflow graph file) and how to name it."""
    from scenarios.generate import get_drill
    from scenarios.pack import sha256_file
    from scenarios.workflow_spec import load_workflow

    if (drill is None) == (graph is None):
        raise ValueError("--drill or --graph: give exactly one of them")
    if graph is not None:
        spec = load_workflow(graph)
        return GraphDrill(spec), {"drill": spec.name, "graph_sha256": sha256_file(graph)}
    assert drill is not None
    return get_drill(drill), {"drill": drill, "graph_sha256": None}


def _check_folder(out: Path, recorded: dict[str, Any], resume: bool) -> None:
    file = out / SETTINGS_FILE
    if not resume:
        if out.exists() and any(out.iterdir()):
            raise ValueError(f"--out: {out} already exists (pass --resume to continue it)")
        return
    if not file.exists():
        return
    old = json.loads(file.read_text(encoding="utf-8"))
    for name in FIXED:
        if old.get(name) != recorded.get(name):
            raise ValueError(
                f"--{name.replace('_', '-')}: {out} was started with {old.get(name)!r}, "
                f"got {recorded.get(name)!r} (resume needs the same value)"
            )


async def fuzz(
    drill: GraphDrill,
    naming: dict[str, Any],
    settings: CampaignSettings,
    out: Path,
    *,
    resume: bool = False,
    progress: Callable[[EpisodeResult], None] | None = None,
    targets: TargetsFactory | None = None,
    agent_options: Mapping[str, str] | None = None,
) -> FuzzRun:
    """Run a campaign into ``out`` (see the module docstring) and export what it certified.

    ``targets`` builds the app to play (default the embedded site); ``agent_options`` go to
    the agents that take options (``chat``), and are not written to the settings file (they
    may hold an API key)."""
    settings.check()
    recorded = {**naming, **asdict(settings)}
    _check_folder(out, recorded, resume)
    out.mkdir(parents=True, exist_ok=True)
    (out / SETTINGS_FILE).write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
    space = SearchSpace(drill, settings.seed)
    async with HarnessRunner(
        out / "episodes.jsonl",
        out / "ledgers",
        resume=resume,
        workers=settings.workers,
        progress=progress,
        targets=targets,
        agent_options=agent_options,
    ) as runner:
        campaign = await run_campaign(space, runner, settings)
    run = FuzzRun(campaign, space, settings, out, runner.played, runner.used)
    provenance = {
        **naming,
        "agent": settings.agent,
        "seed": settings.seed,
        "budget": settings.budget,
        "strategy": settings.strategy,
        "k": settings.k,
        "careful": settings.careful,
    }
    export_pack(run.pack, space, campaign.certificates, provenance)
    for cert in campaign.certified:
        export_replay(run.replay_pack(cert.scenario_id), space, cert, settings.agent)
    report = {"settings": recorded, "episodes": run.used, **campaign.to_json(space)}
    (out / "report.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return run
