"""Benchmark the local test portal: pages per second over loopback with keep-alive clients.

Run by hand (not a test)::

    python benchmarks/portal.py                      # 5,000 articles, 8 connections, 5 s a phase
    python benchmarks/portal.py --articles 10000 --concurrency 16 --seconds 10 --gzip

The portal runs in its own process (``python -m tuban_crawler.portal --port 0``) so that the
clients, an asyncio loop in this process, do not share its interpreter lock.  Phases: every
entry once (cold: each page rendered for the first time), entries again at random (warm,
served from the cache), and the ``/berita`` listing pages.  The client is Python too, so the
numbers are a lower bound of what the portal can serve.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable


async def _fetch(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str, gzip: bool
) -> int:
    extra = "Accept-Encoding: gzip\r\n" if gzip else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    match = re.search(rb"\r\nContent-Length: (\d+)", head)
    body = await reader.readexactly(int(match[1])) if match else b""
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status}")
    return len(head) + len(body)


async def _phase(
    host: str,
    port: int,
    next_path: Callable[[], str | None],
    concurrency: int,
    seconds: float,
    gzip: bool,
) -> tuple[int, int, float]:
    """Return (responses, bytes, elapsed) for CONCURRENCY keep-alive clients pulling paths."""
    deadline = time.perf_counter() + seconds
    counts = [0, 0]

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < deadline:
                path = next_path()
                if path is None:
                    return
                size = await _fetch(reader, writer, f"{host}:{port}", path, gzip)
                counts[0] += 1
                counts[1] += size
        finally:
            writer.close()
            await writer.wait_closed()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return counts[0], counts[1], time.perf_counter() - start


def _report(name: str, result: tuple[int, int, float]) -> None:
    responses, size, elapsed = result
    print(
        f"{name:<28} {responses:>7} pages in {elapsed:5.2f} s = {responses / elapsed:8.0f} pages/s, "
        f"{size / elapsed / 1e6:6.1f} MB/s",
        flush=True,
    )


async def _run(base_url: str, args: argparse.Namespace) -> None:
    host, port = base_url.removeprefix("http://").rsplit(":", 1)
    with urllib.request.urlopen(f"{base_url}/sitemap.xml") as response:
        sitemap = response.read().decode()
    entries = [loc.removeprefix(base_url) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    pages = -(-args.articles // 20)
    print(
        f"portal {base_url}: {len(entries)} entries, {pages} listing pages, "
        f"{args.concurrency} connections, gzip={'on' if args.gzip else 'off'}",
        flush=True,
    )

    cold = iter(entries)
    port_number, clients = int(port), args.concurrency
    _report(
        "entries, cold (render)",
        await _phase(host, port_number, lambda: next(cold, None), clients, 600, args.gzip),
    )
    rng = random.Random(1)
    _report(
        "entries, warm (cached)",
        await _phase(
            host, port_number, lambda: rng.choice(entries), clients, args.seconds, args.gzip
        ),
    )
    listing = lambda: f"/berita?page={rng.randint(1, pages)}"  # noqa: E731
    _report(
        "listing pages", await _phase(host, port_number, listing, clients, args.seconds, args.gzip)
    )


def main() -> int:
    """Start the portal in a subprocess, run the phases and print pages/second."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip")
    args = parser.parse_args()
    command = [
        sys.executable,
        "-m",
        "tuban_crawler.portal",
        "--port",
        "0",
        "--articles",
        str(args.articles),
    ]
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as portal:
        try:
            base_url = portal.stdout.readline().strip()
            print(f"portal started in {time.perf_counter() - started:.2f} s", flush=True)
            asyncio.run(_run(base_url, args))
        finally:
            portal.terminate()
            portal.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
