"""The function's log lines, sent to its log group on moto as Lambda sends them to CloudWatch
Logs, so that `make failures` finds why each record failed, locally too."""

import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient
    from mypy_boto3_logs.type_defs import InputLogEventTypeDef

STREAM = "local/[$LATEST]0123456789abcdef"
MAX_EVENTS = 1_000  # PutLogEvents takes at most 10,000 events; fewer keeps each call small


def put_lines(logs: "CloudWatchLogsClient", group: str, lines: list[str]) -> None:
    """Write these lines to the group's stream (made on first use), stamped now."""
    if not lines:
        return
    with suppress(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_stream(logGroupName=group, logStreamName=STREAM)
    now = int(time.time() * 1000)
    events: list[InputLogEventTypeDef] = [
        {"timestamp": now, "message": line} for line in lines if line.strip()
    ]
    for start in range(0, len(events), MAX_EVENTS):
        logs.put_log_events(
            logGroupName=group, logStreamName=STREAM, logEvents=events[start : start + MAX_EVENTS]
        )


class LogShipper:
    """Sends what the function has written to its log file since the last call."""

    def __init__(self, logs: "CloudWatchLogsClient", group: str, path: Path) -> None:
        self.logs = logs
        self.group = group
        self.path = path
        self.offset = 0

    def ship(self) -> int:
        """Send the new complete lines; how many."""
        with self.path.open("rb") as log:
            log.seek(self.offset)
            data = log.read()
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        lines = complete.decode("utf-8", errors="replace").splitlines()
        put_lines(self.logs, self.group, lines)
        return len(lines)
