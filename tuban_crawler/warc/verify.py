"""Re-read one WARC file and check what it holds: gzip members, block and payload digests (issue 23).

:func:`scan_file` reads a file once, in chunks: each chunk feeds the file's sha256 and a zlib
decompressor (which checks each gzip member's CRC-32 and length), and each member, once whole,
is parsed as one WARC record whose ``WARC-Block-Digest`` and ``WARC-Payload-Digest`` are
computed again. No warcio here: its record parser reads a member a line at a time, and a
fixity audit reads every byte of the archive (``benchmarks/verify.py`` measures it against
``sha256sum``). Read only: nothing is written.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

_CHUNK = 1 << 20
_SLICE = 1 << 13
#: RFC 4648's base32 alphabet → the digits ``int(..., 32)`` reads: a WARC digest compared as a number.
_BASE32_DIGITS = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV"
)
_GZIP = 16 + zlib.MAX_WBITS


@dataclass(frozen=True)
class RecordSeen:
    """One record as the scan found it: where it starts, its gzip member's length, its headers."""

    offset: int
    length: int
    record_id: str
    record_type: str
    url: str | None
    payload_digest: str | None
    status: int | None
    payload_sha256: str | None = None  # only for the offsets asked for


@dataclass
class FileScan:
    """What reading one WARC file found."""

    sha256: str = ""
    size: int = 0
    records: dict[int, RecordSeen] = field(default_factory=dict)  # by offset
    problems: list[str] = field(default_factory=list)
    warcinfo: dict[str, str] = field(default_factory=dict)  # the fields of its first warcinfo

    @property
    def ok(self) -> bool:
        """Return True when every member and record of the file holds."""
        return not self.problems


def digest_matches(declared: str, data: bytes | memoryview) -> bool | None:
    """Return whether DATA has the WARC digest DECLARED (``algorithm:value``, base32 or hex); None if unknown.

    >>> digest_matches("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", b"")
    True
    >>> digest_matches("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYK", b"")
    False
    """
    if len(declared) == 37 and declared.startswith("sha1:"):  # as warcio writes them: fast path
        try:
            expected = int(declared[5:].translate(_BASE32_DIGITS), 32)
        except ValueError:
            return False
        return expected == int.from_bytes(hashlib.sha1(data).digest(), "big")
    algorithm, _, value = declared.partition(":")
    try:
        name = algorithm.strip().lower().replace("-", "")
        computed = (hashlib.sha1(data) if name == "sha1" else hashlib.new(name, data)).digest()
    except ValueError:
        return None
    value = value.strip().upper()
    if len(value) == 2 * len(computed):
        try:
            return bytes.fromhex(value) == computed
        except ValueError:
            return False
    if len(value) * 5 == len(computed) * 8:  # sha1's 32 base32 digits, no padding: fast path
        try:
            return int(value.translate(_BASE32_DIGITS), 32) == int.from_bytes(computed, "big")
        except ValueError:
            return False
    try:
        return base64.b32decode(value) == computed
    except (ValueError, binascii.Error):
        return False


def scan_file(path: Path, sha256_at: Collection[int] = ()) -> FileScan:
    """Return what the WARC file PATH holds and every problem found in it.

    sha256_at: offsets of records whose payload's sha256 is wanted (the rows that cite it).
    """
    scan = FileScan()
    file_hash = hashlib.sha256()
    start = position = 0  # where the current member starts; where the next bytes to inflate start
    decompressor = zlib.decompressobj(_GZIP)
    parts: list[bytes] = []
    broken = False
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            file_hash.update(chunk)
            scan.size += len(chunk)
            view, fed = memoryview(chunk), 0
            while fed < len(view) and not broken:
                # A small slice at a time: zlib copies what follows a member's end
                # (unused_data), and members are a few kB (issue 23's benchmark).
                piece = view[fed : fed + _SLICE]
                try:
                    parts.append(decompressor.decompress(piece))
                except zlib.error as error:
                    scan.problems.append(f"gzip member at offset {start} is corrupt ({error})")
                    broken = True
                    break
                if not decompressor.eof:
                    fed += len(piece)
                    position += len(piece)
                    continue
                used = len(piece) - len(decompressor.unused_data)
                fed += used
                end = position + used
                _check_record(scan, b"".join(parts), start, end - start, start in sha256_at)
                start = position = end
                decompressor, parts = zlib.decompressobj(_GZIP), []
    if not broken and position > start:
        scan.problems.append(
            f"cut short: the gzip member at offset {start} ends after {position - start} bytes"
        )
    scan.sha256 = file_hash.hexdigest()
    return scan


#: The WARC headers the audit reads: lower-case name, then the search in canonical case.
_HEADERS = tuple(
    (name.lower(), f"\r\n{name}:".encode("ascii"))
    for name in (
        "WARC-Type",
        "WARC-Record-ID",
        "WARC-Target-URI",
        "WARC-Block-Digest",
        "WARC-Payload-Digest",
        "Content-Length",
        "Content-Type",
    )
)


def _read_headers(member: bytes, head_end: int) -> dict[str, str]:
    """Return the WARC headers of _HEADERS found in MEMBER's head (which ends at HEAD_END), by lower-case name.

    Each is searched as written by warcio and Heritrix (canonical case) first, and in a
    lower-cased copy of the head only when not found so (header names are case-insensitive).
    """
    head = member[: head_end + 2]
    lowered: bytes | None = None
    headers = {}
    for name, key in _HEADERS:
        found = head.find(key)
        if found < 0:
            lowered = head.lower() if lowered is None else lowered
            found = lowered.find(key.lower())
        if found >= 0:
            start = found + len(key)
            headers[name] = (
                head[start : head.find(b"\r\n", start)].decode("utf-8", "replace").strip()
            )
    return headers


def _check_record(scan: FileScan, member: bytes, offset: int, length: int, want: bool) -> None:
    """Parse MEMBER (one decompressed gzip member) as a WARC record; note it in SCAN, with its problems."""
    head_end = member.find(b"\r\n\r\n")
    if not member.startswith(b"WARC/") or head_end < 0:
        scan.problems.append(f"offset {offset}: no WARC record in its gzip member")
        return
    headers = _read_headers(member, head_end)
    record_id = headers.get("warc-record-id", "")
    where = f"record {record_id or '(no id)'} at offset {offset}"
    try:
        block_length = int(headers.get("content-length", ""))
    except ValueError:
        scan.problems.append(f"{where}: no Content-Length")
        return
    begin = head_end + 4
    block = memoryview(member)[begin : begin + block_length]  # no copy: hashed in place
    if len(block) != block_length or member[begin + block_length :] != b"\r\n\r\n":
        scan.problems.append(f"{where}: its block is not {block_length} bytes long")
        return
    declared = headers.get("warc-block-digest")
    if declared and digest_matches(declared, block) is False:
        scan.problems.append(f"{where}: block digest differs from {declared}")
    record_type = headers.get("warc-type", "")
    if record_type == "warcinfo" and not scan.warcinfo:
        for line in bytes(block).decode("utf-8", "replace").splitlines():
            name, _, value = line.partition(":")
            scan.warcinfo[name.strip()] = value.strip()
    payload, status = _payload(member, begin, block_length, headers.get("content-type", ""))
    declared = headers.get("warc-payload-digest")
    if (
        declared
        and payload is not None
        and record_type != "revisit"  # its payload digest is the original's
        and digest_matches(declared, payload) is False
    ):
        scan.problems.append(f"{where}: payload digest differs from {declared}")
    scan.records[offset] = RecordSeen(
        offset,
        length,
        record_id,
        record_type,
        headers.get("warc-target-uri"),
        declared,
        status,
        # A revisit's payload is its original's: the row's sha256 is checked there.
        hashlib.sha256(payload).hexdigest()
        if want and payload is not None and record_type != "revisit"
        else None,
    )


def _payload(
    member: bytes, begin: int, length: int, content_type: str
) -> tuple[memoryview | None, int | None]:
    """Return (the payload of the block at BEGIN, LENGTH long, in MEMBER, its HTTP status) for CONTENT_TYPE.

    An HTTP message's payload is its body; any other block is its own payload.
    """
    block_end = begin + length
    if not content_type.startswith("application/http"):
        return memoryview(member)[begin:block_end], None
    end = member.find(b"\r\n\r\n", begin, block_end)
    if end < 0:
        return None, None
    status_line = member[begin : member.find(b"\r\n", begin, block_end)].split(b" ")
    status = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else None
    return memoryview(member)[end + 4 : block_end], status
