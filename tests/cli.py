"""The ``gymfuzz`` command line as a user runs it: a child process, its output captured.

One place for what the tests of the CLI share: the command line itself (:func:`command`),
one run to its end (:func:`gymfuzz`), and what a usage error must look like
(:func:`assert_usage_error`: exit 2, the message, no traceback).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def command(*args: str) -> list[str]:
    """The command line of ``gymfuzz ARGS`` (this interpreter, so this checkout's code)."""
    return [sys.executable, "-m", "fuzzer.cli", *args]


def gymfuzz(
    *args: str, cwd: Path = ROOT, timeout: float = 600, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``gymfuzz ARGS`` in ``cwd`` to its end (at most ``timeout`` seconds); its exit code
    is the caller's to check."""
    return subprocess.run(
        command(*args),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=None if env is None else dict(env),
    )


def assert_usage_error(proc: subprocess.CompletedProcess[str], message: str) -> None:
    """``proc`` failed as bad input must: exit 2, ``message`` on stderr, no traceback."""
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
