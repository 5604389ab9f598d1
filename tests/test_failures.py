"""Tests for tuban_crawler.discover.failures: which failed requests the archive records, and why."""

from __future__ import annotations

import pytest

from tuban_crawler.discover.failures import (
    ABSENT,
    PROBE_FAILED,
    RECORD,
    FailedRequest,
    Verdict,
    classify_failure,
)


@pytest.mark.parametrize(
    ("failed", "verdict"),
    [
        # -- recorded, with the status, the refusal or the error as the reason
        (FailedRequest(status=503), Verdict(RECORD, "HTTP 503")),
        (FailedRequest(status=404), Verdict(RECORD, "HTTP 404")),
        (
            FailedRequest(error="disallowed by robots.txt: /x", refused=True),
            Verdict(RECORD, "disallowed by robots.txt: /x"),
        ),
        (
            FailedRequest(error="Connection was refused", error_type="ConnectionRefusedError"),
            Verdict(RECORD, "ConnectionRefusedError: Connection was refused"),
        ),
        # -- a guessed page that is missing, or refused: no failure
        (FailedRequest(status=404, optional=True), Verdict(ABSENT, "404")),
        (FailedRequest(status=403, optional=True), Verdict(ABSENT, "403")),
        (
            FailedRequest(error="disallowed by robots.txt: /rss", refused=True, optional=True),
            Verdict(ABSENT, "disallowed by robots.txt: /rss"),
        ),
        # ... but a guessed page that answered 500 is the server's trouble
        (FailedRequest(status=500, optional=True), Verdict(RECORD, "HTTP 500")),
        # -- a page tried as a listing: not the archive's loss
        (FailedRequest(status=500, probe=True), Verdict(PROBE_FAILED, "500")),
        # -- recorded whatever was asked: redirect loops and an unreadable robots.txt
        (
            FailedRequest(error="redirect loop: a -> b -> a", refused=True, optional=True),
            Verdict(RECORD, "redirect loop: a -> b -> a"),
        ),
        (
            FailedRequest(error="redirect chain longer than 5: a -> b", refused=True, probe=True),
            Verdict(RECORD, "redirect chain longer than 5: a -> b"),
        ),
        (
            FailedRequest(
                error="robots.txt unavailable (HTTP 503): x", refused=True, optional=True
            ),
            Verdict(RECORD, "robots.txt unavailable (HTTP 503): x"),
        ),
    ],
)
def test_a_failed_request_is_recorded_or_not(failed: FailedRequest, verdict: Verdict) -> None:
    assert classify_failure(failed) == verdict
