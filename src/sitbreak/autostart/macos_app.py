"""The small app bundle the macOS installer puts in ``~/Applications`` (or ``/Applications``):
Finder, Spotlight and Launchpad show sitbreak with its icon, and opening it starts the tray app.

``python -m sitbreak.autostart.macos_app BUNDLE PROGRAM [ARGS…]`` writes ``BUNDLE`` (e.g.
``~/Applications/sitbreak.app``): ``Contents/Info.plist`` (plistlib), the ``.icns`` from the
package and a launcher script that runs ``PROGRAM ARGS…``. ``LSUIElement``: no Dock icon, the
menu-bar (tray) icon is the whole interface.
"""

from __future__ import annotations

import plistlib
import shlex
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from sitbreak import __version__
from sitbreak.autostart import files
from sitbreak.autostart.base import check_printable

BUNDLE_ID = "org.sitbreak.app"
EXECUTABLE = "sitbreak"


def info_plist() -> dict[str, Any]:
    return {
        "CFBundleName": "sitbreak",
        "CFBundleDisplayName": "sitbreak",
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleExecutable": EXECUTABLE,
        "CFBundleIconFile": "sitbreak.icns",
        "CFBundlePackageType": "APPL",
        "CFBundleShortVersionString": __version__,
        "CFBundleVersion": __version__,
        "LSMinimumSystemVersion": "11.0",
        "LSUIElement": True,
        "NSHighResolutionCapable": True,
    }


def launcher(argv: Sequence[str]) -> str:
    check_printable(argv)
    return "#!/bin/sh\n# opens sitbreak in the menu bar (written by the installer)\nexec " + " ".join(
        shlex.quote(a) for a in argv
    ) + "\n"


def write_bundle(bundle: Path, argv: Sequence[str]) -> list[Path]:
    contents = bundle / "Contents"
    icns = resources.files("sitbreak").joinpath("data/assets/icons/sitbreak.icns").read_bytes()
    written = [contents / "Info.plist", contents / "Resources" / "sitbreak.icns",
               contents / "MacOS" / EXECUTABLE]
    files.write_atomic(written[0], plistlib.dumps(info_plist()))
    files.write_atomic(written[1], icns)
    files.write_atomic(written[2], launcher(argv).encode(), mode=0o755)
    return written


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print("usage: python -m sitbreak.autostart.macos_app BUNDLE PROGRAM [ARGS…]", file=sys.stderr)
        return 2
    for path in write_bundle(Path(argv[1]), argv[2:]):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
