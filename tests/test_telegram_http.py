"""PTB's Bot over AiohttpRequest against the local Bot API server: forms, files, errors."""

from __future__ import annotations

import io
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot import telegram_http
from bot.telegram_http import AiohttpRequest
from tests.telegram_server import FakeTelegram, Fault

TOKEN = "123456:TEST-token"


@pytest.fixture
async def bot(telegram: FakeTelegram) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, base_url=telegram.base_url, request=AiohttpRequest(4, read_timeout=0.5),
              get_updates_request=AiohttpRequest(1))
    await bot.initialize()
    yield bot
    await bot.shutdown()


async def test_parameters_markup_and_non_ascii_text_arrive_intact(
        bot: Bot, telegram: FakeTelegram) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Oui <b>", callback_data="x:1")]])
    message = await bot.send_message(42, "Délégation « Côte d'Ivoire » & <i>", parse_mode="HTML",
                                     reply_markup=markup)
    sent = telegram.to(42)[-1]
    assert sent.text == "Délégation « Côte d'Ivoire » & <i>"
    assert sent.params["parse_mode"] == "HTML" and sent.buttons[0]["text"] == "Oui <b>"
    assert message.message_id == sent.message_id and message.chat.id == 42


async def test_a_file_goes_as_multipart_with_its_name(bot: Bot, telegram: FakeTelegram) -> None:
    await bot.send_document(42, io.BytesIO(b"a,b\n1,2\n"), filename="report.csv",
                            caption="Floor report")
    sent = telegram.to(42, "sendDocument")[-1]
    assert sent.files["document"] == ("report.csv", b"a,b\n1,2\n")
    assert sent.text == "Floor report"


async def test_telegram_errors_become_ptb_errors(bot: Bot, telegram: FakeTelegram) -> None:
    telegram.faults.append(Fault("sendMessage", 403, chat_id=7))
    with pytest.raises(Forbidden):
        await bot.send_message(7, "hi")
    telegram.faults.append(Fault("sendMessage", 429, retry_after=3))
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(8, "hi")
    assert caught.value.retry_after.total_seconds() == 3
    telegram.faults.append(Fault("sendMessage", 400, description="Bad Request: chat not found"))
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(9, "hi")


async def test_a_slow_answer_is_a_time_out_and_the_next_call_works(
        bot: Bot, telegram: FakeTelegram) -> None:
    telegram.faults.append(Fault("sendMessage", 500, delay=5.0))  # held past the 0.5 s read
    with pytest.raises(TimedOut):
        await bot.send_message(5, "slow")
    await bot.send_message(5, "fast")
    assert [s.text for s in telegram.to(5)] == ["fast"]


async def test_nobody_listening_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(1, connect_timeout=2.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
        assert not isinstance(caught.value, TimedOut) and "aiohttp." in str(caught.value)
    finally:
        await request.shutdown()


async def test_an_uninitialised_request_says_so() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:9/x", "POST")


def test_the_proxy_comes_from_the_environment_unless_the_host_is_exempt(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("https_proxy", "http_proxy", "no_proxy", "HTTPS_PROXY", "HTTP_PROXY",
                 "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    telegram_http._proxy_for_host.cache_clear()
    try:
        assert telegram_http._proxy_for("https://bot-api.example/bot1/getMe") == \
            "http://proxy.example:3128"
        assert telegram_http._proxy_for("http://127.0.0.1:8081/bot1/getMe") is None
        # No HTTP_PROXY is set, so plain http goes direct.
        assert telegram_http._proxy_for("http://bot-api.example/bot1/getMe") is None
    finally:
        telegram_http._proxy_for_host.cache_clear()
