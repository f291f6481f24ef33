{% from "shared/record_id.py" import record_id with context -%}
"""Where an SNS-to-SQS message carries its order: the SNS envelope's Message, as JSON text."""

import json
from collections.abc import Mapping

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from .schema import Order, parse_order

EVENT_TYPE = EventType.SQS
SourceRecord = SQSRecord

{{ record_id("the SQS message id") }}


def is_sns_notification(body: object) -> bool:
    """SNS wraps each message in a notification envelope unless raw message delivery is on."""
    return (
        isinstance(body, dict)
        and body.get("Type") == "Notification"
        and isinstance(body.get("Message"), str)
        and "TopicArn" in body
    )


def order_from_record(record: SQSRecord) -> Order:
    """Read the order the topic published: unwrapped from SNS's envelope, or, when the
    subscription turns raw message delivery on, the body itself. Corrupt or invalid raises."""
    body = json.loads(record.body)
    if is_sns_notification(body):
        return parse_order(body["Message"])
    return parse_order(record.body)
