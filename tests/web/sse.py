"""Reading a Server-Sent Events stream in tests (aiohttp client)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import aiohttp


@dataclass(frozen=True)
class Message:
    """One SSE message: its fields as sent (comments kept apart)."""

    event: str
    data: str
    id: str
    retry: str
    comments: tuple[str, ...]

    def json(self) -> Any:
        return json.loads(self.data)


class EventStream:
    """The messages of an open SSE response, one at a time."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response

    async def message(self, timeout: float = 10.0) -> Message | None:
        """The next message (None when the server closed the stream)."""
        fields: dict[str, str] = {}
        comments: list[str] = []
        while True:
            raw = await asyncio.wait_for(self.response.content.readline(), timeout)
            if not raw:
                return None
            line = raw.decode("utf-8").rstrip("\n")
            if line == "":
                if fields or comments:
                    return Message(fields.get("event", "message"), fields.get("data", ""),
                                   fields.get("id", ""), fields.get("retry", ""),
                                   tuple(comments))
                continue
            if line.startswith(":"):
                comments.append(line[1:].strip())
                continue
            name, _, value = line.partition(":")
            fields[name] = value[1:] if value.startswith(" ") else value

    async def snapshot(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next snapshot event's data (fails at the end of the stream)."""
        while True:
            message = await self.message(timeout)
            assert message is not None, "the stream ended"
            if message.event == "snapshot":
                return message.json()  # type: ignore[no-any-return]

    async def snapshot_where(self, predicate: Any, timeout: float = 10.0) -> dict[str, Any]:
        """The first snapshot for which `predicate(snapshot)` holds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            data = await self.snapshot(max(0.1, deadline - loop.time()))
            if predicate(data):
                return data
