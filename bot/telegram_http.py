"""PTB's HTTP layer on aiohttp instead of httpx.

Under a burst (hundreds of replies queued at 15:00 on the day) httpx/httpcore spent most of the
bot's event-loop time managing its connection pool: on every request it checks every pooled
connection (a socket poll each) for every queued request. aiohttp's connector hands out a free
connection in constant time. Measured with `bench/load_bench.py` (README, "Measured figures").

Behaviour kept from PTB's HTTPXRequest: form-encoded parameters (multipart when files are sent),
TimedOut for time-outs, NetworkError for other transport errors, HTTPS_PROXY from the
environment.
One difference, on purpose: a request waits up to `pool_timeout` (default 30 s, not 1 s) for a
free connection, so a burst queues replies instead of dropping them.
"""

from __future__ import annotations

import functools
import urllib.parse
import urllib.request
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput, UploadFileDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """A BaseRequest over one aiohttp session with a pool of `connections` connections."""

    def __init__(self, connections: int = 32, *, read_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, pool_timeout: float | None = 30.0
                 ) -> None:
        self._connections = connections
        self._read = read_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data and request_data.contains_files \
            else None
        read = _given(read_timeout, self._read)
        connect = _given(connect_timeout, self._connect)
        pool = _given(pool_timeout, self._pool)
        # aiohttp has no write time-out: `write_timeout` is not applied.
        timeout = aiohttp.ClientTimeout(
            total=None, sock_read=read, sock_connect=connect,
            connect=None if pool is None or connect is None else pool + connect)
        try:
            async with session.request(method, url, data=_body(request_data, files),
                                       timeout=timeout, proxy=_proxy_for(url)) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's time-outs are asyncio.TimeoutError subclasses
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _proxy_for(url: str) -> str | None:
    """The proxy from HTTPS_PROXY/HTTP_PROXY for this URL's scheme, unless NO_PROXY exempts its
    host (looked up once per scheme and host: aiohttp's trust_env reads the environment and
    ~/.netrc again on every request)."""
    parts = urllib.parse.urlsplit(url)
    return _proxy_for_host(parts.scheme, parts.hostname or "")


@functools.lru_cache(maxsize=16)
def _proxy_for_host(scheme: str, host: str) -> str | None:
    if urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies().get(scheme)


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None, files: UploadFileDict | None) -> Any:
    """The request body: form fields, or multipart with the files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not files:
        return fields or None
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form
