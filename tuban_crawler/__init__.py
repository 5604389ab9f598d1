"""tuban-crawler: an archival crawler for the news of the Tuban regency government."""

from __future__ import annotations

import enum

__version__ = "0.1.0"


class ExitCode(enum.IntEnum):
    """The exit statuses of the ``tuban-crawler`` command, for cron and systemd's ``OnFailure=``.

    Each member carries the few words ``crawl --help`` shows; the README's table of exit
    statuses says the same at length (a test keeps the two in step). 74 and 75 are
    ``sysexits.h``'s ``EX_IOERR`` and ``EX_TEMPFAIL``; 130 is the shell's 128 + SIGINT.
    """

    summary: str

    def __new__(cls, value: int, summary: str) -> ExitCode:
        member = int.__new__(cls, value)
        member._value_ = value
        member.summary = summary
        return member

    OK = 0, "ok"
    ERROR = 1, "could not start or do what was asked (the line printed says why)"
    USAGE = 2, "bad option or setting"
    BROKEN = (
        3,
        "broken run (nothing found, layout changed, entries lost, too many refused or failed)",
    )
    INTERRUPTED = 4, "interrupted (the run is recorded, the next one finishes it)"
    DAMAGED = 5, "a fixity check failed (verify names the damaged files and rows)"
    STORAGE = 74, "the archive can't be written (disk full, read-only)"
    LOCKED = 75, "archive busy (another crawl holds it)"
    INTERRUPTED_BY_USER = 130, "stopped by Ctrl-C outside a recorded run"


def user_agent(contact_url: str) -> str:
    """Return the honest User-Agent: the archive's name, version and a contact URL."""
    return f"tuban-crawler/{__version__} (archive of Tuban regency news; +{contact_url})"
