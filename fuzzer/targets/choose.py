"""``--target``: the built-in embedded site (the default) or an app's target file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fuzzer.targets.base import Target

#: Builds a harness's targets, inside the harness's event loop; ``None``: the default ones.
TargetsFactory = Callable[[], list[Target]]

EMBEDDED = "embedded"


def choose_targets(value: str | Path | None, *, workers: int = 1) -> TargetsFactory | None:
    """The targets ``--target value`` names.

    ``None`` or ``"embedded"``: ``None`` (the harness's default targets: MiniWoB++ pages and
    the embedded site). A file: its :class:`~fuzzer.targets.app.AppTarget`, with ``workers``
    app instances when it launches the app. The file is read and checked now, so a bad one
    fails before anything starts (:class:`~fuzzer.targets.spec.TargetFileError`).
    """
    if value is None or str(value) == EMBEDDED:
        return None
    from fuzzer.targets.app import AppTarget
    from fuzzer.targets.spec import load_target_file

    path = Path(value)
    spec, base = load_target_file(path)

    def build() -> list[Target]:
        return [AppTarget(spec, base, instances=workers, source=path)]

    return build
