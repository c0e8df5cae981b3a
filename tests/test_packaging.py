"""The wheel and sdist carry what a user needs, and `pipx install .` gives a working sitbreak.

The build runs `python -m build` (wheel and sdist); the install is pipx's own, into a temporary
PIPX_HOME, from this checkout: everything comes from the packages, nothing from the source tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from sitbreak import __version__

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.install

SHIPPED = [
    "data/sitbreak.toml",
    "data/assets/content/modified-pigeon.toml",
    "data/assets/content/safety.toml",
    "data/assets/content/translations/de/safety.toml",
    "locale/de/LC_MESSAGES/sitbreak.mo",
    "locale/fr/LC_MESSAGES/sitbreak.mo",
    "locale/es/LC_MESSAGES/sitbreak.mo",
    "data/assets/images/modified-pigeon.png",
    "data/assets/images/fr/modified-pigeon-right.png",  # the side letters in French (G/D)
    "data/assets/images/es/modified-pigeon.png",
    "data/assets/icons/sitbreak.ico",
    "data/assets/icons/sitbreak.icns",
    "data/assets/icons/hicolor/scalable/apps/sitbreak.svg",
    *(f"data/assets/icons/hicolor/{n}x{n}/apps/sitbreak.png" for n in (16, 24, 32, 48, 64, 128, 256, 512)),
]


def _pip_cache() -> str:
    run = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True,
                         timeout=60, check=False)
    return run.stdout.strip() or str(Path.home() / ".cache/pip")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    src = tmp_path_factory.mktemp("src") / "sitbreak"
    # build from a copy, so that the checkout gets no build/ or egg-info from this test
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "artifacts"))
    run = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(src)],
                         capture_output=True, text=True, timeout=600, check=False,
                         env={**os.environ, "PIP_CACHE_DIR": _pip_cache()})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out


def test_wheel_and_sdist_carry_assets_and_default_config(dist: Path) -> None:
    wheel = next(dist.glob(f"sitbreak-{__version__}-py3-none-any.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in SHIPPED:
        assert f"sitbreak/{path}" in names, path
    assert not any(n.endswith(("make_icons.py", "make_images.py")) for n in names)
    meta = zipfile.ZipFile(wheel).read(f"sitbreak-{__version__}.dist-info/METADATA").decode()
    requires = [line for line in meta.splitlines() if line.startswith("Requires-Dist:")]
    assert any(r.startswith("Requires-Dist: matplotlib") and "extra" not in r for r in requires)
    assert not any("PyGObject" in r and "extra" not in r for r in requires)
    assert any("pynput" in r and 'extra == "listener"' in r for r in requires)
    sdist = next(dist.glob(f"sitbreak-{__version__}.tar.gz"))
    with tarfile.open(sdist) as tar:
        members = {m.name: m for m in tar.getmembers()}
    prefix = f"sitbreak-{__version__}/src/sitbreak/"
    for path in SHIPPED:
        member = members.get(prefix + path)
        assert member is not None and member.isfile(), path  # real files, not links to ../assets


@pytest.mark.skipif(shutil.which("pipx") is None and not (Path(sys.executable).parent / "pipx").exists(),
                    reason="pipx not installed (it is in the dev extra)")
def test_pipx_install_from_the_checkout_works(tmp_path: Path) -> None:
    pipx = shutil.which("pipx") or str(Path(sys.executable).parent / "pipx")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SITBREAK_", "XDG_", "PIPX_")) and k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("VIRTUAL_ENV", None)
    env.update(HOME=str(tmp_path / "home"), PIPX_HOME=str(tmp_path / "pipx"),
               PIPX_BIN_DIR=str(tmp_path / "bin"), PIPX_MAN_DIR=str(tmp_path / "man"),
               PIP_CACHE_DIR=_pip_cache(), XDG_RUNTIME_DIR=str(tmp_path / "run"))
    (tmp_path / "run").mkdir(mode=0o700)
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "artifacts"))
    run = subprocess.run([pipx, "install", "--python", sys.executable, str(src)], env=env,
                         capture_output=True, text=True, timeout=900, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    shutil.rmtree(src)  # the installed copy must not lean on the source tree
    sitbreak = tmp_path / "bin" / "sitbreak"

    def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(sitbreak), *args], env=env, input=stdin, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, f"sitbreak {' '.join(args)}: {done.stdout}{done.stderr}"
        return done

    assert cli("--version").stdout.strip() == f"sitbreak {__version__}"
    doctor = cli("doctor").stdout
    assert doctor.startswith("desktop: linux") and "Activity source:" in doctor and "Tray:" in doctor
    listing = cli("content", "list").stdout
    assert "modified-pigeon" in listing and "seated-figure-four" in listing
    trace = "\n".join(['{"start": "2026-11-23T09:00:00"}',
                       *(json.dumps({"t": t, "event": "input"}) for t in range(0, 3700, 20))])
    lines = [json.loads(x) for x in cli("replay", "-", stdin=trace + "\n").stdout.splitlines()]
    summary = lines[-1]
    assert summary["type"] == "summary" and summary["nudges"]["stretch"] >= 1
    assert cli("config", "init", str(tmp_path / "c.toml")).returncode == 0
    assert "[timing]" in (tmp_path / "c.toml").read_text()  # the default config, from the wheel
