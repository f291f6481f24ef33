"""Where a Kinesis record carries its order: the base64 data, as JSON (UTF-8)."""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.kinesis_stream_event import KinesisStreamRecord

from .schema import Order, parse_order

EVENT_TYPE = EventType.KinesisDataStreams
SourceRecord = KinesisStreamRecord


def record_id(record: Mapping[str, Any] | None) -> str | None:
    """The id batchItemFailures names a record by: its sequence number in the shard.

    Success hooks get the raw record, failure hooks Powertools' data class; both are mappings.
    """
    if record is None:
        return None
    payload = record.get("kinesis")
    return payload.get("sequenceNumber") if isinstance(payload, Mapping) else None


def order_from_record(record: KinesisStreamRecord) -> Order:
    """Read the order in the record's data: bad base64, bytes that are not UTF-8 JSON or an
    invalid order raise."""
    return parse_order(record.kinesis.data_as_bytes())
