"""The config file's schema (TOML). Every key is documented in config/sitbreak.toml."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from sitbreak.engine.hours import HoursError, parse_working_hours
from sitbreak.i18n import _
from sitbreak.limits import INT64_MAX, INT64_MIN
from sitbreak.settings.durations import parse_duration
from sitbreak.settings.strict import strict_bool, strict_int, text_without_controls

# Every duration is finite and within 0 s … 24 h (sitbreak/limits.py) before any check below.
Duration = Annotated[float, BeforeValidator(parse_duration)]
# true/false only (TOML booleans; "true"/"false" from the environment): never "yes" or 1
Flag = Annotated[bool, BeforeValidator(strict_bool)]
# a whole number: never a boolean, a fraction or non-ASCII digits
Whole = Annotated[int, BeforeValidator(strict_int)]
# a folder or file name: no control characters (a NUL byte would break every file call)
PathText = Annotated[str, BeforeValidator(text_without_controls), Field(max_length=4096)]
ItemId = Annotated[str, BeforeValidator(text_without_controls), Field(max_length=100)]


class _Section(BaseModel):
    # Nested models ignore unknown keys by default: a typo would silently do nothing.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Timing(_Section):
    stretch_every: Duration = 30 * 60
    posture_every: Duration = 15 * 60
    away_after: Duration = 3 * 60
    repeat_after: Duration = 10 * 60
    snooze: Duration = 10 * 60
    present_within: Duration = 60

    @model_validator(mode="after")
    def _ranges(self) -> Timing:
        if self.stretch_every < 60:
            raise ValueError(_("stretch_every: must be at least 1m"))
        if self.away_after <= 0:
            raise ValueError(_("away_after: must be more than 0s"))
        if self.away_after >= self.stretch_every:
            raise ValueError(
                _("away_after: must be shorter than stretch_every ({away_after:g}s >= "
                  "{stretch_every:g}s)").format(away_after=self.away_after, stretch_every=self.stretch_every)
            )
        if 0 < self.posture_every < 30:
            raise ValueError(_("posture_every: must be at least 30s, or 0 to turn posture checks off"))
        if self.posture_every >= self.stretch_every:
            raise ValueError(
                _("posture_every: must be shorter than stretch_every (or 0 to turn "
                  "posture checks off)")
            )
        if self.repeat_after < 30:
            raise ValueError(_("repeat_after: must be at least 30s"))
        if self.snooze < 30:
            raise ValueError(_("snooze: must be at least 30s"))
        if self.present_within >= self.away_after:
            raise ValueError(_("present_within: must be shorter than away_after"))
        return self


class Schedule(_Section):
    working_hours: Annotated[str, Field(max_length=500)] = ""

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, v: str) -> str:
        try:
            parse_working_hours(v)
        except HoursError as exc:
            raise ValueError(_(exc.template).format(**exc.values)) from None
        return v


class Activity(_Section):
    source: Literal["auto", "idle", "listener"] = "auto"
    idle_poll: Duration = 5.0
    inhibitors_count_as_sitting: bool = True

    @field_validator("idle_poll")
    @classmethod
    def _poll(cls, v: float) -> float:
        if not 1 <= v <= 60:
            raise ValueError(_("must be between 1s and 60s"))
        return v


class Calls(_Section):
    max: Duration = 4 * 3600

    @field_validator("max")
    @classmethod
    def _max(cls, v: float) -> float:
        if not 10 * 60 <= v <= 24 * 3600:
            raise ValueError(_("must be between 10m and 24h"))
        return v


class Presence(_Section):
    """Which sources may tell that you are at the desk without touching anything."""

    microphone: bool = True
    camera: bool = True
    inhibitors: bool = True
    camera_dir: str = "/dev"  # where video devices are looked for (a test points it elsewhere)


Where = Literal["desk", "standing", "floor"]


class Mix(_Section):
    """How stretch nudges share out: ``movement`` of every ``movement + stretch`` show a movement
    item (walking, desk activity), the rest a stretch or release, evenly spread."""

    movement: Whole = Field(default=1, ge=0, le=10)
    stretch: Whole = Field(default=2, ge=0, le=10)

    @field_validator("movement", "stretch", mode="before")
    @classmethod
    def _whole(cls, v: object) -> object:
        if isinstance(v, bool) or (isinstance(v, int) and not 0 <= v <= 10):
            raise ValueError(_("must be a whole number from 0 to 10, got {value}").format(
                value=str(v).lower()))
        return v

    @model_validator(mode="after")
    def _something(self) -> Mix:
        if self.movement == 0 and self.stretch == 0:
            raise ValueError(_("movement and stretch cannot both be 0"))
        return self

    def as_tuple(self) -> tuple[int, int]:
        return (self.movement, self.stretch)


class Content(_Section):
    where: list[Where] = Field(default_factory=lambda: list[Where](["desk", "standing"]))
    equipment: list[ItemId] = Field(default_factory=list, max_length=100)
    favourites: list[ItemId] = Field(default_factory=list, max_length=1000)
    exclude: list[ItemId] = Field(default_factory=list, max_length=1000)
    avoid_repeat: Whole = Field(default=4, ge=0, le=50)
    mix: Mix = Field(default_factory=Mix)
    dir: PathText = ""
    seed: Annotated[Whole, Field(ge=INT64_MIN, le=INT64_MAX)] | None = None

    @field_validator("mix", mode="before")
    @classmethod
    def _mix_table(cls, v: object) -> object:
        if not isinstance(v, dict | Mix):
            raise ValueError(_("must be a table like { movement = 1, stretch = 2 }"))
        return v


class Notifications(_Section):
    sound: Flag = False
    respect_dnd: Flag = True


class Card(_Section):
    theme: Literal["auto", "light", "dark"] = "auto"
    text_scale: float = Field(default=1.0, ge=0.75, le=2.5)
    sound: bool = True


class History(_Section):
    enabled: Flag = True
    retention_days: Whole = Field(default=365, ge=1, le=3650)
    path: PathText = ""


class UI(_Section):
    # "auto": LANGUAGE / LC_ALL / LC_MESSAGES / LANG (the desktop's language on Windows/macOS)
    language: Literal["auto", "en", "de", "fr", "es"] = "auto"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SITBREAK_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    timing: Timing = Field(default_factory=Timing)
    schedule: Schedule = Field(default_factory=Schedule)
    activity: Activity = Field(default_factory=Activity)
    calls: Calls = Field(default_factory=Calls)
    presence: Presence = Field(default_factory=Presence)
    content: Content = Field(default_factory=Content)
    notifications: Notifications = Field(default_factory=Notifications)
    card: Card = Field(default_factory=Card)
    history: History = Field(default_factory=History)
    ui: UI = Field(default_factory=UI)

    # The replay must not depend on the environment: a trace and a config give one output.
    use_env: ClassVar[bool] = True

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's parsed TOML arrives as init values; the environment overrides it.
        if not cls.use_env:
            return (init_settings,)
        return (env_settings, init_settings)
