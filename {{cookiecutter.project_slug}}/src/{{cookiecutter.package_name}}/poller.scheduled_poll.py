"""SQS calls of the scheduled poller: receive in rounds, delete what succeeded, back off failures."""

import base64
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .observability import logger

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.type_defs import MessageTypeDef

SQS_MAX_BATCH = 10  # ReceiveMessage, DeleteMessageBatch and ChangeMessageVisibilityBatch cap
SQS_MAX_VISIBILITY_TIMEOUT = 43_200  # 12 hours


@dataclass(frozen=True)
class PollerSettings:
    """What {{ facts.stack }} sets in the function's environment."""

    queue_url: str
    queue_arn: str
    max_messages: int = 100
    wait_time_seconds: int = 1
    deadline_margin_ms: int = 10_000
    retry_backoff_seconds: int = 0

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "PollerSettings":
        missing = [name for name in ("QUEUE_URL", "QUEUE_ARN") if not environ.get(name)]
        if missing:
            raise LookupError(f"{' and '.join(missing)} not set: the queue this poller drains")
        return cls(
            queue_url=environ["QUEUE_URL"],
            queue_arn=environ["QUEUE_ARN"],
            max_messages=int(environ.get("MAX_MESSAGES_PER_INVOCATION", cls.max_messages)),
            wait_time_seconds=int(environ.get("WAIT_TIME_SECONDS", cls.wait_time_seconds)),
            deadline_margin_ms=int(environ.get("DEADLINE_MARGIN_MS", cls.deadline_margin_ms)),
            retry_backoff_seconds=int(
                environ.get("RETRY_BACKOFF_SECONDS", cls.retry_backoff_seconds)
            ),
        )


def receive_round(
    sqs: "SQSClient", settings: PollerSettings, wanted: int
) -> list["MessageTypeDef"]:
    """One ReceiveMessage call: up to 10 messages, long polling, with every attribute."""
    response = sqs.receive_message(
        QueueUrl=settings.queue_url,
        MaxNumberOfMessages=max(1, min(SQS_MAX_BATCH, wanted)),
        WaitTimeSeconds=settings.wait_time_seconds,
        MessageSystemAttributeNames=["All"],
        MessageAttributeNames=["All"],
    )
    return response.get("Messages", [])


def as_lambda_record(message: "MessageTypeDef", settings: PollerSettings) -> dict[str, Any]:
    """A received message in the shape of a record of the SQS event Lambda sends."""
    region = settings.queue_arn.split(":")[3]
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {
            name: lambda_message_attribute(value)
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": settings.queue_arn,
        "awsRegion": region,
    }


def lambda_message_attribute(value: Mapping[str, Any]) -> dict[str, Any]:
    """SQS's {"StringValue", "BinaryValue", "DataType"} as Lambda spells it (binary as base64)."""
    binary = value.get("BinaryValue")
    return {
        "stringValue": value.get("StringValue"),
        "binaryValue": base64.b64encode(binary).decode() if binary is not None else None,
        "stringListValues": list(value.get("StringListValues", [])),
        "binaryListValues": [
            base64.b64encode(item).decode() for item in value.get("BinaryListValues", [])
        ],
        "dataType": value["DataType"],
    }


def chunks(records: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(records), SQS_MAX_BATCH):
        yield records[start : start + SQS_MAX_BATCH]


def delete_messages(
    sqs: "SQSClient", settings: PollerSettings, records: list[dict[str, Any]]
) -> int:
    """Delete these messages; retry the entries SQS reports failed once. How many were deleted.

    A message that still cannot be deleted is logged and stays on the queue: it comes back after
    the visibility timeout and runs again (at least once), it is never lost.
    """
    deleted = 0
    for batch in chunks(records):
        pending = {str(index): record for index, record in enumerate(batch)}
        for attempt in (1, 2):
            response = sqs.delete_message_batch(
                QueueUrl=settings.queue_url,
                Entries=[
                    {"Id": entry_id, "ReceiptHandle": record["receiptHandle"]}
                    for entry_id, record in pending.items()
                ],
            )
            deleted += len(response.get("Successful", []))
            failed = response.get("Failed", [])
            pending = {entry["Id"]: pending[entry["Id"]] for entry in failed}
            if not pending:
                break
            if attempt == 2:
                logger.error(
                    "messages not deleted; they will be received again",
                    extra={
                        "message_ids": [record["messageId"] for record in pending.values()],
                        "errors": sorted({entry.get("Code", "unknown") for entry in failed}),
                    },
                )
    return deleted


def back_off(sqs: "SQSClient", settings: PollerSettings, records: Iterable[dict[str, Any]]) -> None:
    """Keep failed messages invisible for longer each time they fail (exponential backoff)."""
    if settings.retry_backoff_seconds <= 0:
        return
    for batch in chunks(list(records)):
        sqs.change_message_visibility_batch(
            QueueUrl=settings.queue_url,
            Entries=[
                {
                    "Id": str(index),
                    "ReceiptHandle": record["receiptHandle"],
                    "VisibilityTimeout": backoff_seconds(settings, record),
                }
                for index, record in enumerate(batch)
            ],
        )


def backoff_seconds(settings: PollerSettings, record: Mapping[str, Any]) -> int:
    receive_count = int(record["attributes"].get("ApproximateReceiveCount", "1"))
    delay = settings.retry_backoff_seconds * 2 ** (receive_count - 1)
    return int(min(delay, SQS_MAX_VISIBILITY_TIMEOUT))
