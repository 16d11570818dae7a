"""The adversarial fuzzer: search scenarios that break an agent, shrink, certify, export.

One module per job:

* :mod:`~fuzzer.fuzz.space`: a drill's scenarios as genomes (data index + perturbation levels);
* :mod:`~fuzzer.fuzz.coverage`: coverage features of an episode, failure classes;
* :mod:`~fuzzer.fuzz.play`: journaled, resumable episodes on one harness;
* :mod:`~fuzzer.fuzz.combos`: the t-way level combinations the episodes fired;
* :mod:`~fuzzer.fuzz.signals`: near misses of an episode that passed;
* :mod:`~fuzzer.fuzz.mutate`: mutations of genomes;
* :mod:`~fuzzer.fuzz.search`: the coverage-guided search (and the random and pack
  baselines);
* :mod:`~fuzzer.fuzz.shrink`: reduce a failure to the smallest scenario that still fails;
* :mod:`~fuzzer.fuzz.certify`: replay it (flakiness) and check the careful agent passes it;
* :mod:`~fuzzer.fuzz.campaign`: the pipeline over any episode runner;
* :mod:`~fuzzer.fuzz.export`: certified failures as a scenario pack, and their replays;
* :mod:`~fuzzer.fuzz.run` and :mod:`~fuzzer.commands.fuzz`: the ``gymfuzz fuzz`` command.


The names below are imported on first use, so ``gymfuzz --help`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {
    "Campaign": "fuzzer.fuzz.campaign",
    "CampaignSettings": "fuzzer.fuzz.campaign",
    "run_campaign": "fuzzer.fuzz.campaign",
    "Genome": "fuzzer.fuzz.space",
    "SearchSpace": "fuzzer.fuzz.space",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'fuzzer.fuzz' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
