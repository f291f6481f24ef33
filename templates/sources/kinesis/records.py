{% from "shared/record_id.py" import record_id with context -%}
"""Where a Kinesis record carries its order: the base64 data, as JSON (UTF-8)."""

from collections.abc import Mapping

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.kinesis_stream_event import KinesisStreamRecord

from .schema import Order, parse_order

EVENT_TYPE = EventType.KinesisDataStreams
SourceRecord = KinesisStreamRecord

{{ record_id("its sequence number in the shard") }}


def order_from_record(record: KinesisStreamRecord) -> Order:
    """Read the order in the record's data: bad base64, bytes that are not UTF-8 JSON or an
    invalid order raise."""
    return parse_order(record.kinesis.data_as_bytes())
