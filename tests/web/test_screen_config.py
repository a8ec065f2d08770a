"""[screen] and [event].language in config.toml: defaults, validation, clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli_w

from bot.config import ConfigError, ScreenSection, load_config
from tests.support import BASE_CONFIG, write_config


def load(tmp_path: Path, overrides: dict[str, Any]) -> Any:
    return load_config(write_config(tmp_path, overrides))


def test_defaults_listen_on_localhost_8088_in_the_events_language(tmp_path: Path) -> None:
    base = {key: value for key, value in BASE_CONFIG.items() if key != "screen"}
    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps(base), encoding="utf-8")
    config = load_config(path)
    assert config.screen == ScreenSection(enabled=True, listen="127.0.0.1", port=8088)
    assert config.screen.url() == "http://127.0.0.1:8088"
    assert config.event.language == "en"


def test_the_bound_port_and_a_wildcard_address_make_a_usable_link() -> None:
    assert ScreenSection(port=0).url(43123) == "http://127.0.0.1:43123"
    assert ScreenSection(listen="0.0.0.0").url() == "http://127.0.0.1:8088"
    assert ScreenSection(listen="::1", port=9000).url() == "http://[::1]:9000"


def test_a_public_url_loses_its_trailing_slash_and_wins(tmp_path: Path) -> None:
    config = load(tmp_path, {"screen": {"public_url": "https://panel.example.org/x/",
                                        "listen": "0.0.0.0", "port": 9000},
                             "event": {"language": "fr"}})
    assert config.screen.public_url == "https://panel.example.org/x"
    assert config.screen.url(1234) == "https://panel.example.org/x"
    assert config.event.language == "fr"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"screen": {"port": 70000}}, "screen.port: expected a port number"),
    ({"screen": {"port": "80"}}, "screen.port: expected a whole number"),
    ({"screen": {"enabled": "yes"}}, "screen.enabled: expected true or false"),
    ({"screen": {"listen": " "}}, "screen.listen: expected an address"),
    ({"screen": {"public_url": "panel.example.org"}}, "screen.public_url: expected an http"),
    ({"screen": {"public_url": "ftp://panel.example.org"}}, "screen.public_url"),
    ({"screen": {"public_url": "https://x.org/?k=1"}}, "screen.public_url"),
    ({"screen": {"key": "abc"}}, "screen.key: unknown key"),
    ({"event": {"language": "de"}}, "event.language: unknown language 'de'"),
])
def test_bad_screen_settings_are_refused_with_the_key_named(tmp_path: Path,
                                                            overrides: dict[str, Any],
                                                            message: str) -> None:
    with pytest.raises(ConfigError, match="^" + message.replace("?", r"\?").replace(".", r"\.")):
        load(tmp_path, overrides)
