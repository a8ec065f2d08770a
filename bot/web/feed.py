"""Server-Sent Events hub: every open screen gets a full snapshot on connect and on each change.

The floor service calls `notify` after every committed change, on whatever thread ran the
action (the event loop for Telegram commands, a worker thread elsewhere): it only hops to the
loop. There, one snapshot is built and encoded per burst of changes, then handed to every
screen. Each screen keeps only the latest payload, so a slow screen skips stale states instead
of queueing them, and never slows the others down. Warning and time-up timers go through the
same service, so they are pushed too.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 15.0
RETRY_MILLISECONDS = 2000  # how soon a browser reconnects after the stream drops
MAX_CLIENTS = 1000

Snapshotter = Callable[[], dict[str, Any]]


def encode(snapshot: dict[str, Any], event_id: int) -> bytes:
    """One SSE `snapshot` event (JSON on a single data line)."""
    data = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))
    return f"event: snapshot\nid: {event_id}\ndata: {data}\n\n".encode()


class Client:
    """One open stream: the latest payload not yet written, and what wakes its writer."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.pending: bytes | None = None
        self.closed = False
        self.wake = asyncio.Event()

    def offer(self, payload: bytes) -> None:
        """Replace the payload waiting to be written (a newer state makes older ones moot)."""
        self.pending = payload
        self.wake.set()

    def close(self) -> None:
        """End the stream (its writer returns)."""
        self.closed = True
        self.wake.set()


class Feed:
    """The open screens and what they are sent."""

    def __init__(self, snapshot: Snapshotter, loop: asyncio.AbstractEventLoop, *,
                 keepalive_seconds: float = KEEPALIVE_SECONDS,
                 max_clients: int = MAX_CLIENTS) -> None:
        self._snapshot = snapshot
        self._loop = loop
        self._keepalive = keepalive_seconds
        self._max_clients = max_clients
        self._clients: set[Client] = set()
        self._scheduled = False
        self._stopped = False
        self._sequence = 0
        self.published = 0  # snapshots built for a change (tests and the bench read it)

    @property
    def clients(self) -> int:
        """How many streams are open."""
        return len(self._clients)

    # --- changes -----------------------------------------------------------------------------
    def notify(self, _outcome: object = None) -> None:
        """A change was committed (any thread): push a snapshot soon, once per burst."""
        if self._stopped:
            return
        try:
            self._loop.call_soon_threadsafe(self._schedule)
        except RuntimeError:  # the loop is closed: the bot is shutting down
            pass

    def _schedule(self) -> None:
        if not self._scheduled and not self._stopped:
            self._scheduled = True
            self._loop.call_soon(self._publish)

    def _publish(self) -> None:
        self._scheduled = False
        if self._stopped:
            return
        self.published += 1
        if not self._clients:
            return
        try:
            payload = self._payload()
        except Exception:  # a broken snapshot must not stop later ones
            log.exception("screen snapshot failed")
            return
        for client in self._clients:
            client.offer(payload)

    def _payload(self) -> bytes:
        self._sequence += 1
        return encode(self._snapshot(), self._sequence)

    # --- streams -----------------------------------------------------------------------------
    async def stream(self, request: web.Request, key: str) -> web.StreamResponse:
        """Serve one screen's stream until it disconnects, its key is replaced or we stop."""
        if self._stopped or len(self._clients) >= self._max_clients:
            raise web.HTTPServiceUnavailable(text="Too many screens are connected.")
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # a reverse proxy (nginx) must pass events at once
        })
        await response.prepare(request)
        client = Client(key)
        self._clients.add(client)
        try:
            await response.write(f"retry: {RETRY_MILLISECONDS}\n\n".encode())
            client.offer(self._payload())
            while True:
                try:
                    await asyncio.wait_for(client.wake.wait(), self._keepalive)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                client.wake.clear()
                if client.closed:
                    break
                payload, client.pending = client.pending, None
                if payload is not None:
                    await response.write(payload)
        except ConnectionError:
            pass  # the screen went away: nothing to clean but the set
        finally:
            self._clients.discard(client)
        return response

    def close_key(self, key: str) -> int:
        """End the streams opened with `key` (replaced by /screen reset); returns how many."""
        gone = [client for client in self._clients if client.key == key]
        for client in gone:
            client.close()
        return len(gone)

    def close_key_threadsafe(self, key: str) -> None:
        """`close_key` from any thread."""
        try:
            self._loop.call_soon_threadsafe(self.close_key, key)
        except RuntimeError:
            pass

    def stop(self) -> None:
        """End every stream and ignore later changes (shutdown)."""
        self._stopped = True
        for client in list(self._clients):
            client.close()
