"""config.toml validation: each error names its key; the shipped config is valid."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.config import ConfigError, Env, load_config
from tests.support import REPO, write_config


def test_the_shipped_config_is_the_cstd_panel_in_geneva_summer_time() -> None:
    config = load_config(REPO / "config.toml")
    panel = config.agenda[0]
    assert config.event.timezone == "Europe/Zurich"
    assert panel.start.astimezone(UTC) == datetime(2023, 3, 29, 13, 0, tzinfo=UTC)
    assert panel.end.astimezone(UTC) == datetime(2023, 3, 29, 15, 30, tzinfo=UTC)
    assert config.floor.limit_seconds("remote_high_level") == 420
    assert config.floor.remote_budget_seconds == 1800
    assert config.knowledge.dir == REPO / "knowledge"


@pytest.mark.parametrize(("overrides", "key"), [
    ({"event": {"colour": "blue"}}, "event.colour"),
    ({"event": {"timezone": "Europe/Geneva"}}, "event.timezone"),
    ({"reminders": {"before_minutes": "ten"}}, "reminders.before_minutes"),
    ({"reminders": {"before_minutes": [10, -5]}}, "reminders.before_minutes"),
    ({"floor": {"remote_budget_minutes": "thirty"}}, "floor.remote_budget_minutes"),
    ({"floor": {"priority": ["in_room", "lobby"]}}, "floor.priority"),
    ({"floor": {"minutes": {"remote": 0}}}, "floor.minutes.remote"),
    ({"agenda": [{"id": "x", "title": "X", "start": "2023-03-29T17:00",
                  "end": "2023-03-29T15:00"}]}, "agenda[0].end"),
    ({"agenda": [{"id": "x", "title": "X", "start": "tomorrow", "end": "2023-03-29T15:00"}]},
     "agenda[0].start"),
    ({"agenda": [{"id": "x", "start": "2023-03-29T15:00", "end": "2023-03-29T16:00"}]},
     "agenda[0].title"),
    ({"roles": {"organisers": ["alice"]}}, "roles.organisers[0]"),
    ({"vector_store": {"mode": "cloud"}}, "vector_store.mode"),
    ({"llm": {"enabled": "yes"}}, "llm.enabled"),
    ({"mystery": {}}, "mystery"),
])
def test_bad_config_names_the_key(tmp_path: Path, overrides: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write_config(tmp_path, overrides))
    assert str(error.value).startswith(key), str(error.value)
    assert "\n" not in str(error.value)


def test_missing_required_event_title_is_named(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[event]\ntimezone = "Europe/Zurich"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^event\.title: required key is missing"):
        load_config(path)


def test_invalid_toml_and_missing_file_are_clear(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[event\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(broken)
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path / "absent.toml")


def test_fractional_minutes_are_allowed(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, {"floor": {"minutes": {"remote": 0.05}}}))
    assert config.floor.limit_seconds("remote") == pytest.approx(3.0)


def test_env_reads_paths_and_secrets_without_showing_the_token() -> None:
    env = Env.from_environ({"TELEGRAM_BOT_TOKEN": "123:SECRET", "PANEL_DATA_DIR": "/tmp/x",
                            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:1/bot"})
    assert env.token == "123:SECRET" and env.data_dir == Path("/tmp/x")
    assert "SECRET" not in repr(env)
    with pytest.raises(ConfigError, match="PANEL_WEBHOOK_PORT"):
        Env.from_environ({"PANEL_WEBHOOK_PORT": "eighty"})


def test_data_dir_is_created_owner_only(tmp_path: Path) -> None:
    env = Env(data_dir=tmp_path / "state")
    assert env.ensure_data_dir().stat().st_mode & 0o777 == 0o700


def test_a_config_error_exits_2_with_one_line(tmp_path: Path) -> None:
    path = write_config(tmp_path, {"event": {"timezone": "Mars/Olympus"}})
    result = subprocess.run([sys.executable, "-m", "bot", "run"], capture_output=True, text=True,
                            env={"PANEL_CONFIG": str(path), "PATH": "/usr/bin:/bin"},
                            cwd=REPO, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "config error: event.timezone: unknown time zone 'Mars/Olympus' (use an IANA name "
        "such as Europe/Zurich)"]
