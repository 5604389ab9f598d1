"""What a request that failed after its retries means for the archive: a failure to record, or nothing.

A guessed page (a start path, a hub candidate, a sitemap or feed path) that is missing is no
failure, nor is a page tried in case it is a listing; a redirect loop, or a robots.txt that
can't be read, is recorded whatever was asked (issue 9: the next run retries it).
"""

from __future__ import annotations

from dataclasses import dataclass

from tuban_crawler.discover.robots import UNAVAILABLE

#: Refusals recorded as failures even for optional pages and listing probes.
ALWAYS_RECORDED = ("redirect loop", "redirect chain", UNAVAILABLE)
#: Statuses of a guessed page that are no failure.
OPTIONAL_MISSES = (403, 404, 410)
#: What ``classify_failure`` says of a failed request.
RECORD, ABSENT, PROBE_FAILED = "record", "absent", "probe_failed"


@dataclass(frozen=True)
class FailedRequest:
    """What is known of a request that failed: its flags, and the error."""

    status: int | None = None  # the HTTP status of an error response
    error: str = ""  # the error's message
    error_type: str = ""  # the error's class name
    refused: bool = False  # an ``IgnoreRequest`` (robots.txt, a redirect loop or chain)
    optional: bool = False  # a guessed page
    probe: bool = False  # a page tried in case it is a listing


@dataclass(frozen=True)
class Verdict:
    """``RECORD`` (a failure with REASON), ``ABSENT`` (a guessed page missing) or ``PROBE_FAILED``."""

    outcome: str
    reason: str


def classify_failure(failed: FailedRequest) -> Verdict:
    """Return what FAILED means: a failure to record and its reason, or why it is none.

    >>> classify_failure(FailedRequest(status=503))
    Verdict(outcome='record', reason='HTTP 503')
    >>> classify_failure(FailedRequest(status=404, optional=True)).outcome
    'absent'
    """
    refusal = failed.error if failed.refused else ""
    if not refusal.startswith(ALWAYS_RECORDED):
        if failed.optional and (failed.status in OPTIONAL_MISSES or refusal):
            return Verdict(ABSENT, str(failed.status or failed.error))
        if failed.probe:
            return Verdict(PROBE_FAILED, str(failed.status or failed.error))
    if failed.status:
        reason = f"HTTP {failed.status}"
    elif failed.refused:  # robots.txt, redirect loops and chains: the message says it all
        reason = failed.error
    else:
        reason = f"{failed.error_type}: {failed.error}"
    return Verdict(RECORD, reason)
