#!/usr/bin/env bash
# Removes what install.sh added. Your config and your history stay unless you pass --purge.
#   installers/linux/uninstall.sh [--purge]            for you
#   sudo installers/linux/uninstall.sh --system        for all users (the office config in
#        /etc/xdg/sitbreak stays unless --purge; each user's own config and history always stay)
set -euo pipefail
system=0 purge=0
for arg in "$@"; do
    case "$arg" in
        --system) system=1 ;;
        --purge) purge=1 ;;
        --go) ;;  # passed on by install.sh --uninstall
        *) echo "uninstall.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

if [ "$system" = 1 ]; then
    destdir="${SITBREAK_DESTDIR:-}"
    if [ -z "$destdir" ] && [ "$(id -u)" -ne 0 ]; then
        echo "uninstall.sh --system must run as root (sudo)" >&2; exit 1
    fi
    venv="$destdir/opt/sitbreak/venv"
    bin="$destdir/usr/local/bin"
    share="$destdir/usr/local/share"
    etc_xdg="$destdir/etc/xdg"
    if [ -x "$venv/bin/sitbreak" ]; then
        XDG_CONFIG_DIRS="$etc_xdg" "$venv/bin/sitbreak" autostart disable --all-users >/dev/null || true
    fi
    rm -f "$etc_xdg/autostart/sitbreak.desktop"
    [ "$purge" = 1 ] && rm -rf "$etc_xdg/sitbreak"
else
    data="${XDG_DATA_HOME:-$HOME/.local/share}/sitbreak"
    venv="$data/venv"
    bin="$HOME/.local/bin"
    share="${XDG_DATA_HOME:-$HOME/.local/share}"
    if [ -x "$venv/bin/sitbreak" ]; then
        "$venv/bin/sitbreak" quit >/dev/null 2>&1 || true
        # turns off the XDG entry and the systemd unit, whichever is on
        "$venv/bin/sitbreak" autostart disable >/dev/null || true
    fi
    rm -f "${XDG_CONFIG_HOME:-$HOME/.config}/autostart/sitbreak.desktop"
fi

rm -rf "$venv"
rmdir "$(dirname "$venv")" 2>/dev/null || true
if [ -L "$bin/sitbreak" ]; then rm -f "$bin/sitbreak"; fi
rm -f "$share/applications/sitbreak.desktop"
for icon in "$share"/icons/hicolor/*/apps/sitbreak.png "$share"/icons/hicolor/*/apps/sitbreak.svg; do
    [ -e "$icon" ] && rm -f "$icon"
done
if command -v gtk-update-icon-cache >/dev/null && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
fi

if [ "$system" = 0 ] && [ "$purge" = 1 ]; then
    # the config, the history database, the logs and the cache: everything sitbreak kept for you
    rm -rf "${XDG_CONFIG_HOME:-$HOME/.config}/sitbreak" \
           "${XDG_DATA_HOME:-$HOME/.local/share}/sitbreak" \
           "${XDG_STATE_HOME:-$HOME/.local/state}/sitbreak" \
           "${XDG_CACHE_HOME:-$HOME/.cache}/sitbreak"
    echo "sitbreak removed, with your config and history"
elif [ "$system" = 0 ]; then
    echo "sitbreak removed; your config (${XDG_CONFIG_HOME:-$HOME/.config}/sitbreak) and history" \
         "(${XDG_DATA_HOME:-$HOME/.local/share}/sitbreak) stay (--purge removes them)"
else
    echo "sitbreak removed for all users"
fi
