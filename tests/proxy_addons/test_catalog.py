from __future__ import annotations

import importlib
import pkgutil

import proxy_addons.faults as faults_pkg
from proxy_addons.faults import FAULTS, NetworkFault


def test_every_fault_module_is_in_the_catalog() -> None:
    modules = [m.name for m in pkgutil.iter_modules(faults_pkg.__path__) if m.name != "base"]
    for name in modules:
        module = importlib.import_module(f"proxy_addons.faults.{name}")
        classes = [
            v
            for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, NetworkFault) and v is not NetworkFault
        ]
        assert len(classes) == 1, f"{name} must define exactly one fault"
        assert FAULTS.get(classes[0].kind) is classes[0], f"{name} is not in FAULTS"
        assert module.__doc__ and classes[0].kind in module.__doc__
    assert len(FAULTS) == len(modules)
