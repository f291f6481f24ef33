{#- tests/support.py's pieces for Kafka: what mixed.json holds, partitions included, a record as
    Lambda sends it (its value base64-encoded), and the event that groups records by partition. -#}
{%- macro imports() -%}
import base64
import json
from pathlib import Path
from typing import Any

{% endmacro %}
{%- macro mixed() -%}
# What the records of mixed.json hold, in the order the processor takes them (partition by
# partition), with their partitions.
MIXED_KINDS = ["good", "corrupt", "good", "invalid", "rejected"]
MIXED_GROUPS = ["orders-0", "orders-0", "orders-0", "orders-1", "orders-1"]
{%- endmacro %}
{% macro corrupt(json_error) %}    "corrupt": "{{ json_error }}",{% endmacro %}
{%- macro make_record() -%}
def make_record(payload: str | bytes, record_id: str, partition: int = 0) -> dict[str, Any]:
    """One record shaped as Lambda sends it, carrying this payload (a JSON order, or not), at
    offset `record_id` of this partition."""
    record: dict[str, Any] = records_of(load_event("all_good.json"))[0]
    value = payload.encode() if isinstance(payload, str) else payload
    return {
        **record,
        "partition": partition,
        "offset": int(record_id),
        "value": base64.b64encode(value).decode(),
    }
{%- endmacro %}
{%- macro event_shape() -%}
def records_of(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of an event in the order the processor takes them: partition by partition,
    each in offset order."""
    return [record for partition in event["records"].values() for record in partition]


def make_event(records: list[dict[str, Any]]) -> dict[str, Any]:
    """An event holding these records, grouped by partition as Lambda sends them (each
    partition's records in the order given)."""
    by_partition: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_partition.setdefault(f"{record['topic']}-{record['partition']}", []).append(record)
    event = {key: value for key, value in load_event("all_good.json").items() if key != "records"}
    return {**event, "records": by_partition}


def item_identifier(record: dict[str, Any]) -> dict[str, Any]:
    """What batchItemFailures names this record by: its partition and offset."""
    return {"partition": f"{record['topic']}-{record['partition']}", "offset": record["offset"]}


def log_id(record: dict[str, Any]) -> str:
    """What the processor's log lines name this record by: `<topic>-<partition>@<offset>`."""
    return f"{record['topic']}-{record['partition']}@{record['offset']}"


def spoil_for_the_model(record: dict[str, Any]) -> None:
    """Make this record one the source's parser model refuses: a timestamp that is no time."""
    record["timestamp"] = "not a time"
{%- endmacro %}
