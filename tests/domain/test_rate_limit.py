"""Per-user flood control."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.rate_limit import SlidingWindowLimiter


def test_the_eleventh_question_in_a_minute_is_refused_then_allowed_later() -> None:
    limiter = SlidingWindowLimiter(limit=10, window_seconds=60)
    assert all(limiter.allow(1, now=float(i)) for i in range(10))
    assert not limiter.allow(1, now=10.0)
    assert limiter.retry_after(1, now=10.0) == 50.0
    assert limiter.allow(2, now=10.0)  # another user is not affected
    assert limiter.allow(1, now=60.5)


def test_zero_limit_means_unlimited() -> None:
    limiter = SlidingWindowLimiter(limit=0)
    assert all(limiter.allow(1, now=0.0) for _ in range(100))


@given(st.lists(st.floats(min_value=0, max_value=600, allow_nan=False), max_size=200),
       st.integers(min_value=1, max_value=20))
def test_never_more_than_limit_in_any_window(times: list[float], limit: int) -> None:
    limiter = SlidingWindowLimiter(limit=limit, window_seconds=60)
    accepted = [t for t in sorted(times) if limiter.allow(7, now=t)]
    for t in accepted:
        assert len([a for a in accepted if t - 60 < a <= t]) <= limit
