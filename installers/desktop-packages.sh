#!/usr/bin/env bash
# Debian packages the end-to-end tests use (a real headless desktop: Xvfb, private D-Bus, dunst,
# trayer, xdotool) plus Tk for the stretch card, openbox (a real window manager for the card focus
# test), PulseAudio (a private server with a null sink: the card's and the nudge's sounds are
# heard there) and the GTK build deps for the tray menu extra.
# Installs only what is missing, only as root.
set -euo pipefail
pkgs=(xvfb xauth xdotool dunst dbus dbus-x11 trayer x11-utils libnotify-bin imagemagick tk openbox
      pulseaudio pulseaudio-utils
      gir1.2-gtk-3.0 libgirepository1.0-dev libcairo2-dev pkg-config)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "note: missing Debian packages (${missing[*]}); desktop tests will be skipped" >&2
    exit 0
fi
echo "installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
