#!/usr/bin/env bash
# Installs sitbreak from this checkout and starts it in the tray; safe to run again (it upgrades).
#
# For you (no root):                    installers/linux/install.sh
#   - a virtual environment in ~/.local/share/sitbreak/venv, `sitbreak` in ~/.local/bin,
#   - the icon in ~/.local/share/icons/hicolor, a launcher in ~/.local/share/applications,
#   - autostart with your session (an XDG entry; --systemd: a systemd user unit),
#   - your config at `sitbreak config path` if you have none, then sitbreak starts in the tray.
# For every user of this machine (root; silent, for MDM / configuration management):
#   sudo installers/linux/install.sh --system [--system-config office.toml]
#   - /opt/sitbreak/venv, /usr/local/bin/sitbreak, icons and launcher under /usr/local/share,
#   - /etc/xdg/autostart/sitbreak.desktop (each user can opt out: `sitbreak autostart disable`),
#   - --system-config FILE: the office defaults and locks, /etc/xdg/sitbreak/sitbreak.toml.
#
# Options: --systemd --listener (pynput, compiles evdev) --no-autostart --no-start --quiet
#          --uninstall [--purge]   (same as uninstall.sh: keeps config and history unless --purge)
# Environment: PYTHON=/path/to/python3.11+; SITBREAK_DESTDIR=DIR puts the --system files under
# DIR (packaging and tests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

system=0 systemd=0 extras="" autostart=1 start=1 quiet=0 system_config=""
uninstall_args=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        --system) system=1 ;;
        --system-config) shift; system_config="${1:?--system-config needs a file}" ;;
        --systemd) systemd=1 ;;
        --listener) extras="[listener]" ;;
        --no-autostart) autostart=0 ;;
        --no-start) start=0 ;;
        --quiet) quiet=1 ;;
        --uninstall) uninstall_args+=(--go) ;;
        --purge) uninstall_args+=(--purge) ;;
        -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ "${#uninstall_args[@]}" -gt 0 ]; then
    args=()
    [ "$system" = 1 ] && args+=(--system)
    for a in "${uninstall_args[@]}"; do [ "$a" = --purge ] && args+=(--purge); done
    exec "$here/uninstall.sh" "${args[@]}"
fi

say() { [ "$quiet" = 1 ] || echo "$@"; }
quietly() { if [ "$quiet" = 1 ]; then "$@" >/dev/null; else "$@"; fi; }

if [ "$system" = 1 ]; then
    destdir="${SITBREAK_DESTDIR:-}"
    if [ -z "$destdir" ] && [ "$(id -u)" -ne 0 ]; then
        echo "install.sh --system must run as root (sudo)" >&2; exit 1
    fi
    venv="$destdir/opt/sitbreak/venv"
    bin="$destdir/usr/local/bin"
    share="$destdir/usr/local/share"
    etc_xdg="$destdir/etc/xdg"
    start=0   # the users' sessions start it at their next login
else
    [ -n "$system_config" ] && { echo "--system-config needs --system" >&2; exit 2; }
    venv="${XDG_DATA_HOME:-$HOME/.local/share}/sitbreak/venv"
    bin="$HOME/.local/bin"
    share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi

python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null ||
    { echo "sitbreak needs Python >= 3.11 (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
"$python" -c 'import venv, ensurepip' 2>/dev/null ||
    { echo "Python's venv module is missing (Debian/Ubuntu: apt install python3-venv)" >&2; exit 1; }
"$python" -c 'import tkinter' 2>/dev/null ||
    echo "note: tkinter is missing (Debian/Ubuntu: apt install python3-tk); the stretch card needs it" >&2

# a running per-user copy is stopped before its files are replaced, and started again below
was_running=0
if [ "$system" = 0 ] && [ -x "$venv/bin/sitbreak" ] && "$venv/bin/sitbreak" status >/dev/null 2>&1; then
    was_running=1
    "$venv/bin/sitbreak" quit >/dev/null 2>&1 || true
    for _ in $(seq 50); do "$venv/bin/sitbreak" status >/dev/null 2>&1 || break; sleep 0.2; done
fi

say "installing sitbreak into $venv…"
mkdir -p "$(dirname "$venv")" "$bin"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install --upgrade "$root$extras" >&2   # pip rebuilds a local checkout every time
ln -sfn "$venv/bin/sitbreak" "$bin/sitbreak"
sitbreak="$venv/bin/sitbreak"

# the icon set (hicolor theme) and the launcher, from the installed package's own copy
icons="$("$venv/bin/python" -c 'from importlib.resources import files; print(files("sitbreak") / "data/assets/icons/hicolor")')"
for f in "$icons"/*/apps/sitbreak.*; do
    size="$(basename "$(dirname "$(dirname "$f")")")"
    install -D -m 644 "$f" "$share/icons/hicolor/$size/apps/$(basename "$f")"
done
if command -v gtk-update-icon-cache >/dev/null && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
fi
mkdir -p "$share/applications"
"$venv/bin/python" -m sitbreak.autostart.xdg --menu "$bin/sitbreak" run > "$share/applications/sitbreak.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" 2>/dev/null || true

if [ "$system" = 1 ]; then
    if [ -n "$system_config" ]; then
        mkdir -p "$etc_xdg/sitbreak"
        install -m 644 "$system_config" "$etc_xdg/sitbreak/sitbreak.toml.new"
        mv -f "$etc_xdg/sitbreak/sitbreak.toml.new" "$etc_xdg/sitbreak/sitbreak.toml"
        XDG_CONFIG_DIRS="$etc_xdg" quietly "$sitbreak" config check --system
    fi
    if [ "$autostart" = 1 ]; then
        XDG_CONFIG_DIRS="$etc_xdg" quietly "$sitbreak" autostart enable --all-users
    fi
    say "installed for all users: $bin/sitbreak (starts at each user's next login)"
    exit 0
fi

if [ "$autostart" = 1 ]; then
    if [ "$systemd" = 1 ]; then quietly "$sitbreak" autostart enable --systemd
    else quietly "$sitbreak" autostart enable; fi
fi
[ -e "$("$sitbreak" config path)" ] || "$sitbreak" config init >/dev/null

if [ "$start" = 1 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ "$was_running" = 1 ]; }; then
    if [ "$systemd" = 1 ] && systemctl --user start sitbreak.service 2>/dev/null; then
        :
    else
        # its own session, no terminal, nothing of ours held open (-f: fork and return)
        (cd / && exec setsid -f "$sitbreak" run </dev/null >/dev/null 2>&1)
    fi
    for _ in $(seq 75); do "$sitbreak" status >/dev/null 2>&1 && break; sleep 0.2; done
    if "$sitbreak" status >/dev/null 2>&1; then
        say "sitbreak is running in your tray; it starts with each session from now on"
    else
        echo "sitbreak did not answer within 15 s; its log: ${XDG_STATE_HOME:-$HOME/.local/state}/sitbreak/log/sitbreak.log" >&2
    fi
else
    say "sitbreak starts with your next session (or run: sitbreak run)"
fi
say "installed: $bin/sitbreak (config: $("$sitbreak" config path))"
case ":$PATH:" in *":$bin:"*) ;; *) say "add $bin to your PATH to run 'sitbreak' directly" ;; esac
