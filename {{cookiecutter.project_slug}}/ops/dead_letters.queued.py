"""How `make failures` shows a message of the DLQ: the message as it was, and why it failed last."""

{% if source.family == "topic_to_queue" -%}
import json
{% endif -%}
from datetime import datetime

from .queues import QueueMessage
from .reasons import Reasons, one_line

BODY_WIDTH = 100  # characters of a body shown
{%- if source.family == "topic_to_queue" %}


def payload(body: str) -> str:
    """The order SNS wrapped in its envelope (the body as it is, if it is no envelope)."""
    try:
        return str(json.loads(body)["Message"])
    except (ValueError, KeyError, TypeError):
        return body
{%- endif %}


def failed_since(message: QueueMessage) -> datetime:
    """From when the logs hold the message's failures: since it was sent."""
    return message.sent


def describe(message: QueueMessage, reasons: Reasons | None) -> list[str]:
    """The message's lines, below its head (id and history): why it failed, and its body."""
    reason = reasons.of(message.id, since=message.sent) if reasons else None
    if reason is None:
        why = "reason: not in the logs" + (" (no log group)" if reasons is None else "")
    else:
        why = reason.summary()
    body = {% if source.family == "topic_to_queue" %}payload(message.body){% else %}message.body{% endif %}
    return [why, f"body: {one_line(body, BODY_WIDTH)}"]
