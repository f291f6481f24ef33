"""The sample events, and what the tests read off them."""

import json
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).parent.parent / "events"


def load_event(name: str) -> dict[str, Any]:
    """A sample event from events/, as Lambda would pass it."""
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


def sqs_record(body: str, message_id: str | None = None) -> dict[str, Any]:
    """One SQS record shaped as Lambda sends it, around ``body``."""
    record: dict[str, Any] = load_event("sqs_all_good.json")["Records"][0]
    return {**record, "body": body, "messageId": message_id or record["messageId"]}


def message_ids(event: dict[str, Any], *positions: int) -> list[str]:
    """The message ids of these records of an event, in this order."""
    return [event["Records"][position]["messageId"] for position in positions]


def metric_total(blobs: list[dict[str, Any]], name: str) -> float:
    """The sum of a metric over the EMF blobs the function printed."""
    total = 0.0
    for blob in blobs:
        value = blob.get(name, 0) if "_aws" in blob else 0
        total += sum(value) if isinstance(value, list) else value
    return total
