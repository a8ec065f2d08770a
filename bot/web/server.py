"""The bot's one web server: the room screen, the booth view, their live feed, and the console.

aiohttp on the bot's own event loop, started from the composition root's post_init and
stopped at shutdown. The screens only read; the console (`bot.web.console`, mounted when it
exists) changes the floor through the same service as the Telegram commands. The socket is
bound before the routes are frozen, so the address links show is known even for port 0.
A port already in use is logged and the bot keeps running without the screens. Keys never
reach the log: there is no access log (links carry secrets).
"""

from __future__ import annotations

import asyncio
import functools
import html
import importlib
import importlib.util
import json
import logging
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from telegram.ext import Application

from bot.services.registry import Services
from bot.services.screen import ScreenService, build_screen_service
from bot.web.context import WebContext
from bot.web.feed import Feed
from bot.web.labels import direction, labels, page_language
from bot.web.snapshot import build_snapshot

log = logging.getLogger(__name__)

BOT_DATA_KEY = "web"  # application.bot_data[BOT_DATA_KEY] -> WebServer
STATIC = Path(__file__).resolve().parent / "static"
VIEWS = {"screen": "room", "booth": "booth"}  # URL path -> view (and its template)
ASSETS = {"screen.css": "text/css", "screen.js": "text/javascript"}
SHUTDOWN_SECONDS = 3.0
CONSOLE_MODULE = "bot.web.console"

# Nothing from elsewhere, no inline script, no framing (a projector needs none).
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PAGE_HEADERS = {"Content-Security-Policy": CSP, "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def snapshot_of(services: Services) -> dict[str, Any]:
    """The screens' snapshot of the committed list, now."""
    state, _status, now = services.floor.snapshot()
    event = services.config.event
    return build_snapshot(state, services.floor.rules, now, title=event.title,
                          zone=services.config.tz, zone_label=event.timezone_label)


class WebServer:
    """The running (or failed) web server of one Application."""

    def __init__(self, ctx: WebContext, feed: Feed) -> None:
        self.ctx = ctx
        self.feed = feed
        self.runner: web.AppRunner | None = None
        self.port: int | None = None

    @property
    def running(self) -> bool:
        """Whether it listens."""
        return self.runner is not None

    @property
    def public_url(self) -> str:
        """The base of the links."""
        return self.ctx.public_url

    def room_url(self) -> str:
        """The room screen's link (it holds the key: never log it)."""
        return f"{self.public_url}/screen/{self.ctx.screens.key}"

    def booth_url(self) -> str:
        """The booth view's link (it holds the key: never log it)."""
        return f"{self.public_url}/booth/{self.ctx.screens.key}"

    async def start(self, sock: socket.socket) -> None:
        """Serve on a bound socket."""
        runner = web.AppRunner(build_web_app(self.ctx, self.feed), access_log=None,
                               handle_signals=False, shutdown_timeout=SHUTDOWN_SECONDS)
        await runner.setup()
        site = web.SockSite(runner, sock)
        await site.start()
        self.runner = runner
        self.port = int(sock.getsockname()[1])

    async def stop(self) -> None:
        """Close every stream, then the server."""
        self.feed.stop()
        if self.runner is not None:
            runner, self.runner = self.runner, None
            await runner.cleanup()


def build_web_app(ctx: WebContext, feed: Feed) -> web.Application:
    """The aiohttp application: screens, booth, their feed and assets, and the console."""
    app = web.Application(middlewares=[_headers], client_max_size=64 * 1024)
    screens = _Screens(ctx, feed)
    for path, view in VIEWS.items():
        app.router.add_get(f"/{path}/{{key}}", functools.partial(screens.page, view))
        app.router.add_get(f"/{path}/{{key}}/events", screens.events)
        app.router.add_get(f"/{path}/{{key}}/state", screens.state)
    app.router.add_get("/static/screen/{name}", screens.asset)
    app.router.add_get("/healthz", _health)
    _mount_console(app, ctx)
    return app


def _mount_console(app: web.Application, ctx: WebContext) -> None:
    """Mount the chair's console when its module exists (an error inside it is not hidden)."""
    if importlib.util.find_spec(CONSOLE_MODULE) is None:
        return
    module = importlib.import_module(CONSOLE_MODULE)
    module.add_routes(app, ctx)


@web.middleware
async def _headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    if not response.prepared:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


async def _health(_request: web.Request) -> web.Response:
    return web.Response(text="ok", headers={"Cache-Control": "no-store"})


class _Screens:
    """The room screen's and booth view's routes, bound to the context."""

    def __init__(self, ctx: WebContext, feed: Feed) -> None:
        self.ctx = ctx
        self.feed = feed
        self.templates = {view: (STATIC / f"{view}.html").read_text(encoding="utf-8")
                          for view in VIEWS.values()}
        self.assets = {name: (STATIC / name).read_bytes() for name in ASSETS}

    def _key(self, request: web.Request) -> str:
        """The key of the URL when it is the current one; 404 otherwise (reveals nothing)."""
        key = request.match_info.get("key", "")
        if not self.ctx.screens.matches(key):
            raise web.HTTPNotFound()
        return key

    async def page(self, view: str, request: web.Request) -> web.Response:
        """The room screen or the booth view (HTML; the data comes by the feed)."""
        self._key(request)
        services = self.ctx.services
        language = page_language(request.query.get("lang"), services.config.event.language)
        body = render_page(self.templates[view], view=view, language=language,
                           title=services.config.event.title,
                           words=labels(services.i18n, language))
        return web.Response(text=body, content_type="text/html", charset="utf-8",
                            headers=PAGE_HEADERS)

    async def events(self, request: web.Request) -> web.StreamResponse:
        """The live feed (Server-Sent Events)."""
        return await self.feed.stream(request, self._key(request))

    async def state(self, request: web.Request) -> web.Response:
        """The snapshot now, as JSON (what a page reads before it reconnects)."""
        self._key(request)
        return web.json_response(snapshot_of(self.ctx.services),
                                 dumps=functools.partial(json.dumps, ensure_ascii=False),
                                 headers={"Cache-Control": "no-store"})

    async def asset(self, request: web.Request) -> web.Response:
        """The pages' stylesheet and script (no secrets in them)."""
        name = request.match_info["name"]
        if name not in self.assets:
            raise web.HTTPNotFound()
        return web.Response(body=self.assets[name], content_type=ASSETS[name],
                            charset="utf-8", headers={"Cache-Control": "no-cache"})


def render_page(template: str, *, view: str, language: str, title: str,
                words: dict[str, str]) -> str:
    """Fill a page template: escaped title, language and direction, the labels as JSON."""
    data = json.dumps({"view": view, "language": language, "labels": words},
                      ensure_ascii=False)
    # In a <script type="application/json"> block, "</script>" would end the block early.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    heading = words["booth_title" if view == "booth" else "room_title"]
    return (template.replace("{{lang}}", html.escape(language))
            .replace("{{dir}}", direction(language))
            .replace("{{page_title}}", html.escape(f"{title} · {heading}"))
            .replace("{{title}}", html.escape(title))
            .replace("{{data}}", data))


def bind_socket(listen: str, port: int) -> socket.socket:
    """A listening TCP socket on `listen`:`port` (0: any free port); OSError when taken."""
    family, kind, proto, _name, address = socket.getaddrinfo(
        listen, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


async def start_web(application: Application, services: Services) -> WebServer | None:
    """Start the web server of `[screen]` (None when disabled); logs its address, no key."""
    section = services.config.screen
    if not section.enabled:
        log.info("screen: disabled in [screen]")
        return None
    screens: ScreenService = build_screen_service(services.db, services.participants,
                                                  services.clock)
    feed = Feed(functools.partial(snapshot_of, services), asyncio.get_running_loop())
    try:
        sock = bind_socket(section.listen, section.port)
    except OSError as error:
        log.error("screen: cannot listen on %s port %d (%s); the bot runs without the room "
                  "screen: free the port or change [screen] port", section.listen, section.port,
                  error.strerror or error)
        server = WebServer(_context(application, services, screens, section.url()), feed)
        application.bot_data[BOT_DATA_KEY] = server
        return server
    port = int(sock.getsockname()[1])
    server = WebServer(_context(application, services, screens, section.url(port)), feed)
    try:
        await server.start(sock)
    except BaseException:
        sock.close()
        raise
    services.floor.add_listener(feed.notify)
    screens.on_reset(feed.close_key_threadsafe)
    application.bot_data[BOT_DATA_KEY] = server
    log.info("screen: listening on %s port %d; links start with %s (send /screen in Telegram)",
             section.listen, port, server.public_url)
    return server


def _context(application: Application, services: Services, screens: ScreenService,
             public_url: str) -> WebContext:
    return WebContext(services=services, application=application, public_url=public_url,
                      clock=services.clock, screens=screens)


async def stop_web(application: Application) -> None:
    """Stop the web server of `application`, if it runs (idempotent)."""
    server = application.bot_data.pop(BOT_DATA_KEY, None)
    if isinstance(server, WebServer):
        await server.stop()


def web_server(application: Application) -> WebServer | None:
    """The Application's web server (None when [screen] is disabled)."""
    server = application.bot_data.get(BOT_DATA_KEY)
    return server if isinstance(server, WebServer) else None
