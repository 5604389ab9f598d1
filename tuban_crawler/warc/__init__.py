"""Write, repair, index and read the crawl's gzip-compressed WARC files (warcio, no Scrapy).

Layout of the WARC directory:

- ``PREFIX-TIMESTAMP-SERIAL-HOST.warc.gz`` (Heritrix's and Browsertrix's convention;
  files of older archives, ``tuban-<run id>-<serial>.warc.gz``, are read as they are):
  finished files, one gzip member per record;
- ``*.warc.gz.open``: the file being written; one left behind means a run was killed,
  and :func:`repair_directory` (called by :meth:`WarcWriter.open`) finishes it;
- ``index.cdxj``: the CDXJ index pywb reads (SURT-sorted, as cdxj-indexer writes it: the
  writer's own lines for what it wrote, cdxj-indexer's for files read back), updated as
  each file is finished. It is a cache: the WARC files alone are enough to
  read everything back (:func:`iter_captures`, :func:`reconstruct`).
"""

from tuban_crawler.warc.index import INDEX_NAME, OPEN_SUFFIX, WARC_SUFFIX, IndexEntry, read_index
from tuban_crawler.warc.messages import ORIGINAL_HEADER_PREFIX, Headers, payload_digest
from tuban_crawler.warc.reader import (
    Capture,
    ReconstructedResponse,
    check_directory,
    iter_captures,
    reconstruct,
)
from tuban_crawler.warc.repair import Repair, repair_directory
from tuban_crawler.warc.writer import LOCK_NAME, CaptureRef, WarcWriter

__all__ = [
    "INDEX_NAME",
    "LOCK_NAME",
    "OPEN_SUFFIX",
    "ORIGINAL_HEADER_PREFIX",
    "WARC_SUFFIX",
    "Capture",
    "CaptureRef",
    "Headers",
    "IndexEntry",
    "ReconstructedResponse",
    "Repair",
    "WarcWriter",
    "check_directory",
    "iter_captures",
    "payload_digest",
    "read_index",
    "reconstruct",
    "repair_directory",
]
