"""The bot as a real OS process (`python -m bot run`) against the in-test fake Bot API server.

Used by the restart/kill -9 tests and the benchmarks: the process can be killed with SIGKILL and
started again on the same data directory.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.support import REPO, TOKEN, write_config
from tests.telegram_server import FakeTelegram


class BotProcess:
    """Start, kill -9 and restart the bot process on one data directory."""

    def __init__(self, workdir: Path, telegram: FakeTelegram,
                 overrides: Mapping[str, Any] | None = None,
                 extra_env: Mapping[str, str] | None = None) -> None:
        self.workdir = workdir
        self.telegram = telegram
        self.config_path = write_config(workdir, overrides)
        self.extra_env = dict(extra_env or {})
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / "bot.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PANEL_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=self.telegram.base_url,
            PANEL_CONFIG=str(self.config_path),
            PANEL_DATA_DIR=str(self.workdir / "data"),
            ANONYMIZED_TELEMETRY="False",
        )
        env.update(self.extra_env)
        return env

    async def start(self, timeout: float = 60.0) -> None:
        """Start the process and wait until it polls for updates."""
        await self.start_until("getUpdates", timeout)

    async def start_until(self, method: str, timeout: float = 60.0) -> None:
        """Start the process and wait until it calls `method` (setWebhook in webhook mode)."""
        mark = len(self.telegram.calls)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=REPO, env=self.env(),
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        await self.wait_call(method, after=mark, timeout=timeout)

    async def wait_call(self, method: str, after: int = 0, timeout: float = 60.0) -> None:
        """Wait until the process has called `method` (polls the call log; fails on exit)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:  # wait on the server's condition in slices, to notice an early exit
                await self.telegram.wait_call(method, after=after, timeout=0.5)
                return
            except AssertionError:
                pass
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"bot exited with {self.process.returncode}: {self.log()}")
            if loop.time() > deadline:
                raise AssertionError(f"bot never called {method}: {self.log()}")

    async def wait_port(self, port: int, timeout: float = 30.0) -> None:
        """Wait until the process accepts connections on `port` (its webhook server opens the
        port only after registering the webhook; a refused connect is answered at once, so
        this retries at a short interval until the deadline)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                await writer.wait_closed()
                return
            except OSError:
                if self.process is not None and self.process.poll() is not None:
                    raise AssertionError(f"bot exited: {self.log()}") from None
                if loop.time() > deadline:
                    raise AssertionError(f"port {port} never opened: {self.log()}") from None
                await asyncio.sleep(0.05)

    def kill9(self) -> None:
        """SIGKILL: no clean shutdown, as a crash or an OOM kill would do."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM and wait (a clean stop)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
