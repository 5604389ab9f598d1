"""A few small sites on loopback ports of one address, logging when each request arrived and was answered.

The politeness tests read the log: what was in flight at once, how far apart requests came.
Site ``i`` serves ``/`` (a listing of every site's stories), ``/entry/story-<i>-<k>`` and
``/robots.txt``; the first site's home page also links the last site (left out of the crawl).
Every answer takes ``LATENCY`` seconds. ``FLAKY`` (on the third site) answers 503 with
``Retry-After`` the first time; ``secret-<i>`` pages are disallowed by the second site's robots.txt.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LATENCY = 0.15
STORIES = 3
FLAKY = "/entry/flaky-2"
RETRY_AFTER = 1


@dataclass
class Hit:
    """One request as the server saw it: which site, path, status, arrival and completion (monotonic seconds)."""

    site: int
    path: str
    status: int
    arrived: float
    done: float


def story(site: int, k: int) -> str:
    """Return the path of story K of SITE."""
    return f"/entry/story-{site}-{k}"


class LoggedSites:
    """N sites on 127.0.0.1 (``hosts`` names how the crawl addresses each: an IP or ``localhost``)."""

    def __init__(self, count: int = 4, hosts: tuple[str, ...] = ()) -> None:
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.flaky_served = False
        self.servers = [
            ThreadingHTTPServer(("127.0.0.1", 0), self._handler(i)) for i in range(count)
        ]
        self.hosts = [hosts[i] if i < len(hosts) else "127.0.0.1" for i in range(count)]

    def origin(self, site: int) -> str:
        """Return SITE's origin as the crawl addresses it."""
        return f"http://{self.hosts[site]}:{self.servers[site].server_address[1]}"

    def __enter__(self) -> LoggedSites:
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def page(self, site: int, path: str) -> tuple[int, str, dict[str, str]]:
        """Return (status, body, headers) of PATH on SITE."""
        last = len(self.servers) - 1
        if path == "/robots.txt":
            rules = "Disallow: /entry/secret-" if site == 1 else "Disallow: /nothing"
            return 200, f"User-agent: *\n{rules}\n", {"Content-Type": "text/plain"}
        if path == "/" and site != last:
            links = [self.origin(j) + story(j, k) for j in range(last) for k in range(STORIES)] + [
                self.origin(j) + f"/entry/secret-{j}" for j in range(2)
            ]
            links.append(self.origin(2) + FLAKY)
            if site == 0:  # the regency's fourth site: linked, not added
                links += [self.origin(last) + story(last, k) for k in range(STORIES)]
                links.append(self.origin(last) + "/")
            items = "".join(f'<li><a href="{u}">{u.rsplit("/", 1)[-1]}</a></li>' for u in links)
            return (
                200,
                f"<html><head><title>Site {site}</title></head><body><ul>{items}</ul></body></html>",
                {},
            )
        if path == FLAKY and site == 2:
            with self.lock:
                first, self.flaky_served = not self.flaky_served, True
            if first:
                return 503, "busy", {"Retry-After": str(RETRY_AFTER)}
            return 200, article(site, "flaky", self.origin(0)), {}
        if path.startswith("/entry/") and site != last:
            return 200, article(site, path.rsplit("/", 1)[-1], self.origin(0)), {}
        return 404, "not here", {}

    def _handler(self, site: int) -> type[BaseHTTPRequestHandler]:
        sites = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                arrived = time.monotonic()
                status, body, headers = sites.page(site, self.path)
                time.sleep(LATENCY)
                data = body.encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type", headers.pop("Content-Type", "text/html; charset=utf-8")
                )
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                with sites.lock:
                    sites.hits.append(Hit(site, self.path, status, arrived, time.monotonic()))

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def article(site: int, slug: str, home: str) -> str:
    """Return an article page of SITE with a title, a date and a body."""
    text = " ".join([f"Berita {slug} dari kabupaten Tuban tentang pembangunan desa."] * 12)
    return (
        f"<html><head><title>Berita {slug}</title></head><body><article>"
        f"<h1>Berita {slug} situs {site}</h1>"
        f'<time datetime="2026-11-0{site + 1}T08:00:00+07:00">{site + 1} November 2026</time>'
        f"<p>{text}</p><p>{text}</p></article>"
        f'<a href="{home}/">Beranda</a></body></html>'
    )
