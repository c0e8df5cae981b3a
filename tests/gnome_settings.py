"""A private GSettings store for tests: the real ``gsettings`` tool on GLib's keyfile backend
(``$XDG_CONFIG_HOME/glib-2.0/settings/keyfile``), with the GNOME schemas sitbreak reads.

Where the machine has a schema installed (Debian 13's gsettings-desktop-schemas 48 carries
``org.gnome.desktop.break-reminders``), that one is used; otherwise a copy of the keys we read,
restated from upstream's gsettings-desktop-schemas / gnome-shell schema files, is compiled into a
private schema dir (Debian 12 has GNOME 43's schemas, gnome-shell's only with gnome-shell).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

BREAK_REMINDERS = """\
  <schema id="org.gnome.desktop.break-reminders" path="/org/gnome/desktop/break-reminders/">
    <key name="selected-breaks" type="as"><default>[]</default></key>
    <child schema="org.gnome.desktop.break-reminders.movement" name="movement"/>
    <child schema="org.gnome.desktop.break-reminders.eyesight" name="eyesight"/>
  </schema>
  <schema id="org.gnome.desktop.break-reminders.movement"
          path="/org/gnome/desktop/break-reminders/movement/">
    <key name="interval-seconds" type="u"><default>1800</default><range min="10"/></key>
    <key name="duration-seconds" type="u"><default>300</default><range min="10"/></key>
  </schema>
  <schema id="org.gnome.desktop.break-reminders.eyesight"
          path="/org/gnome/desktop/break-reminders/eyesight/">
    <key name="interval-seconds" type="u"><default>1200</default><range min="10"/></key>
    <key name="duration-seconds" type="u"><default>20</default><range min="10"/></key>
  </schema>
"""

GNOME_SHELL = """\
  <schema id="org.gnome.shell" path="/org/gnome/shell/">
    <key name="enabled-extensions" type="as"><default>[]</default></key>
    <key name="disable-user-extensions" type="b"><default>false</default></key>
  </schema>
"""

SCHEMAS = {"org.gnome.desktop.break-reminders": BREAK_REMINDERS, "org.gnome.shell": GNOME_SHELL}


def missing() -> str | None:
    for tool in ("gsettings", "glib-compile-schemas"):
        if shutil.which(tool) is None:
            return f"{tool} not installed (Debian: libglib2.0-bin)"
    return None


def installed_schemas() -> set[str]:
    r = subprocess.run(["gsettings", "list-schemas"], capture_output=True, text=True, check=True,
                       env={"PATH": "/usr/bin:/bin", "GSETTINGS_BACKEND": "memory"})  # fmt: skip
    return set(r.stdout.split())


def gsettings_env(state: Path, *, schemas: tuple[str, ...] = tuple(SCHEMAS)) -> dict[str, str]:
    """Environment overrides for a private store under ``state``; ``schemas`` are the ones to
    make available (the others stay as installed, usually absent)."""
    have = installed_schemas()
    schema_dir = state / "gsettings-schemas"
    schema_dir.mkdir(parents=True, exist_ok=True)
    body = "".join(SCHEMAS[s] for s in schemas if s not in have)
    env = {"GSETTINGS_BACKEND": "keyfile"}
    if body:
        (schema_dir / "sitbreak-test.gschema.xml").write_text(f"<schemalist>\n{body}</schemalist>\n")
        subprocess.run(["glib-compile-schemas", str(schema_dir)], check=True, capture_output=True)
        env["GSETTINGS_SCHEMA_DIR"] = str(schema_dir)
    return env
