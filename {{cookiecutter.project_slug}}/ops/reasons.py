"""Why a record failed, from the failure hook's structured line in the function's log group.

The processor logs one JSON line per failed record (`"message": "record failed"` with
`record_id`, `error_type` and `error`). A record that failed several times has several lines;
its reason is the latest.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .queues import epoch_ms

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

FAILED = "record failed"
ERROR_WIDTH = 160  # characters of an error shown


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


def failure_line(message: str, record_id: str) -> dict[str, Any] | None:
    """The failure hook's line for this record, if the log event is one."""
    try:
        line = json.loads(message)
    except ValueError:
        return None
    if not isinstance(line, dict) or line.get("message") != FAILED:
        return None
    return line if line.get("record_id") == record_id else None


class Reasons:
    """Looks up records' reasons in one log group; remembers if the group is not there."""

    def __init__(self, logs: "CloudWatchLogsClient", log_group: str) -> None:
        self.logs = logs
        self.log_group = log_group
        self.missing = False

    def of(self, record_id: str, since: datetime) -> Reason | None:
        """The reason of one record's failures since a time (its message's sending), or None
        when the logs hold none (expired, or the group is missing)."""
        if self.missing:
            return None
        lines: list[tuple[int, dict[str, Any]]] = []
        # A quoted term matches the id anywhere in the line; the JSON is checked here.
        pages = self.logs.get_paginator("filter_log_events").paginate(
            logGroupName=self.log_group,
            filterPattern=f'"{record_id}"',
            startTime=int(since.timestamp() * 1000),
        )
        try:
            for page in pages:
                for event in page.get("events", []):
                    line = failure_line(event.get("message", ""), record_id)
                    if line is not None:
                        lines.append((int(event.get("timestamp", 0)), line))
        except self.logs.exceptions.ResourceNotFoundException:
            self.missing = True
            return None
        if not lines:
            return None
        stamp, latest = max(lines, key=lambda item: item[0])
        return Reason(
            error_type=str(latest.get("error_type", "unknown")),
            error=str(latest.get("error", "")),
            last_failed=epoch_ms(stamp),
            failures=len(lines),
        )
