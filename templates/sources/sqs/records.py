{% from "shared/record_id.py" import record_id with context -%}
"""Where an SQS message carries its order: the body, as JSON text."""

from collections.abc import Mapping

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from .schema import Order, parse_order

EVENT_TYPE = EventType.SQS
SourceRecord = SQSRecord

{{ record_id("its message id") }}


def order_from_record(record: SQSRecord) -> Order:
    """Read the order in the message body: corrupt JSON or an invalid order raises."""
    return parse_order(record.body)
