"""Targets other than the embedded site that the runner can play.

* MiniWoB++ task pages: :mod:`fuzzer.targets.miniwob_scenarios` (how to write such a
  scenario), :mod:`fuzzer.targets.miniwob` (how an episode runs and is judged),
  :mod:`fuzzer.targets.miniwob_agents` (scripted example agents) and
  :mod:`fuzzer.targets.miniwob_pack` (a ready pack of perturbed MiniWoB++ variants).
"""
