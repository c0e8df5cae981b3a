#!/usr/bin/env bash
# Creates (or refreshes) the project's virtual environment in .venv.
# Usage: installers/venv.sh [runtime|dev]   — prints nothing on a warm run.
# Re-installs only when pyproject.toml changed, so repeated runs start fast.
set -euo pipefail
exec 3>&2  # progress lines go to the terminal even while pip's own errors go to a log
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kind="${1:-runtime}"
venv="${SITBREAK_VENV:-$root/.venv}"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "sitbreak needs Python >= 3.11 (found: $("$python" --version 2>&1))" >&2
    exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
    echo "setting up $venv (first run only, about a minute):" >&2
    echo "  creating the virtual environment…" >&2
    "$python" -m venv "$venv"
    echo "  updating pip…" >&2
    if ! "$venv/bin/python" -m pip install --quiet --upgrade pip >"$venv/pip-install.log" 2>&1; then
        echo "  (pip could not update itself; going on with $("$venv/bin/python" -m pip --version | cut -d' ' -f1-2))" >&2
    fi
fi
# Wheels only: the tray menu on Linux is spoken over D-Bus (dbus-fast), nothing is compiled for
# it. (dev adds pynput, whose evdev dependency does compile: tests only.)
extras=""
if [ "$kind" = dev ]; then extras="dev"; fi
# GitHub's CI also gets actionlint (its build downloads the binary from GitHub, which only CI
# there can reach for sure; elsewhere the workflow test skips without it)
if [ "$kind" = dev ] && [ "${GITHUB_ACTIONS:-}" = true ]; then
    extras="$extras,actionlint"
fi
stamp="$venv/.sitbreak-$kind.stamp"
want="$(cat "$root/pyproject.toml" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
# pip's own output is long; show one numbered line per package it fetches, then the slow
# unpacking step, so a first run never looks hung.
progress() {
    awk '
        /^Collecting / { n++; printf "  [%d] %s\n", n, $2; fflush(); next }
        /^Installing collected packages:/ {
            sub(/^Installing collected packages: /, ""); k = split($0, names, ", ")
            printf "  installing %d packages (the longest step)…\n", k; fflush(); next
        }
        /^Successfully installed/ { print "  done."; fflush() }
    ' >&3
}
# pip's warnings (setuptools' notes on package data, this machine's index settings) go to a
# log shown only when the install fails.
pip_install() {
    local spec="$root" log="$venv/pip-install.log"
    [ -n "$1" ] && spec="${root}[$1]"
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
        -e "$spec" 2>"$log" | progress; then
        echo "pip install failed; the end of $log:" >&2
        tail -n 30 "$log" >&2
        return 1
    fi
}
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "installing sitbreak${extras:+[$extras]} into $venv…" >&2
    pip_install "$extras"
    echo "$want" > "$stamp"
fi
