"""A second local Unix user for attack tests: created with useradd when the tests run as root (as
in CI), its steps run through setpriv. Without root the attack tests that need one are skipped."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

NAME = "sitbreak-sec-atk"


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int

    def run(self, argv: Sequence[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` as this user (no supplementary groups, no capabilities)."""
        setpriv = shutil.which("setpriv")
        assert setpriv is not None
        return subprocess.run(
            [setpriv, f"--reuid={self.uid}", f"--regid={self.gid}", "--clear-groups", "--",
             *argv],
            capture_output=True, text=True, timeout=30, check=check,
        )

    def sh(self, script: str) -> None:
        self.run(["sh", "-ec", script])


def second_user() -> Iterator[User]:
    """The attacker; created for the session if missing and removed afterwards."""
    if os.geteuid() != 0:
        pytest.skip("needs root to create a second Unix user (CI runs as root)")
    if shutil.which("useradd") is None or shutil.which("setpriv") is None:
        pytest.skip("needs useradd and setpriv (passwd, util-linux)")
    created = False
    try:
        entry = pwd.getpwnam(NAME)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", NAME], check=True, capture_output=True,
                       timeout=30)
        created = True
        entry = pwd.getpwnam(NAME)
    try:
        yield User(NAME, entry.pw_uid, entry.pw_gid)
    finally:
        if created:
            subprocess.run(["userdel", NAME], check=False, capture_output=True, timeout=30)


def shared_dir() -> Iterator[Path]:
    """A directory every local user may write, like /tmp but not sticky (so the kernel's
    protected_symlinks does not step in: the daemon alone has to refuse what is planted)."""
    path = Path(tempfile.mkdtemp(prefix="sitbreak-shared-"))
    path.chmod(0o777)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
