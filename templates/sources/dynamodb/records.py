{% from "shared/record_id.py" import record_id with context -%}
"""Where a DynamoDB stream record carries its order: the item's new image, typed values and all."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)

from .schema import Order, order_from_item

EVENT_TYPE = EventType.DynamoDBStreams
SourceRecord = DynamoDBRecord

{{ record_id("its sequence number in the stream") }}


def plain(value: Any) -> Any:
    """A deserialized attribute value as JSON would hold it: DynamoDB numbers arrive as
    Decimal, and a whole number must read as an integer (a quantity, say)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def order_from_record(record: DynamoDBRecord) -> Order | None:
    """The order as the change left it, or None when it was removed (nothing to fulfil).

    The typed attribute values ({"N": "2"}) are turned into plain ones; an unknown type, a
    missing image or an invalid order raises.
    """
    if record.event_name == DynamoDBRecordEventName.REMOVE:
        return None
    if record.dynamodb is None or not record.dynamodb.new_image:
        # The stream's view type (NEW_AND_OLD_IMAGES in {{ facts.stack }}) decides what is sent.
        raise ValueError(f"{record.event_name} record without a NewImage")
    return order_from_item(plain(record.dynamodb.new_image))
