"""Per-user flood control: a sliding window of recent events, time passed in."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class SlidingWindowLimiter:
    """At most `limit` events per user in any `window_seconds` window."""

    limit: int
    window_seconds: float = 60.0
    _events: dict[int, deque[float]] = field(default_factory=dict)

    def allow(self, user_id: int, now: float) -> bool:
        """Record an event at `now` (seconds) if allowed; False when over the limit."""
        if self.limit <= 0:
            return True
        events = self._events.setdefault(user_id, deque())
        while events and events[0] <= now - self.window_seconds:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def retry_after(self, user_id: int, now: float) -> float:
        """Seconds until the user may act again (0 when allowed now)."""
        events = self._events.get(user_id)
        if not events or len(events) < self.limit:
            return 0.0
        return max(0.0, events[0] + self.window_seconds - now)
