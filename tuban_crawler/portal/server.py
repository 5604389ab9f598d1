"""PortalServer: the test portal served over HTTP/1.1 from a background asyncio thread."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from .faults import FaultConfig, FaultState, parse_faults
from .protocol import Reply, Request, parse_head, serialize
from .site import Site, SiteExtras
from .themes import theme_named

logger = logging.getLogger(__name__)

MAX_HEAD = 64 * 1024
#: The request log's times: (wall clock, monotonic clock), in seconds.
Stamp = tuple[float, float]
#: Held while a site times a request's arrival or its answer's last write, so that the request
#: log orders the sites' times as the clients saw them (every site of a process shares it).
_CLOCK = threading.Lock()
CHUNK = 256 * 1024


class _Unset(enum.Enum):
    """The default of configure()'s arguments: leave that setting as it is."""

    UNSET = enum.auto()


_UNSET = _Unset.UNSET
_EMPTY_CLOSE = b"Content-Length: 0\r\nConnection: close\r\n\r\n"


@dataclass
class _Settings:
    """The current portal configuration (``PortalServer.settings`` in field order)."""

    articles: int
    seed: int
    edition: int
    faults: FaultConfig
    theme: str


class PortalServer:
    """A loopback stand-in for tubankab.go.id; see the package docstring for what it serves."""

    def __init__(
        self,
        articles: int = 200,
        seed: int = 1,
        edition: int = 1,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: object = None,
        theme: str = "classic",
        request_log: Callable[[dict[str, object]], None] | None = None,
    ) -> None:
        theme_named(theme)  # an unknown theme fails here, not in the server thread
        self.host, self.port = host, port
        self._settings = _Settings(
            articles=articles, seed=seed, edition=edition, faults=parse_faults(faults), theme=theme
        )
        self.hits: Counter[str] = Counter()
        #: Called with one record per answered request (see _exchange); None logs nothing.
        self.request_log = request_log
        self._extras: SiteExtras | None = None
        self._state = FaultState()
        self._site: Site | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task] = set()

    # -- public API -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Return ``http://host:port`` once started."""
        if self._site is None:
            raise RuntimeError("PortalServer is not started")
        return self._site.base_url

    @property
    def site(self) -> Site:
        """Return the Site now served (its entries, faults and base URL), once started."""
        return self._current()

    @property
    def fault_paths(self) -> dict[str, list[str]]:
        """Return enabled fault kind -> the paths it strikes, for the current archive."""
        return {kind: list(paths) for kind, paths in self._current().fault_paths.items()}

    @property
    def settings(self) -> dict[str, object]:
        """Return the current articles, seed, edition, faults and theme."""
        return dict(vars(self._settings))

    def start(self) -> PortalServer:
        """Start serving from a background thread and return self once the port is bound."""
        if self._thread is not None:
            raise RuntimeError("PortalServer already started")
        self._thread = threading.Thread(
            target=self._run, name=f"tuban-portal-{self.port}", daemon=True
        )
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            raise self._error
        return self

    def configure(
        self,
        articles: int | _Unset = _UNSET,
        edition: int | _Unset = _UNSET,
        seed: int | _Unset = _UNSET,
        faults: object = _UNSET,
        theme: str | _Unset = _UNSET,
    ) -> None:
        """Change the portal for all following requests (same port; first-attempt memory kept)."""
        for name, value in (("articles", articles), ("edition", edition), ("seed", seed)):
            if value is not _UNSET:
                setattr(self._settings, name, int(value))
        if faults is not _UNSET:
            self._settings.faults = parse_faults(faults)
        if theme is not _UNSET:
            theme_named(str(theme))
            self._settings.theme = str(theme)
        if self._site is not None:
            self._site = self._build_site(self._site.base_url)

    def arrange(self, extras: SiteExtras | None) -> None:
        """Serve EXTRAS (an office site's archive, a footer...) from the next request on; None for none."""
        self._extras = extras
        if self._site is not None:
            self._site = self._build_site(self._site.base_url)

    def stop(self) -> None:
        """Close every connection, stop the server and join its thread."""
        if self._thread is None:
            return
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)
        self._thread = None

    def __enter__(self) -> PortalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- internals ------------------------------------------------------------------------

    def _current(self) -> Site:
        if self._site is None:
            raise RuntimeError("PortalServer is not started")
        return self._site

    def _build_site(self, base_url: str) -> Site:
        s = self._settings
        return Site(
            seed=s.seed,
            articles=s.articles,
            edition=s.edition,
            base_url=base_url,
            faults=s.faults,
            state=self._state,
            theme=s.theme,
            extras=self._extras,
        )

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as error:  # reported to start(); the thread must not die silently
            self._error = error
        finally:
            self._ready.set()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        server = await asyncio.start_server(
            self._connection, self.host, self.port, limit=MAX_HEAD, backlog=1024
        )
        host, port = server.sockets[0].getsockname()[:2]
        self.port = port
        shown = f"[{host}]" if ":" in host else host
        try:
            self._site = self._build_site(f"http://{shown}:{port}")
        except BaseException:
            server.close()
            await server.wait_closed()
            raise
        self._ready.set()
        logger.info("portal serving %s", self._site.base_url)
        async with server:
            await self._stop.wait()
            server.close()
            # Abort rather than close: a client that stopped reading (the huge page) must not
            # keep a half-flushed connection, and the server thread must not wait for it.
            for writer in list(self._writers):
                writer.transport.abort()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        for _ in range(
            3
        ):  # let the transports' connection_lost callbacks run before the loop closes
            await asyncio.sleep(0)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:  # always, as start_server runs each connection in a task
            self._tasks.add(task)
        self._writers.add(writer)
        try:
            while await self._exchange(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client went away or the server is stopping; nothing to answer
        finally:
            self._writers.discard(writer)
            self._tasks.discard(task)
            writer.close()

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Serve one request on the connection; return whether to keep it open."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return False
        except asyncio.LimitOverrunError:
            writer.write(b"HTTP/1.1 431 Request Header Fields Too Large\r\n" + _EMPTY_CLOSE)
            return False
        request = parse_head(head)
        if request is None:
            writer.write(b"HTTP/1.1 400 Bad Request\r\n" + _EMPTY_CLOSE)
            return False
        with _CLOCK if self.request_log is not None else contextlib.nullcontext():
            arrived = _stamp()
        length = request.headers.get("content-length", "0")
        if length.isdigit() and int(length):
            await reader.readexactly(int(length))
        self.hits[request.target] += 1
        reply = self._current().handle(request)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.action == "drop":
            self._log(request, reply, arrived, None)
            return False
        keep, sent = await self._send(reply, request, writer)
        if self.request_log is not None:
            self._log(request, reply, arrived, sent or await self._drained(writer))
        return keep

    async def _drained(self, writer: asyncio.StreamWriter) -> Stamp:
        """Return when WRITER's buffer was last seen empty: after a drain, for a reply sent in parts."""
        await writer.drain()
        with _CLOCK:
            return _stamp()

    def _log(self, request: Request, reply: Reply, arrived: Stamp, completed: Stamp | None) -> None:
        """Report one exchange to request_log: when it arrived and when its answer was complete."""
        if self.request_log is None:
            return
        completed = completed or _stamp()  # a dropped connection: now
        self.request_log(
            {
                "port": self.port,
                "method": request.method,
                "path": request.target,
                "status": reply.status if reply.action != "drop" else None,
                "arrived": arrived[0],
                "completed": completed[0],
                "arrived_monotonic": arrived[1],
                "completed_monotonic": completed[1],
            }
        )

    async def _send(
        self, reply: Reply, request: Request, writer: asyncio.StreamWriter
    ) -> tuple[bool, Stamp | None]:
        """Send REPLY; return whether to keep the connection open and (when logging) when its last byte reached the kernel."""
        keep_alive = request.keep_alive and reply.action == "send"
        head, body = serialize(reply, request, keep_alive)
        if reply.action == "truncate":
            sent = self._write(writer, head + body[: len(body) // 2])
            await writer.drain()
            return False, sent
        if len(body) <= CHUNK:
            sent = self._write(writer, head + body)
            if writer.transport.get_write_buffer_size() > CHUNK:
                await writer.drain()
        else:
            writer.write(head)
            view = memoryview(body)
            for start in range(0, len(body), CHUNK):
                sent = self._write(writer, view[start : start + CHUNK])
                await writer.drain()
        return keep_alive, sent

    def _write(self, writer: asyncio.StreamWriter, data: bytes | memoryview) -> Stamp | None:
        """Write DATA; when logging, return the time it all reached the kernel (None if some is still buffered)."""
        if self.request_log is None:
            writer.write(data)
            return None
        # Under the process-wide clock lock: no other site can time a request's arrival between
        # this write and its stamp, so a client that waited for this answer arrives after it.
        with _CLOCK:
            writer.write(data)
            return None if writer.transport.get_write_buffer_size() else _stamp()


def _stamp() -> Stamp:
    """Return now on the wall clock and the monotonic one."""
    return time.time(), time.monotonic()
