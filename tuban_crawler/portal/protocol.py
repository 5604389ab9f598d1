"""Just enough HTTP/1.1 for the portal: request heads in, replies out.

Conditional requests and gzip live here, so every resource gets them the same way: a reply
with an ETag answers ``If-None-Match`` (weak comparison, RFC 9110), else ``If-Modified-Since``,
with ``304``; a gzipped reply weakens its ETag the way nginx does.
"""

from __future__ import annotations

import gzip
import logging
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus

logger = logging.getLogger(__name__)

SERVER_NAME = "Apache/2.4.29 (Ubuntu)"  # what a regency CMS on a stock server would announce
GZIP_MIN_SIZE = 512
_COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/json")


@dataclass(frozen=True)
class Request:
    """One parsed request head."""

    method: str
    target: str
    version: str
    headers: dict[str, str]

    @property
    def keep_alive(self) -> bool:
        """Return whether the client wants the connection kept open after this exchange."""
        connection = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" in connection
        return "close" not in connection


@dataclass
class Reply:
    """A response before serialisation; cached replies are shared, so derive with ``replace``."""

    status: int
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    etag: str | None = None  # quoted strong tag
    last_modified: float | None = None  # epoch seconds
    action: str = "send"  # "send", "drop" (close without answering) or "truncate"
    delay: float = 0.0
    compress: bool = True
    gzipped: bytes | None = field(default=None, repr=False, compare=False)

    def gzip_body(self) -> bytes:
        """Return the body gzipped (deterministically: no timestamp), computed once."""
        if self.gzipped is None:
            self.gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self.gzipped


def parse_head(data: bytes) -> Request | None:
    """Return the Request in a head ending with CRLF CRLF, or None when it is malformed."""
    try:
        lines = data.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ")
    except ValueError:
        return None
    if not version.startswith("HTTP/1.") or not target.startswith(("/", "http://", "https://")):
        return None
    headers = {}
    for line in lines[1:]:
        if line:
            name, sep, value = line.partition(":")
            if not sep:
                return None
            headers[name.strip().lower()] = value.strip()
    return Request(method, target, version, headers)


def _tags(value: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in value.split(",")}


def not_modified(reply: Reply, request: Request) -> bool:
    """Return whether REQUEST's validators show the client already holds REPLY."""
    if reply.status != 200 or request.method not in ("GET", "HEAD"):
        return False
    if "if-none-match" in request.headers:
        if reply.etag is None:
            return False
        tags = _tags(request.headers["if-none-match"])
        return "*" in tags or reply.etag in tags
    if reply.last_modified is not None and "if-modified-since" in request.headers:
        try:
            since = parsedate_to_datetime(request.headers["if-modified-since"]).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
        return since >= int(reply.last_modified)
    return False


class _DateCache:
    """The Date header, reformatted at most once a second."""

    def __init__(self) -> None:
        self._second = -1
        self._value = ""

    def now(self) -> str:
        second = int(time.time())
        if second != self._second:
            self._second, self._value = second, formatdate(second, usegmt=True)
        return self._value


_date = _DateCache()


def serialize(reply: Reply, request: Request, keep_alive: bool) -> tuple[bytes, bytes]:
    """Return (head bytes, body bytes) for REPLY to REQUEST, applying 304 and gzip."""
    status, body = reply.status, reply.body
    etag = reply.etag
    lines = [f"Date: {_date.now()}", f"Server: {SERVER_NAME}"]
    encoding = request.headers.get("accept-encoding", "")
    use_gzip = (
        reply.compress
        and len(body) >= GZIP_MIN_SIZE
        and "gzip" in encoding
        and reply.content_type is not None
        and reply.content_type.startswith(_COMPRESSIBLE)
    )
    if use_gzip and etag:
        etag = f"W/{etag}"
    if not_modified(reply, request):
        status, body = 304, b""
    elif use_gzip:
        body = reply.gzip_body()
        lines.append("Content-Encoding: gzip")
    if reply.compress and reply.content_type and reply.content_type.startswith(_COMPRESSIBLE):
        lines.append("Vary: Accept-Encoding")
    if etag:
        lines.append(f"ETag: {etag}")
    if reply.last_modified is not None:
        lines.append(f"Last-Modified: {formatdate(reply.last_modified, usegmt=True)}")
    if status != 304:
        if reply.content_type:
            lines.append(f"Content-Type: {reply.content_type}")
        lines.append(f"Content-Length: {len(body)}")
    lines.extend(f"{name}: {value}" for name, value in reply.headers)
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    head = f"HTTP/1.1 {status} {phrase}\r\n" + "\r\n".join(lines) + "\r\n\r\n"
    if request.method == "HEAD" or status == 304:
        body = b""
    return head.encode("latin-1"), body
