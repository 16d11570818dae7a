"""Find and launch the Chromium that Playwright drives.

gymfuzz runs wherever a Chromium exists. It looks, in order, at:

1. ``GYMFUZZ_CHROMIUM`` (an explicit path to a Chromium or Chrome binary);
2. Playwright's own Chromium (installed by ``python -m playwright install chromium``);
3. a system Chromium on ``PATH`` (``chromium``, ``chromium-browser``, ``google-chrome``).

When none exists, :func:`find_chromium` raises :class:`BrowserNotFound` whose message says
what to install. ``python -m fuzzer.browser --check`` prints the choice (exit code 2 if none).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright

#: Flags every launch gets: quiet, offline-friendly, and usable as root in containers.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # No calls home: through the proxy they would show up as stray CONNECTs to Google.
    "--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
)

_SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

INSTALL_HINT = (
    "no Chromium found for Playwright. Install one of: "
    "`python -m playwright install chromium` (Playwright's own build), "
    "`apt-get install chromium` (Debian/Ubuntu), "
    "or set GYMFUZZ_CHROMIUM=/path/to/chrome"
)


class BrowserNotFound(RuntimeError):
    """No usable Chromium binary exists on this machine, or the one found does not start."""


@dataclass(frozen=True)
class ChromiumBinary:
    """The Chromium gymfuzz will launch.

    Args:
        path: the executable, or ``None`` to let Playwright use its own bundled build.
        source: where it was found: ``env``, ``playwright`` or ``system``.
    """

    path: str | None
    source: str


def _playwright_bundled() -> str | None:
    """Return the path of Playwright's own Chromium if it is installed, else ``None``."""
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache/ms-playwright")
    base = Path(root)
    if not base.is_dir():
        return None
    candidates = sorted(base.glob("chromium-*/chrome-linux*/chrome"), reverse=True)
    candidates += sorted(base.glob("chromium_headless_shell-*/chrome-*/headless_shell"))
    for cand in candidates:
        if os.access(cand, os.X_OK):
            return str(cand)
    return None


def find_chromium() -> ChromiumBinary:
    """Pick the Chromium to launch, or raise :class:`BrowserNotFound` saying what to install."""
    explicit = os.environ.get("GYMFUZZ_CHROMIUM")
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise BrowserNotFound(f"GYMFUZZ_CHROMIUM={explicit!r} is not an executable file")
        return ChromiumBinary(explicit, "env")
    if _playwright_bundled():
        return ChromiumBinary(None, "playwright")
    for name in _SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return ChromiumBinary(found, "system")
    raise BrowserNotFound(INSTALL_HINT)


async def launch_chromium(pw: Playwright, *, headless: bool = True) -> Browser:
    """Launch the Chromium chosen by :func:`find_chromium` with gymfuzz's standard flags."""
    from playwright.async_api import Error as PlaywrightError

    binary = find_chromium()
    try:
        return await pw.chromium.launch(
            executable_path=binary.path,
            headless=headless,
            args=list(CHROMIUM_ARGS),
        )
    except PlaywrightError as exc:
        lines = [line.strip(" -") for line in str(exc).splitlines() if "FATAL" in line]
        why = lines[0] if lines else (str(exc).splitlines() or ["(no message)"])[0]
        raise BrowserNotFound(
            f"Chromium ({binary.path or 'playwright bundled'}) did not start: {why}"
        ) from None


def _main(argv: list[str]) -> int:
    if argv[1:] != ["--check"]:
        print("usage: python -m fuzzer.browser --check", file=sys.stderr)
        return 2
    try:
        binary = find_chromium()
    except BrowserNotFound as exc:
        print(f"gymfuzz: {exc}", file=sys.stderr)
        return 2
    print(f"{binary.source}: {binary.path or '(playwright bundled)'}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
