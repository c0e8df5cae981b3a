"""Picks the presence sources for this platform (each one can be turned off in ``[presence]``)
and says why each candidate was or was not taken (`sitbreak doctor`, the log).

Linux: the microphone over the PulseAudio protocol (PulseAudio or pipewire-pulse), a camera
held open, idle inhibitors over D-Bus. Windows: the consent store (microphone and webcam).
macOS: CoreAudio input devices. Several sources may run at once: a call is on while any says so.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass

from sitbreak.adapters.base import Picked, PresenceSource, Reason, not_taken, taken
from sitbreak.i18n import N_


@dataclass(frozen=True, slots=True)
class PresenceChoice:
    microphone: bool = True
    camera: bool = True
    inhibitors: bool = True
    camera_dir: str = "/dev"


def select_presence_sources(choice: PresenceChoice,
                            platform: str | None = None) -> Picked[list[PresenceSource]]:
    platform = platform or sys.platform
    picked: list[PresenceSource] = []
    reasons: list[Reason] = []

    def off(name: str) -> None:
        reasons.append(not_taken(name, N_("turned off in [presence]")))

    if platform.startswith("linux"):
        if not choice.microphone:
            off("microphone")
        elif importlib.util.find_spec("pulsectl") is None:
            reasons.append(not_taken("microphone",
                                     N_("pulsectl is not installed (pip install pulsectl)")))
        elif not _pulse_reachable():
            # libpulse would create $XDG_RUNTIME_DIR (or a /tmp dir) for its socket on connect:
            # never make directories in a shared place on the user's behalf
            reasons.append(not_taken("microphone", N_(
                "no sound server socket to ask: $XDG_RUNTIME_DIR is not a directory and "
                "$PULSE_SERVER is not set")))
        else:
            from sitbreak.adapters.presence_pulse import PulseMicrophone

            picked.append(PulseMicrophone())
            reasons.append(taken("microphone", N_(
                "picked: capture streams over the PulseAudio protocol (PulseAudio or PipeWire), "
                "subscribed, not polled")))
        if not choice.camera:
            off("camera")
        else:
            from sitbreak.adapters.presence_camera import CameraInUse

            picked.append(CameraInUse(choice.camera_dir))
            reasons.append(taken("camera", N_(
                "picked: {dir}/video* held open by your processes, looked at only when it "
                "matters"), dir=choice.camera_dir))
        if not choice.inhibitors:
            off("idle inhibitors")
        else:
            from sitbreak.adapters.presence_dbus import DbusInhibitors

            picked.append(DbusInhibitors())
            reasons.append(taken("idle inhibitors", N_(
                "picked: org.gnome.SessionManager.IsInhibited(8), "
                "org.freedesktop.PowerManagement.Inhibit")))
    elif platform == "win32":
        if not (choice.microphone or choice.camera):
            off("microphone/camera")
        else:
            from sitbreak.adapters.presence_windows import ConsentStoreCalls

            picked.append(ConsentStoreCalls())
            reasons.append(taken("microphone/camera", N_(
                "picked: CapabilityAccessManager consent store (not yet run on Windows)")))
        reasons.append(not_taken("idle inhibitors", N_("no public query on Windows")))
    elif platform == "darwin":
        if not choice.microphone:
            off("microphone")
        else:
            from sitbreak.adapters.presence_macos import CoreAudioMicrophone

            picked.append(CoreAudioMicrophone())
            reasons.append(taken("microphone", N_(
                "picked: CoreAudio DeviceIsRunningSomewhere on input devices (not yet run on "
                "macOS)")))
        reasons.append(not_taken("camera", N_("no public query on macOS")))
    else:
        reasons.append(not_taken("all", N_("no presence sources for {platform}"),
                                 platform=platform))
    name = ", ".join(s.name for s in picked) or "none"
    return Picked(picked, name, tuple(reasons))


def _pulse_reachable() -> bool:
    """A PulseAudio-protocol server can only be where $PULSE_SERVER or the user's runtime dir
    says; without either, connecting would only make libpulse create directories."""
    import os

    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return runtime is not None and runtime != "" and os.path.isdir(runtime)
