"""Pure rendering of the floor: callback data, durations, escaping."""

from __future__ import annotations

import pytest

from bot.handlers.floor_render import Button, clock, data_for, parse_data


@pytest.mark.parametrize(("action", "request_id"), [
    ("next", 1), ("done", 999_999_999), ("pause", 7), ("resume", 7), ("skip", 3), ("confirm", 12),
    ("request", None), ("withdraw", None), ("refresh", None), ("cancel", None),
])
def test_callback_data_round_trips_and_fits_telegrams_limit(action: str,
                                                            request_id: int | None) -> None:
    data = data_for(action, request_id)
    assert len(data.encode()) <= 64
    assert parse_data(data) == Button(action, request_id)


@pytest.mark.parametrize("data", [None, "", "fl:n", "fl:n:0", "fl:n:-1", "fl:n:1234567890",
                                  "fl:q:1", "fl:zz:1", "bc:send:1", "fl:n:1 ", "fl:d:1;drop"])
def test_forged_or_stale_callback_data_is_rejected(data: str | None) -> None:
    assert parse_data(data) is None


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0:00"), (59.4, "0:59"), (60, "1:00"), (420, "7:00"), (1800, "30:00"), (-100, "-1:40"),
    (0.6, "0:01"),
])
def test_durations_read_as_minutes_and_seconds(seconds: float, text: str) -> None:
    assert clock(seconds) == text
