"""The commands that show the archive in a browser: ``serve`` (Datasette) and ``replay`` (pywb)."""

from __future__ import annotations

import argparse
import asyncio
import errno
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from tuban_crawler import ExitCode, warc
from tuban_crawler.cli.common import (
    WARC_DIR_HELP,
    AddCommand,
    CommandError,
    add_db_argument,
)
from tuban_crawler.store.warcfolder import find_warc_dir
from tuban_crawler.web import replay, serve


def port_number(text: str) -> int:
    """Return TEXT as a TCP port number (0 to 65535; 0 picks a free one), or raise ArgumentTypeError.

    >>> port_number("8001")
    8001
    """
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"expected a port number from 1 to 65535 (0: any free one), got {text!r}"
        )
    return port


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the archive on the host and port until interrupted."""
    from tuban_crawler.store.archivefile import connect_read_only, needs_snapshot

    # No such file, not an archive, unreadable: ArchiveFileError, one line from main.
    connect_read_only(args.db).close()
    snapshot = needs_snapshot(args.db)
    datasette = serve.build_datasette(args.db, snapshot=snapshot)
    try:
        # Bound before saying where to browse: a busy port is one line, not a false address.
        sock = serve.listen(args.host, args.port)
    except OSError as error:
        hint = (
            "another program listens there: try --port"
            if error.errno == errno.EADDRINUSE
            else "check --host"
        )
        raise CommandError(
            f"can't listen on {args.host}:{args.port} ({error.strerror or error}): {hint}"
        ) from None
    host = f"[{args.host}]" if ":" in args.host else args.host
    if snapshot:
        print(
            f"{args.db} is read-only to this user and in WAL mode: serving it as it is now "
            f"(restart to see later crawls)",
            file=sys.stderr,
        )
    print(
        f"Browse {args.db} (read-only) at http://{host}:{sock.getsockname()[1]}/ — Ctrl-C to stop",
        flush=True,
    )
    # systemd and kill stop it with SIGTERM, a closed terminal with SIGHUP: as Ctrl-C does (exit 0).
    previous = {signum: signal.signal(signum, _interrupt) for signum in STOP_SIGNALS}
    try:
        asyncio.run(serve.serve_socket(datasette, sock))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return ExitCode.OK


def cmd_replay(args: argparse.Namespace) -> int:
    """Replay the archive through pywb until stopped; return 0, or raise CommandError when pywb failed."""
    warc_dir = find_warc_dir(args.db, args.warc_dir)
    if not any(warc_dir.glob("*" + warc.WARC_SUFFIX)):
        raise CommandError(f"no WARC files in {warc_dir} (crawl first, or give --warc-dir)")
    wayback = replay.find_wayback(args.pywb)
    if wayback is None:
        raise CommandError(
            "pywb is not installed: python3 -m venv ~/.pywb && ~/.pywb/bin/pip install 'pywb==2.10.0', "
            "then give --pywb ~/.pywb/bin/wayback (README: Replay)"
        )
    replay.bring_index_up_to_date(warc_dir)
    with tempfile.TemporaryDirectory(prefix="tuban-pywb-") as root:
        Path(root, "config.yaml").write_text(
            replay.pywb_config(warc_dir, args.collection), encoding="utf-8"
        )
        print(
            f"replaying {warc_dir} at http://127.0.0.1:{args.port}/{args.collection}/ (Ctrl-C stops)",
            flush=True,
        )
        # systemd, kill and `timeout` stop us with SIGTERM, a closed terminal with SIGHUP: pywb
        # must stop with us as on Ctrl-C, not linger orphaned on its port.
        previous = {signum: signal.signal(signum, _interrupt) for signum in STOP_SIGNALS}
        process = None
        try:
            process = subprocess.Popen(replay.replay_command(wayback, args.port), cwd=root)
            status = process.wait()
        except KeyboardInterrupt:
            if process is not None:
                _stop(process)
            return ExitCode.OK
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
    if status:
        # Only the README's exit statuses: pywb's own (or a signal's) would be another.
        raise CommandError(
            f"pywb stopped with status {status} (its messages are above; is port {args.port} free?)"
        )
    return ExitCode.OK


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop PROCESS as Ctrl-C stops it, or kill it when it does not end in 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


#: The signals that stop ``replay`` and its pywb as Ctrl-C does.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def add_commands(add: AddCommand) -> None:
    """Add ``serve`` and ``replay`` to the command's parser through ADD."""
    command = add(
        "serve",
        cmd_serve,
        "Browse the archive in Datasette (read-only, on 127.0.0.1 by default).",
    )
    add_db_argument(command)
    command.add_argument(
        "--host",
        default=serve.DEFAULT_HOST,
        help="address to listen on (default: %(default)s, this machine only; 0.0.0.0 for every interface)",
    )
    command.add_argument(
        "--port",
        type=port_number,
        default=serve.DEFAULT_PORT,
        help="port to listen on (default: %(default)s)",
    )
    command = add(
        "replay",
        cmd_replay,
        "Replay the archived pages as captured, through pywb on 127.0.0.1.",
    )
    add_db_argument(command)
    command.add_argument("--warc-dir", help=WARC_DIR_HELP)
    command.add_argument(
        "--port",
        type=int,
        default=replay.DEFAULT_PORT,
        help="port on 127.0.0.1 (default: %(default)s)",
    )
    command.add_argument(
        "--collection",
        default=replay.COLLECTION,
        help="collection name in replay URLs (default: %(default)s)",
    )
    command.add_argument(
        "--pywb", help="pywb's `wayback` program (default: $TUBAN_PYWB, or `wayback` on PATH)"
    )
