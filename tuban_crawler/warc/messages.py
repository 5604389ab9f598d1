"""The HTTP messages inside WARC records: payload digests, dates, headers kept consistent.

Pure functions used by :mod:`.records` and :mod:`.writer`; no file is touched here.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import datetime, timezone
from urllib.parse import urlsplit

# Headers we cannot keep as the server sent them are renamed, not dropped, so the record
# still says what the server claimed (the prefix is the Wayback/pywb convention).
ORIGINAL_HEADER_PREFIX = "X-Archive-Orig-"

Headers = Iterable[tuple[str, str]]


def payload_digest(body: bytes) -> str:
    """Return the WARC payload digest of BODY (``sha1:`` + base32, as warcio writes it).

    >>> payload_digest(b"")
    'sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ'
    """
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(moment: datetime) -> str:
    """Return MOMENT (timezone-aware) as a WARC-Date, always with microseconds."""
    if moment.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    # Always with microseconds, so that WARC-Date strings of one archive sort as dates.
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def request_target(url: str) -> str:
    """Return the request-target of URL as the request line shows it (path and query)."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def sent_headers(url: str, headers: Headers) -> list[tuple[str, str]]:
    """Return the request HEADERS of URL as sent, with the Host the HTTP client adds."""
    result = list(headers)
    # The HTTP client adds Host on the wire; the record should show what was sent.
    if not any(name.lower() == "host" for name, _ in result):
        result.insert(0, ("Host", urlsplit(url).netloc.rpartition("@")[2]))
    return result


def consistent_headers(
    headers: Headers, body_length: int, method: str, status: int, content_decoded: bool
) -> list[tuple[str, str]]:
    """Return the response HEADERS made to agree with the body as archived (stale ones renamed)."""
    # We archive the body exactly as passed and make the headers agree with it, rather
    # than re-encoding the body: re-chunking or re-compressing would invent bytes the
    # server never sent. The HTTP client always removes chunked framing, so
    # Transfer-Encoding never describes the body we get; Content-Encoding only does
    # when the body was not decoded (capture.py sits before decompression so it keeps
    # the encoded bytes); Content-Length only when it matches.
    has_body = method.upper() != "HEAD" and status not in (204, 304) and status >= 200
    result = []
    for name, value in headers:
        lower = name.lower()
        stale = (
            lower == "transfer-encoding"
            or (lower == "content-encoding" and content_decoded)
            or (lower == "content-length" and has_body and value.strip() != str(body_length))
        )
        result.append((ORIGINAL_HEADER_PREFIX + name if stale else name, value))
    return result
