#!/usr/bin/env bash
# Removes what install.sh added. Your config and history stay unless you pass --purge.
set -euo pipefail
data="${XDG_DATA_HOME:-$HOME/.local/share}/sitbreak"
"$HOME/.local/bin/sitbreak" quit 2>/dev/null || true
rm -f "$HOME/.local/bin/sitbreak" "${XDG_CONFIG_HOME:-$HOME/.config}/autostart/sitbreak.desktop"
rm -rf "$data/venv"
if [ "${1:-}" = "--purge" ]; then
    rm -rf "$data" "${XDG_CONFIG_HOME:-$HOME/.config}/sitbreak"
fi
echo "sitbreak removed"
