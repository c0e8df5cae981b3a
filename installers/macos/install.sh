#!/usr/bin/env bash
# Installs sitbreak on macOS from this checkout and starts it in the menu bar; safe to run again.
#
# For you (no admin rights):            installers/macos/install.sh
#   - a virtual environment in ~/Library/Application Support/sitbreak/venv, `sitbreak` in
#     ~/.local/bin, sitbreak.app (with its icon) in ~/Applications,
#   - a LaunchAgent (~/Library/LaunchAgents/org.sitbreak.agent.plist) that starts it at login and
#     again after a crash; it is loaded at once, so sitbreak starts now.
# For every user of this Mac (admin; silent, for MDM such as Jamf or Intune):
#   sudo installers/macos/install.sh --system [--system-config office.toml]
#   - /Library/sitbreak/venv, /usr/local/bin/sitbreak, /Applications/sitbreak.app,
#   - /Library/LaunchAgents/org.sitbreak.agent.plist (each user's next login),
#   - --system-config FILE: office defaults and locks in
#     /Library/Application Support/sitbreak/sitbreak.toml.
# Options: --listener --no-autostart --no-start --quiet --uninstall [--purge]
#   --uninstall keeps your config and history (~/Library/Application Support/sitbreak); --purge
#   removes them too. Environment: PYTHON=/path/to/python3.11+ (python.org or Homebrew).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

system=0 extras="" autostart=1 start=1 quiet=0 uninstall=0 purge=0 system_config=""
while [ "$#" -gt 0 ]; do
    case "$1" in
        --system) system=1 ;;
        --system-config) shift; system_config="${1:?--system-config needs a file}" ;;
        --listener) extras="[listener]" ;;
        --no-autostart) autostart=0 ;;
        --no-start) start=0 ;;
        --quiet) quiet=1 ;;
        --uninstall) uninstall=1 ;;
        --purge) purge=1 ;;
        -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
say() { [ "$quiet" = 1 ] || echo "$@"; }
quietly() { if [ "$quiet" = 1 ]; then "$@" >/dev/null; else "$@"; fi; }

support="$HOME/Library/Application Support/sitbreak"   # config and history live here too
if [ "$system" = 1 ]; then
    [ "$(id -u)" -eq 0 ] || { echo "install.sh --system must run as root (sudo)" >&2; exit 1; }
    venv="/Library/sitbreak/venv"
    bin="/usr/local/bin"
    apps="/Applications"
    all=(--all-users)
else
    venv="$support/venv"
    bin="$HOME/.local/bin"
    apps="$HOME/Applications"
    all=()
fi
sitbreak="$venv/bin/sitbreak"

if [ "$uninstall" = 1 ]; then
    if [ -x "$sitbreak" ]; then
        [ "$system" = 1 ] || "$sitbreak" quit >/dev/null 2>&1 || true
        quietly "$sitbreak" autostart disable ${all[@]+"${all[@]}"} || true
    fi
    rm -rf "$venv" "$apps/sitbreak.app"
    if [ -L "$bin/sitbreak" ]; then rm -f "$bin/sitbreak"; fi
    if [ "$system" = 1 ]; then
        rmdir /Library/sitbreak 2>/dev/null || true
        [ "$purge" = 1 ] && rm -rf "/Library/Application Support/sitbreak"
        say "sitbreak removed for all users"
    elif [ "$purge" = 1 ]; then
        rm -rf "$support" "$HOME/Library/Logs/sitbreak" "$HOME/Library/Caches/sitbreak"
        say "sitbreak removed, with your config and history"
    else
        say "sitbreak removed; your config and history stay in $support (--purge removes them)"
    fi
    exit 0
fi

python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null ||
    { echo "sitbreak needs Python >= 3.11 (python.org installer or 'brew install python@3.12'; then PYTHON=...)" >&2; exit 1; }
"$python" -c 'import tkinter' 2>/dev/null ||
    echo "note: tkinter is missing (Homebrew: brew install python-tk); the stretch card needs it" >&2

if [ "$system" = 0 ] && [ -x "$sitbreak" ] && "$sitbreak" status >/dev/null 2>&1; then
    "$sitbreak" quit >/dev/null 2>&1 || true   # started again below, on the new code
fi
say "installing sitbreak into $venv…"
mkdir -p "$(dirname "$venv")" "$bin" "$apps"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip --disable-pip-version-check --quiet install --upgrade "$root$extras" >&2
ln -sfn "$sitbreak" "$bin/sitbreak"
quietly "$venv/bin/python" -m sitbreak.autostart.macos_app "$apps/sitbreak.app" "$sitbreak" run

if [ -n "$system_config" ]; then
    [ "$system" = 1 ] || { echo "--system-config needs --system" >&2; exit 2; }
    mkdir -p "/Library/Application Support/sitbreak"
    install -m 644 "$system_config" "/Library/Application Support/sitbreak/sitbreak.toml"
    quietly "$sitbreak" config check --system
fi
if [ "$autostart" = 1 ]; then
    # per user this also loads the agent, which starts sitbreak now (RunAtLoad)
    quietly "$sitbreak" autostart enable ${all[@]+"${all[@]}"}
fi
if [ "$system" = 1 ]; then
    say "installed for all users: $bin/sitbreak (starts at each user's next login)"
    exit 0
fi
[ -e "$("$sitbreak" config path)" ] || "$sitbreak" config init >/dev/null
if [ "$start" = 1 ] && ! "$sitbreak" status >/dev/null 2>&1; then
    open "$apps/sitbreak.app" 2>/dev/null || (cd / && nohup "$sitbreak" run </dev/null >/dev/null 2>&1 &)
fi
if [ "$start" = 1 ]; then
    for _ in $(seq 75); do "$sitbreak" status >/dev/null 2>&1 && break; sleep 0.2; done
    if "$sitbreak" status >/dev/null 2>&1; then
        say "sitbreak is running in your menu bar; it starts at each login from now on"
    else
        echo "sitbreak did not answer within 15 s; its log: ~/Library/Logs/sitbreak/" >&2
    fi
fi
say "installed: $bin/sitbreak (config: $("$sitbreak" config path))"
case ":$PATH:" in *":$bin:"*) ;; *) say "add $bin to your PATH to run 'sitbreak' directly" ;; esac
