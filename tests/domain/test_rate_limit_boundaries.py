"""The flood limiter at the window's edge: an event exactly one window old no longer counts."""

from __future__ import annotations

from bot.domain.rate_limit import SlidingWindowLimiter


def test_an_event_exactly_one_window_old_has_left_the_window() -> None:
    limiter = SlidingWindowLimiter(limit=1, window_seconds=60)
    assert limiter.allow(1, 0.0)
    assert not limiter.allow(1, 59.999)
    assert limiter.allow(1, 60.0)


def test_retry_after_is_zero_while_under_the_limit_and_never_negative() -> None:
    limiter = SlidingWindowLimiter(limit=2, window_seconds=60)
    assert limiter.retry_after(1, 0.0) == 0  # no events yet
    assert limiter.allow(1, 0.0)
    assert limiter.retry_after(1, 1.0) == 0  # one of two used
    assert limiter.allow(1, 10.0)
    assert limiter.retry_after(1, 30.0) == 30  # the first event leaves at 60
    assert limiter.retry_after(1, 500.0) == 0  # long past: free now, not "wait -440 s"
