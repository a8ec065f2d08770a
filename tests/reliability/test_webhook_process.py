"""Webhook mode: the real process registers its webhook with the secret and checks the header."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import aiohttp

from tests.process import BotProcess
from tests.telegram_server import FakeTelegram

SECRET = "s3cret-header-value"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def update(update_id: int, user_id: int, text: str) -> dict[str, object]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1680000000, "text": text,
        "chat": {"id": user_id, "type": "private", "first_name": "Web"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Web", "language_code": "es"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
    }}


async def test_webhook_mode_registers_and_rejects_a_wrong_secret(tmp_path: Path,
                                                                 telegram: FakeTelegram) -> None:
    port = free_port()
    bot = BotProcess(tmp_path, telegram, extra_env={
        "PANEL_WEBHOOK_URL": f"http://127.0.0.1:{port}", "PANEL_WEBHOOK_SECRET": SECRET,
        "PANEL_WEBHOOK_PORT": str(port), "PANEL_WEBHOOK_LISTEN": "127.0.0.1"})
    mark = len(telegram.calls)
    try:
        await bot.start_until("setWebhook")
        registered = next(p for m, p in telegram.calls[mark:] if m == "setWebhook")
        assert registered["url"] == f"http://127.0.0.1:{port}/telegram"
        assert registered["secret_token"] == SECRET
        await bot.wait_port(port)
        url = f"http://127.0.0.1:{port}/telegram"
        async with aiohttp.ClientSession() as session:
            body = json.dumps(update(1, 4242, "/start"))
            headers = {"Content-Type": "application/json"}
            async with session.post(url, data=body, headers=headers) as response:
                assert response.status == 403  # no secret header
            wrong = {**headers, "X-Telegram-Bot-Api-Secret-Token": "guess"}
            async with session.post(url, data=body, headers=wrong) as response:
                assert response.status == 403
            assert telegram.to(4242) == []
            right = {**headers, "X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with session.post(url, data=body, headers=right) as response:
                assert response.status == 200
        reply = await telegram.wait_message(4242, "Bienvenido", timeout=60)
        assert reply.params["parse_mode"] == "HTML"
    finally:
        bot.stop()
