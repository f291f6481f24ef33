{%- set source = cookiecutter.event_source -%}
{%- set streams = ["kinesis", "dynamodb"] -%}
{%- if source == "sqs_fifo" -%}
{%- set ordering = "stop" if cookiecutter.on_first_failure == "stop" else "group" -%}
{%- elif source in streams -%}
{%- set ordering = cookiecutter.on_first_failure -%}
{%- else -%}
{%- set ordering = "continue" -%}
{%- endif -%}
"""The sample events, records shaped as {{ source | replace("_", " ") }} sends them, and what the tests expect."""

{% if source == "kinesis" -%}
import base64
{% endif -%}
import json
{%- if source == "dynamodb" %}
from decimal import Decimal
{%- endif %}
from pathlib import Path
from typing import Any

{% if source == "dynamodb" -%}
from boto3.dynamodb.types import TypeSerializer
{% endif -%}
{% if cookiecutter.validation == "pydantic" -%}
from pydantic import ValidationError
{%- else -%}
from fastjsonschema import JsonSchemaValueException
{%- endif %}

EVENTS = Path(__file__).parent.parent / "events"

VALID_ORDER: dict[str, Any] = {
    "order_id": "ord-1",
    "customer_id": "cust-1",
    "items": [{"sku": "BOOK-042", "quantity": 3, "unit_price": 0.1}],
    "amount": 0.3,
}

# What reading a payload that is not JSON, or not a valid order, raises.
{%- if cookiecutter.validation == "pydantic" %}
CORRUPT_PAYLOAD_ERROR: type[Exception] = ValidationError
INVALID_PAYLOAD_ERROR: type[Exception] = ValidationError
{%- else %}
CORRUPT_PAYLOAD_ERROR: type[Exception] = json.JSONDecodeError
INVALID_PAYLOAD_ERROR: type[Exception] = JsonSchemaValueException
{%- endif %}

# What the records of mixed.json hold, in order{% if source == "sqs_fifo" %}, with their message groups{% endif %}.
MIXED_KINDS = [
{%- if source == "sqs_fifo" %}"good", "corrupt", "good", "invalid", "good", "rejected"{% else %}"good", "corrupt", "invalid", "rejected", "good"{% endif -%}
]
{%- if source == "sqs_fifo" %}
MIXED_GROUPS = ["customer-a", "customer-b", "customer-a", "customer-c", "customer-b", "customer-a"]
{%- endif %}

# What fails a record of each kind{% if ordering != "continue" %}, and a record skipped after a failure{% endif %}.
ERROR_TYPES = {
{%- if source == "dynamodb" %}
    "corrupt": "TypeError",  # an attribute of unknown type: its image cannot be read
{%- elif cookiecutter.validation == "pydantic" %}
    "corrupt": "ValidationError",
{%- else %}
    "corrupt": "JSONDecodeError",
{%- endif %}
    "invalid": "{{ 'ValidationError' if cookiecutter.validation == 'pydantic' else 'JsonSchemaValueException' }}",
    "rejected": "OrderRejectedError",
{%- if ordering == "stop" and source == "sqs_fifo" %}
    "skipped": "SQSFifoCircuitBreakerError",
{%- elif ordering == "group" %}
    "skipped": "SQSFifoMessageGroupCircuitBreakerError",
{%- elif ordering == "stop" %}
    "skipped": "StreamCircuitBreakerError",
{%- endif %}
}


def expected_failures(kinds: list[str], groups: list[str] | None = None) -> list[tuple[int, str]]:
    """The (position, error type) of every record this project reports failed, for a batch
    whose records hold these kinds of payload{% if source == "sqs_fifo" %} in these message groups{% endif %}.
{%- if ordering == "stop" %}

    The first failure stops the batch: it and every record after it are reported, in order.
{%- elif ordering == "group" %}

    A failure skips the rest of its message group; records of other groups go on.
{%- else %}

    Each record stands alone: exactly the failing ones are reported.
{%- endif %}
    """
    failures: list[tuple[int, str]] = []
{%- if ordering == "group" %}
    failed_groups: set[str] = set()
{%- endif %}
    for position, kind in enumerate(kinds):
{%- if ordering == "stop" %}
        if failures:
            failures.append((position, ERROR_TYPES["skipped"]))
        elif kind != "good":
            failures.append((position, ERROR_TYPES[kind]))
{%- elif ordering == "group" %}
        group = groups[position] if groups else ""
        if group in failed_groups:
            failures.append((position, ERROR_TYPES["skipped"]))
        elif kind != "good":
            failures.append((position, ERROR_TYPES[kind]))
            failed_groups.add(group)
{%- else %}
        if kind != "good":
            failures.append((position, ERROR_TYPES[kind]))
{%- endif %}
    return failures


# The records of mixed.json this project reports failed, and what fails each.
MIXED_FAILURES = expected_failures(MIXED_KINDS{% if source == "sqs_fifo" %}, MIXED_GROUPS{% endif %})
MIXED_FAILED = [position for position, _ in MIXED_FAILURES]
MIXED_SUCCEEDED = [position for position in range(len(MIXED_KINDS)) if position not in MIXED_FAILED]


def load_event(name: str) -> dict[str, Any]:
    """A sample event from events/, as Lambda would pass it."""
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


def record_id(record: dict[str, Any]) -> str:
    """The id Lambda expects in batchItemFailures for this record."""
{%- if source == "kinesis" %}
    return str(record["kinesis"]["sequenceNumber"])
{%- elif source == "dynamodb" %}
    return str(record["dynamodb"]["SequenceNumber"])
{%- else %}
    return str(record["messageId"])
{%- endif %}


def record_ids(event: dict[str, Any], *positions: int) -> list[str]:
    """The ids of these records of an event, in this order."""
    return [record_id(event["Records"][position]) for position in positions]
{%- if source == "dynamodb" %}


def typed_image(payload: str) -> dict[str, Any]:
    """The item a JSON payload describes, in DynamoDB's typed form ({"N": "3"}). Text that is
    not a JSON object stands for a corrupt image: an attribute of a type DynamoDB does not have."""
    try:
        item = json.loads(payload, parse_float=Decimal)
    except ValueError:
        item = None
    if not isinstance(item, dict):
        return {"order_id": {"S": "unreadable"}, "items": {"XX": payload}}
    serialize = TypeSerializer().serialize
    return {name: serialize(value) for name, value in item.items()}
{%- endif %}


def make_record(payload: str{% if source == "kinesis" %} | bytes{% endif %}, record_id: str{% if source == "sqs_fifo" %}, group: str = "customer-a"{% endif %}) -> dict[str, Any]:
    """One record shaped as Lambda sends it, carrying this payload (a JSON order, or not)."""
    record: dict[str, Any] = load_event("all_good.json")["Records"][0]
{%- if source == "sns_sqs" %}
    envelope = {**json.loads(record["body"]), "Message": payload}
    return {**record, "body": json.dumps(envelope), "messageId": record_id}
{%- elif source == "sqs_fifo" %}
    attributes = {**record["attributes"], "MessageGroupId": group}
    return {**record, "body": payload, "messageId": record_id, "attributes": attributes}
{%- elif source == "kinesis" %}
    data = payload.encode() if isinstance(payload, str) else payload
    kinesis = {
        **record["kinesis"],
        "data": base64.b64encode(data).decode(),
        "sequenceNumber": record_id,
    }
    return {**record, "kinesis": kinesis}
{%- elif source == "dynamodb" %}
    images = {"NewImage", "OldImage"}
    change = {key: value for key, value in record["dynamodb"].items() if key not in images}
    change.update(NewImage=typed_image(payload), SequenceNumber=record_id)
    return {**record, "eventName": "INSERT", "dynamodb": change}
{%- else %}
    return {**record, "body": payload, "messageId": record_id}
{%- endif %}


def metric_total(blobs: list[dict[str, Any]], name: str) -> float:
    """The sum of a metric over the EMF blobs the function printed."""
    total = 0.0
    for blob in blobs:
        value = blob.get(name, 0) if "_aws" in blob else 0
        total += sum(value) if isinstance(value, list) else value
    return total
