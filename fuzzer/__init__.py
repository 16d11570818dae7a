"""gymfuzz's runner side: CLI, browser, harness, episodes, runner, agents, reports."""

import os

#: Episodes (browser contexts) at once by default: the core count, between 1 and 4.
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 2))
