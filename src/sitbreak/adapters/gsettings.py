"""Reading a GSettings key without PyGObject: the ``gsettings`` tool (libglib2.0-bin, on every
GNOME desktop), its GVariant text parsed for the few shapes we read (booleans, integers,
strings, string arrays). Never raises: None when the tool, schema or key is missing."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from typing import Any

TIMEOUT_S = 3.0
_TYPE_PREFIX = re.compile(r"^(?:@[a-z]+ |u?int(?:16|32|64) |byte )")


def parse(text: str) -> Any:
    """GVariant text as printed by ``gsettings get``: ``true``, ``uint32 1800``, ``'x'``,
    ``['a', 'b']``, ``@as []``. Raises ValueError for anything else."""
    text = _TYPE_PREFIX.sub("", text.strip())
    if text in ("true", "false"):
        return text == "true"
    value = ast.literal_eval(text)
    if isinstance(value, bool) or not isinstance(value, int | str | list):
        raise ValueError(f"unexpected GVariant text {text!r}")
    if isinstance(value, list) and not all(isinstance(v, str) for v in value):
        raise ValueError(f"unexpected GVariant array {text!r}")
    return value


def schema_installed(schema: str) -> bool:
    tool = shutil.which("gsettings")
    if tool is None:
        return False
    try:
        r = subprocess.run([tool, "list-schemas"], capture_output=True, text=True,
                           timeout=TIMEOUT_S, check=False, stdin=subprocess.DEVNULL)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    return schema in r.stdout.split()


def get(schema: str, key: str) -> Any:
    tool = shutil.which("gsettings")
    if tool is None:
        return None
    try:
        r = subprocess.run([tool, "get", schema, key], capture_output=True, text=True,
                           timeout=TIMEOUT_S, check=False, stdin=subprocess.DEVNULL)  # fmt: skip
        if r.returncode != 0:
            return None  # "No such schema" / "No such key"
        return parse(r.stdout)
    except (OSError, subprocess.SubprocessError, ValueError, SyntaxError):
        return None
