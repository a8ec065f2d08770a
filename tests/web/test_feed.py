"""The Server-Sent Events hub, over a real aiohttp server on 127.0.0.1 (port 0)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.web.feed import Client, Feed, encode
from tests.web.sse import EventStream


class Source:
    """A snapshotter whose state the test sets; counts how often it was asked."""

    def __init__(self) -> None:
        self.value = 0
        self.calls = 0
        self.fail = False

    def __call__(self) -> dict[str, Any]:
        self.calls += 1
        if self.fail:
            raise RuntimeError("broken snapshot")
        return {"value": self.value}


Served = Callable[..., Any]


@pytest.fixture
async def serve() -> AsyncIterator[Served]:
    """serve(feed) -> base URL of a real server streaming `feed` at /events/<key>."""
    runners: list[web.AppRunner] = []

    async def start(feed: Feed) -> str:
        app = web.Application()

        async def events(request: web.Request) -> web.StreamResponse:
            return await feed.stream(request, request.match_info["key"])
        app.router.add_get("/events/{key}", events)
        runner = web.AppRunner(app, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}"
    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as session:
        yield session


async def connect(http: aiohttp.ClientSession, url: str) -> EventStream:
    response = await http.get(url)
    assert response.status == 200
    return EventStream(response)


async def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Yield to the loop until `predicate()` holds (fails after `timeout`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition never held"
        await asyncio.sleep(0)


def test_an_event_is_one_json_line_with_its_id() -> None:
    payload = encode({"name": "a\nb", "x": "é"}, 7).decode()
    assert payload == 'event: snapshot\nid: 7\ndata: {"name":"a\\nb","x":"é"}\n\n'


async def test_a_client_keeps_only_the_latest_payload() -> None:
    client = Client("k")
    client.offer(b"old")
    client.offer(b"new")
    assert client.pending == b"new" and client.wake.is_set()


async def test_each_screen_gets_a_snapshot_on_connect_and_after_a_change(
        serve: Served, http: aiohttp.ClientSession) -> None:
    source = Source()
    feed = Feed(source, asyncio.get_running_loop())
    url = await serve(feed)
    screens = [await connect(http, f"{url}/events/k") for _ in range(3)]
    for stream in screens:
        assert (await stream.snapshot()) == {"value": 0}
    source.value = 1
    feed.notify()
    for stream in screens:
        assert (await stream.snapshot()) == {"value": 1}


async def test_a_burst_of_changes_builds_one_snapshot(serve: Served,
                                                      http: aiohttp.ClientSession) -> None:
    source = Source()
    feed = Feed(source, asyncio.get_running_loop())
    stream = await connect(http, f"{await serve(feed)}/events/k")
    await stream.snapshot()
    asked = source.calls
    source.value = 5
    for _ in range(50):
        feed.notify()
    assert (await stream.snapshot()) == {"value": 5}
    assert source.calls == asked + 1 and feed.published == 1


async def test_a_change_on_another_thread_is_pushed_from_the_loop(
        serve: Served, http: aiohttp.ClientSession) -> None:
    source = Source()
    feed = Feed(source, asyncio.get_running_loop())
    stream = await connect(http, f"{await serve(feed)}/events/k")
    await stream.snapshot()
    source.value = 2
    thread = threading.Thread(target=feed.notify)
    thread.start()
    thread.join()
    assert (await stream.snapshot()) == {"value": 2}


async def test_an_idle_stream_gets_keep_alive_comments(serve: Served,
                                                       http: aiohttp.ClientSession) -> None:
    feed = Feed(Source(), asyncio.get_running_loop(), keepalive_seconds=0.05)
    stream = await connect(http, f"{await serve(feed)}/events/k")
    retry = await stream.message()
    assert retry is not None and retry.retry == "2000"
    await stream.snapshot()
    comment = await stream.message()
    assert comment is not None and comment.comments == ("keep-alive",) and comment.data == ""


async def test_closing_a_key_ends_only_its_streams(serve: Served,
                                                   http: aiohttp.ClientSession) -> None:
    source = Source()
    feed = Feed(source, asyncio.get_running_loop())
    url = await serve(feed)
    old, new = await connect(http, f"{url}/events/old"), await connect(http, f"{url}/events/new")
    await old.snapshot()
    await new.snapshot()
    assert feed.close_key("old") == 1
    while (message := await old.message()) is not None:
        assert message.event == "snapshot"
    source.value = 3
    feed.notify()
    assert (await new.snapshot()) == {"value": 3}
    await wait_until(lambda: feed.clients == 1)


async def test_a_broken_snapshot_does_not_stop_later_ones(serve: Served,
                                                          http: aiohttp.ClientSession) -> None:
    source = Source()
    feed = Feed(source, asyncio.get_running_loop())
    stream = await connect(http, f"{await serve(feed)}/events/k")
    await stream.snapshot()
    source.fail = True
    feed.notify()
    await wait_until(lambda: feed.published == 1)
    source.fail, source.value = False, 4
    feed.notify()
    assert (await stream.snapshot()) == {"value": 4}


async def test_too_many_screens_are_refused_and_a_stopped_feed_takes_none(
        serve: Served, http: aiohttp.ClientSession) -> None:
    feed = Feed(Source(), asyncio.get_running_loop(), max_clients=1)
    url = await serve(feed)
    first = await connect(http, f"{url}/events/k")
    await first.snapshot()
    async with http.get(f"{url}/events/k") as refused:
        assert refused.status == 503
    feed.stop()
    while await first.message() is not None:
        pass
    await wait_until(lambda: feed.clients == 0)
    async with http.get(f"{url}/events/k") as late:
        assert late.status == 503
    feed.notify()  # ignored once stopped
    assert feed.published == 0


async def test_a_screen_that_goes_away_leaves_the_hub(serve: Served,
                                                      http: aiohttp.ClientSession) -> None:
    source = Source()
    feed = Feed(source, asyncio.get_running_loop(), keepalive_seconds=0.05)
    stream = await connect(http, f"{await serve(feed)}/events/k")
    await stream.snapshot()
    assert feed.clients == 1
    stream.response.close()
    await wait_until(lambda: feed.clients == 0)
