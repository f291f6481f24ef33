"""`make failures`: what sits in the DLQ, without consuming it, and why each record failed."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .dead_letters import describe, failed_since
from .queues import QueueMessage, look
from .reasons import SCAN_ABOVE, Reasons

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%SZ") if moment else "-"


def list_failures(
    sqs: "SQSClient",
    dead_letter_queue_url: str,
    reasons: Reasons | None,
    write: Callable[[str], None] = print,
    limit: int | None = None,
) -> list[QueueMessage]:
    """Print every message of the DLQ (up to `limit`), oldest first; the messages."""
    messages = sorted(look(sqs, dead_letter_queue_url, limit), key=lambda m: m.sent)
    if reasons is not None and len(messages) > SCAN_ABOVE:
        # One read of the logs, not a FilterLogEvents call per record.
        reasons.scan(since=min(failed_since(message) for message in messages))
    write(
        f"{len(messages)} {'message' if len(messages) == 1 else 'messages'} in "
        f"{dead_letter_queue_url} (looked at {when(datetime.now(UTC))})"
    )
    for message in messages:
        first = when(message.first_received)
        group = f", group {message.group}" if message.group else ""
        write(f"{message.id}  receive count {message.receive_count}, first {first}{group}")
        for line in describe(message, reasons):
            write(f"    {line}")
    if reasons is not None and reasons.missing:
        write(f"no log group {reasons.log_group}: reasons unknown")
    return messages
