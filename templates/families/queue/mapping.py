"""Lambda's SQS event source mapping, played on this machine as {{ facts.stack }} configures it.

Each turn gathers a batch of up to BatchSize messages, invokes the function with the event
Lambda sends, and deletes only the messages `batchItemFailures` does not list; a function
error fails the whole batch, and nothing is deleted. A message left on the queue comes back
after the visibility timeout, and the queue's redrive policy (SQS's own, in moto) moves it to
the DLQ after maxReceiveCount receives.{% block about %}{% endblock %}
"""

{% block imports %}{% endblock -%}
import time
from typing import Any

from .demo import DEAD_LETTERED, PROCESSED, DemoOrder, Fate, Trace, labels
from .resources import Resources, queue_messages
from .runtime_api import LocalFunction
from .template import mapped_source, mapping_of, resource_name

SQS_MAX_BATCH = 10  # ReceiveMessage and DeleteMessageBatch take 10 at a time
{%- block constants %}{% endblock %}


class Mapping:
    """The function's SQS event: the queue it reads, its batch settings, and the messages sent."""

    def __init__(
        self, resources: Resources, function: str, trace: Trace, visibility_timeout: int
    ) -> None:
        template = resources.template
        _kind, settings = mapping_of(template, function, "SQS")
        queue = resource_name(template, mapped_source(settings))
        if queue is None:
            raise LookupError("the SQS mapping reads no queue of {{ facts.stack }}")
        declared = resources.properties(queue)
        redrive = declared["RedrivePolicy"]
        dead_letter_queue = resource_name(template, redrive["deadLetterTargetArn"])
        if dead_letter_queue is None:
            raise LookupError("the redrive policy names no queue of {{ facts.stack }}")
        self.sqs = resources.sqs()
        self.trace = trace
        self.queue_url = resources.values[queue]
        self.queue_arn = resources.values[f"{queue}.Arn"]
        self.dlq_url = resources.values[dead_letter_queue]
        self.region = resources.region
        self.batch_size = int(settings.get("BatchSize", 10))
        self.max_receives = int(redrive["maxReceiveCount"])
        self.visibility_timeout = visibility_timeout
        # Scaled down with the visibility timeout, so that the demo ends in time.
        declared_window = float(settings.get("MaximumBatchingWindowInSeconds", 0))
        self.window = min(declared_window, visibility_timeout / 2)
        self.reports_failures = "ReportBatchItemFailures" in settings.get(
            "FunctionResponseTypes", []
        )
{%- block more_state %}{% endblock %}
        self.fates: dict[str, Fate] = {}  # by {% block fate_id %}message id{% endblock %}
        self.batches = 0
        self.setup = [
            f"{queue}: visibility timeout {declared['VisibilityTimeout']} s -> "
            f"{visibility_timeout} s locally; maxReceiveCount {self.max_receives} -> "
            f"{dead_letter_queue}, as declared",
            f"event source mapping: BatchSize {self.batch_size}"
            + (
                f", batching window {declared_window:g} s -> {self.window:g} s"
                if declared_window
                else ""
            )
            + (", ReportBatchItemFailures" if self.reports_failures else ""),
{%- block setup %}{% endblock %}
        ]
{% block send %}
    def send(self, mix: list[DemoOrder]) -> None:
        """Send each message to the queue, in order."""
        for message in mix:
            sent = self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=message.as_text())
            self.fates[sent["MessageId"]] = Fate(message)
        self.trace(f"sent {len(self.fates)}: {labels(list(self.fates.values()))}")
{% endblock %}
    def settled(self) -> bool:
        return all(fate.ended for fate in self.fates.values())
{% block turn %}
    def turn(self, function: LocalFunction) -> None:
        """Receive a batch, invoke the function with it, delete what succeeded."""
        messages = self.receive_batch()
        if messages:
            self.deliver(function, messages)
        self.watch_dead_letter_queue()
{% endblock %}
    def receive_batch(self) -> list[dict[str, Any]]:
        """Up to BatchSize messages: more calls while the batching window is open."""
        batch: list[dict[str, Any]] = []
        window_closes = time.monotonic() + self.window
        while len(batch) < self.batch_size:
            received = self.sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(SQS_MAX_BATCH, self.batch_size - len(batch)),
                WaitTimeSeconds=0 if batch else 1,
                MessageSystemAttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            batch += [dict(message) for message in received]
            if batch and time.monotonic() >= window_closes:
                break
            if not received:
                time.sleep(0.05)
                if not batch:
                    break
        return batch

    def lambda_record(self, message: dict[str, Any]) -> dict[str, Any]:
        """A received message as a record of the event Lambda sends."""
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": {
                name: {
                    "stringValue": value.get("StringValue"),
                    "binaryValue": value.get("BinaryValue"),
                    "stringListValues": [],
                    "binaryListValues": [],
                    "dataType": value["DataType"],
                }
                for name, value in message.get("MessageAttributes", {}).items()
            },
            "md5OfBody": message["MD5OfBody"],
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": self.region,
        }

    def fate(self, message: dict[str, Any]) -> Fate:
{%- block fate %}
        return self.fates[message["MessageId"]]
{%- endblock %}

    def deliver(self, function: LocalFunction, messages: list[dict[str, Any]]) -> set[str]:
        """Invoke the function with these messages; the ids of the ones deleted."""
        self.batches += 1
        fates = [self.fate(message) for message in messages]
        receives = {int(message["Attributes"]["ApproximateReceiveCount"]) for message in messages}
        for fate, message in zip(fates, messages, strict=True):
            fate.deliveries = int(message["Attributes"]["ApproximateReceiveCount"])
        times = (
            f"receive {receives.pop()} of {self.max_receives}"
            if len(receives) == 1
            else f"receives {min(receives)}-{max(receives)} of {self.max_receives}"
        )
        self.trace(f"batch {self.batches}: {len(messages)} records ({times}): {labels(fates)}")
        answer = function.invoke({"Records": [self.lambda_record(message) for message in messages]})
        if answer.error is not None:
            self.trace.more(
                f"function error {answer.error.get('errorType')}: the whole batch failed, "
                f"nothing deleted; back in {self.visibility_timeout} s"
            )
            return set()
        failed = self.failed_ids(answer.response, [message["MessageId"] for message in messages])
        done = [message for message in messages if message["MessageId"] not in failed]
        deleted = self.delete(done)
        for message in done:
            fate = self.fate(message)
            fate.successes = (fate.successes or 0) + 1
            if message["MessageId"] in deleted:
                fate.ended, fate.detail = PROCESSED, f"deleted after receive {fate.deliveries}"
        self.trace.more(
            f"ok {len(done)}: {labels([self.fate(m) for m in done])} -> deleted {len(deleted)}"
        )
        if failed:
            left = [self.fate(message) for message in messages if message["MessageId"] in failed]
            self.trace.more(
                f"failed {len(left)}: {labels(left)} -> stay on the queue, back in "
                f"{self.visibility_timeout} s"
            )
        return deleted

    def failed_ids(self, response: Any, batch: list[str]) -> set[str]:
        """The messages to leave on the queue, by Lambda's rules for ReportBatchItemFailures:
        no response or an empty list is a success; an identifier that is empty or not of
        this batch fails the whole batch."""
        if not self.reports_failures or not response:
            return set()  # without ReportBatchItemFailures, the response is not read
        if not isinstance(response, dict):
            return set(batch)
        reported = response.get("batchItemFailures") or []
        if not isinstance(reported, list):
            return set(batch)
        identifiers = {
            item.get("itemIdentifier") if isinstance(item, dict) else None for item in reported
        }
        if not identifiers <= set(batch):
            return set(batch)
        return {str(identifier) for identifier in identifiers}

    def delete(self, messages: list[dict[str, Any]]) -> set[str]:
        """Delete these messages, 10 at a time; the ids deleted."""
        deleted: set[str] = set()
        for start in range(0, len(messages), SQS_MAX_BATCH):
            chunk = {
                str(index): message
                for index, message in enumerate(messages[start : start + SQS_MAX_BATCH])
            }
            response = self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": key, "ReceiptHandle": message["ReceiptHandle"]}
                    for key, message in chunk.items()
                ],
            )
            deleted |= {chunk[entry["Id"]]["MessageId"] for entry in response.get("Successful", [])}
            for entry in response.get("Failed", []):
                label = self.fate(chunk[entry["Id"]]).message.label
                self.trace.more(f"could not delete {label}: {entry.get('Code')}; it will come back")
        return deleted

    def watch_dead_letter_queue(self) -> None:
        """Report the messages the redrive policy has moved to the DLQ since the last look."""
        arrived = [
            fate
            for fate in map(self.fate, queue_messages(self.sqs, self.dlq_url))
            if fate.ended != DEAD_LETTERED
        ]
        for fate in arrived:
            fate.ended = DEAD_LETTERED
            fate.detail = f"moved by the redrive policy after {self.max_receives} receives"
        if arrived:
            self.trace(
                f"SQS moved {labels(arrived)} to the DLQ: {self.max_receives} receives, "
                "none succeeded"
            )
