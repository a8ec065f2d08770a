"""Room screens under load: 100 open screens, the time from /next to the last one updated.

The bot runs as a real process (`python -m bot run`) against the fake Bot API server on
127.0.0.1, with its web server of `[screen]` on a free port. The screens are Server-Sent Events
clients (aiohttp, all in this one process, no browser): each reads the stream of the room
screen's link, as a page's EventSource does, and parses every snapshot. The chair sends /next
(then /done) from Telegram, round after round; per round the figures are the time from sending
the command to the chair's Telegram reply (the baseline: what a chair waits for today), to the
first screen and to the last screen showing the change. Printed as p50 / p95 / max; nothing is
asserted about speed. The harness's own parsing of 100 streams is part of the screen figures
(its CPU is printed too).

    .venv/bin/python bench/screen_load.py [--screens 100] [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from results_file import print_table, record

from tests.process import BotProcess
from tests.telegram_server import FakeTelegram, FakeUser

CHAIR = 1
WARM_UP_ROUNDS = 2  # not counted: the first commands after start-up share the CPU with it
ROUND_TIMEOUT = 60.0
Predicate = Callable[[dict[str, Any]], bool]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Screens:
    """The open streams and, for the round under way, when each one showed the change."""

    count: int
    connected: int = 0
    wanted: Predicate | None = None
    arrivals: dict[int, float] = field(default_factory=dict)
    all_connected: asyncio.Event = field(default_factory=asyncio.Event)
    all_updated: asyncio.Event = field(default_factory=asyncio.Event)
    errors: list[str] = field(default_factory=list)

    def expect(self, wanted: Predicate) -> None:
        """Start a round: from now on, wait for snapshots for which `wanted` holds."""
        self.arrivals = {}
        self.all_updated = asyncio.Event()
        self.wanted = wanted

    def received(self, screen: int, snapshot: dict[str, Any]) -> None:
        now = time.perf_counter()
        wanted = self.wanted
        if wanted is not None and screen not in self.arrivals and wanted(snapshot):
            self.arrivals[screen] = now
            if len(self.arrivals) == self.count:
                self.all_updated.set()


async def follow(http: aiohttp.ClientSession, url: str, screen: int, screens: Screens) -> None:
    """One room screen: read its stream until cancelled, reporting each snapshot."""
    try:
        async with http.get(url, headers={"Accept": "text/event-stream"}) as response:
            if response.status != 200:
                screens.errors.append(f"screen {screen}: HTTP {response.status}")
                return
            first = True
            event, data = "", ""
            async for raw in response.content:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data = line[5:].lstrip()
                elif line == "" and event == "snapshot":
                    screens.received(screen, json.loads(data))
                    event, data = "", ""
                    if first:
                        first = False
                        screens.connected += 1
                        if screens.connected == screens.count:
                            screens.all_connected.set()
    except (aiohttp.ClientError, ConnectionError) as error:
        screens.errors.append(f"screen {screen}: {error}")


async def one_round(chair: FakeUser, telegram: FakeTelegram, screens: Screens, command: str,
                    reply_contains: str, wanted: Predicate) -> tuple[float, float, float]:
    """(Telegram reply, first screen, last screen) seconds after sending `command`."""
    screens.expect(wanted)
    started = time.perf_counter()
    mark = await chair.send(command)
    await telegram.wait_message(CHAIR, reply_contains, after=mark, method="sendMessage",
                                timeout=ROUND_TIMEOUT)
    reply = time.perf_counter() - started
    await asyncio.wait_for(screens.all_updated.wait(), ROUND_TIMEOUT)
    first, last = min(screens.arrivals.values()), max(screens.arrivals.values())
    return reply, first - started, last - started


def showing(name: str) -> Predicate:
    """A snapshot in which `name` has the floor."""
    return lambda snapshot: (snapshot.get("current") or {}).get("name") == name


def speaker(number: int) -> str:
    return f"Speaker {number:02d}"


async def run(count: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        telegram = FakeTelegram()
        await telegram.start()
        port = free_port()
        bot = BotProcess(Path(tmp), telegram, {
            "roles": {"organisers": [CHAIR]},
            "screen": {"enabled": True, "listen": "127.0.0.1", "port": port}})
        started = time.perf_counter()
        await bot.start(timeout=120)
        await bot.wait_port(port)
        start_s = time.perf_counter() - started
        chair = telegram.user(CHAIR, "Chair")
        answer = await chair.ask("/screen", "/screen/")
        found = re.search(r"http://127\.0\.0\.1:\d+/screen/[A-Za-z0-9_-]+", answer.text)
        if found is None:
            raise SystemExit(f"no room screen link in /screen's answer: {answer.text}")
        total = WARM_UP_ROUNDS + rounds
        for number in range(1, total + 1):
            await chair.ask(f"/add {speaker(number)} | Delegation {number}", "Added")

        screens = Screens(count)
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
        cpu0 = time.process_time()
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            readers = [asyncio.create_task(follow(http, found[0] + "/events", i, screens))
                       for i in range(count)]
            connect_started = time.perf_counter()
            try:
                await asyncio.wait_for(screens.all_connected.wait(), ROUND_TIMEOUT)
            except TimeoutError:
                raise SystemExit(f"only {screens.connected}/{count} screens connected: "
                                 f"{screens.errors[:3]}") from None
            connect_s = time.perf_counter() - connect_started
            figures: dict[str, list[float]] = {"next_reply": [], "next_first": [],
                                               "next_last": [], "done_reply": [],
                                               "done_last": []}
            for number in range(1, total + 1):
                name = speaker(number)
                given = await one_round(chair, telegram, screens, "/next", "has the floor",
                                        showing(name))
                ended = await one_round(chair, telegram, screens, "/done", "spoke",
                                        lambda s: s.get("current") is None)
                if number > WARM_UP_ROUNDS:
                    figures["next_reply"].append(given[0])
                    figures["next_first"].append(given[1])
                    figures["next_last"].append(given[2])
                    figures["done_reply"].append(ended[0])
                    figures["done_last"].append(ended[2])
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
        harness_cpu = time.process_time() - cpu0
        bot.stop()
        await telegram.stop()

    def summary(values: list[float]) -> dict[str, float]:
        return {"p50_ms": round(percentile(values, 0.5) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                "max_ms": round(max(values) * 1000, 1)}

    return {"screens": count, "rounds": rounds, "bot_start_s": round(start_s, 2),
            "connect_all_s": round(connect_s, 3), "harness_cpu_s": round(harness_cpu, 2),
            "stream_errors": screens.errors[:5],
            **{name: summary(values) for name, values in figures.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--screens", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if args.screens < 1 or args.rounds < 1:
        parser.error("--screens and --rounds must be at least 1")
    r = asyncio.run(run(args.screens, args.rounds))

    def row(label: str, key: str) -> tuple[str, str, str, str]:
        f = r[key]
        return (label, f"{f['p50_ms']} / {f['p95_ms']} / {f['max_ms']}", "-", "")

    print_table(f"room screens: {r['screens']} SSE clients (aiohttp, one process), "
                f"{r['rounds']} rounds; ms as p50 / p95 / max", [
                    row("/next -> chair's Telegram reply (baseline)", "next_reply"),
                    row("/next -> first screen updated", "next_first"),
                    row(f"/next -> last of {r['screens']} screens updated", "next_last"),
                    row("/done -> chair's Telegram reply (baseline)", "done_reply"),
                    row(f"/done -> last of {r['screens']} screens updated", "done_last"),
                    ("all screens connected (s)", str(r["connect_all_s"]), "-", ""),
                    ("harness CPU for the streams (s)", str(r["harness_cpu_s"]), "-", ""),
                    ("bot start (s)", str(r["bot_start_s"]), "-", ""),
                ])
    if r["stream_errors"]:
        print("  stream errors:", *r["stream_errors"], sep="\n    ")
    record("screen_load", r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
