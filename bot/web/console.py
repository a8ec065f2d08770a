"""The chair's console over HTTP: sign-in (link or Mini App), the list as JSON, the actions.

Mounted by the web server with `add_routes(app, ctx)`. Every route but the page, its assets
and the sign-ins needs a session: the `panel_console` cookie (HttpOnly, SameSite=Strict,
Path=/console) or, inside Telegram's webview where a cookie may not stick, the
`X-Console-Session` header; every change is a POST carrying the session's `X-CSRF-Token`.
Actions go through the same FloorService as the Telegram commands (audited there with the
organiser as actor), then `floor_effects.carry_out` updates the chairs' Telegram messages
exactly as after a command. Secrets never reach the log.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web
from telegram.ext import Application

from bot.domain.floor_events import ConfirmationNeeded
from bot.errors import UserError
from bot.handlers import floor_effects
from bot.i18n import Gettext, pick_language
from bot.i18n import gettext_noop as _
from bot.services.console_access import ConsoleAccess, ConsoleRefused, ConsoleUser, Grant
from bot.services.floor_service import Outcome
from bot.services.registry import Services
from bot.web import console_state
from bot.web.auth import SESSION_TTL, Refusal
from bot.web.console_actions import ACTIONS, AT_POSITION, Action, BadAction, parse_action

log = logging.getLogger(__name__)

COOKIE = "panel_console"
SESSION_HEADER = "X-Console-Session"
CSRF_HEADER = "X-CSRF-Token"
STATIC = Path(__file__).resolve().parent / "static"
ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}
BODY_LIMIT = 16 * 1024  # bytes of an action or sign-in body

# Page security: nothing from elsewhere; Telegram Web shows Mini Apps in a frame.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'self' https://web.telegram.org")
_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff"}


class ConsoleContext(Protocol):
    """What the console needs from the web server's context (bot.web.context.WebContext)."""

    @property
    def services(self) -> Services: ...

    @property
    def application(self) -> Application: ...

    @property
    def public_url(self) -> str: ...


REFUSALS: dict[Refusal, str] = {
    Refusal.MALFORMED: _("This sign-in is not valid. Send /console to the bot for a new link."),
    Refusal.FORGED: _("This sign-in could not be verified. Open the console again from "
                      "Telegram."),
    Refusal.STALE: _("This sign-in is too old. Open the console again from Telegram."),
    Refusal.UNKNOWN: _("You are not signed in to the console. Send /console to the bot."),
    Refusal.USED: _("This sign-in link was already used. Send /console to the bot for a new "
                    "one."),
    Refusal.EXPIRED: _("This sign-in link or session has expired. Send /console to the bot "
                       "for a new link."),
    Refusal.NOT_ORGANISER: _("Sorry, only the organisers can use this."),
    Refusal.CSRF: _("This change was refused: reload the console and try again."),
}
STATUS: dict[Refusal, int] = {Refusal.NOT_ORGANISER: 403, Refusal.CSRF: 403}
BAD_REQUEST = _("That console request is not valid.")
LIST_CHANGED = _("The list has changed since: check it and try again.")


# --- the web side --------------------------------------------------------------------------
class _Console:
    """The handlers, bound to the server's context."""

    def __init__(self, ctx: ConsoleContext) -> None:
        self.ctx = ctx
        self.secure = ctx.public_url.lower().startswith("https://")
        self._effects: set[asyncio.Task[None]] = set()

    @property
    def services(self) -> Services:
        return self.ctx.services

    def access(self) -> ConsoleAccess:
        services = self.services
        return ConsoleAccess.build(services.db, services.participants, services.env.token,
                                   services.clock)

    def gettext(self, request: web.Request, user_id: int | None = None) -> tuple[str, Gettext]:
        """The reader's language: their chosen one when known, else ?lang=, else the browser's."""
        if user_id is not None and self.services.participants.get(user_id) is not None:
            language = self.services.participants.language(user_id)
        else:
            wanted = request.query.get("lang") or _browser_language(request)
            language = pick_language(None, wanted)
        return language, self.services.i18n.translator(language).gettext

    # --- pages ---------------------------------------------------------------------------
    async def page(self, request: web.Request) -> web.StreamResponse:
        """GET /console: the page (it signs in by itself, then polls the list)."""
        response = web.FileResponse(STATIC / "console.html", headers={
            **_HEADERS, "Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": CSP})
        return response

    async def asset(self, request: web.Request) -> web.StreamResponse:
        """GET /console/assets/<name>: the page's script and style (an allow-list)."""
        name = request.match_info["name"]
        kind = ASSETS.get(name)
        if kind is None:
            raise web.HTTPNotFound()
        return web.FileResponse(STATIC / name, headers={
            **_HEADERS, "Content-Type": f"{kind}; charset=utf-8"})

    async def signin(self, request: web.Request) -> web.StreamResponse:
        """GET /console/signin/<token>: use a one-time link, set the cookie, go to the page."""
        try:
            grant = self.access().sign_in_with_link(request.match_info["token"])
        except ConsoleRefused as refused:
            language, gettext = self.gettext(request, refused.actor_id)
            return _refusal_page(refused.refusal, language, gettext)
        response = web.Response(status=303, headers={**_HEADERS, "Location": "/console"})
        self._set_cookie(response, grant)
        return response

    async def webapp(self, request: web.Request) -> web.StreamResponse:
        """POST /console/webapp {initData}: sign in from the Mini App."""
        init_data = await _init_data(request)
        if init_data is None:
            return self._error(request, 400, "bad_request", BAD_REQUEST)
        try:
            grant = self.access().sign_in_with_webapp(init_data)
        except ConsoleRefused as refused:
            return self._refused(request, refused)
        response = self._json({**self._me(grant.user_id, grant.csrf),
                               "session": grant.session_id})
        self._set_cookie(response, grant)
        return response

    async def me(self, request: web.Request) -> web.StreamResponse:
        """GET /console/me: who is signed in, the CSRF token and the page's labels."""
        user = self._user(request)
        return self._json(self._me(user.user_id, user.csrf))

    async def state(self, request: web.Request) -> web.StreamResponse:
        """GET /console/state: the list now, for the console."""
        user = self._user(request)
        return self._json(self._state(request, user))

    async def action(self, request: web.Request) -> web.StreamResponse:
        """POST /console/action: one floor action, as from Telegram."""
        user = self._user(request)
        language, gettext = self.gettext(request, user.user_id)
        try:
            body = await _json_body(request)
            parsed = parse_action(body)
        except BadAction:
            return self._error(request, 400, "bad_request", gettext(BAD_REQUEST), translated=True)
        try:
            self.access().check_csrf(user, request.headers.get(CSRF_HEADER), parsed.name)
        except ConsoleRefused as refused:
            return self._refused(request, refused)
        floor = self.services.floor
        if parsed.name == "budget":
            budget = floor.budget()
            return self._json({"ok": True, "message": console_state.budget_text(
                budget.total, budget.used, budget.left, gettext),
                "state": self._state(request, user)})
        if not self._still_there(parsed):
            return self._error(request, 409, "list_changed", gettext(LIST_CHANGED),
                               translated=True)
        try:
            outcome = ACTIONS[parsed.name](floor, user.user_id, parsed)
        except BadAction:
            return self._error(request, 400, "bad_request", gettext(BAD_REQUEST), translated=True)
        except UserError as error:
            text = gettext(error.message).format(**{k: str(v) for k, v in error.params.items()})
            return self._error(request, 409, "refused", text, translated=True)
        await self._carry_out(outcome)
        answer: dict[str, Any] = {"ok": True, "state": self._state(request, user)}
        asked = next((e for e in outcome.events if isinstance(e, ConfirmationNeeded)), None)
        if asked is not None:
            answer["confirm"] = console_state.confirmation(asked, gettext)
        return self._json(answer)

    async def signout(self, request: web.Request) -> web.StreamResponse:
        """POST /console/signout: end the session (CSRF token required)."""
        user = self._user(request)
        try:
            self.access().check_csrf(user, request.headers.get(CSRF_HEADER), "signout")
        except ConsoleRefused as refused:
            return self._refused(request, refused)
        session_id = _session_id(request)
        if session_id is not None:
            self.access().sign_out(session_id)
        response = self._json({"ok": True})
        response.del_cookie(COOKIE, path="/console")
        return response

    # --- helpers ---------------------------------------------------------------------------
    def _user(self, request: web.Request) -> ConsoleUser:
        """The signed-in organiser, or an HTTP error answer (raised)."""
        try:
            return self.access().authenticate(_session_id(request))
        except ConsoleRefused as refused:
            raise self._refused(request, refused, exception=True) from None

    def _still_there(self, action: Action) -> bool:
        """A move/remove naming a request must find it where the page showed it."""
        field = AT_POSITION.get(action.name)
        if field is None or action.request_id is None:
            return True
        position = getattr(action, field)
        waiting = self.services.floor.state().waiting
        return any(r.position == position and r.id == action.request_id for r in waiting)

    async def _carry_out(self, outcome: Outcome) -> None:
        """Telegram messages, timers and the chairs' status, as after a command. Shielded: a
        browser that goes away must not cut the Telegram side short."""
        task = asyncio.ensure_future(floor_effects.carry_out(
            self.ctx.application, self.services, outcome))
        self._effects.add(task)
        task.add_done_callback(self._effects.discard)
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            raise
        except Exception:  # the action is committed: the chair still gets its answer
            log.exception("console: carrying out a floor action failed")

    def _me(self, user_id: int, csrf: str) -> dict[str, Any]:
        participant = self.services.participants.get(user_id)
        language = self.services.participants.language(user_id)
        gettext = self.services.i18n.translator(language).gettext
        return {"user_id": user_id, "name": participant.display_name if participant else "",
                "csrf": csrf, "labels": console_state.labels(language, gettext)}

    def _state(self, request: web.Request, user: ConsoleUser) -> dict[str, Any]:
        floor = self.services.floor
        _language, gettext = self.gettext(request, user.user_id)
        state, _view, now = floor.snapshot()
        config = self.services.config
        return console_state.console_state(state, floor.rules, now, gettext,
                                           title=config.event.title, zone=config.tz,
                                           zone_label=config.event.timezone_label)

    def _set_cookie(self, response: web.StreamResponse, grant: Grant) -> None:
        response.set_cookie(COOKIE, grant.session_id, path="/console", httponly=True,
                            samesite="Strict", secure=self.secure,
                            max_age=int(SESSION_TTL.total_seconds()))

    def _json(self, data: dict[str, Any], status: int = 200) -> web.Response:
        return web.json_response(data, status=status, headers=_HEADERS)

    def _error(self, request: web.Request, status: int, code: str, message: str, *,
               translated: bool = False) -> web.Response:
        if not translated:
            message = self.gettext(request)[1](message)
        return self._json({"ok": False, "error": code, "message": message}, status)

    def _refused(self, request: web.Request, refused: ConsoleRefused, *,
                 exception: bool = False) -> Any:
        status = STATUS.get(refused.refusal, 401)
        _language, gettext = self.gettext(request, refused.actor_id)
        body = json.dumps({"ok": False, "error": refused.refusal.value,
                           "message": gettext(REFUSALS[refused.refusal])})
        kind = web.HTTPForbidden if status == 403 else web.HTTPUnauthorized
        error = kind(text=body, content_type="application/json", headers=_HEADERS)
        return error if exception else web.Response(
            status=status, text=body, content_type="application/json", headers=_HEADERS)


def _session_id(request: web.Request) -> str | None:
    return request.headers.get(SESSION_HEADER) or request.cookies.get(COOKIE)


def _browser_language(request: web.Request) -> str | None:
    header = request.headers.get("Accept-Language", "")
    first = header.split(",")[0].split(";")[0].strip()
    return first or None


async def _json_body(request: web.Request) -> Any:
    if request.content_length is not None and request.content_length > BODY_LIMIT:
        raise BadAction()
    raw = await request.content.read(BODY_LIMIT + 1)
    if len(raw) > BODY_LIMIT:
        raise BadAction()
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadAction() from None


async def _init_data(request: web.Request) -> str | None:
    """The `initData` of a sign-in body: JSON {"initData": "..."}, or a form field."""
    try:
        if request.content_type == "application/x-www-form-urlencoded":
            if (request.content_length or 0) > BODY_LIMIT:
                return None
            form = await request.post()
            value: Any = form.get("initData")
        else:
            body = await _json_body(request)
            value = body.get("initData") if isinstance(body, dict) else None
    except BadAction:
        return None
    return value if isinstance(value, str) and value else None


def _refusal_page(refusal: Refusal, language: str, gettext: Gettext) -> web.Response:
    """A small page for a browser that opened a bad sign-in link."""
    status = STATUS.get(refusal, 401)
    title = html.escape(gettext("Chair's console"))
    message = html.escape(gettext(REFUSALS[refusal]))
    direction = "rtl" if language == "ar" else "ltr"
    body = (f'<!doctype html><html lang="{language}" dir="{direction}"><head>'
            f'<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f"<title>{title}</title></head><body><h1>{title}</h1><p>{message}</p></body></html>")
    return web.Response(status=status, text=body, content_type="text/html",
                        headers={**_HEADERS, "Content-Security-Policy": "default-src 'none'"})


def add_routes(app: web.Application, ctx: ConsoleContext) -> None:
    """Mount the console's routes on the web server."""
    console = _Console(ctx)
    app.router.add_get("/console", console.page)
    app.router.add_get("/console/assets/{name}", console.asset)
    # No HEAD: a link checker's HEAD must not use up the one-time link.
    app.router.add_get("/console/signin/{token}", console.signin, allow_head=False)
    app.router.add_post("/console/webapp", console.webapp)
    app.router.add_get("/console/me", console.me)
    app.router.add_get("/console/state", console.state)
    app.router.add_post("/console/action", console.action)
    app.router.add_post("/console/signout", console.signout)
