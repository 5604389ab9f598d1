"""MultiPortal: the sites of :mod:`.offices` served on loopback ports of one host, with a manifest and a request log.

::

    from tuban_crawler.portal.multi import MultiPortal
    from tuban_crawler.portal.offices import plan_sites
    with MultiPortal(plan_sites(3, articles=60, seed=1), request_log="requests.jsonl") as multi:
        multi.base_urls          # portal first, then the offices, then the unlisted site
        multi.manifest()         # the document ``--manifest`` writes

The manifest (``--manifest FILE``) says, per site: ``site`` (its number), ``origin``, ``role``
(``portal``, ``office``, ``unlisted``), ``name``, ``theme``, ``entry_pattern``, ``faults``,
``ground_truth`` (its ``/_portal/manifest.json``: every entry's fields), ``entries`` (the
URL of every live entry), ``reposts`` (``{url, original, by}``: ``by`` is ``slug`` where the
re-post keeps the original's slug in its URL, ``text`` on a ``/page/<id>`` site) and
``teasers`` (``{url, announces, by}``: ``by`` is ``slug`` where the teaser's URL carries the
article's slug, ``link`` on a ``/page/<id>`` site, where only its link to the article says
which it announces).

The request log (``--request-log FILE``) has one JSON line per answered request, written as
its answer completes: ``site``, ``port``, ``method``, ``path``, ``status`` (null for a dropped
connection), ``arrived``/``completed`` (wall clock, ``time.time()``, seconds) and
``arrived_monotonic``/``completed_monotonic`` (``time.monotonic()``, one clock for every
site, since they are served by one process). ``arrived`` is when the request's head was read,
``completed`` when the last byte of the answer was handed to the kernel: two requests are in
flight together when their intervals overlap.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

from .faults import parse_faults
from .offices import OFFICE, PORTAL, Shared, SiteSpec, office_content, portal_link, sites_footer
from .server import PortalServer
from .site import SiteExtras

logger = logging.getLogger(__name__)


class RequestLog:
    """A JSON-lines file that several servers' threads append to, one flushed line per request."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._file: IO[str] = open(path, "a", encoding="utf-8")  # noqa: SIM115 (closed by close())
        self._lock = threading.Lock()

    def writer(self, site: int) -> PortalServerLog:
        """Return the callable a PortalServer of site number SITE logs through."""
        return PortalServerLog(self, site)

    def write(self, record: dict[str, object]) -> None:
        """Append RECORD as one line."""
        line = json.dumps(record, sort_keys=True) + "\n"
        with self._lock:
            if not self._file.closed:
                self._file.write(line)
                self._file.flush()

    def close(self) -> None:
        """Close the file; later records are dropped."""
        with self._lock:
            self._file.close()


@dataclasses.dataclass(frozen=True)
class PortalServerLog:
    """One site's view of the request log: adds the site number to each record."""

    log: RequestLog
    site: int

    def __call__(self, record: dict[str, object]) -> None:
        self.log.write({"site": self.site, **record})


class MultiPortal:
    """The sites of SPECS, each a PortalServer on its own port of HOST (see the module docstring)."""

    def __init__(
        self,
        specs: list[SiteSpec],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        edition: int = 1,
        request_log: str | os.PathLike[str] | None = None,
    ) -> None:
        if not specs or specs[0].role != PORTAL:
            raise ValueError("a multi-site portal starts with its portal")
        self.specs, self.host, self.port, self.edition = specs, host, port, edition
        self._log_path = request_log
        self._log: RequestLog | None = None
        self.servers: list[PortalServer] = []
        self.shared: dict[int, tuple[Shared, ...]] = {}

    @property
    def base_urls(self) -> list[str]:
        """Return every site's base URL, the portal's first, in site order."""
        return [server.base_url for server in self.servers]

    def start(self) -> MultiPortal:
        """Bind every site's port, arrange the sites' content and return self; on failure stop what started."""
        try:
            if self._log_path is not None:
                self._log = RequestLog(self._log_path)
            for spec in self.specs:
                # A fixed --port puts the sites side by side (8000, 8001...); 0 takes free ones.
                port = self.port + spec.number - 1 if self.port else 0
                server = PortalServer(
                    articles=spec.articles,
                    seed=spec.seed,
                    edition=self.edition,
                    host=self.host,
                    port=port,
                    faults=parse_faults(spec.faults),
                    theme=spec.theme,
                    request_log=None if self._log is None else self._log.writer(spec.number),
                )
                self.servers.append(server.start())
            self._arrange()
        except BaseException:
            self.stop()
            raise
        return self

    def _arrange(self) -> None:
        """Give each site, now that every port is known, its content, footer and links."""
        if len(self.servers) == 1:
            return  # one site: today's portal, untouched
        portal = self.servers[0]
        pairs = list(zip(self.specs, self.base_urls, strict=True))
        portal.arrange(SiteExtras(footer=sites_footer(pairs)))
        portal_site = portal.site
        for spec, server in zip(self.specs[1:], self.servers[1:], strict=True):
            extras, shared = office_content(spec, portal_site, self.edition)
            self.shared[spec.number] = shared
            server.arrange(dataclasses.replace(extras, footer=portal_link(portal.base_url)))

    def manifest(self) -> dict[str, object]:
        """Return the manifest: the portal's settings and, per site, what it is and what it serves."""
        portal = self.servers[0]
        return {
            "seed": self.specs[0].seed,
            "articles": self.specs[0].articles,
            "edition": self.edition,
            "request_log": None if self._log_path is None else str(self._log_path),
            "sites": [
                self._site_manifest(spec, server, portal.base_url)
                for spec, server in zip(self.specs, self.servers, strict=True)
            ],
        }

    def _site_manifest(self, spec: SiteSpec, server: PortalServer, portal_url: str) -> dict:
        site = server.site
        origin = server.base_url
        shared = self.shared.get(spec.number, ())
        return {
            "site": spec.number,
            "origin": origin,
            "role": spec.role,
            "name": spec.name,
            "theme": spec.theme,
            "entry_pattern": spec.entry_pattern,
            "faults": sorted(site.faults.kinds),
            "articles": len(site.live),
            "ground_truth": f"{origin}/_portal/manifest.json",
            "entries": [origin + e.path for e in (*site.live, *site.pages)],
            "reposts": [
                {
                    "url": origin + s.entry.path,
                    "original": portal_url + s.original.path,
                    "by": "text" if spec.numbered else "slug",
                }
                for s in shared
                if s.kind == "repost"
            ],
            "teasers": [
                {
                    "url": origin + s.entry.path,
                    "announces": portal_url + s.original.path,
                    "by": "link" if spec.numbered else "slug",
                }
                for s in shared
                if s.kind == "teaser"
            ],
        }

    def write_manifest(self, path: str | os.PathLike[str]) -> None:
        """Write the manifest to PATH as JSON (whole: through a temporary file beside it)."""
        target = Path(path)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(
            json.dumps(self.manifest(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        temporary.replace(target)

    def stop(self) -> None:
        """Stop every server and close the request log."""
        for server in self.servers:
            server.stop()
        if self._log is not None:
            self._log.close()

    def __enter__(self) -> MultiPortal:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = ["OFFICE", "MultiPortal", "RequestLog"]
