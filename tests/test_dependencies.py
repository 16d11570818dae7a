"""Every module the project, its tests and its benchmarks import is a declared dependency.

The check is deptry's, configured in ``pyproject.toml`` (``[tool.deptry]``): an import of a
package that no dependency list declares (DEP001) or that only arrives with another package
(DEP003) fails, and so does the package code importing one that only the ``dev`` or ``test``
extras declare (DEP004). This is what catches a dependency that used to come along with
another one, as ``zstandard`` once came with mitmproxy.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["fuzzer", "scenarios", "perturbations", "proxy_addons", "sites", "fielderrors"]
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", ".gymfuzz", "__pycache__", "*.egg-info", ".*_cache", ".hypothesis"
)


def deptry(root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    """Run deptry in ``root``; its exit code and the issues it found."""
    report = root / ".deptry.json"
    proc = subprocess.run(
        [sys.executable, "-m", "deptry", *args, "--no-ansi", "--json-output", str(report)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    issues = json.loads(report.read_text()) if report.exists() else []
    report.unlink(missing_ok=True)
    assert issues or proc.returncode == 0, proc.stdout + proc.stderr
    return proc.returncode, issues


def summary(issues: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(code, module, file) of each issue, for readable assertion failures."""
    return [(i["error"]["code"], i["module"], i["location"]["file"]) for i in issues]


def test_every_import_in_the_tree_is_declared() -> None:
    code, issues = deptry(ROOT, ".")
    assert summary(issues) == []
    assert code == 0


def test_the_package_imports_no_package_only_dev_or_test_declare() -> None:
    first_party = [arg for name in PACKAGES for arg in ("-kf", name)]
    code, issues = deptry(
        ROOT,
        *PACKAGES,
        *first_party,
        "--optional-dependencies-dev-groups",
        "dev,test",
        "--ignore",
        "DEP002",
    )
    assert summary(issues) == []
    assert code == 0


def test_an_undeclared_import_fails_the_check(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT, tree, ignore=NOT_SOURCE)
    planted = tree / "tests" / "test_planted.py"
    planted.write_text("import zstandard  # arrived with mitmproxy < 12.3, never declared\n")

    code, issues = deptry(tree, ".")
    assert code == 1
    assert summary(issues) == [("DEP001", "zstandard", str(Path("tests/test_planted.py")))]

    planted.unlink()
    assert deptry(tree, ".") == (0, [])
