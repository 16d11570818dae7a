"""The Target protocol: the app an episode runs against, seen through a few calls.

One episode run (:func:`fuzzer.play.episode.run_episode`) plays every scenario on every
target the same way::

    await target.reset(episode, scenario)          # the starting state
    before = await target.snapshot(episode)        # None: nothing to diff
    task = await target.begin(page, episode, scenario)
    ... the agent acts on the page ...
    observed = await target.observe(page, episode) # what only the page can tell
    ... the browser context closes, the proxy settles ...
    after = await target.snapshot(episode)
    judgement = target.judge(Played(...))
    await target.release(episode)                  # always, also when a step failed

A harness starts each of its targets once (:meth:`Target.start`) before the proxy, whose
upstream is the last target's :attr:`~Target.url`, and stops them after
(:meth:`Target.stop`); when an episode fails for the harness's reasons, it asks each target to
restart what died (:meth:`Target.heal`) before playing the episode again. To play a new kind
of app, write one class with these methods and give it to
:func:`fuzzer.play.harness.start_harness`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from playwright.async_api import Page

    from fuzzer.agents.base import AgentOutcome, Task
    from scenarios.model import Scenario
    from scenarios.verify.state import State

#: ``header``: the app keeps parallel episodes apart by ``X-Gymfuzz-Episode`` (the embedded
#: site's tenants); ``worker``: one episode at a time per app instance.
Isolation = Literal["header", "worker"]


@dataclass(frozen=True)
class Played:
    """What an episode left for the target to judge.

    Args:
        episode: the episode id.
        scenario: the scenario as played (without its faults in the unperturbed condition).
        outcome: what the agent reported.
        before: the target's snapshot before the agent acted (``None``: it keeps none).
        after: its snapshot once the episode's requests settled.
        records: the ledger records of the episode's run.
        observed: what :meth:`Target.observe` read from the page.
    """

    episode: str
    scenario: Scenario
    outcome: AgentOutcome
    before: State | None
    after: State | None
    records: list[dict[str, Any]]
    observed: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Judgement:
    """A target's verdict on one episode.

    Args:
        passed: the episode met its spec.
        summary: one line for tables and reports.
        failed_rules: the names of the rules that failed.
        verdict: the full verdict as JSON (recorded in the ledger and the journal).
        harness_error: set when the episode says nothing about the agent (e.g. a task timer
            that ran out); tables leave such episodes out.
    """

    passed: bool
    summary: str
    failed_rules: list[str]
    verdict: dict[str, Any]
    harness_error: str | None = None


class Target(Protocol):
    """An app under test (see the module docstring)."""

    #: A short name for messages (``embedded``, ``miniwob``, a target file's name).
    name: str
    #: How parallel episodes are kept apart (see :data:`Isolation`).
    isolation: Isolation

    @property
    def url(self) -> str | None:
        """The app's base URL once started (``None`` before)."""
        ...

    async def start(self) -> None:
        """Start the app (or check it answers); called once per harness."""
        ...

    async def stop(self) -> None:
        """Stop what :meth:`start` started; safe to call when it failed half-way."""
        ...

    async def heal(self) -> str | None:
        """Start again what :meth:`start` started if it died (an app process that exited);
        says what it restarted, or ``None`` when all was well. Called between attempts of
        an episode the harness failed."""
        ...

    def plays(self, scenario: Scenario) -> bool:
        """Whether this target plays ``scenario`` (a harness asks its targets in order)."""
        ...

    async def reset(self, episode: str, scenario: Scenario) -> None:
        """Put the app in the scenario's starting state for ``episode``."""
        ...

    async def snapshot(self, episode: str) -> State | None:
        """The app's state as the verifier sees it, or ``None`` when it has none to diff."""
        ...

    async def begin(self, page: Page, episode: str, scenario: Scenario) -> Task:
        """Prepare ``page`` if the target must, and return the agent's task."""
        ...

    async def observe(self, page: Page, episode: str) -> dict[str, Any]:
        """Read what only the page can tell, after the agent returned (``{}`` if nothing)."""
        ...

    def judge(self, played: Played) -> Judgement:
        """The verdict on a played episode."""
        ...

    async def release(self, episode: str) -> None:
        """Give back what :meth:`reset` took for ``episode`` (e.g. an app instance)."""
        ...
