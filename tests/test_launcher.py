"""The clone's launcher and installer as a new user meets them: the first run shows its
progress, and every command the README prints exists as printed."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from sitbreak.cli import build_parser
from tests.launcher import REPO, venv_stamp

PIP_OUTPUT = """\
Obtaining file:///clone
  Installing build dependencies: started
Collecting pydantic>=2.7 (from sitbreak==0.1.0)
  Downloading pydantic-2.9.0-py3-none-any.whl (434 kB)
Collecting matplotlib>=3.7 (from sitbreak==0.1.0)
  Downloading matplotlib-3.9.0-cp311-cp311-manylinux_2_17_x86_64.whl (8.3 MB)
Collecting numpy>=1.23 (from matplotlib>=3.7->sitbreak==0.1.0)
Installing collected packages: numpy, pydantic, matplotlib, sitbreak
Successfully installed matplotlib-3.9.0 numpy-2.0.0 pydantic-2.9.0 sitbreak-0.1.0
"""

# A stand-in `python3`: `-c` checks pass, `-m venv DIR` makes a venv whose python answers pip
# with the output above (and logs its arguments), so the installer runs for real, offline.
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "-c" ]; then exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
    mkdir -p "$3/bin"
    cp "$0" "$3/bin/python"
    exit 0
fi
echo "$*" >> "$(dirname "$0")/../pip-calls.txt"
case "$*" in
    *"--upgrade pip"*) exit 0 ;;
    *"pip install"*) cat "$PIP_OUTPUT_FILE"; exit 0 ;;
esac
exit 1
"""


def test_first_setup_shows_its_progress(tmp_path: Path) -> None:
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    (tmp_path / "pip.txt").write_text(PIP_OUTPUT)
    venv = tmp_path / "venv"
    env = {**os.environ, "PYTHON": str(fake), "SITBREAK_VENV": str(venv),
           "PIP_OUTPUT_FILE": str(tmp_path / "pip.txt")}
    r = subprocess.run([str(REPO / "installers" / "venv.sh"), "runtime"], env=env,
                       capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert lines[0] == f"setting up {venv} (first run only, about a minute):"
    assert "  creating the virtual environment…" in lines
    assert "  updating pip…" in lines
    # one numbered line per package pip fetches, then the slow step, then done
    assert "  [1] pydantic>=2.7" in lines
    assert "  [2] matplotlib>=3.7" in lines
    assert "  [3] numpy>=1.23" in lines
    assert "  installing 4 packages (the longest step)…" in lines
    assert lines[-1] == "  done."
    assert r.stdout == ""
    assert (venv / ".sitbreak-runtime.stamp").read_text().strip() == venv_stamp()
    # a warm run prints nothing and installs nothing
    calls = (venv / "pip-calls.txt").read_text()
    r = subprocess.run([str(REPO / "installers" / "venv.sh"), "runtime"], env=env,
                       capture_output=True, text=True, timeout=60, check=False)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert (venv / "pip-calls.txt").read_text() == calls


def readme_commands() -> list[str]:
    """Every `sitbreak …` / `./sitbreak …` command the README shows (inline or in a block)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found: list[str] = []
    for snippet in re.findall(r"`([^`\n]+)`", text) + re.findall(r"^    (\S.*)$", text, re.M):
        code = snippet.split("#")[0].strip()
        if re.match(r"^(\./)?sitbreak\s", code):
            found.append(code)
    return found


def test_the_readme_prints_no_command_that_fails_from_the_clone() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    # `python -m …` needs the venv's interpreter: from a clone it is `./sitbreak …`
    assert not re.search(r"(?<![./\w])python3? -m sitbreak", text)
    commands = readme_commands()
    assert len(commands) > 30
    parser = build_parser()
    checked = set()
    for command in commands:
        words = shlex.split(command.replace("|", " ").replace("\\", ""))[1:]
        # the subcommand path (e.g. "history demo"), then its --help must work
        path: list[str] = []
        for word in words:
            if not re.fullmatch(r"[a-z][a-z-]*", word):  # an option, a value, a placeholder
                break
            path.append(word)
        if not path or tuple(path) in checked:
            continue
        checked.add(tuple(path))
        for depth in range(len(path), 0, -1):
            try:
                parser.parse_args([*path[:depth], "--help"])
            except SystemExit as exc:
                if exc.code == 0:
                    break
        else:
            pytest.fail(f"README command does not exist: {command}")
    assert {("card",), ("done",), ("skip",), ("history", "demo")} <= checked
