"""config.toml -> frozen, validated dataclasses; secrets and paths from the environment.

Every section is a dataclass; the loader checks keys and types against the dataclass fields,
so adding a key means adding a field. Errors are one line naming the key (ConfigError).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.agenda import AgendaItem
from bot.domain.floor_rules import Category, FloorRules
from bot.i18n import LANGUAGES


class ConfigError(Exception):
    """A configuration problem; its text is one line naming the key."""


@dataclass(frozen=True)
class EventSection:
    title: str
    id: str = ""  # calendar id (.ics UIDs, file name); empty: derived from the title
    timezone: str = "Europe/Zurich"
    timezone_label: str = "Geneva time"
    contact: str = ""
    link: str = ""
    location: str = ""
    language: str = "en"  # the room screen's labels (one of bot.i18n.LANGUAGES)


@dataclass(frozen=True)
class RolesSection:
    organisers: tuple[int, ...] = ()
    panelists: tuple[int, ...] = ()
    high_level: tuple[int, ...] = ()


@dataclass(frozen=True)
class AgendaSection:
    id: str
    title: str
    start: str
    end: str
    link: str = ""
    description: str = ""
    source: str = ""


@dataclass(frozen=True)
class RemindersConfig:
    before_minutes: tuple[int, ...] = (1440, 60, 10)


@dataclass(frozen=True)
class FloorSection:
    priority: tuple[str, ...] = ("in_room", "remote_high_level", "remote")
    minutes: dict[str, float] = field(
        default_factory=lambda: {"panelist": 10, "in_room": 10, "remote_high_level": 7, "remote": 5}
    )
    remote_budget_minutes: float = 30
    warn_before_seconds: int = 60


@dataclass(frozen=True)
class KnowledgeConfig:
    dir: Path = Path("knowledge")
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class VectorStoreConfig:
    mode: str = "embedded"  # "embedded" | "http"
    host: str = "127.0.0.1"
    port: int = 8000
    collection: str = "panel_knowledge"


@dataclass(frozen=True)
class LLMConfig:
    enabled: bool = False
    provider: str = "openai"
    model: str = ""
    base_url: str = ""
    api_key_env: str = ""
    timeout_seconds: float = 8.0
    temperature: float = 0.0


@dataclass(frozen=True)
class LimitsConfig:
    questions_per_minute: int = 10
    broadcast_messages_per_second: float = 25.0
    per_chat_messages_per_second: float = 1.0


@dataclass(frozen=True)
class AnswersConfig:
    """Question answering: fusion weights and evidence thresholds (tuned by bench/qa_eval.py)."""

    dense_weight: float = 1.0
    lexical_weight: float = 0.25
    rrf_k: float = 60.0
    max_chars: int = 600
    min_score: float = 0.805
    word_similarity: float = 0.88


@dataclass(frozen=True)
class ScreenSection:
    """The web server of the room screen, the booth view and the chair's console."""

    enabled: bool = True  # it only ever runs with the Telegram bot, i.e. when a token is set
    listen: str = "127.0.0.1"
    port: int = 8088  # 0: any free port (tests)
    public_url: str = ""  # what links show; empty: http://<listen>:<port>

    def url(self, port: int | None = None) -> str:
        """The base URL links show (the bound port when `port` is given and none is set)."""
        if self.public_url:
            return self.public_url
        host = self.listen if self.listen not in ("0.0.0.0", "::", "") else "127.0.0.1"
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port if port is None else port}"


@dataclass(frozen=True)
class _Raw:
    """The file as written, section by section (before cross-field checks)."""

    event: EventSection
    roles: RolesSection = field(default_factory=RolesSection)
    agenda: tuple[AgendaSection, ...] = ()
    reminders: RemindersConfig = field(default_factory=RemindersConfig)
    floor: FloorSection = field(default_factory=FloorSection)
    knowledge: KnowledgeConfig = field(default_factory=KnowledgeConfig)
    vector_store: VectorStoreConfig = field(default_factory=VectorStoreConfig)
    llm: LLMConfig = field(default_factory=LLMConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    answers: AnswersConfig = field(default_factory=AnswersConfig)
    screen: ScreenSection = field(default_factory=ScreenSection)


@dataclass(frozen=True)
class Config:
    """The validated configuration of one meeting."""

    event: EventSection
    tz: ZoneInfo
    roles: RolesSection
    agenda: tuple[AgendaItem, ...]
    reminders: RemindersConfig
    floor: FloorRules
    knowledge: KnowledgeConfig
    vector_store: VectorStoreConfig
    llm: LLMConfig
    limits: LimitsConfig
    path: Path | None = None
    answers: AnswersConfig = field(default_factory=AnswersConfig)
    screen: ScreenSection = field(default_factory=ScreenSection)


def load_config(path: Path) -> Config:
    """Read and validate a config file; raises ConfigError with one clear line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return parse_config(data, base_dir=Path(path).resolve().parent, path=Path(path))


def parse_config(data: Mapping[str, Any], base_dir: Path, path: Path | None = None) -> Config:
    """Validate an already-parsed TOML mapping."""
    raw = _build(_Raw, data, "")
    tz = _zone(raw.event.timezone, "event.timezone")
    agenda = tuple(_agenda_item(a, i, tz) for i, a in enumerate(raw.agenda))
    ids = [a.id for a in agenda]
    if len(set(ids)) != len(ids):
        raise ConfigError("agenda.id: every agenda item needs a distinct id")
    for minutes in raw.reminders.before_minutes:
        if minutes <= 0:
            raise ConfigError("reminders.before_minutes: each value must be a positive number")
    knowledge_dir = raw.knowledge.dir
    if not knowledge_dir.is_absolute():
        knowledge_dir = base_dir / knowledge_dir
    if raw.limits.broadcast_messages_per_second <= 0:
        raise ConfigError("limits.broadcast_messages_per_second: must be a positive number")
    if raw.limits.per_chat_messages_per_second <= 0:
        raise ConfigError("limits.per_chat_messages_per_second: must be a positive number")
    if raw.vector_store.mode not in ("embedded", "http"):
        raise ConfigError('vector_store.mode: must be "embedded" or "http"')
    if raw.event.language not in LANGUAGES:
        raise ConfigError(f"event.language: unknown language {_show(raw.event.language)} "
                          f"(use one of {', '.join(LANGUAGES)})")
    return Config(
        event=raw.event,
        tz=tz,
        roles=raw.roles,
        agenda=agenda,
        reminders=raw.reminders,
        floor=_floor_rules(raw.floor),
        knowledge=dataclasses.replace(raw.knowledge, dir=knowledge_dir),
        vector_store=raw.vector_store,
        llm=raw.llm,
        limits=raw.limits,
        answers=raw.answers,
        screen=_screen(raw.screen),
        path=path,
    )


def _screen(section: ScreenSection) -> ScreenSection:
    if not 0 <= section.port <= 65535:
        raise ConfigError(f"screen.port: expected a port number (0-65535), got {section.port}")
    if not section.listen.strip():
        raise ConfigError("screen.listen: expected an address such as 127.0.0.1")
    url = section.public_url.strip().rstrip("/")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
                or parts.fragment:
            raise ConfigError("screen.public_url: expected an http:// or https:// address such "
                              f"as https://panel.example.org, got {_show(section.public_url)}")
    return dataclasses.replace(section, listen=section.listen.strip(), public_url=url)


def _zone(name: str, key: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{key}: unknown time zone {name!r} (use an IANA name such as "
                          "Europe/Zurich)") from None


def _agenda_item(section: AgendaSection, index: int, tz: ZoneInfo) -> AgendaItem:
    key = f"agenda[{index}]"
    start = _local_time(section.start, f"{key}.start", tz)
    end = _local_time(section.end, f"{key}.end", tz)
    if end <= start:
        raise ConfigError(f"{key}.end: must be after {key}.start")
    return AgendaItem(
        id=section.id, title=section.title, start=start, end=end,
        link=section.link or None, description=section.description,
        source=section.source or None,
    )


def _local_time(value: str, key: str, tz: ZoneInfo) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{key}: expected a local time like 2023-03-29T15:00, got {_show(value)}"
                          ) from None
    if moment.tzinfo is not None:
        raise ConfigError(f"{key}: write the local time without an offset; the zone is "
                          "event.timezone")
    return moment.replace(tzinfo=tz)


def _floor_rules(section: FloorSection) -> FloorRules:
    for category in section.priority:
        if category not in tuple(Category):
            raise ConfigError(f"floor.priority: unknown category {category!r} "
                              f"(known: {', '.join(tuple(Category))})")
    if len(set(section.priority)) != len(section.priority):
        raise ConfigError("floor.priority: a category is listed twice")
    minutes = {**FloorSection().minutes, **section.minutes}
    for category, value in minutes.items():
        if category not in tuple(Category):
            raise ConfigError(f"floor.minutes.{category}: unknown category "
                              f"(known: {', '.join(tuple(Category))})")
        if value <= 0:
            raise ConfigError(f"floor.minutes.{category}: must be a positive number of minutes")
    if section.remote_budget_minutes < 0:
        raise ConfigError("floor.remote_budget_minutes: must not be negative")
    if section.warn_before_seconds < 0:
        raise ConfigError("floor.warn_before_seconds: must not be negative")
    return FloorRules(
        priority=tuple(Category(c) for c in section.priority),
        minutes=types.MappingProxyType({Category(c): v for c, v in minutes.items()}),
        remote_budget_minutes=section.remote_budget_minutes,
        warn_before_seconds=section.warn_before_seconds,
    )


# --- generic, type-driven validation ------------------------------------------------------

def _build(cls: type, data: Any, prefix: str) -> Any:
    if not isinstance(data, Mapping):
        raise ConfigError(f"{prefix or 'config'}: expected a table")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise ConfigError(f"{prefix}{_show_key(key)}: unknown key (known here: {known})")
    values: dict[str, Any] = {}
    for name, fld in fields.items():
        key = f"{prefix}{name}"
        if name in data:
            values[name] = _coerce(hints[name], data[name], key)
        elif fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
            raise ConfigError(f"{key}: required key is missing")
    return cls(**values)


def _show_key(key: object) -> str:
    """A key as it can be shown on one line."""
    text = str(key)
    return text if text.replace("_", "").replace("-", "").isalnum() else repr(text)[:60]


def _show(value: object) -> str:
    """A value as it can be shown on one line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _coerce(hint: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        return _build(typing.cast(type, hint), value, f"{key}.")
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"{key}: expected a list")
        return tuple(_coerce(args[0], v, f"{key}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key}: expected a table")
        return {str(k): _coerce(args[1], v, f"{key}.{_show_key(k)}") for k, v in value.items()}
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {_show(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key}: expected a whole number, got {_show(value)}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{key}: expected a number, got {_show(value)}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{key}: expected a string, got {_show(value)}")
        return value
    if hint is Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{key}: expected a path string, got {_show(value)}")
        return Path(value)
    raise ConfigError(f"{key}: unsupported setting type")  # pragma: no cover


# --- environment -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Env:
    """Process settings and secrets from the environment (never from the config file)."""

    token: str | None = field(default=None, repr=False)
    api_base_url: str | None = None
    config_path: Path = Path("config.toml")
    data_dir: Path = Path("data")
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_port: int = 8443
    webhook_listen: str = "0.0.0.0"
    sqlite_sync: str = "NORMAL"  # PANEL_SQLITE_SYNC: FULL fsyncs every commit (bot/storage/db.py)
    loop_monitor: Path | None = None  # PANEL_LOOP_MONITOR: where bot/loop_monitor.py writes

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Env:
        """Read the PANEL_* and TELEGRAM_* variables (the only place the bot reads them)."""
        env = os.environ if environ is None else environ
        port_text = env.get("PANEL_WEBHOOK_PORT", "8443")
        try:
            port = int(port_text)
        except ValueError:
            raise ConfigError(f"PANEL_WEBHOOK_PORT: expected a port number, got {port_text!r}"
                              ) from None
        sync = (env.get("PANEL_SQLITE_SYNC") or "NORMAL").strip().upper()
        if sync not in ("NORMAL", "FULL"):
            raise ConfigError("PANEL_SQLITE_SYNC: expected FULL or NORMAL, got "
                              f"{env.get('PANEL_SQLITE_SYNC')!r}")
        monitor = env.get("PANEL_LOOP_MONITOR")
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            config_path=Path(env.get("PANEL_CONFIG") or "config.toml"),
            data_dir=Path(env.get("PANEL_DATA_DIR") or "data"),
            webhook_url=env.get("PANEL_WEBHOOK_URL") or None,
            webhook_secret=env.get("PANEL_WEBHOOK_SECRET") or None,
            webhook_port=port,
            webhook_listen=env.get("PANEL_WEBHOOK_LISTEN") or "0.0.0.0",
            sqlite_sync=sync,
            loop_monitor=Path(monitor) if monitor else None,
        )

    def ensure_data_dir(self) -> Path:
        """Create the state directory readable by the owner only."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
        return self.data_dir
