"""The citation of an article's version: what it says, and the capture it was extracted from (issue 23).

A researcher cites a version by its WARC record and the sha256 of the payload it was
extracted from: anyone holding the WARC files (or a bag of them) can find the record and
check that the page is the one cited (``tuban-crawler verify`` checks the same digest).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def citation(row: Mapping[str, Any]) -> dict[str, str] | None:
    """Return the citation of an article or version ROW (text, record id, sha256), or None before m013.

    >>> citation({"title": "A", "url": "https://t.id/entry/a", "version": 2,
    ...           "published_at": "2017-07-26T13:24:00+07:00", "last_changed_at": "2026-01-02T03:04:05+00:00",
    ...           "warc_record_id": "<urn:uuid:1>", "payload_sha256": "ab"})["text"]
    '"A". Pemerintah Kabupaten Tuban, 2017-07-26. https://t.id/entry/a (version 2, archived 2026-01-02; WARC-Record-ID <urn:uuid:1>; payload sha256:ab)'
    """
    record_id = row.get("warc_record_id")
    if not record_id:
        return None
    sha256 = row.get("payload_sha256")
    archived = str(row.get("last_changed_at") or row.get("first_seen_at") or "")[:10]
    published = str(row.get("published_at") or "")[:10] or "undated"
    digest = f"; payload sha256:{sha256}" if sha256 else ""
    text = (
        f'"{row.get("title") or row.get("url")}". Pemerintah Kabupaten Tuban, {published}. '
        f"{row.get('url')} (version {row.get('version') or 1}, archived {archived or 'unknown'}; "
        f"WARC-Record-ID {record_id}{digest})"
    )
    return {"text": text, "record_id": str(record_id), "sha256": str(sha256 or "")}
