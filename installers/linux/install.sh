#!/usr/bin/env bash
# Installs sitbreak for the current user (no root needed):
#   - a virtual environment in ~/.local/share/sitbreak/venv with sitbreak from this checkout,
#   - `sitbreak` in ~/.local/bin,
#   - an XDG autostart entry so it starts with your desktop session,
#   - your config at `sitbreak config path`, if you have none yet.
# Usage: installers/linux/install.sh [--listener] [--no-autostart]     (uninstall.sh undoes it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}/sitbreak"
bin="$HOME/.local/bin"
autostart="${XDG_CONFIG_HOME:-$HOME/.config}/autostart"
extras="" ; want_autostart=1
for arg in "$@"; do
    case "$arg" in
        --listener) extras="[listener]" ;;   # pynput input listener (compiles evdev)
        --no-autostart) want_autostart=0 ;;
        *) echo "unknown option $arg" >&2; exit 2 ;;
    esac
done
python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    { echo "sitbreak needs Python >= 3.11 (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
"$python" -c 'import tkinter' 2>/dev/null ||
    echo "note: tkinter is missing (Debian/Ubuntu: apt install python3-tk); the stretch card needs it" >&2
mkdir -p "$data" "$bin"
"$python" -m venv "$data/venv"
"$data/venv/bin/python" -m pip install --quiet --upgrade pip
"$data/venv/bin/python" -m pip install --quiet "$root$extras"
ln -sf "$data/venv/bin/sitbreak" "$bin/sitbreak"
if [ "$want_autostart" = 1 ]; then
    mkdir -p "$autostart"
    sed "s|@SITBREAK@|$bin/sitbreak|" "$root/installers/linux/sitbreak.desktop" > "$autostart/sitbreak.desktop"
fi
"$bin/sitbreak" config init 2>/dev/null || true
echo "installed: $bin/sitbreak (config: $("$bin/sitbreak" config path))"
case ":$PATH:" in *":$bin:"*) ;; *) echo "add $bin to your PATH to run 'sitbreak' directly" ;; esac
