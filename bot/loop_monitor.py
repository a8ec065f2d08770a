"""Measures event-loop stalls (how late a periodic timer wakes up), for benchmarks.

Enabled with PANEL_LOOP_MONITOR=<file>: the longest stall and the tick count are written there as
JSON every second, so a benchmark can read them even after killing the process.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path


async def monitor_loop(path: Path, interval: float = 0.01) -> None:
    """Run forever: record the worst lateness of a `interval`-second sleep."""
    worst = 0.0
    ticks = 0
    last_write = time.monotonic()
    while True:
        before = time.monotonic()
        await asyncio.sleep(interval)
        late = time.monotonic() - before - interval
        worst = max(worst, late)
        ticks += 1
        if time.monotonic() - last_write >= 1.0:
            path.write_text(json.dumps({"max_stall_s": worst, "ticks": ticks}), encoding="utf-8")
            last_write = time.monotonic()
