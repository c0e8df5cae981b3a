"""One error base; the CLI edge turns each into an exit code and a one-line message."""

from __future__ import annotations


class SitbreakError(Exception):
    """A problem the user can act on; its message is one line and names what is wrong."""

    exit_code = 1


class UsageError(SitbreakError):
    exit_code = 2


class ConfigError(SitbreakError):
    exit_code = 2


class TraceError(SitbreakError):
    exit_code = 2


class ContentError(SitbreakError):
    exit_code = 2


class PlatformUnsupported(SitbreakError):
    exit_code = 3


class DaemonNotRunning(SitbreakError):
    exit_code = 4
