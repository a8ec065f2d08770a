"""The chair's console over real HTTP: sign-ins, refusals that change nothing, floor actions.

A real aiohttp server on 127.0.0.1 (port 0) serves `bot.web.console.add_routes` over the real
services of a bot that polls the fake Bot API server, so each console action is checked where
the chairs see it too: in their Telegram chats. The clock is fake (initData ages, link expiry).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.errors import UserError
from bot.services.console_access import ConsoleAccess
from bot.services.registry import Services
from bot.storage.console_repo import ConsoleRepo
from bot.web import console as console_web
from bot.web.console import add_routes
from tests.support import TOKEN, FakeClock, RunningBot
from tests.telegram_server import FakeTelegram
from tests.web.webapp_data import signed_init_data

CHAIR, SECRETARY, DELEGATE = 111, 112, 201
ROOM, REMOTE = 301, 302
CONFIG: dict[str, Any] = {
    "roles": {"organisers": [CHAIR, SECRETARY]},
    "floor": {"priority": ["in_room", "remote_high_level", "remote"],
              "minutes": {"panelist": 10, "in_room": 10, "remote_high_level": 7, "remote": 5},
              "remote_budget_minutes": 30, "warn_before_seconds": 60},
}


@dataclass(frozen=True)
class Context:
    """What add_routes needs (the web server's WebContext has these and more)."""

    services: Services
    application: Any
    public_url: str


@dataclass
class Console:
    """A running console server, its bot and a fake clock."""

    bot: RunningBot
    clock: FakeClock
    url: str
    telegram: FakeTelegram

    @property
    def services(self) -> Services:
        return self.bot.services

    def access(self, token: str = TOKEN) -> ConsoleAccess:
        s = self.services
        return ConsoleAccess.build(s.db, s.participants, token, s.clock)

    def browser(self) -> aiohttp.ClientSession:
        # unsafe: keep cookies for an IP address (127.0.0.1), as a browser does
        return aiohttp.ClientSession(base_url=self.url,
                                     cookie_jar=aiohttp.CookieJar(unsafe=True))

    def counts(self) -> tuple[int, int]:
        return ConsoleRepo(self.services.db).counts()

    def audit(self, action: str) -> list[dict[str, object]]:
        return [e for e in self.services.participants.repo.audit_entries(500)
                if e["action"] == action]


async def start_console(bot: RunningBot, clock: FakeClock, telegram: FakeTelegram,
                        public_url: str = "http://127.0.0.1") -> tuple[Console, web.AppRunner]:
    app = web.Application()
    add_routes(app, Context(bot.services, bot.application, public_url))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return Console(bot, clock, f"http://127.0.0.1:{port}", telegram), runner


@pytest.fixture
async def console(telegram: FakeTelegram, bot_factory) -> AsyncIterator[Console]:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    bot = await bot_factory(CONFIG, clock=clock)
    served, runner = await start_console(bot, clock, telegram)
    yield served
    await runner.cleanup()


def join(services: Services, user_id: int, name: str, delegation: str, mode: str) -> None:
    """A participant registers, says how they attend, and asks for the floor."""
    services.participants.seen(user_id, name, None, "en")
    services.participants.set_profile(user_id, name, delegation)
    services.participants.set_mode(user_id, mode)
    services.floor.request(user_id)


async def sign_in(console: Console, client: aiohttp.ClientSession, user_id: int = CHAIR) -> str:
    """Open a fresh sign-in link in `client`; returns the session's CSRF token."""
    token = console.access().issue_link(user_id)
    response = await client.get(f"/console/signin/{token}", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/console"
    me = await client.get("/console/me")
    assert me.status == 200
    body = await me.json()
    assert body["user_id"] == user_id
    return str(body["csrf"])


async def act(client: aiohttp.ClientSession, csrf: str | None, **body: Any
              ) -> tuple[int, dict[str, Any]]:
    headers = {} if csrf is None else {"X-CSRF-Token": csrf}
    response = await client.post("/console/action", json=body, headers=headers)
    return response.status, await response.json()


# --- the sign-in link ----------------------------------------------------------------------
async def test_a_sign_in_link_sets_a_strict_http_only_cookie_and_opens_the_console(
        console: Console) -> None:
    token = console.access().issue_link(CHAIR)
    async with console.browser() as client:
        response = await client.get(f"/console/signin/{token}", allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/console"
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith(f"{console_web.COOKIE}=")
        for attribute in ("HttpOnly", "SameSite=Strict", "Path=/console"):
            assert attribute in cookie
        assert "Secure" not in cookie  # the public address is http here
        assert token not in cookie and response.headers["Referrer-Policy"] == "no-referrer"
        page = await client.get("/console")
        assert page.status == 200 and "console.js" in await page.text()
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        state = await client.get("/console/state")
        assert state.status == 200
        body = await state.json()
        assert body["current"] is None and body["queue"] == [] and body["open"] is True
        # the page's assets: served from an allow-list, nothing loaded from elsewhere
        for name, kind in console_web.ASSETS.items():
            asset = await client.get(f"/console/assets/{name}")
            assert asset.status == 200 and asset.content_type == kind
            assert "http://" not in await asset.text() and "https://" not in await asset.text()
        assert "http://" not in await page.text() and "https://" not in await page.text()
        for name in ("../console.py", "console.html", "room.html"):
            assert (await client.get(f"/console/assets/{name}")).status == 404
    assert console.counts() == (1, 1)
    assert [e["detail"] for e in console.audit("console_signin")] == ["signed in (link)"]


async def test_bad_sign_in_links_are_refused_and_change_nothing(console: Console) -> None:
    floor_before = console.services.floor.state()
    # a participant cannot even get one
    with pytest.raises(UserError):
        console.access().issue_link(DELEGATE)
    assert console.counts() == (0, 0)
    assert [e["allowed"] for e in console.audit("console_link")] == [0]
    # unknown links, in the browser's language
    async with console.browser() as client:
        for token in ("garbage", "A" * 43, "..%2F..%2Fetc%2Fpasswd"):
            response = await client.get(f"/console/signin/{token}", allow_redirects=False,
                                        headers={"Accept-Language": "fr-CH,fr;q=0.9"})
            assert response.status in (401, 404) and "Set-Cookie" not in response.headers
        response = await client.get("/console/signin/" + "A" * 43, allow_redirects=False,
                                    headers={"Accept-Language": "fr-CH,fr;q=0.9"})
        text = await response.text()
        assert response.status == 401 and 'lang="fr"' in text and "/console" in text
        assert "You are not signed in" not in text
    assert console.counts() == (0, 0)

    # a HEAD (a link checker) does not use a link up; a second GET is refused
    token = console.access().issue_link(CHAIR)
    async with console.browser() as first:
        assert (await first.head(f"/console/signin/{token}",
                                 allow_redirects=False)).status == 405
        assert (await first.get(f"/console/signin/{token}", allow_redirects=False)).status == 303
    after_first = console.counts()
    async with console.browser() as second:
        response = await second.get(f"/console/signin/{token}", allow_redirects=False)
        assert response.status == 401 and "already used" in await response.text()
        assert "Set-Cookie" not in response.headers
        assert (await second.get("/console/state")).status == 401
    assert console.counts() == after_first

    # an expired link: refused, and not even marked used
    late = console.access().issue_link(CHAIR)
    console.clock.advance(minutes=10)
    async with console.browser() as client:
        response = await client.get(f"/console/signin/{late}", allow_redirects=False)
        assert response.status == 401 and "expired" in await response.text()
        assert "Set-Cookie" not in response.headers
    assert console.counts() == (after_first[0] + 1, after_first[1])
    refused = [(e["actor_id"], e["detail"]) for e in console.audit("console_signin")
               if not e["allowed"]]
    assert (CHAIR, "refused (link): used") in refused
    assert (CHAIR, "refused (link): expired") in refused
    assert (None, "refused (link): unknown") in refused
    assert console.services.floor.state() == floor_before


# --- the Mini App ----------------------------------------------------------------------------
async def webapp(client: aiohttp.ClientSession, init_data: str) -> tuple[int, dict[str, Any]]:
    response = await client.post("/console/webapp", json={"initData": init_data})
    return response.status, await response.json()


async def test_an_organisers_mini_app_gets_a_session_in_the_answer(console: Console) -> None:
    data = signed_init_data(TOKEN, CHAIR, console.clock() - timedelta(minutes=2))
    async with console.browser() as miniapp:
        status, body = await webapp(miniapp, data)
        assert status == 200 and body["user_id"] == CHAIR
        assert body["labels"]["done"] == "Done" and body["csrf"]
    # A webview that drops cookies: the session travels in a header.
    async with aiohttp.ClientSession(base_url=console.url) as cookieless:
        headers = {"X-Console-Session": body["session"], "X-CSRF-Token": body["csrf"]}
        state = await cookieless.get("/console/state", headers=headers)
        assert state.status == 200
        response = await cookieless.post("/console/action", json={"action": "close"},
                                          headers=headers)
        assert response.status == 200
    assert console.services.floor.state().is_open is False
    closes = [e for e in console.services.participants.repo.audit_entries(100)
              if e["action"] == "floor_close"]
    assert [e["actor_id"] for e in closes] == [CHAIR]


async def test_bad_mini_app_sign_ins_are_refused_and_change_nothing(console: Console) -> None:
    now = console.clock()
    cases = [
        ("forged", signed_init_data(TOKEN, CHAIR, now).replace("hash=", "hash=0")[:-1], 401,
         None),
        ("forged", signed_init_data("999:another-bot", CHAIR, now), 401, None),
        ("stale", signed_init_data(TOKEN, CHAIR, now - timedelta(hours=2)), 401, None),
        ("not_organiser", signed_init_data(TOKEN, DELEGATE, now), 403, DELEGATE),
        ("malformed", "user=me&hash=please", 401, None),
    ]
    join(console.services, ROOM, "Ana Silva", "Brazil", "room")
    floor_before = console.services.floor.state()
    async with console.browser() as client:
        for refusal, data, status, _actor in cases:
            got, body = await webapp(client, data)
            assert (got, body["error"]) == (status, refusal)
            assert body["ok"] is False and body["message"]
            assert "session" not in body and "csrf" not in body
            assert (await client.get("/console/state")).status == 401
        for bad in ({}, {"initData": 5}, ["x"]):
            assert (await client.post("/console/webapp", json=bad)).status == 400
        response = await client.post("/console/webapp", data=b"\xff\xfe",
                                     headers={"Content-Type": "application/json"})
        assert response.status == 400
    assert console.counts() == (0, 0)
    assert console.services.floor.state() == floor_before
    refused = list(reversed(console.audit("console_signin")))
    assert [(e["actor_id"], e["detail"], e["allowed"]) for e in refused] == [
        (actor, f"refused (webapp): {refusal}", 0) for refusal, _d, _s, actor in cases]


# --- sessions and CSRF ----------------------------------------------------------------------
async def test_without_a_valid_session_nothing_is_shown_and_nothing_changes(
        console: Console) -> None:
    join(console.services, ROOM, "Ana Silva", "Brazil", "room")
    before = console.services.floor.state()
    # a session opened by a bot with another token, on the same database
    other = console.access("999:another-bot")
    grant = other.sign_in_with_link(other.issue_link(CHAIR))
    sessions: list[dict[str, str]] = [
        {}, {"Cookie": f"{console_web.COOKIE}=garbage"},
        {"Cookie": f"{console_web.COOKIE}={'A' * 43}"}, {"Cookie": f"{console_web.COOKIE}="},
        {"X-Console-Session": "garbage"}, {"X-Console-Session": grant.session_id},
        {"Cookie": f"{console_web.COOKIE}={grant.session_id}"},
    ]
    async with aiohttp.ClientSession(base_url=console.url) as client:
        for headers in sessions:
            for path in ("/console/me", "/console/state"):
                response = await client.get(path, headers=headers)
                assert response.status == 401, (path, headers)
                assert (await response.json())["error"] == "unknown"
            response = await client.post("/console/action", json={"action": "next"},
                                         headers={**headers, "X-CSRF-Token": grant.csrf})
            assert response.status == 401
    assert console.services.floor.state() == before


async def test_changes_need_the_sessions_csrf_token_and_an_organiser(console: Console) -> None:
    services, telegram = console.services, console.telegram
    join(services, ROOM, "Ana Silva", "Brazil", "room")
    before = services.floor.state()
    async with console.browser() as client:
        await sign_in(console, client)
        mark = telegram.mark()
        for csrf in (None, "", "wrong", "A" * 43):
            for action in ("next", "close"):
                status, body = await act(client, csrf, action=action)
                assert (status, body["error"]) == (403, "csrf")
        assert (await client.post("/console/signout")).status == 403
    assert services.floor.state() == before
    assert not [s for s in telegram.sent[mark:] if "has the floor" in s.text]
    refused = console.audit("console_next")
    assert {(e["actor_id"], e["allowed"]) for e in refused} == {(CHAIR, 0)} and len(refused) == 4

    # an organiser whose role is revoked is out at once
    services.participants.seen(DELEGATE, "Helper", None, "en")
    services.participants.grant(CHAIR, DELEGATE, "organiser")
    async with console.browser() as client:
        csrf = await sign_in(console, client, DELEGATE)
        services.participants.revoke(CHAIR, DELEGATE, "organiser")
        assert (await client.get("/console/state")).status == 403
        status, _body = await act(client, csrf, action="close")
        assert status == 403
    assert services.floor.state() == before

    # sign out ends the session; sessions expire after 12 hours
    async with console.browser() as client:
        csrf = await sign_in(console, client)
        response = await client.post("/console/signout", headers={"X-CSRF-Token": csrf})
        assert response.status == 200
        assert (await client.get("/console/state")).status == 401
    async with console.browser() as client:
        await sign_in(console, client)
        console.clock.advance(hours=12)
        response = await client.get("/console/state")
        assert response.status == 401 and (await response.json())["error"] == "expired"


# --- the floor from the console ---------------------------------------------------------------
async def test_console_actions_run_the_floor_and_update_the_chairs_telegram_status(
        console: Console) -> None:
    services, telegram = console.services, console.telegram
    join(services, ROOM, "Ana Silva", "Brazil", "room")
    join(services, REMOTE, "Li Wei", "China", "remote")
    chair = telegram.user(CHAIR, "Chair")
    status_message = await chair.ask("/queue", "List of speakers")
    status_message = await telegram.wait_for(
        lambda s: s.chat_id == CHAIR and "fl:u" in str(s.buttons))
    async with console.browser() as client:
        csrf = await sign_in(console, client)
        state = await (await client.get("/console/state")).json()
        assert state["next_button"]["label"] == "Next: Ana Silva"
        assert [r["name"] for r in state["queue"]] == ["Ana Silva", "Li Wei"]

        mark = telegram.mark()
        status, body = await act(client, csrf, action="next",
                                 request_id=state["next_button"]["id"])
        assert status == 200 and body["state"]["current"]["name"] == "Ana Silva"
        await telegram.wait_message(ROOM, "You have the floor", after=mark)
        await telegram.wait_for(lambda s: s.method == "editMessageText"
                                and s.message_id == status_message.message_id
                                and "Ana Silva" in s.text and "fl:d:" in str(s.buttons),
                                after=mark)
        current = body["state"]["current"]
        for action, seen in (("pause", "clock paused"), ("resume", "clock running")):
            mark = telegram.mark()
            status, body = await act(client, csrf, action=action, request_id=current["id"])
            assert status == 200
            await telegram.wait_message(CHAIR, seen, after=mark)

        mark = telegram.mark()
        status, body = await act(client, csrf, action="done", request_id=current["id"])
        assert status == 200 and body["state"]["current"] is None
        await telegram.wait_message(CHAIR, "Ana Silva spoke", after=mark)
        await telegram.wait_for(lambda s: s.method == "editMessageText"
                                and s.message_id == status_message.message_id
                                and "Nobody has the floor" in s.text, after=mark)
        # the same Done again (a stale page): refused with the floor's own message
        status, body = await act(client, csrf, action="done", request_id=current["id"])
        assert status == 409 and body["message"] == "Nobody has the floor right now."

        mark = telegram.mark()
        status, body = await act(client, csrf, action="budget")
        assert status == 200 and body["message"].startswith("Remote budget: 0:00 used of 30:00")
        for action, seen in (("close", "now closed"), ("open", "now open")):
            status, body = await act(client, csrf, action=action)
            assert status == 200
            await telegram.wait_message(CHAIR, seen, after=mark)
    actors = {(e["action"], e["actor_id"]) for e in services.participants.repo.audit_entries(50)
              if str(e["action"]).startswith("floor_")}
    assert {("floor_next", CHAIR), ("floor_done", CHAIR), ("floor_pause", CHAIR),
            ("floor_close", CHAIR), ("floor_open", CHAIR)} <= actors


async def test_skip_move_and_remove_from_the_console(console: Console) -> None:
    services, telegram = console.services, console.telegram
    join(services, ROOM, "Ana Silva", "Brazil", "room")
    join(services, 303, "Jean Dupont", "France", "room")
    join(services, REMOTE, "Li Wei", "China", "remote")
    async with console.browser() as client:
        csrf = await sign_in(console, client)
        queue = {r["name"]: r for r in (await (await client.get("/console/state")).json())[
            "queue"]}
        mark = telegram.mark()
        status, body = await act(client, csrf, action="move", request_id=queue["Li Wei"]["id"],
                                 **{"from": 3, "to": 1})
        assert status == 200
        assert [r["name"] for r in body["state"]["queue"]] == [
            "Li Wei", "Ana Silva", "Jean Dupont"]
        # a page that still shows the old order: the request is no longer at position 3
        status, body = await act(client, csrf, action="remove",
                                 request_id=queue["Li Wei"]["id"], position=3)
        assert status == 409 and body["error"] == "list_changed"
        assert len(services.floor.state().waiting) == 3
        status, body = await act(client, csrf, action="remove",
                                 request_id=queue["Jean Dupont"]["id"], position=3)
        assert status == 200 and [r["name"] for r in body["state"]["queue"]] == [
            "Li Wei", "Ana Silva"]
        await telegram.wait_message(303, "An organiser removed your request", after=mark)
        status, body = await act(client, csrf, action="next")
        assert body["state"]["current"]["name"] == "Li Wei"
        status, body = await act(client, csrf, action="skip",
                                 request_id=body["state"]["current"]["id"])
        assert status == 200 and body["state"]["current"] is None
        await telegram.wait_message(REMOTE, "You were called but were not there", after=mark)


async def test_beyond_the_remote_budget_the_console_asks_first(telegram: FakeTelegram,
                                                               bot_factory) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    tight = {**CONFIG, "floor": {**CONFIG["floor"], "remote_budget_minutes": 2}}
    bot = await bot_factory(tight, clock=clock)
    served, runner = await start_console(bot, clock, telegram)
    try:
        services = served.services
        join(services, REMOTE, "Li Wei", "China", "remote")
        await telegram.user(CHAIR, "Chair").ask("/queue", "List of speakers")
        async with served.browser() as client:
            csrf = await sign_in(served, client)
            head = (await (await client.get("/console/state")).json())["next_button"]
            mark = telegram.mark()
            status, body = await act(client, csrf, action="next", request_id=head["id"])
            assert status == 200 and body["state"]["current"] is None
            confirm = body["confirm"]
            assert confirm["request_id"] == head["id"]
            assert "cannot cover a full slot of 5:00 for Li Wei" in confirm["text"]
            assert confirm["confirm_label"] == "Give the floor anyway (2:00)"
            assert services.floor.state().current is None
            # confirming needs to say for whom
            status, body = await act(client, csrf, action="next", confirm=True)
            assert status == 400 and services.floor.state().current is None
            status, body = await act(client, csrf, action="next", request_id=head["id"],
                                     confirm=True)
            assert status == 200 and body["state"]["current"]["name"] == "Li Wei"
            note = await telegram.wait_message(CHAIR, "has the floor (", after=mark,
                                               method="sendMessage")
            assert "Given beyond the remote budget" in note.text
            # no Telegram confirmation was sent for the console's question
            assert not [s for s in telegram.sent[mark:] if "Give the floor anyway" in s.text]
        # behind HTTPS the cookie is Secure
        https, https_runner = await start_console(bot, clock, telegram,
                                                  public_url="https://panel.example.org")
        try:
            token = https.access().issue_link(CHAIR)
            async with https.browser() as client:
                response = await client.get(f"/console/signin/{token}", allow_redirects=False)
                assert response.status == 303 and "Secure" in response.headers["Set-Cookie"]
        finally:
            await https_runner.cleanup()
    finally:
        await runner.cleanup()


async def test_two_chairs_pressing_next_at_once_give_the_floor_once(console: Console) -> None:
    services, telegram = console.services, console.telegram
    join(services, ROOM, "Ana Silva", "Brazil", "room")
    join(services, REMOTE, "Li Wei", "China", "remote")
    async with console.browser() as one, console.browser() as two:
        csrf_one, csrf_two = await sign_in(console, one), await sign_in(console, two, SECRETARY)
        head = (await (await one.get("/console/state")).json())["next_button"]["id"]
        mark = telegram.mark()
        results = await asyncio.gather(
            act(one, csrf_one, action="next", request_id=head),
            act(two, csrf_two, action="next", request_id=head),
            act(one, csrf_one, action="next", request_id=head))
    statuses = sorted(status for status, _body in results)
    assert statuses == [200, 409, 409]
    refusals = [body["message"] for status, body in results if status == 409]
    assert all("has the floor" in m or "no longer waiting" in m for m in refusals)
    await telegram.wait_message(ROOM, "You have the floor", after=mark)
    assert len([s for s in telegram.to(ROOM) if "You have the floor" in s.text]) == 1
    current = services.floor.state().current
    assert current is not None and current.participant_id == ROOM


BAD_BODIES: list[Any] = [
    {"action": "dance"}, {"action": "move", "from": "1", "to": 2}, {"action": "move"},
    {"action": "remove"}, {"action": "remove", "position": -1},
    {"action": "next", "request_id": True}, {"action": "done", "confirm": True},
    {"action": "next", "request_id": 10**12}, {"action": "close", "sudo": True}, ["next"],
    "next", None,
    # the action is parsed with ChairAction(...) at the boundary: only the console's own
    {"action": "NEXT"}, {"action": "next "}, {"action": 1}, {"action": ["next"]},
    {"action": None}, {"action": "add"}, {"action": "undo"}, {"action": "report"},
]


async def test_bad_action_bodies_are_refused_and_refusals_speak_the_chairs_language(
        console: Console) -> None:
    services = console.services
    services.participants.seen(CHAIR, "Chair", None, "fr")
    services.participants.set_language(CHAIR, "fr")
    french = services.i18n.translator("fr").gettext
    join(services, ROOM, "Ana Silva", "Brazil", "room")
    before = services.floor.state()
    async with console.browser() as client:
        csrf = await sign_in(console, client)
        me = await (await client.get("/console/me")).json()
        assert me["labels"]["language"] == "fr" and me["labels"]["done"] == french("Done")
        for body in BAD_BODIES:
            response = await client.post("/console/action", json=body,
                                         headers={"X-CSRF-Token": csrf})
            assert response.status == 400, body
            assert (await response.json())["message"] == french(
                "That console request is not valid.")
        response = await client.post("/console/action", data=b"{not json",
                                     headers={"X-CSRF-Token": csrf})
        assert response.status == 400
        assert services.floor.state() == before
        status, body = await act(client, csrf, action="done")
        assert status == 409
        assert body["message"] == french("Nobody has the floor right now.")
        assert body["message"] != "Nobody has the floor right now."
    assert services.floor.state() == before
