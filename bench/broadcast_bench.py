"""Broadcast throughput: N participants through the local fake Bot API server.

The server (tests/telegram_server.py) is wrapped with Telegram-like flood control: more than 30
sendMessage calls in any 1 s window, or two to one chat within 1 s, are answered 429 with
retry_after=1. Two runs in the same process, on the real stack (SQLite log, delivery engine,
the Telegram sender on HTTP):

- baseline: the engine with pacing effectively off (rate 10 000/s): shows what flood control does;
- paced: the engine at the configured [limits] rate.

Prints achieved messages per second against the configured limit, 429s received, messages lost
and duplicated (counted on the server side). Target: >= 90% of the limit, 0 lost, 0 duplicated.
Stops by itself; exit status 1 when the paced run misses the target.

    .venv/bin/python bench/broadcast_bench.py [--participants 2000] [--baseline 500] [--rate R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import web  # noqa: E402

from bot.app import build_services  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.handlers.telegram_sender import delivery_sender  # noqa: E402
from bot.services.delivery import DeliverySettings  # noqa: E402
from bot.services.registry import Services  # noqa: E402
from tests.support import make_env, write_config  # noqa: E402
from tests.telegram_server import FakeTelegram, _error, _int_or_none  # noqa: E402

ORGANISER = 1
FIRST_PARTICIPANT = 10_000


class FloodControlledTelegram(FakeTelegram):
    """The fake server answering 429 like Telegram when a bot sends too fast."""

    def __init__(self, overall_per_second: int = 30, per_chat_seconds: float = 1.0) -> None:
        super().__init__()
        self.overall = overall_per_second
        self.per_chat_seconds = per_chat_seconds
        self.window: deque[float] = deque()
        self.last_to_chat: dict[int, float] = {}
        self.flood_429 = 0

    def _take_fault(self, method: str, params: dict[str, Any]) -> web.Response | None:
        fault = super()._take_fault(method, params)
        if fault is not None or method.lower() != "sendmessage":
            return fault
        now = time.monotonic()
        while self.window and now - self.window[0] >= 1.0:
            self.window.popleft()
        chat = _int_or_none(params.get("chat_id")) or 0
        too_fast_for_chat = now - self.last_to_chat.get(chat, -1e9) < self.per_chat_seconds
        if len(self.window) >= self.overall or too_fast_for_chat:
            self.flood_429 += 1
            return _error(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        self.window.append(now)
        self.last_to_chat[chat] = now
        return None


@dataclass
class RunResult:
    name: str
    recipients: int
    delivered: int
    seconds: float
    per_second: float
    percent_of_limit: float
    retry_after_429: int
    lost: int
    duplicated: int


def add_participants(services: Services, count: int, now: datetime) -> list[int]:
    """Insert participants in one transaction (setup, not measured)."""
    ids = list(range(FIRST_PARTICIPANT, FIRST_PARTICIPANT + count))
    stamp = now.isoformat()
    with services.db.tx() as conn:
        conn.executemany(
            "INSERT INTO participants(telegram_id, display_name, mode, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(i, f"P{i}", "room" if i % 2 else "remote", stamp, stamp) for i in ids],
        )
    return ids


async def run_once(name: str, participants: int, rate: float, limit: float) -> RunResult:
    server = FloodControlledTelegram()
    await server.start()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        config = load_config(write_config(tmp, {"roles": {"organisers": [ORGANISER]}}))
        services = build_services(config, make_env(tmp, server.base_url))
        try:
            ids = add_participants(services, participants, services.clock())
            services.broadcasts.engine.configure(DeliverySettings(rate=rate, per_chat_rate=1.0))
            record, count = services.broadcasts.draft(ORGANISER, ORGANISER, "all Bench message")
            assert count == participants
            assert services.broadcasts.start(record.id)
            async with delivery_sender(services) as send:
                started = time.monotonic()
                report = await services.broadcasts.run(record.id, send)
                seconds = time.monotonic() - started
        finally:
            services.close()
            await server.stop()
    received = Counter(
        s.chat_id for s in server.sent if s.method == "sendMessage" and "Bench message" in s.text
    )
    lost = sum(1 for i in ids if received[i] == 0)
    duplicated = sum(n - 1 for n in received.values() if n > 1)
    per_second = report.delivered / seconds if seconds else 0.0
    return RunResult(
        name=name,
        recipients=participants,
        delivered=report.delivered,
        seconds=round(seconds, 2),
        per_second=round(per_second, 2),
        percent_of_limit=round(100 * per_second / limit, 1),
        retry_after_429=server.flood_429,
        lost=lost,
        duplicated=duplicated,
    )


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--baseline", type=int, default=500, help="participants, 0 to skip")
    parser.add_argument("--rate", type=float, default=None, help="default: [limits] in config")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        limit = load_config(write_config(Path(folder))).limits.broadcast_messages_per_second
    limit = args.rate or limit
    print(
        f"broadcast bench: configured limit {limit:g} msg/s; the server enforces 30 msg/s "
        f"overall and 1 msg/s per chat (429, retry_after=1); {datetime.now(UTC):%Y-%m-%d %H:%M}Z"
    )
    results: list[RunResult] = []
    if args.baseline:
        results.append(await run_once("baseline unpaced", args.baseline, 10_000.0, limit))
        print_row(results[-1], header=True)
    results.append(await run_once("paced (engine)", args.participants, limit, limit))
    print_row(results[-1], header=not args.baseline)
    paced = results[-1]
    ok = paced.percent_of_limit >= 90 and paced.lost == 0 and paced.duplicated == 0
    print(
        f"target >= 90% of the limit, 0 lost, 0 duplicated: {'PASS' if ok else 'FAIL'} "
        f"({paced.percent_of_limit}% , {paced.lost} lost, {paced.duplicated} duplicated)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2), "utf-8")
    from bench.results_file import record

    record("broadcast", {"limit_msgs_per_s": limit, "target_met": ok,
                         "runs": [asdict(r) for r in results]})
    return 0 if ok else 1


def print_row(result: RunResult, header: bool = False) -> None:
    if header:
        print(
            f"{'run':<18}{'recipients':>11}{'delivered':>10}{'seconds':>9}{'msg/s':>8}"
            f"{'% limit':>9}{'429s':>6}{'lost':>6}{'dup':>5}"
        )
    print(
        f"{result.name:<18}{result.recipients:>11}{result.delivered:>10}{result.seconds:>9}"
        f"{result.per_second:>8}{result.percent_of_limit:>9}{result.retry_after_429:>6}"
        f"{result.lost:>6}{result.duplicated:>5}"
    )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
