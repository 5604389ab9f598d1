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


def digest_matches(declared: str, data: bytes) -> bool | None:
    """Return whether DATA has the WARC digest DECLARED (``algorithm:value``, base32 or hex); None if unknown.

    >>> digest_matches("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", b"")
    True
    >>> digest_matches("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYK", b"")
    False
    """
    algorithm, _, value = declared.partition(":")
    try:
        computed = hashlib.new(algorithm.strip().lower().replace("-", ""), data).digest()
    except ValueError:
        return None
    value = value.strip()
    try:
        expected = (
            bytes.fromhex(value)
            if len(value) == 2 * len(computed)
            else base64.b32decode(value.upper())
        )
    except (ValueError, binascii.Error):
        return False
    return expected == computed


def scan_file(path: Path, sha256_at: Collection[int] = ()) -> FileScan:
    """Return what the WARC file PATH holds and every problem found in it.

    sha256_at: offsets of records whose payload's sha256 is wanted (the rows that cite it).
    """
    scan = FileScan()
    file_hash = hashlib.sha256()
    start = position = 0  # where the current member starts; where `pending` starts
    decompressor = zlib.decompressobj(_GZIP)
    parts: list[bytes] = []
    pending = b""
    broken = False
    with open(path, "rb") as fh:
        while True:
            if not pending:
                pending = fh.read(_CHUNK)
                if not pending:
                    break
                file_hash.update(pending)
                scan.size += len(pending)
                if broken:
                    pending = b""  # past a corrupt member: only the file's digest is still read
                    continue
            try:
                parts.append(decompressor.decompress(pending))
            except zlib.error as error:
                scan.problems.append(f"gzip member at offset {start} is corrupt ({error})")
                broken, pending = True, b""
                continue
            if not decompressor.eof:
                position += len(pending)
                pending = b""
                continue
            end = position + len(pending) - len(decompressor.unused_data)
            _check_record(scan, b"".join(parts), start, end - start, start in sha256_at)
            start = position = end
            pending = decompressor.unused_data
            decompressor, parts = zlib.decompressobj(_GZIP), []
    if not broken and position > start:
        scan.problems.append(
            f"cut short: the gzip member at offset {start} ends after {position - start} bytes"
        )
    scan.sha256 = file_hash.hexdigest()
    return scan


def _check_record(scan: FileScan, member: bytes, offset: int, length: int, want: bool) -> None:
    """Parse MEMBER (one decompressed gzip member) as a WARC record; note it in SCAN, with its problems."""
    head_end = member.find(b"\r\n\r\n")
    if not member.startswith(b"WARC/") or head_end < 0:
        scan.problems.append(f"offset {offset}: no WARC record in its gzip member")
        return
    headers: dict[str, str] = {}
    for line in member[:head_end].decode("utf-8", "replace").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    record_id = headers.get("warc-record-id", "")
    where = f"record {record_id or '(no id)'} at offset {offset}"
    try:
        block_length = int(headers.get("content-length", ""))
    except ValueError:
        scan.problems.append(f"{where}: no Content-Length")
        return
    block = member[head_end + 4 : head_end + 4 + block_length]
    if len(block) != block_length or member[head_end + 4 + block_length :] != b"\r\n\r\n":
        scan.problems.append(f"{where}: its block is not {block_length} bytes long")
        return
    declared = headers.get("warc-block-digest")
    if declared and digest_matches(declared, block) is False:
        scan.problems.append(f"{where}: block digest differs from {declared}")
    record_type = headers.get("warc-type", "")
    if record_type == "warcinfo" and not scan.warcinfo:
        for line in block.decode("utf-8", "replace").splitlines():
            name, _, value = line.partition(":")
            scan.warcinfo[name.strip()] = value.strip()
    payload, status = _payload(block, headers.get("content-type", ""))
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


def _payload(block: bytes, content_type: str) -> tuple[bytes | None, int | None]:
    """Return (the payload of a record's BLOCK, its HTTP status) for CONTENT_TYPE (HTTP messages: the body)."""
    if not content_type.startswith("application/http"):
        return block, None
    end = block.find(b"\r\n\r\n")
    if end < 0:
        return None, None
    status_line = block[: block.find(b"\r\n")].split(b" ")
    status = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else None
    return block[end + 4 :], status
