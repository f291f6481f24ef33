"""Where an SQS message carries its order: the body, as JSON text."""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from .schema import Order, parse_order

EVENT_TYPE = EventType.SQS
SourceRecord = SQSRecord


def record_id(record: Mapping[str, Any] | None) -> str | None:
    """The id batchItemFailures names a record by: its message id.

    Success hooks get the raw record, failure hooks Powertools' data class; both are mappings.
    """
    return None if record is None else record.get("messageId")


def order_from_record(record: SQSRecord) -> Order:
    """Read the order in the message body: corrupt JSON or an invalid order raises."""
    return parse_order(record.body)
