"""Conversation under load: 200 users ask a question, then request the floor, all at once.

The bot runs as a real process (`python -m bot run`) against the fake Bot API server on
127.0.0.1. Prints cold start (process start to the first answer), reply times p50/p95/max, how
many were answered, the bot's longest event-loop stall, its CPU, its calls to the Bot API and
its peak RSS. Two runs in one go: with the limiter off (the bot's own capacity on this machine,
the run the p95 < 2 s target is about: the local server does not throttle) and with Telegram's
flood limit applied as configured (what a real meeting sees: the calls cannot leave faster than
~25 messages/s, so that run is shown against the floor it implies).

    .venv/bin/python bench/load_bench.py [--users 200] [--only no_limiter|telegram_limit]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from results_file import ROOT, print_table, record, verdict

from bot.config import LimitsConfig
from tests.process import BotProcess
from tests.telegram_server import FakeTelegram

QUESTIONS = [json.loads(line)["question"] for line in
             (ROOT / "bench" / "data" / "dev_questions.jsonl").read_text().splitlines() if line]


RATE = LimitsConfig().broadcast_messages_per_second  # the default, under Telegram's ~30/s


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_user(telegram: FakeTelegram, user_id: int, question: str,
                   times: list[float], failures: list[str]) -> None:
    user = telegram.user(user_id, f"Delegate {user_id}", language_code="en")
    for text in (question, "/speak"):
        start = time.perf_counter()
        mark = await user.send(text)
        try:
            await telegram.wait_message(user_id, "", after=mark, method="sendMessage",
                                        timeout=180)
        except AssertionError as error:
            failures.append(f"{user_id} {text!r}: {error}"[:200])
            return
        times.append(time.perf_counter() - start)


async def run(users: int, limiter_on: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        data = workdir / "data"
        subprocess.run([sys.executable, "-m", "indexer", "--json"], cwd=ROOT, check=True,
                       capture_output=True, env={"PANEL_DATA_DIR": str(data),
                                                 "PATH": "/usr/bin:/bin",
                                                 "ANONYMIZED_TELEMETRY": "False"})
        telegram = FakeTelegram()
        await telegram.start()
        limits = {} if limiter_on else {"limits": {"broadcast_messages_per_second": 100000,
                                                   "questions_per_minute": 0}}
        monitor = workdir / "loop.json"
        bot = BotProcess(workdir, telegram, {"roles": {"organisers": [1]}, **limits},
                         {"PANEL_LOOP_MONITOR": str(monitor)})
        first = telegram.user(10, "First")
        mark = await first.send("When is the panel?")
        started = time.perf_counter()
        await bot.start(timeout=120)
        await telegram.wait_message(10, "", after=mark, method="sendMessage", timeout=120)
        cold_start = time.perf_counter() - started
        # The load starts once the background warm-up (model, index, word vectors) is done, as
        # it is a few seconds after start-up in a real meeting; its duration is reported.
        while "answer service warmed up" not in bot.log():
            if time.perf_counter() - started > 120:
                raise SystemExit("the answer service never warmed up: " + bot.log())
            await asyncio.sleep(0.1)
        warm = time.perf_counter() - started

        times: list[float] = []
        failures: list[str] = []
        calls_before = len(telegram.calls)
        assert bot.process is not None
        bot_cpu0 = cpu_seconds(bot.process.pid)
        bench_cpu0 = time.process_time()
        t0 = time.perf_counter()
        await asyncio.gather(*(one_user(telegram, 1000 + i, QUESTIONS[i % len(QUESTIONS)],
                                        times, failures) for i in range(users)))
        wall = time.perf_counter() - t0
        bot_cpu = cpu_seconds(bot.process.pid) - bot_cpu0
        bench_cpu = time.process_time() - bench_cpu0
        rss = peak_rss_mb(bot.process.pid)
        calls = Counter(method for method, _ in telegram.calls[calls_before:]
                        if method != "getUpdates")
        stall = json.loads(monitor.read_text())["max_stall_s"] if monitor.exists() else None
        bot.stop()
        await telegram.stop()
        return {
            "warm_up_s": round(warm, 2), "users": users, "replies_expected": 2 * users,
            "replies": len(times),
            "failures": failures[:5], "cold_start_s": round(cold_start, 3),
            "p50_s": round(percentile(times, 0.5), 3) if times else None,
            "p95_s": round(percentile(times, 0.95), 3) if times else None,
            "max_s": round(max(times), 3) if times else None,
            "mean_s": round(statistics.mean(times), 3) if times else None,
            "wall_s": round(wall, 2), "max_loop_stall_s": stall and round(stall, 3),
            "peak_rss_mb": round(rss, 1), "bot_cpu_s": round(bot_cpu, 2),
            "harness_cpu_s": round(bench_cpu, 2), "bot_calls": dict(sorted(calls.items())),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--only", choices=["telegram_limit", "no_limiter"], default=None)
    args = parser.parse_args()
    results = {}
    for label, limiter_on in (("telegram_limit", True), ("no_limiter", False)):
        if args.only and label != args.only:
            continue
        r = asyncio.run(run(args.users, limiter_on))
        results[label] = r
        latency = ("reply p50 / p95 / max (s)", f"{r['p50_s']} / {r['p95_s']} / {r['max_s']}",
                   "p95 < 2", verdict((r["p95_s"] or 99) < 2))
        paced: list[tuple[str, str, str, str]] = []
        if limiter_on:
            # Telegram's limit, not the bot, sets the pace: the run's calls cannot leave faster
            # than the configured rate (after a first burst of one second's worth).
            calls = sum(r["bot_calls"].values())
            r["telegram_pace_s"] = round((calls - RATE) / RATE, 1)
            latency = (latency[0], latency[1], "bounded by Telegram's rate", "-")
            paced = [("sending time at the configured rate (s)",
                      f"{r['telegram_pace_s']} ({calls} calls, {RATE:g}/s)", "<= wall", "")]
        print_table(f"load: {args.users} users, question then /speak ({label})", [
            ("answered", f"{r['replies']}/{r['replies_expected']}", "all",
             verdict(r["replies"] == r["replies_expected"])),
            latency,
            ("event loop longest stall (s)", str(r["max_loop_stall_s"]), "-", ""),
            ("wall / bot CPU / harness CPU (s)",
             f"{r['wall_s']} / {r['bot_cpu_s']} / {r['harness_cpu_s']}", "-", ""),
            *paced,
            ("calls to the Bot API", ", ".join(f"{m} {n}" for m, n in r["bot_calls"].items()),
             "-", ""),
            ("cold start to first answer (s)", str(r["cold_start_s"]), "< 5",
             verdict(r["cold_start_s"] < 5)),
            ("start to warm-up done (s)", str(r["warm_up_s"]), "-", ""),
            ("peak RSS (MB)", str(r["peak_rss_mb"]), "< 400", verdict(r["peak_rss_mb"] < 400)),
        ])
        if r["failures"]:
            print("  failures:", *r["failures"], sep="\n    ")
    record("load", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
