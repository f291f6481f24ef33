"""`make failures`: what sits in the DLQ, without consuming it, and why each record failed."""

{% if source.family == "topic_to_queue" -%}
import json
{% endif -%}
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .queues import QueueMessage, look
{%- if facts.ranges %}
from .ranges import describe_ranges
{%- endif %}
from .reasons import {% if facts.queued %}SCAN_ABOVE, {% endif %}Reasons{% if facts.queued %}, one_line{% endif %}

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
{%- if facts.queued %}

BODY_WIDTH = 100  # characters of a body shown
{%- endif %}


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%SZ") if moment else "-"
{%- if source.family == "topic_to_queue" %}


def payload(body: str) -> str:
    """The order SNS wrapped in its envelope (the body as it is, if it is no envelope)."""
    try:
        return str(json.loads(body)["Message"])
    except (ValueError, KeyError, TypeError):
        return body
{%- endif %}


def describe(message: QueueMessage, reasons: Reasons | None) -> list[str]:
    """A message's lines: its id and history, why it failed, and its body."""
    head = (
        f"{message.id}  receive count {message.receive_count}, first {when(message.first_received)}"
        + (f", group {message.group}" if message.group else "")
    )
{%- if facts.ranges %}
    return [head, *(f"    {line}" for line in describe_ranges(message.body, reasons))]
{%- else %}
    reason = reasons.of(message.id, since=message.sent) if reasons else None
    if reason is None:
        why = "reason: not in the logs" + (" (no log group)" if reasons is None else "")
    else:
        why = reason.summary()
    return [head, f"    {why}", f"    body: {one_line({% if source.family == 'topic_to_queue' %}payload(message.body){% else %}message.body{% endif %}, BODY_WIDTH)}"]
{%- endif %}


def list_failures(
    sqs: "SQSClient",
    dead_letter_queue_url: str,
    reasons: Reasons | None,
    write: Callable[[str], None] = print,
    limit: int | None = None,
) -> list[QueueMessage]:
    """Print every message of the DLQ (up to `limit`), oldest first; the messages."""
    messages = sorted(look(sqs, dead_letter_queue_url, limit), key=lambda m: m.sent)
{%- if facts.queued %}
    if reasons is not None and len(messages) > SCAN_ABOVE:
        reasons.scan(since=messages[0].sent)  # one read of the logs, not one per message
{%- endif %}
    write(
        f"{len(messages)} {'message' if len(messages) == 1 else 'messages'} in "
        f"{dead_letter_queue_url} (looked at {when(datetime.now(UTC))})"
    )
    for message in messages:
        for line in describe(message, reasons):
            write(line)
    if reasons is not None and reasons.missing:
        write(f"no log group {reasons.log_group}: reasons unknown")
    return messages
