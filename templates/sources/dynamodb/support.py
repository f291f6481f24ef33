{#- tests/support.py's pieces for DynamoDB Streams: what mixed.json holds, and a record as Lambda
    sends it, the order as the new image in DynamoDB's typed form. -#}
{%- macro imports() -%}
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeSerializer
{% endmacro %}
{%- macro mixed() -%}
# What the records of mixed.json hold, in order.
MIXED_KINDS = ["good", "corrupt", "invalid", "rejected", "good"]
{%- endmacro %}
{% macro corrupt(json_error) %}    "corrupt": "TypeError",  # an attribute of unknown type: its image cannot be read{% endmacro %}
{%- macro make_record() -%}
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


def make_record(payload: str, record_id: str) -> dict[str, Any]:
    """One record shaped as Lambda sends it, carrying this payload (a JSON order, or not)."""
    record: dict[str, Any] = load_event("all_good.json")["Records"][0]
    images = {"NewImage", "OldImage"}
    change = {key: value for key, value in record["dynamodb"].items() if key not in images}
    change.update(NewImage=typed_image(payload), SequenceNumber=record_id)
    return {**record, "eventName": "INSERT", "dynamodb": change}
{%- endmacro %}
