"""Test helpers: config files, a fake clock, and a running bot against the fake Bot API."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import tomli_w

from bot.clock import Clock, system_clock
from bot.config import Config, Env, load_config
from bot.errors import UserError
from bot.services.registry import Services

REPO = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-token-never-real"

BASE_CONFIG: dict[str, Any] = {
    "event": {
        "title": "CSTD 26 - High-level Panel on WSIS progress",
        "timezone": "Europe/Zurich",
        "timezone_label": "Geneva time",
        "contact": "the CSTD secretariat",
    },
    "roles": {"organisers": [], "panelists": [], "high_level": []},
    "agenda": [{
        "id": "panel",
        "title": "High-level Panel: progress in the implementation of WSIS outcomes",
        "start": "2023-03-29T15:00",
        "end": "2023-03-29T17:30",
        "source": "concept_note.md",
    }],
    "reminders": {"before_minutes": [1440, 60, 10]},
    "floor": {
        "priority": ["in_room", "remote_high_level", "remote"],
        "minutes": {"panelist": 10, "in_room": 10, "remote_high_level": 7, "remote": 5},
        "remote_budget_minutes": 30,
        "warn_before_seconds": 60,
    },
    "knowledge": {"dir": str(REPO / "knowledge")},
    # Any free port: bots started by tests (and `python -m bot run` in tests/process.py) must
    # not collide on the default 8088. The address is logged at start-up.
    "screen": {"port": 0},
}


def shown(error: UserError, gettext: Callable[[str], str] = str) -> str:
    """A UserError's text as the shell shows it (bot.handlers.common), before HTML escaping."""
    return gettext(error.message).format(**{k: str(v) for k, v in error.params.items()})


def merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge tables; lists and scalars in `overrides` replace."""
    result = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def write_config(directory: Path, overrides: Mapping[str, Any] | None = None) -> Path:
    """Write BASE_CONFIG merged with `overrides` to directory/config.toml."""
    path = directory / "config.toml"
    path.write_text(tomli_w.dumps(merge(BASE_CONFIG, overrides or {})), encoding="utf-8")
    return path


def make_env(tmp_path: Path, base_url: str | None = None, token: str | None = TOKEN) -> Env:
    """An Env for a test: data in tmp_path/data, the fake server's base URL."""
    return Env(token=token, api_base_url=base_url, config_path=tmp_path / "config.toml",
               data_dir=tmp_path / "data")


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2023, 3, 29, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 0, **kwargs: float) -> datetime:
        self.now += timedelta(seconds=seconds, **kwargs)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


@dataclass
class RunningBot:
    """A started Application and its services."""

    application: Any
    services: Services
    config: Config

    async def stop(self) -> None:
        app = self.application
        if app.updater and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        # As run_polling does: feature shutdowns (the answering pool), then services.close().
        assert app.post_shutdown is not None
        await app.post_shutdown(app)


async def start_bot(tmp_path: Path, base_url: str, overrides: Mapping[str, Any] | None = None,
                    clock: Clock = system_clock) -> RunningBot:
    """Build the real Application from a config file and start polling the fake server."""
    from bot.app import build_application, build_services

    config = load_config(write_config(tmp_path, overrides))
    services = build_services(config, make_env(tmp_path, base_url), clock)
    application = build_application(services)
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1,
                                            drop_pending_updates=False)
    return RunningBot(application, services, config)
