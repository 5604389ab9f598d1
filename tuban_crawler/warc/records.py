"""The WARC/1.1 records of one fetch: warcinfo, response or revisit, and request.

Pure record building on a warcio ``WARCWriter``: which file a record goes to, and where in
it, is :mod:`.writer`'s business; the HTTP messages inside are made by :mod:`.messages`.
"""

from __future__ import annotations

import io
import socket
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.warcwriter import WARCWriter

from tuban_crawler.warc.messages import Headers, consistent_headers, request_target, sent_headers

CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
# pywb replays this profile with the referred record's status, headers and payload when
# the revisit carries no HTTP block; one holding the 304 would replay as an empty 304.
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


@dataclass(frozen=True)
class CaptureRef:
    """Where one fetch was archived: what the archive stores beside an article."""

    filename: str
    record_id: str
    offset: int
    length: int
    payload_digest: str
    record_type: str
    #: The sha256 (hex) of the payload as archived, which an article cites (None for a 304).
    payload_sha256: str | None = None


@dataclass(frozen=True)
class FinishedFile:
    """A WARC file this writer finished: what its capture event records (issue 23)."""

    path: Path
    sha256: str
    size: int
    records: int


@dataclass(frozen=True, slots=True)  # one per URL of the archive's history: kept small
class Original:
    """The last full response of a URL, which a revisit record points to."""

    url: str
    digest: str
    filename: str
    offset: int
    date: str | None = None  # read from the record when first needed
    record_id: str | None = None


@dataclass(frozen=True)
class Response:
    """The response of one fetch, as it is to be archived.

    status, reason, headers, body, protocol: the response; body exactly as it should be
    archived (ideally as received, still content-encoded).
    content_decoded: True when body was already content-decoded by the client.
    truncated: the WARC-Truncated reason when body is incomplete ("length", ...).
    """

    status: int
    reason: str
    headers: Headers
    body: bytes
    protocol: str = "HTTP/1.1"
    content_decoded: bool = False
    truncated: str | None = None


def warcinfo_record(
    writer: WARCWriter,
    filename: str,
    software: str,
    hostname: str,
    run_fields: dict[str, str],
    extra_info: dict[str, str],
) -> ArcWarcRecord:
    """Return the warcinfo record that opens the WARC file FILENAME.

    software: the crawler's name and version (warcio's is added).
    hostname: the machine writing the file (its address is looked up).
    run_fields: the run's ``http-header-user-agent``, ``robots`` and ``run-id``.
    extra_info: further fields; those with an empty value are left out.
    """
    info = {
        "software": f"{software} (warcio/{version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": CONFORMS_TO,
        "hostname": hostname,
        **({"ip": ip} if (ip := host_address(hostname)) else {}),
        **run_fields,
        **{name: value for name, value in extra_info.items() if value},
    }
    return writer.create_warcinfo_record(filename, info)


def response_record(
    writer: WARCWriter,
    url: str,
    method: str,
    response: Response,
    *,
    record_id: str,
    digest: str,
    common: dict[str, str],
    previous: Original | None,
) -> ArcWarcRecord:
    """Return the response record of URL's fetch, or a revisit of PREVIOUS when it is given.

    method: the request's method (a HEAD response has no body whatever it says).
    record_id, digest: the record's id and the payload digest of RESPONSE's body.
    common: the WARC headers every record of the fetch carries (date, warcinfo, address).
    previous: the original a revisit refers to, with its record id and date; a 304 refers to
    it as ``server-not-modified``, any other status as the identical payload.
    """
    # HTTP/2 responses are written as HTTP/1.1 messages, as Browsertrix does: a WARC
    # response record holds an HTTP/1.x message.
    protocol = response.protocol if response.protocol.startswith("HTTP/1.") else "HTTP/1.1"
    status = response.status
    status_line = f"{status} {response.reason}" if response.reason else str(status)
    http_response = StatusAndHeaders(
        status_line,
        consistent_headers(
            response.headers, len(response.body), method, status, response.content_decoded
        ),
        protocol=protocol,
    )
    head = {"WARC-Record-ID": record_id, "WARC-Target-URI": url, **common}
    if previous is not None and status == 304:
        return writer.create_warc_record(
            url,
            "revisit",
            payload=io.BytesIO(b""),
            length=0,
            warc_headers_dict={
                "WARC-Type": "revisit",
                **head,
                "WARC-Profile": NOT_MODIFIED_PROFILE,
                "WARC-Refers-To": previous.record_id,
                "WARC-Refers-To-Target-URI": previous.url,
                "WARC-Refers-To-Date": previous.date,
                "WARC-Payload-Digest": previous.digest,
            },
        )
    if previous is not None:
        return writer.create_revisit_record(
            url,
            digest,
            previous.url,
            previous.date,
            http_headers=http_response,
            warc_headers_dict={
                "WARC-Type": "revisit",
                **head,
                "WARC-Refers-To": previous.record_id,
            },
        )
    warc_headers = {"WARC-Type": "response", **head, "WARC-Payload-Digest": digest}
    if response.truncated:
        warc_headers["WARC-Truncated"] = response.truncated
    return writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(response.body),
        length=len(response.body),
        http_headers=http_response,
        warc_headers_dict=warc_headers,
    )


def request_record(
    writer: WARCWriter,
    url: str,
    method: str,
    headers: Headers,
    body: bytes,
    *,
    concurrent_to: str,
    common: dict[str, str],
) -> ArcWarcRecord:
    """Return the request record of URL's fetch, as sent.

    method, headers, body: the request; concurrent_to: the record id of its response.
    common: the WARC headers every record of the fetch carries (date, warcinfo, address).
    """
    return writer.create_warc_record(
        url,
        "request",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=StatusAndHeaders(
            # Scrapy's clients send HTTP/1.1 requests whatever version answers.
            f"{method} {request_target(url)} HTTP/1.1",
            sent_headers(url, headers),
            is_http_request=True,
        ),
        warc_headers_dict={
            "WARC-Type": "request",
            "WARC-Record-ID": StatusAndHeadersParser.make_warc_id(),
            "WARC-Target-URI": url,
            **common,
            "WARC-Concurrent-To": concurrent_to,
        },
    )


def host_address(hostname: str) -> str | None:
    """Return the address HOSTNAME resolves to here, or None (warcinfo's ``ip``)."""
    try:
        return socket.gethostbyname(hostname)
    except OSError:
        return None
