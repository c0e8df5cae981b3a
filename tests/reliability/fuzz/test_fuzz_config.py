"""Fuzzing the config loader (file and environment): every input is either a valid config whose
numbers are finite and in range, or one clear ConfigError line. Never another exception, never
a hang."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sitbreak.errors import ConfigError
from sitbreak.limits import MAX_DURATION_S
from sitbreak.settings import Settings, load, to_policy
from tests.reliability.fuzz.harness import (
    any_value,
    assert_one_clear_line,
    edits,
    fuzz_settings,
    mutate,
    no_hang,
    record,
    toml_document,
)

REPO = Path(__file__).resolve().parents[3]
SHIPPED = (REPO / "config" / "sitbreak.toml").read_bytes()
SCHEMA = {name: list(field.annotation.model_fields)  # type: ignore[union-attr]
          for name, field in Settings.model_fields.items()}
ENV_NAMES = [f"SITBREAK_{s.upper()}__{k.upper()}" for s, keys in SCHEMA.items() for k in keys]
ENV_NAMES += [f"SITBREAK_{s.upper()}" for s in SCHEMA]

section_names = st.one_of(st.sampled_from(list(SCHEMA)), st.text(max_size=10))


@st.composite
def config_documents(draw: st.DrawFn) -> bytes:
    tables: dict[str, dict[str, Any]] = {}
    for section in draw(st.lists(section_names, max_size=4, unique=True)):
        keys = SCHEMA.get(section, [])
        key_names = st.one_of(st.sampled_from(keys), st.text(max_size=10)) if keys else \
            st.text(max_size=10)
        tables[section] = draw(st.dictionaries(key_names, any_value, max_size=4))
    top = draw(st.dictionaries(st.text(max_size=8), any_value, max_size=2))
    return toml_document(tables, top).encode("utf-8", "surrogatepass")


@st.composite
def one_key_changed(draw: st.DrawFn) -> bytes:
    """The shipped config with one key set to a hostile (or plausible) value."""
    section = draw(st.sampled_from(list(SCHEMA)))
    key = draw(st.sampled_from(SCHEMA[section]))
    plausible = st.sampled_from(["10m", "45m", "1h 30m", "2m", "90", 0, 30, 1800, True, False,
                                 ["desk"], ["floor", "desk"], "idle", "auto", 7, 365, "",
                                 "mon-fri 08:00-18:00", "24h", "1h", "30s", 59.5])
    value = draw(st.one_of(any_value, plausible, plausible))
    return toml_document({section: {key: value}}, {}).encode("utf-8", "surrogatepass")


inputs = st.one_of(
    config_documents(),
    one_key_changed(),
    one_key_changed(),
    st.builds(mutate, st.just(SHIPPED), edits),
    st.binary(max_size=300),
)
env_values = st.dictionaries(
    st.sampled_from(ENV_NAMES),
    st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=60)
    | st.sampled_from(["inf", "nan", "9" * 400, "9" * 5000, "[" * 5000, '{"stretch_every": 1e999}',
                       '["desk"', "yes", "1"]),
    max_size=2,
)


def check(path: Path, env: dict[str, str]) -> None:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with no_hang(f"config {path}"):
            settings = load(path, use_env=bool(env))
    except ConfigError as exc:
        assert_one_clear_line(str(exc))
        record("config", "rejected")
        return
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    policy = to_policy(settings)  # the engine accepts whatever the loader accepted
    for name in ("stretch_every", "posture_every", "away_after", "repeat_after", "snooze",
                 "present_within"):
        value = getattr(policy, name)
        assert math.isfinite(value) and 0 <= value <= MAX_DURATION_S, (name, value)
    assert isinstance(settings.notifications.sound, bool)
    record("config", "accepted")


@fuzz_settings(300)
@given(data=inputs, env=st.one_of(st.just({}), st.just({}), env_values))
def test_config_loader_never_raises_anything_but_one_clear_line(
        tmp_path_factory: Any, data: bytes, env: dict[str, str]) -> None:
    folder = tmp_path_factory.getbasetemp() / "fuzz-config"
    folder.mkdir(exist_ok=True)
    path = folder / "sitbreak.toml"
    path.write_bytes(data)
    check(path, env)
