"""Gym adapters: gymfuzz scenarios around gymnasium web envs, in one line.

    env = wrap(gym.make("miniwob/click-button-v1"), scenario=scenario)
    env = wrap(gym.make("browsergym/miniwob.click-button"), pack="packs/p")
    env = wrap(target="app.yaml", pack="packs/p")      # any app, from its target file

See :mod:`fuzzer.gym.wrapper` for what ``info["gymfuzz"]`` holds, :mod:`fuzzer.gym.routing`
for how an env family's browser is routed through the proxy, :mod:`fuzzer.gym.miniwob` for
MiniWoB++ (Farama), :mod:`fuzzer.gym.browsergym` for BrowserGym,
:mod:`fuzzer.gym.drill_tasks` for the drills as BrowserGym tasks,
:mod:`fuzzer.gym.browsergym_agent` for BrowserGym-style agents on MiniWoB++ envs, and
:mod:`fuzzer.gym.determinism` for the replay check, and :mod:`fuzzer.gym.target_env` for an
app from a target file as an env.

To play MiniWoB++ task pages with the gymfuzz runner itself (``gymfuzz run PACK``: long-lived
browsers, a context per episode, no gym env), see :mod:`fuzzer.targets.miniwob_scenarios`.
"""

from fuzzer.gym.browsergym_agent import (
    ActionError,
    BrowserGymAgent,
    PlayResult,
    browsergym_obs,
    parse_action,
    play,
    to_miniwob_action,
)
from fuzzer.gym.choice import Pick, ScenarioChooser, load_scenarios
from fuzzer.gym.determinism import DeterminismError, check_determinism
from fuzzer.gym.relay import EpisodeRelay
from fuzzer.gym.routing import ProxyRouting, RoutingError, routing_for
from fuzzer.gym.wrapper import GymfuzzWrapper, wrap
from fuzzer.play.ledger import faults_fired

__all__ = [
    "ActionError",
    "BrowserGymAgent",
    "DeterminismError",
    "EpisodeRelay",
    "GymfuzzWrapper",
    "Pick",
    "PlayResult",
    "ProxyRouting",
    "RoutingError",
    "ScenarioChooser",
    "browsergym_obs",
    "check_determinism",
    "faults_fired",
    "load_scenarios",
    "parse_action",
    "play",
    "routing_for",
    "to_miniwob_action",
    "wrap",
]
