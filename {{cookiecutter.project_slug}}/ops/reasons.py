"""Why a record failed, from the failure hook's structured line in the function's log group.

The processor logs one JSON line per failed record (`"message": "record failed"` with
`record_id`, `error_type` and `error`). A record that failed several times has several lines;
its reason is the latest.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .queues import epoch_ms

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

FAILED = "record failed"
ERROR_WIDTH = 160  # characters of an error shown
# Above this many records, one scan of the failure lines beats a FilterLogEvents call each.
SCAN_ABOVE = 20


def one_line(text: str, width: int = ERROR_WIDTH) -> str:
    """The text on one line, cut to a width (an error can hold a traceback)."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 3] + "..."


@dataclass(frozen=True)
class Reason:
    """The error a record last failed with, when, and how many failures the logs hold."""

    error_type: str
    error: str
    last_failed: datetime
    failures: int

    def summary(self) -> str:
        """`ErrorType: error (failed N times, last <time>)`, on one line."""
        times = "once" if self.failures == 1 else f"{self.failures} times"
        last = self.last_failed.strftime("%Y-%m-%d %H:%M:%SZ")
        return f"{self.error_type}: {one_line(self.error)} (failed {times}, last {last})"


def failure_line(message: str) -> dict[str, Any] | None:
    """The failure hook's line, if the log event is one."""
    try:
        line = json.loads(message)
    except ValueError:
        return None
    return line if isinstance(line, dict) and line.get("message") == FAILED else None


class Reasons:
    """Looks up records' reasons in one log group; remembers if the group is not there.

    One record at a time is one FilterLogEvents call each (which CloudWatch Logs allows a few
    times a second); for many records, `scan` reads every failure line since a time once."""

    def __init__(self, logs: "CloudWatchLogsClient", log_group: str) -> None:
        self.logs = logs
        self.log_group = log_group
        self.missing = False
        # After a scan: every failure line since `scanned_since`, by record id.
        self.scanned: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.scanned_since: datetime | None = None

    def lines(self, pattern: str, since: datetime) -> Iterator[tuple[int, dict[str, Any]]]:
        """The failure hook's lines that match a filter pattern, since a time, with their time."""
        pages = self.logs.get_paginator("filter_log_events").paginate(
            logGroupName=self.log_group,
            filterPattern=pattern,
            startTime=int(since.timestamp() * 1000),
        )
        try:
            for page in pages:
                for event in page.get("events", []):
                    line = failure_line(event.get("message", ""))
                    if line is not None:
                        yield int(event.get("timestamp", 0)), line
        except self.logs.exceptions.ResourceNotFoundException:
            self.missing = True

    def scan(self, since: datetime) -> None:
        """Read every failure line since a time, once, for the lookups that follow."""
        self.scanned = {}
        for stamp, line in self.lines(f'"{FAILED}"', since):
            self.scanned.setdefault(str(line.get("record_id")), []).append((stamp, line))
        self.scanned_since = since

    def of(self, record_id: str, since: datetime) -> Reason | None:
        """The reason of one record's failures since a time (its message's sending), or None
        when the logs hold none (expired, or the group is missing)."""
        if self.missing:
            return None
        if self.scanned_since is not None and since >= self.scanned_since:
            lines = [
                item
                for item in self.scanned.get(record_id, [])
                if item[0] >= since.timestamp() * 1000
            ]
        else:
            # A quoted term matches the id anywhere in the line; the JSON is checked here.
            lines = [
                item
                for item in self.lines(f'"{record_id}"', since)
                if item[1].get("record_id") == record_id
            ]
        if not lines:
            return None
        stamp, latest = max(lines, key=lambda item: item[0])
        return Reason(
            error_type=str(latest.get("error_type", "unknown")),
            error=str(latest.get("error", "")),
            last_failed=epoch_ms(stamp),
            failures=len(lines),
        )
