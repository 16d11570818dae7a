"""The apps episodes run against, behind one small protocol (:mod:`fuzzer.targets.base`).

* :mod:`fuzzer.targets.embedded`: the embedded booking site, a tenant per episode;
* :mod:`fuzzer.targets.miniwob`: MiniWoB++ task pages, judged by the task's reward, with
  :mod:`~fuzzer.targets.miniwob_scenarios` (how to write such a scenario),
  :mod:`~fuzzer.targets.miniwob_agents` (scripted example agents) and
  :mod:`~fuzzer.targets.miniwob_pack` (a ready pack of perturbed MiniWoB++ variants).

A new kind of app is a new module here with one class that implements
:class:`~fuzzer.targets.base.Target`.
"""
