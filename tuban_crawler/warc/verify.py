"""Re-read one WARC file and check what it holds: gzip members, block and payload digests (issue 23).

:func:`scan_file` reads a file once, in chunks: each chunk feeds the file's sha256 and a
decompressor (which checks each gzip member's CRC-32 and length), and each member, once whole,
is parsed as one WARC record whose ``WARC-Block-Digest`` and ``WARC-Payload-Digest`` are
computed again. No warcio here: its record parser reads a member a line at a time, and a
fixity audit reads every byte of the archive (``benchmarks/verify.py`` measures it against
``sha256sum``). Read only: nothing is written.

A file of 8 MB or more is cut at member offsets the caller knows (the rows') into one slice a
core, each inflated by a process of its own while this one hashes the whole file; any doubt (a
problem in a slice, a slice not ending where the next begins) and the file is read again in one
pass, so the parallel read never reports other than the plain one. The inflate is ISA-L's
(``isal``), zlib's where it is not installed.
"""

from __future__ import annotations

import base64
import binascii
import gc
import hashlib
import importlib
import multiprocessing
import os
import re
import warnings
import zlib
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

_inflate: Any = zlib
try:  # ISA-L's inflate: zlib's API, 1.4x faster here (benchmarks/verify.py); zlib where no wheel
    _inflate = importlib.import_module("isal.isal_zlib")
except ImportError:  # pragma: no cover
    pass
_INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error, _inflate.error)

_CHUNK = 1 << 20
_SLICE = 2048
#: RFC 4648's base32 alphabet → the digits ``int(..., 32)`` reads: a WARC digest compared as a number.
_BASE32_DIGITS = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV"
)
_GZIP = 16 + zlib.MAX_WBITS
#: Below this a file is read by one process: a pool costs more than it saves.
_PARALLEL_MIN = 8 << 20


class RecordSeen(NamedTuple):
    """One record as the scan found it: where it starts, its gzip member's length, its headers.

    A named tuple: made once a record (116,327 in the benchmark's file) and sent back from the
    processes that read slices of a file, it costs a third of a frozen dataclass.
    """

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


def scan_file(
    path: Path,
    sha256_at: Collection[int] = (),
    starts: Iterable[int] = (),
    workers: int = 1,
    meanwhile: Callable[[], object] | None = None,
) -> FileScan:
    """Return what the WARC file PATH holds and every problem found in it.

    sha256_at: offsets of records whose payload's sha256 is wanted (the rows that cite it).
    starts: offsets where members are said to start (the rows'): with WORKERS > 1, the file is
    cut there into WORKERS slices inflated in parallel while this process hashes the file. A
    slice that finds any problem, or doesn't end exactly where the next begins (a start that
    was wrong), makes the whole file be read again in one pass, so what is reported is always
    what one pass finds. meanwhile: what this process does while it waits for them.
    """
    size = os.path.getsize(path)
    workers = min(workers, size // max(_PARALLEL_MIN, 1))  # slices of 8 MB at least
    # Forked readers only (no interpreter to start, nothing to import): not on Windows.
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    cuts = _cuts(starts, size, workers) if workers > 1 and can_fork else []
    if cuts:
        scan = _scan_parallel(path, sha256_at, [0, *cuts, size], meanwhile)
        if scan is not None:
            return scan
    scan = FileScan()
    with open(path, "rb") as fh:
        _scan_range(fh, scan, 0, None, sha256_at, hashlib.sha256())
    return scan


def _cuts(starts: Iterable[int], size: int, workers: int) -> list[int]:
    """Return WORKERS - 1 offsets among STARTS cutting SIZE bytes into slices of about one size."""
    offsets = sorted({offset for offset in starts if 0 < offset < size})
    cuts: list[int] = []
    for part in range(1, workers):
        want = size * part // workers
        after = [offset for offset in offsets if offset >= want and offset > (cuts or [0])[-1]]
        if after:
            cuts.append(after[0])
    return cuts


def _scan_parallel(
    path: Path,
    sha256_at: Collection[int],
    bounds: list[int],
    meanwhile: Callable[[], object] | None,
) -> FileScan | None:
    """Return the scan of PATH read as the slices between BOUNDS in parallel; None if one failed."""
    wanted = sorted(sha256_at)
    context = multiprocessing.get_context("fork")
    # Forked children share this process's objects until they write to them: frozen, the
    # collector in a child never walks (and so copies) them.
    pool = ProcessPoolExecutor(len(bounds) - 1, mp_context=context)
    gc.freeze()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns of fork beside threads: the children run only _scan_slice,
            # which takes no lock a thread of this process could hold.
            warnings.filterwarnings("ignore", "This process", DeprecationWarning)
            futures = [
                pool.submit(
                    _scan_slice, str(path), begin, end, [o for o in wanted if begin <= o < end]
                )
                for begin, end in zip(bounds, bounds[1:], strict=False)
            ]
    except OSError:  # no process to be had (fork refused): one pass, here
        pool.shutdown(cancel_futures=True)
        return None
    finally:
        gc.unfreeze()
    with pool:
        file_hash, size = hashlib.sha256(), 0
        with open(path, "rb") as fh:  # meanwhile, the file's sha256 here
            while chunk := fh.read(_CHUNK):
                file_hash.update(chunk)
                size += len(chunk)
        if meanwhile is not None:
            meanwhile()
        try:
            slices = [future.result() for future in futures]
        except (BrokenProcessPool, OSError):  # a reader killed (out of memory...): one pass
            return None
    if any(part is None for part in slices) or size != bounds[-1]:
        return None
    scan = FileScan(sha256=file_hash.hexdigest(), size=size)
    for part in slices:
        assert part is not None
        records, warcinfo = part
        scan.records.update((seen[0], RecordSeen._make(seen)) for seen in records)
        scan.warcinfo = scan.warcinfo or warcinfo
    return scan


def _scan_slice(
    name: str, begin: int, end: int, sha256_at: list[int]
) -> tuple[list[tuple[Any, ...]], dict[str, str]] | None:
    """Return (the records as tuples, the warcinfo) of NAME's bytes BEGIN to END; None on any problem."""
    scan = FileScan()
    with open(name, "rb") as fh:
        fh.seek(begin)
        _scan_range(fh, scan, begin, end, set(sha256_at), None)
    if scan.problems:
        return None
    # Plain tuples: pickled back to the parent in half a named tuple's time.
    return [tuple(seen) for seen in scan.records.values()], scan.warcinfo


def _scan_range(
    fh: Any,
    scan: FileScan,
    begin: int,
    end: int | None,
    sha256_at: Collection[int],
    file_hash: Any,
) -> None:
    """Read FH from BEGIN (where it stands) to END (None: its end) into SCAN, hashing into FILE_HASH."""
    start = position = (
        begin  # where the current member starts; where the next bytes to inflate start
    )
    decompressor = _inflate.decompressobj(_GZIP)
    parts: list[bytes] = []
    broken = False
    left = -1 if end is None else end - begin
    while left and (chunk := fh.read(_CHUNK if left < 0 else min(_CHUNK, left))):
        left -= len(chunk) if left > 0 else 0
        if file_hash is not None:
            file_hash.update(chunk)
        scan.size += len(chunk)
        view, fed = memoryview(chunk), 0
        while fed < len(view) and not broken:
            # A small slice at a time: zlib copies what follows a member's end
            # (unused_data), and members are about 1 kB (issue 23's benchmark: 2 kB
            # slices inflate its file in 1.17 s of CPU, 8 kB ones in 1.30 s).
            piece = view[fed : fed + _SLICE]
            try:
                parts.append(decompressor.decompress(piece))
            except _INFLATE_ERRORS as error:
                scan.problems.append(f"gzip member at offset {start} is corrupt ({error})")
                broken = True
                break
            if not decompressor.eof:
                fed += len(piece)
                position += len(piece)
                continue
            used = len(piece) - len(decompressor.unused_data)
            fed += used
            member_end = position + used
            _check_record(scan, b"".join(parts), start, member_end - start, start in sha256_at)
            start = position = member_end
            decompressor, parts = _inflate.decompressobj(_GZIP), []
    if not broken and position > start:
        scan.problems.append(
            f"cut short: the gzip member at offset {start} ends after {position - start} bytes"
        )
    if file_hash is not None:
        scan.sha256 = file_hash.hexdigest()


#: The WARC headers the audit reads, as written (warcio, Heritrix) → by lower-case name.
_HEADER_NAMES = {
    name.encode("ascii"): name.lower()
    for name in (
        "WARC-Type",
        "WARC-Record-ID",
        "WARC-Target-URI",
        "WARC-Block-Digest",
        "WARC-Payload-Digest",
        "Content-Length",
        "Content-Type",
    )
}
#: One of them, its line: one C search of the head a record (names are case-insensitive).
_HEADER_LINE = re.compile(
    rb"\r\n(" + b"|".join(map(re.escape, _HEADER_NAMES)) + rb"):([^\r\n]*)", re.IGNORECASE
)


def _read_headers(member: bytes, head_end: int) -> dict[str, str]:
    r"""Return the WARC headers of _HEADER_NAMES in MEMBER's head (ending at HEAD_END), by lower-case name.

    >>> _read_headers(b"WARC/1.1\r\nwarc-type: response\r\nWARC-Type: x\r\nX: y\r\n\r\n", 44)
    {'warc-type': 'response'}
    """
    headers: dict[str, str] = {}
    for name, value in _HEADER_LINE.findall(member, 0, head_end + 2):
        key = _HEADER_NAMES.get(name) or name.decode("ascii").lower()
        if key not in headers:  # the first one counts
            headers[key] = value.decode("utf-8", "replace").strip()
    return headers


def _check_record(scan: FileScan, member: bytes, offset: int, length: int, want: bool) -> None:
    """Parse MEMBER (one decompressed gzip member) as a WARC record; note it in SCAN, with its problems."""
    head_end = member.find(b"\r\n\r\n")
    if not member.startswith(b"WARC/") or head_end < 0:
        scan.problems.append(f"offset {offset}: no WARC record in its gzip member")
        return
    headers = _read_headers(member, head_end)
    record_id = headers.get("warc-record-id", "")
    try:
        block_length = int(headers.get("content-length", ""))
    except ValueError:
        scan.problems.append(f"{_where(record_id, offset)}: no Content-Length")
        return
    begin = head_end + 4
    block = memoryview(member)[begin : begin + block_length]  # no copy: hashed in place
    if len(block) != block_length or member[begin + block_length :] != b"\r\n\r\n":
        scan.problems.append(
            f"{_where(record_id, offset)}: its block is not {block_length} bytes long"
        )
        return
    declared = headers.get("warc-block-digest")
    if declared and digest_matches(declared, block) is False:
        scan.problems.append(f"{_where(record_id, offset)}: block digest differs from {declared}")
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
        scan.problems.append(f"{_where(record_id, offset)}: payload digest differs from {declared}")
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


def _where(record_id: str, offset: int) -> str:
    """Return how a problem names a record (made only for a problem: most records have none)."""
    return f"record {record_id or '(no id)'} at offset {offset}"


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
