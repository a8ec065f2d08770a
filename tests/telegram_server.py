"""A small Telegram Bot API server for tests, on 127.0.0.1 (aiohttp).

It speaks the JSON protocol PTB uses (`POST /bot<token>/<method>` with form or multipart data),
keeps the updates users "send" for getUpdates long polling, records everything the bot sends, and
can answer chosen calls with 429 (retry_after), 403 or 500, or hold the answer (`delay`) longer
than the client waits, i.e. a time-out. Tests wait on what the bot sends with `wait_for`, which
blocks on a condition (never a sleep) up to a timeout.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 900_000_001
BOT_USERNAME = "panel_test_bot"
_DELAY = web.ResponseKey("delay", float)  # how long a fault's answer is held

# Fields whose value PTB sends as a raw string; every other field is JSON-encoded.
_STRING_FIELDS = {
    "text", "caption", "parse_mode", "callback_query_id", "url", "secret_token", "action",
    "language_code", "file_name", "question", "description", "short_description", "name",
}


@dataclass
class Sent:
    """One call the bot made that shows something to a user."""

    method: str
    chat_id: int | None
    params: dict[str, Any]
    message_id: int | None = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline keyboard buttons, flattened."""
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    def button(self, contains: str) -> dict[str, Any]:
        """The first inline button whose label contains `contains`."""
        for b in self.buttons:
            if contains.lower() in str(b.get("text", "")).lower():
                return b
        raise AssertionError(f"no button containing {contains!r} in {self.buttons}")


@dataclass
class Fault:
    """Answer `method` (for `chat_id`, if set) with an error, `times` times (None: always).

    With `delay`, the error answer is held that many seconds first: longer than the client's
    read timeout, that is a time-out (PTB raises TimedOut; nothing is recorded as sent).
    """

    method: str
    status: int
    chat_id: int | None = None
    retry_after: int | None = None
    times: int | None = 1
    description: str = ""
    delay: float = 0.0


class FakeTelegram:
    """The fake Bot API server; start() then point TELEGRAM_API_BASE_URL at base_url."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.faults: list[Fault] = []
        self.fault_hits: list[tuple[str, int | None, int]] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.messages: dict[tuple[int, int], Sent] = {}
        self.by_chat: dict[int | None, list[tuple[int, Sent]]] = {}
        self._update_ids = itertools.count(1)
        self._confirmed = 0
        self._message_ids = itertools.count(1000)
        self._lock = asyncio.Lock()
        self._cond = asyncio.Condition(self._lock)
        # One condition per chat, sharing the lock: a message wakes only that chat's waiters
        # (with 200 waiting users, waking all of them on every call was most of the harness CPU).
        self._chat_conds: dict[int | None, asyncio.Condition] = {}
        self._stopping = asyncio.Event()  # ends held answers and long polls at stop()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.base_url

    async def stop(self) -> None:
        self._stopping.set()
        async with self._cond:
            self._cond.notify_all()
            for cond in self._chat_conds.values():
                cond.notify_all()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- what users do -----------------------------------------------------------------------
    def user(self, user_id: int, first_name: str = "Test", language_code: str | None = "en",
             username: str | None = None, last_name: str | None = None) -> FakeUser:
        return FakeUser(self, user_id, first_name, language_code, username, last_name)

    async def push_update(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        update["update_id"] = update_id
        async with self._cond:
            self.updates.append(update)
            self._cond.notify_all()
        return update_id

    # --- waiting for the bot -----------------------------------------------------------------
    async def wait_for(self, predicate: Callable[[Sent], bool], *, after: int = 0,
                       timeout: float = 15.0) -> Sent:
        """The first Sent at index >= `after` matching `predicate`; fails after `timeout` s."""
        deadline = time.monotonic() + timeout
        async with self._cond:
            while True:
                for item in self.sent[after:]:
                    if predicate(item):
                        return item
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    recent = [(s.method, s.chat_id, s.text[:80]) for s in self.sent[after:]][-10:]
                    raise AssertionError(f"timed out waiting; recent calls: {recent}")
                try:
                    await asyncio.wait_for(self._cond.wait(), remaining)
                except TimeoutError:
                    pass

    async def wait_message(self, chat_id: int, contains: str = "", *, after: int = 0,
                           method: str | None = None, timeout: float = 15.0) -> Sent:
        """The first message/edit/document to `chat_id` whose text contains `contains`."""
        needle = contains.lower()
        deadline = time.monotonic() + timeout
        chat_cond = self._chat_cond(chat_id)
        async with chat_cond:  # scans and wakes on this chat's messages only
            while True:
                for index, item in self.by_chat.get(chat_id, []):
                    if index >= after and (method is None or item.method == method) \
                            and needle in item.text.lower():
                        return item
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    recent = [(s.method, s.text[:80]) for i, s in
                              self.by_chat.get(chat_id, []) if i >= after][-10:]
                    raise AssertionError(f"timed out waiting for {contains!r} to {chat_id}; "
                                         f"recent: {recent}")
                try:
                    await asyncio.wait_for(chat_cond.wait(), remaining)
                except TimeoutError:
                    pass

    def _chat_cond(self, chat_id: int | None) -> asyncio.Condition:
        cond = self._chat_conds.get(chat_id)
        if cond is None:
            cond = self._chat_conds[chat_id] = asyncio.Condition(self._lock)
        return cond

    async def wait_call(self, method: str, *, after: int = 0, timeout: float = 15.0
                        ) -> dict[str, Any]:
        """The params of the first call of `method` at index >= `after` in `calls`."""
        deadline = time.monotonic() + timeout
        async with self._cond:
            while True:
                for name, params in self.calls[after:]:
                    if name == method:
                        return params
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out waiting for a {method} call")
                try:
                    await asyncio.wait_for(self._cond.wait(), remaining)
                except TimeoutError:
                    pass

    def to(self, chat_id: int, method: str | None = None) -> list[Sent]:
        """Everything sent to a chat so far."""
        return [s for s in self.sent if s.chat_id == chat_id
                and (method is None or s.method == method)]

    def mark(self) -> int:
        """A position in `sent`, to wait only for what comes after it."""
        return len(self.sent)

    # --- the HTTP side -----------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await _read_params(request)
        async with self._cond:
            self.calls.append((method, params))
            self._cond.notify_all()
        fault = self._take_fault(method, params)
        if fault is not None:
            await self._hold(fault.get(_DELAY, 0.0))
            return fault
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return _error(404, f"Not Found: method {method} is not in the fake server")
        result = await handler(params, files)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    def _take_fault(self, method: str, params: dict[str, Any]) -> web.Response | None:
        chat_id = _int_or_none(params.get("chat_id"))
        for fault in self.faults:
            if fault.method.lower() != method.lower():
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            if fault.times is not None:
                if fault.times <= 0:
                    continue
                fault.times -= 1
            self.fault_hits.append((method, chat_id, fault.status))
            if fault.status == 429:
                retry = fault.retry_after or 1
                response = _error(429, f"Too Many Requests: retry after {retry}",
                                  {"retry_after": retry})
            elif fault.status == 403:
                response = _error(403, fault.description
                                  or "Forbidden: bot was blocked by the user")
            else:
                response = _error(fault.status, fault.description or "Internal Server Error")
            response[_DELAY] = fault.delay
            return response
        return None

    async def _hold(self, seconds: float) -> None:
        """Keep a request waiting `seconds` (cut short when the server stops)."""
        if seconds > 0:
            try:
                await asyncio.wait_for(self._stopping.wait(), seconds)
            except TimeoutError:
                pass

    async def _record(self, method: str, params: dict[str, Any], *, message: bool,
                      files: dict[str, tuple[str, bytes]] | None = None) -> Sent:
        chat_id = _int_or_none(params.get("chat_id"))
        sent = Sent(method, chat_id, params, files=files or {})
        if message:
            sent.message_id = next(self._message_ids)
            if chat_id is not None:
                self.messages[(chat_id, sent.message_id)] = sent
        async with self._cond:
            self.by_chat.setdefault(chat_id, []).append((len(self.sent), sent))
            self.sent.append(sent)
            self._cond.notify_all()
            if chat_id in self._chat_conds:
                self._chat_conds[chat_id].notify_all()
        return sent

    def _message_json(self, sent: Sent, **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": sent.message_id, "date": int(time.time()),
            "chat": {"id": sent.chat_id, "type": "private" if (sent.chat_id or 0) > 0 else "group",
                     "first_name": "User"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Panel", "username": BOT_USERNAME},
        }
        if "text" in sent.params:
            body["text"] = sent.params["text"]
        if "reply_markup" in sent.params:
            body["reply_markup"] = sent.params["reply_markup"]
        body.update(extra)
        return body

    async def _m_getme(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Panel", "username": BOT_USERNAME,
                "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    async def _m_getupdates(self, params: dict[str, Any], files: Any) -> list[dict[str, Any]]:
        # Like Telegram: an offset confirms (forgets) every earlier update, for later calls too.
        self._confirmed = max(self._confirmed, int(params.get("offset") or 0))
        offset = self._confirmed
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        async with self._cond:
            while True:
                pending = [u for u in self.updates if u["update_id"] >= offset]
                if pending or time.monotonic() >= deadline or self._stopping.is_set():
                    return pending[:limit]
                try:
                    await asyncio.wait_for(self._cond.wait(), deadline - time.monotonic())
                except TimeoutError:
                    pass

    async def _m_sendmessage(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        if len(str(params.get("text", ""))) > 4096:
            return _error(400, "Bad Request: message is too long")  # type: ignore[return-value]
        if not str(params.get("text", "")).strip():
            return _error(400, "Bad Request: message text is empty")  # type: ignore[return-value]
        sent = await self._record("sendMessage", params, message=True)
        return self._message_json(sent)

    async def _m_editmessagetext(self, params: dict[str, Any], files: Any) -> Any:
        key = (_int_or_none(params.get("chat_id")) or 0, int(params.get("message_id") or 0))
        if key not in self.messages:
            return _error(400, "Bad Request: message to edit not found")
        if len(str(params.get("text", ""))) > 4096:
            return _error(400, "Bad Request: message is too long")
        sent = await self._record("editMessageText", params, message=False)
        sent.message_id = key[1]
        original = self.messages[key]
        original.params = {**original.params, **params}
        return self._message_json(sent)

    async def _m_editmessagereplymarkup(self, params: dict[str, Any], files: Any) -> Any:
        key = (_int_or_none(params.get("chat_id")) or 0, int(params.get("message_id") or 0))
        if key not in self.messages:
            return _error(400, "Bad Request: message to edit not found")
        sent = await self._record("editMessageReplyMarkup", params, message=False)
        sent.message_id = key[1]
        self.messages[key].params["reply_markup"] = params.get("reply_markup")
        return self._message_json(self.messages[key])

    async def _m_answercallbackquery(self, params: dict[str, Any], files: Any) -> bool:
        await self._record("answerCallbackQuery", params, message=False)
        return True

    async def _m_senddocument(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        sent = await self._record("sendDocument", params, message=True, files=files)
        name = next(iter(files.values()))[0] if files else "file"
        return self._message_json(sent, document={"file_id": f"doc{sent.message_id}",
                                                  "file_unique_id": f"u{sent.message_id}",
                                                  "file_name": name})

    async def _m_sendphoto(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        sent = await self._record("sendPhoto", params, message=True, files=files)
        return self._message_json(sent, photo=[{"file_id": f"ph{sent.message_id}",
                                                "file_unique_id": f"u{sent.message_id}",
                                                "width": 640, "height": 480}])

    async def _m_sendchataction(self, params: dict[str, Any], files: Any) -> bool:
        await self._record("sendChatAction", params, message=False)
        return True

    async def _m_setmycommands(self, params: dict[str, Any], files: Any) -> bool:
        scope = params.get("scope") or {"type": "default"}
        key = (json.dumps(scope, sort_keys=True), str(params.get("language_code") or ""))
        self.commands[key] = list(params.get("commands") or [])
        return True

    async def _m_deletemycommands(self, params: dict[str, Any], files: Any) -> bool:
        return True

    async def _m_deletewebhook(self, params: dict[str, Any], files: Any) -> bool:
        return True

    async def _m_setwebhook(self, params: dict[str, Any], files: Any) -> bool:
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    async def _m_close(self, params: dict[str, Any], files: Any) -> bool:
        return True

    async def _m_logout(self, params: dict[str, Any], files: Any) -> bool:
        return True


class FakeUser:
    """A Telegram user talking to the bot in a private chat."""

    def __init__(self, server: FakeTelegram, user_id: int, first_name: str,
                 language_code: str | None, username: str | None, last_name: str | None) -> None:
        self.server = server
        self.id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username
        self.last_name = last_name
        self._message_ids = itertools.count(1)

    def _from(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        if self.username:
            data["username"] = self.username
        if self.last_name:
            data["last_name"] = self.last_name
        return data

    def _chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}

    async def send(self, text: str) -> int:
        """Send a text message (commands get their bot_command entity); returns the mark."""
        mark = self.server.mark()
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": self._chat(), "from": self._from(), "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        await self.server.push_update({"message": message})
        return mark

    async def ask(self, text: str, contains: str = "", timeout: float = 15.0) -> Sent:
        """Send text and wait for the bot's next message to this chat (containing `contains`)."""
        mark = await self.send(text)
        return await self.server.wait_message(self.id, contains, after=mark, timeout=timeout)

    async def press(self, message: Sent, data: str) -> int:
        """Press an inline button (by its callback data) under a message; returns the mark."""
        mark = self.server.mark()
        msg = self.server._message_json(message)
        await self.server.push_update({"callback_query": {
            "id": f"cb{self.id}{time.monotonic_ns()}", "from": self._from(),
            "chat_instance": str(self.id), "data": data, "message": msg,
        }})
        return mark

    def received(self, method: str | None = None) -> list[Sent]:
        """Everything the bot sent to this user."""
        return self.server.to(self.id, method)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _decode(key: str, value: str) -> Any:
    if key in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except (json.JSONDecodeError, TypeError):
        return value


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    params: dict[str, Any] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else {}
        return dict(body or {}), files
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if part is None or not hasattr(part, "read"):
                continue
            name = part.name or ""
            if part.filename:
                files[name] = (part.filename, bytes(await part.read()))
            else:
                params[name] = _decode(name, await part.text())
        return params, files
    data = await request.post() if request.can_read_body else {}
    for key, value in data.items():
        params[key] = _decode(key, str(value))
    for key, value in request.query.items():
        params.setdefault(key, _decode(key, value))
    return params, files


def _error(status: int, description: str,
           parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)
