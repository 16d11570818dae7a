"""The ``gymfuzz`` environment of the ``verifiers`` library.

``verifiers.load_environment("gymfuzz", pack=..., target=...)`` imports the module named
after the environment id, this one, and calls its ``load_environment``: see
:mod:`fuzzer.serve.verifiers_env`. It needs the ``verifiers`` extra (the virtualenv of
``scripts/verifiers-venv``).
"""

from fuzzer.serve.verifiers_env import load_environment

__all__ = ["load_environment"]
