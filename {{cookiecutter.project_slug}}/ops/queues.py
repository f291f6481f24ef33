"""Reading a queue without consuming it, and moving messages between queues in batches of 10."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

SQS_MAX_BATCH = 10  # ReceiveMessage, SendMessageBatch and DeleteMessageBatch take 10 at a time
# How long a look holds the messages it received, so that it does not receive them twice; they
# are made visible again at once when the look ends.
HOLD_SECONDS = 60


@dataclass(frozen=True)
class QueueMessage:
    """One message as ReceiveMessage gives it, with its system attributes."""

    message: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.message["MessageId"])

    @property
    def body(self) -> str:
        return str(self.message["Body"])

    @property
    def receipt_handle(self) -> str:
        return str(self.message["ReceiptHandle"])

    @property
    def attributes(self) -> dict[str, str]:
        attributes: dict[str, str] = self.message.get("Attributes", {})
        return attributes

    @property
    def receive_count(self) -> int:
        return int(self.attributes.get("ApproximateReceiveCount", 0))

    @property
    def sent(self) -> datetime:
        return epoch_ms(self.attributes.get("SentTimestamp", "0"))

    @property
    def first_received(self) -> datetime | None:
        stamp = self.attributes.get("ApproximateFirstReceiveTimestamp")
        return epoch_ms(stamp) if stamp else None

    @property
    def group(self) -> str | None:
        return self.attributes.get("MessageGroupId")


def epoch_ms(stamp: str | int) -> datetime:
    return datetime.fromtimestamp(int(stamp) / 1000, UTC)


def receive(sqs: "SQSClient", url: str, count: int = SQS_MAX_BATCH) -> list[QueueMessage]:
    """Up to `count` (at most 10) messages, held for HOLD_SECONDS."""
    received = sqs.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=min(count, SQS_MAX_BATCH),
        VisibilityTimeout=HOLD_SECONDS,
        MessageSystemAttributeNames=["All"],
        MessageAttributeNames=["All"],
    ).get("Messages", [])
    return [QueueMessage(dict(message)) for message in received]


def release(sqs: "SQSClient", url: str, messages: list[QueueMessage]) -> None:
    """Make these messages visible again now."""
    for chunk in chunks(messages):
        sqs.change_message_visibility_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(n), "ReceiptHandle": m.receipt_handle, "VisibilityTimeout": 0}
                for n, m in enumerate(chunk)
            ],
        )


def look(sqs: "SQSClient", url: str, limit: int | None = None) -> list[QueueMessage]:
    """The messages a queue holds (up to `limit`), each received once and made visible again at
    once: a look adds one to their receive count, and consumes nothing.

    On a FIFO queue a group's later messages stay hidden while its first ones are held, so a
    look sees the messages one receive returns of each group (up to 10)."""
    seen: dict[str, QueueMessage] = {}
    try:
        while limit is None or len(seen) < limit:
            wanted = SQS_MAX_BATCH if limit is None else limit - len(seen)
            received = receive(sqs, url, wanted)
            if not received:
                break
            seen |= {message.id: message for message in received}
    finally:
        release(sqs, url, list(seen.values()))
    return list(seen.values())


def chunks(messages: list[QueueMessage]) -> Iterator[list[QueueMessage]]:
    for start in range(0, len(messages), SQS_MAX_BATCH):
        yield messages[start : start + SQS_MAX_BATCH]


def delete(sqs: "SQSClient", url: str, messages: list[QueueMessage]) -> set[str]:
    """Delete these received messages; the ids deleted (a stale receipt handle is not)."""
    deleted: set[str] = set()
    for chunk in chunks(messages):
        response = sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(n), "ReceiptHandle": m.receipt_handle} for n, m in enumerate(chunk)
            ],
        )
        deleted |= {chunk[int(entry["Id"])].id for entry in response.get("Successful", [])}
    return deleted


def queue_arn(sqs: "SQSClient", url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]


def depth(sqs: "SQSClient", url: str) -> int:
    """How many messages a queue holds: visible, in flight and delayed."""
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=[
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ],
    )["Attributes"]
    return sum(int(count) for count in attributes.values())
