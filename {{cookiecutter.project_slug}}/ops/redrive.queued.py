"""`make redrive`: move the DLQ's messages back to the queue they failed from.

On AWS, SQS moves them itself (StartMessageMoveTask, server side, at a rate) and the command
follows the task (ListMessageMoveTasks). Where that API does not answer (moto), or with
`--by-hand`, a dry run, a maximum count or a reason filter, the command moves them: it receives
10, sends them to the source queue, then deletes them from the DLQ. A crash between the send and
the delete leaves a message in both queues, processed twice; never in neither.
"""

import argparse
import json
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from .queues import QueueMessage, chunks, delete, depth, queue_arn, receive, release
from .reasons import SCAN_ABOVE, Reasons
from .targets import OperationError, Targets

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.type_defs import SendMessageBatchRequestEntryTypeDef

# What an endpoint answers for an API it does not have (moto: an internal error).
NOT_AVAILABLE = {"500", "InternalError", "InvalidAction", "UnsupportedOperation"}
# Server-side tasks end in one of these.
TASK_ENDED = {"COMPLETED", "CANCELLED", "FAILED"}
PROGRESS_EVERY = 5.0  # seconds between progress lines


@dataclass
class Redrive:
    """What a redrive moved, left and skipped."""

    total: int = 0
    moved: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # by error type, filtered out
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        return self.moved / max(time.monotonic() - self.started, 1e-9)

    def summary(self, verb: str = "moved") -> str:
        skipped = sum(self.skipped.values())
        kept = (
            f"; {skipped} left in the DLQ ("
            + ", ".join(f"{count} {error_type}" for error_type, count in self.skipped.items())
            + ")"
            if skipped
            else ""
        )
        return (
            f"redrive: {verb} {self.moved} of {self.total} in {time.monotonic() - self.started:.1f} s "
            f"({self.rate:.1f}/s){kept}"
        )


def check_pairing(sqs: "SQSClient", dead_letter_queue_url: str, source_queue_url: str) -> str:
    """The source queue's ARN, once its redrive policy is seen to name this DLQ."""
    try:
        attributes = sqs.get_queue_attributes(
            QueueUrl=source_queue_url, AttributeNames=["QueueArn", "RedrivePolicy"]
        )["Attributes"]
        dead_letter_arn = queue_arn(sqs, dead_letter_queue_url)
    except sqs.exceptions.QueueDoesNotExist as error:
        raise OperationError(
            f"no such queue: {error.response['Error'].get('Message', error)}"
        ) from error
    policy: dict[str, Any] = json_object(attributes.get("RedrivePolicy", "{}"))
    if policy.get("deadLetterTargetArn") != dead_letter_arn:
        raise OperationError(
            f"{dead_letter_queue_url} is not the DLQ of {source_queue_url} (its redrive policy "
            f"names {policy.get('deadLetterTargetArn') or 'none'}): nothing moved"
        )
    return attributes["QueueArn"]


def retention(sqs: "SQSClient", url: str) -> timedelta:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["MessageRetentionPeriod"])
    return timedelta(seconds=int(attributes["Attributes"]["MessageRetentionPeriod"]))


def json_object(text: str) -> dict[str, Any]:
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def entry(number: int, message: QueueMessage) -> "SendMessageBatchRequestEntryTypeDef":
    """The message as sent again: its body and attributes; on FIFO, its message group.

    Not its deduplication id: within SQS's 5-minute deduplication window a message sent again
    with it would be taken as a duplicate and dropped, and then deleted from the DLQ: lost. Its
    id in the DLQ is the deduplication id instead: new to the source queue, and the same if a
    crash makes the redrive send it twice within the window, which SQS then drops."""
    sent: SendMessageBatchRequestEntryTypeDef = {"Id": str(number), "MessageBody": message.body}
    attributes = message.message.get("MessageAttributes")
    if attributes:
        sent["MessageAttributes"] = attributes
    if message.group:
        sent["MessageGroupId"] = message.group
        sent["MessageDeduplicationId"] = f"redrive-{message.id}"
    return sent


class Mover:
    """Moves messages from the DLQ to the source queue, 10 at a time."""

    def __init__(
        self,
        sqs: "SQSClient",
        dead_letter_queue_url: str,
        source_queue_url: str,
        write: Callable[[str], None] = print,
        # Called between the send and the delete: a test crashes here.
        after_send: Callable[[list[QueueMessage]], None] = lambda _messages: None,
    ) -> None:
        self.sqs = sqs
        self.dead_letter_queue_url = dead_letter_queue_url
        self.source_queue_url = source_queue_url
        self.write = write
        self.after_send = after_send
        # Each message sent back, with the id of its copy on the source queue.
        self.sent: list[tuple[QueueMessage, str]] = []

    def move(self, messages: list[QueueMessage]) -> int:
        """Send, then delete; how many were moved."""
        moved = 0
        for chunk in chunks(messages):
            response = self.sqs.send_message_batch(
                QueueUrl=self.source_queue_url,
                Entries=[entry(number, message) for number, message in enumerate(chunk)],
            )
            copies = [
                (chunk[int(item["Id"])], item["MessageId"])
                for item in response.get("Successful", [])
            ]
            self.sent += copies
            sent = [message for message, _copy in copies]
            for failure in response.get("Failed", []):
                self.write(
                    f"could not send {chunk[int(failure['Id'])].id}: {failure.get('Message')}; "
                    "it stays in the DLQ"
                )
            self.after_send(sent)
            moved += len(delete(self.sqs, self.dead_letter_queue_url, sent))
        return moved

    def run(
        self,
        *,
        limit: int | None = None,
        error_types: Collection[str] = (),
        reasons: Reasons | None = None,
        dry_run: bool = False,
    ) -> Redrive:
        """Move (or with dry_run, count) up to `limit` messages; when error types are given,
        only those whose last failure was one of them."""
        done = Redrive(total=depth(self.sqs, self.dead_letter_queue_url))
        if error_types and reasons is not None and done.total > SCAN_ABOVE:
            # One read of the logs, not one per message: since the oldest a message of the DLQ
            # can be (its retention counts from when the message was first sent).
            reasons.scan(since=datetime.now(UTC) - retention(self.sqs, self.dead_letter_queue_url))
        held: list[QueueMessage] = []  # filtered out or counted: released at the end
        last_progress = time.monotonic()
        try:
            while limit is None or done.moved < limit:
                wanted = 10 if limit is None else min(10, limit - done.moved)
                batch = receive(self.sqs, self.dead_letter_queue_url, wanted)
                if not batch:
                    break
                chosen = []
                for message in batch:
                    kind = self.error_type_of(message, reasons) if error_types else None
                    if error_types and kind not in error_types:
                        done.skipped[kind or "reason unknown"] = (
                            done.skipped.get(kind or "reason unknown", 0) + 1
                        )
                        held.append(message)
                    else:
                        chosen.append(message)
                if dry_run:
                    held += chosen
                    done.moved += len(chosen)
                else:
                    done.moved += self.move(chosen)
                if time.monotonic() - last_progress >= PROGRESS_EVERY:
                    last_progress = time.monotonic()
                    self.write(f"moved {done.moved}/{done.total or '?'} ({done.rate:.1f}/s)")
        finally:
            release(self.sqs, self.dead_letter_queue_url, held)
        return done

    @staticmethod
    def error_type_of(message: QueueMessage, reasons: Reasons | None) -> str | None:
        reason = reasons.of(message.id, since=message.sent) if reasons else None
        return reason.error_type if reason else None


def move_on_server(
    sqs: "SQSClient",
    once: "SQSClient",
    dead_letter_arn: str,
    source_arn: str,
    rate: int | None = None,
    write: Callable[[str], None] = print,
    poll_seconds: float = 5.0,
) -> Redrive | None:
    """Have SQS move every message (StartMessageMoveTask, sent through `once`, a client that
    does not retry) and follow the task to its end; None when the endpoint has no such API."""
    request: dict[str, Any] = {"SourceArn": dead_letter_arn, "DestinationArn": source_arn}
    if rate:
        request["MaxNumberOfMessagesPerSecond"] = rate
    try:
        once.start_message_move_task(**request)
    except ClientError as error:
        if error.response["Error"].get("Code") in NOT_AVAILABLE:
            return None
        raise
    done = Redrive()
    while True:
        results = sqs.list_message_move_tasks(SourceArn=dead_letter_arn, MaxResults=1)["Results"]
        task: dict[str, Any] = dict(results[0]) if results else {}
        done.total = int(task.get("ApproximateNumberOfMessagesToMove") or done.total)
        done.moved = int(task.get("ApproximateNumberOfMessagesMoved") or 0)
        status = str(task.get("Status", "RUNNING"))
        if status in TASK_ENDED:
            if status != "COMPLETED":
                write(f"SQS's move task ended {status}: {task.get('FailureReason', 'no reason')}")
            return done
        write(f"moved {done.moved}/{done.total or '?'} ({done.rate:.1f}/s), SQS's task {status}")
        time.sleep(poll_seconds)


# `python -m ops redrive`'s name and help.
NAME = "redrive"
HELP = "move the DLQ's messages back to the source queue"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source-queue", metavar="URL", help="the source queue, not the stack's")
    parser.add_argument("--dry-run", action="store_true", help="count what would move")
    parser.add_argument("--max", type=int, help="move at most this many")
    parser.add_argument(
        "--error-type",
        action="append",
        default=[],
        help="move only the messages whose last failure was this error type (repeatable)",
    )
    parser.add_argument(
        "--by-hand", action="store_true", help="receive, send, delete; not SQS's move task"
    )
    parser.add_argument("--rate", type=int, help="SQS's move task: messages per second at most")


def command(
    arguments: argparse.Namespace,
    session: boto3.Session,
    targets: Targets,
    write: Callable[[str], None] = print,
) -> int:
    """Move the DLQ's messages back: SQS's own move task when it can do what is asked."""
    targets = targets.given(source_queue_url=arguments.source_queue)
    if targets.source_queue_url is None:
        raise OperationError("no source queue: name it with --source-queue")
    sqs: SQSClient = session.client("sqs")
    source_arn = check_pairing(sqs, targets.dead_letter_queue_url, targets.source_queue_url)
    reasons = Reasons(session.client("logs"), targets.log_group) if targets.log_group else None
    if arguments.error_type and reasons is None:
        raise OperationError("--error-type needs the function's log group (--log-group)")
    by_hand = arguments.by_hand or arguments.dry_run or arguments.max or arguments.error_type
    if not by_hand:
        once: SQSClient = session.client("sqs", config=Config(retries={"total_max_attempts": 1}))
        dead_letter_arn = queue_arn(sqs, targets.dead_letter_queue_url)
        done = move_on_server(sqs, once, dead_letter_arn, source_arn, arguments.rate, write)
        if done is not None:
            write(done.summary())
            return 0
        write("SQS's move task is not available here: moving by hand (receive, send, delete)")
    mover = Mover(sqs, targets.dead_letter_queue_url, targets.source_queue_url, write)
    done = mover.run(
        limit=arguments.max,
        error_types=arguments.error_type,
        reasons=reasons,
        dry_run=arguments.dry_run,
    )
    write(done.summary("would move" if arguments.dry_run else "moved"))
    return 0
