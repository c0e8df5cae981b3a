"""The engine is sans-IO: standard library only, no clock, no threads, no I/O."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "src" / "sitbreak" / "engine"
ALLOWED = {"__future__", "collections", "dataclasses", "datetime", "math", "random", "typing"}
FORBIDDEN_MODULES = ["time", "threading", "asyncio", "socket", "os", "io", "subprocess",
                     "pynput", "plyer", "pystray", "pydantic", "pydantic_settings", "platformdirs",
                     "sqlite3", "logging", "tkinter", "dbus_fast"]


def test_engine_modules_import_only_the_allowed_standard_library():
    for path in ENGINE.glob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in ALLOWED or name.startswith("sitbreak.engine"), f"{path.name}: {name}"


def test_importing_the_engine_loads_no_clock_thread_or_io_module():
    code = ("import sys; before = set(sys.modules); import sitbreak.engine; "
            "print(','.join(sorted(set(sys.modules) - before)))")
    out = subprocess.run([sys.executable, "-X", "frozen_modules=off", "-c", code],
                         capture_output=True, text=True, check=True).stdout.strip().split(",")
    for name in FORBIDDEN_MODULES:
        assert name not in out, f"importing the engine pulled in {name}"


def test_engine_source_never_calls_a_clock():
    text = "\n".join(p.read_text() for p in ENGINE.glob("*.py"))
    for call in ("datetime.now(", "date.today(", "time.time(", "monotonic(", "perf_counter("):
        assert call not in text
