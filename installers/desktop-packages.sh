#!/usr/bin/env bash
# Debian packages the end-to-end tests use (a real headless desktop: Xvfb, private D-Bus, dunst,
# trayer, xdotool) plus Tk for the stretch card, openbox (a real window manager for the card focus
# test), xfce4-panel (a real StatusNotifierItem host on X11) and libglib2.0-bin (gsettings, for
# GNOME's break reminders); for the Wayland tests (tests/wayland_session.py) headless Sway with
# wtype, waybar (a StatusNotifierItem host) and mako, xwayland + xhost (the Tk card on Sway) and
# grim (screenshots of the bar), kwin_wayland --virtual, wayland-info to list a compositor's
# protocols and KDE's idle.xml to check the shipped org_kde_kwin_idle bindings; a private
# PulseAudio server with a null sink for the microphone-in-use tests (pulseaudio; parecord from
# pulseaudio-utils; the card's and the nudge's sounds are heard there too); the validators for the autostart files (desktop-file-validate,
# systemd-analyze); fonts-dejavu-core so that Tk's default font has the accented letters of the
# German, French and Spanish cards (with --no-install-recommends nothing else brings a font);
# time zones for the clock tests across daylight-saving changes (tzdata).
# All of them under these names on Debian 12 and 13.
# Installs only what is missing, only as root.
set -euo pipefail
pkgs=(xvfb xauth xdotool dunst dbus dbus-x11 trayer x11-utils libnotify-bin imagemagick tk openbox
      xfce4-panel libglib2.0-bin
      sway wtype waybar mako-notifier kwin-wayland wayland-utils plasma-wayland-protocols
      xwayland x11-xserver-utils grim
      pulseaudio pulseaudio-utils desktop-file-utils systemd fonts-dejavu-core
      tzdata)
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
