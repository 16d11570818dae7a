"""Load a user's object by name: ``module:attr`` or ``path/to/file.py:attr``.

Used for the agents (``--agent``), scripted demonstrations (``gymfuzz record --script``) and
state sources of target files. A module is looked for in the current directory first, as
``python -m`` does; a ``.py`` path is loaded from that file (a recorded drill's
``agent.py``), whatever the folder's name.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any


def _current_directory_importable(module_name: str) -> None:
    """Find modules in the current directory, as ``python -m`` does (the ``gymfuzz`` script
    alone does not put it on ``sys.path``). A module of the same name imported earlier from
    elsewhere (another example's ``agents``, in one process) gives way to the one here."""
    cwd = os.getcwd()
    if "" not in sys.path and sys.path[:1] != [cwd]:
        if cwd in sys.path:
            sys.path.remove(cwd)
        sys.path.insert(0, cwd)
    top = module_name.split(".", 1)[0]
    here = Path(cwd) / f"{top}.py", Path(cwd) / top / "__init__.py"
    loaded = sys.modules.get(top)
    if loaded is None or not any(path.is_file() for path in here):
        return
    origin = getattr(loaded, "__file__", None)
    if origin is None or Path(origin).resolve() not in {path.resolve() for path in here}:
        for name in [n for n in sys.modules if n == top or n.startswith(top + ".")]:
            del sys.modules[name]


def _module_from_file(path: Path, option: str) -> Any:
    if not path.is_file():
        raise ValueError(f"{option}: no such file {str(path)!r}")
    name = "gymfuzz_user_" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ValueError(f"{option}: cannot load {str(path)!r}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise ValueError(f"{option}: {path} failed to load ({type(exc).__name__}: {exc})") from None
    return module


def load_object(spec: str, option: str) -> Any:
    """The object ``spec`` names (``module:attr``, dotted attributes allowed, or
    ``file.py:attr``); ``ValueError`` naming ``option`` and the value when it cannot."""
    module_name, sep, attr = spec.rpartition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"{option}: expected module:attr or file.py:attr, got {spec!r}")
    if module_name.endswith(".py"):
        module = _module_from_file(Path(module_name), option)
    else:
        _current_directory_importable(module_name)
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ValueError(f"{option}: cannot import {module_name!r} ({exc})") from None
    obj: Any = module
    for part in attr.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            raise ValueError(f"{option}: {module_name!r} has no {attr!r}")
    return obj
