{%- set poller = cookiecutter.invocation == "scheduled_poll" -%}
"""`make local`: the whole path on this machine, no Docker, no AWS.

moto's SQS on 127.0.0.1 holds the queue and its DLQ as template.yaml declares them; the function
runs under awslambdaric behind a local Runtime API; {% if poller %}the schedule fires the poller{% else %}a local event source mapping
polls the queue with the mapping's batch size, deletes only what `batchItemFailures` does not
list, and counts a function error as the whole batch failed{% endif %}. SQS's own redrive moves a
message to the DLQ after maxReceiveCount receives. Time is compressed: the visibility timeout is
scaled down, everything else is the template's.
"""

import argparse
import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from .runtime_api import LocalFunction
from .template import code_root, functions, load_template, plain_environment

REGION = "{{ cookiecutter.aws_region }}"
{%- if poller %}
EVENTS = Path(__file__).resolve().parent.parent / "events"
SCHEDULE_EVENT: dict[str, Any] = json.loads((EVENTS / "schedule.json").read_text(encoding="utf-8"))
{%- endif %}


def order(order_id: str, amount: float, items: int = 1) -> str:
    """An order as JSON: `items` lines of 2 books at 12.5 each."""
    lines = [{"sku": "BOOK-042", "quantity": 2, "unit_price": 12.5}] * items
    body = {"order_id": order_id, "customer_id": "c-1", "items": lines, "amount": amount}
    return json.dumps(body)


# What `make local` sends: (label, body). The expected end of each is in the README.
DEMO_MESSAGES: list[tuple[str, str]] = [
    ("good", order("ord-1", 25)),
    ("corrupt JSON", '{"order_id": "ord-2", "items": ['),
    ("invalid payload", order("ord-3", 25, items=0)),
    ("rejected order", order("ord-4", 99)),
    ("transient failure", order("ord-transient-5", 25)),  # see local/flaky_runtime.py
    ("good", order("ord-6", 50, items=2)),
]


@dataclass
class Outcome:
    """Where every message ended: processed (deleted after success), or in the DLQ."""

    labels: dict[str, str] = field(default_factory=dict)  # message id -> label, in sending order
    processed: set[str] = field(default_factory=set)
    dead_lettered: set[str] = field(default_factory=set)
    left_on_queue: int = 0


@dataclass(frozen=True)
class QueueSettings:
    """What template.yaml declares for the source queue and the function."""

    handler: str
    code: Path
    timeout: float
    environment: dict[str, str]
    visibility_timeout: int
    max_receive_count: int
    batch_size: int

    @classmethod
    def from_template(cls) -> "QueueSettings":
        template = load_template()
        name, function = next(iter(functions(template).items()))
        queue = template["Resources"]["SourceQueue"]["Properties"]
        globals_ = template.get("Globals", {}).get("Function", {})
{%- if poller %}
        batch_size = int(plain_environment(template, name)["MAX_MESSAGES_PER_INVOCATION"])
{%- else %}
        events = function["Events"].values()
        mapping = next(event["Properties"] for event in events if event["Type"] == "SQS")
        batch_size = int(mapping["BatchSize"])
{%- endif %}
        return cls(
            handler=function["Handler"],
            code=code_root(template, name),
            timeout=float(function.get("Timeout", globals_.get("Timeout", 3))),
            environment=plain_environment(template, name),
            visibility_timeout=int(queue["VisibilityTimeout"]),
            max_receive_count=int(queue["RedrivePolicy"]["maxReceiveCount"]),
            batch_size=batch_size,
        )


def lambda_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """A received message as a record of the SQS event Lambda sends."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {},
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


def receive_batch(sqs: Any, queue_url: str, batch_size: int) -> list[dict[str, Any]]:
    """Up to batch_size messages, 10 per call, as the mapping gathers a batch."""
    messages: list[dict[str, Any]] = []
    while len(messages) < batch_size:
        received = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=min(10, batch_size - len(messages)),
            MessageSystemAttributeNames=["All"],
        ).get("Messages", [])
        if not received:
            break
        messages.extend(received)
    return messages


def queue_depth(sqs: Any, queue_url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return sum(int(value) for value in attributes.values())


def queue_arn_of(sqs: Any, queue_url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    return str(attributes["Attributes"]["QueueArn"])


def run(
    visibility_timeout: int, say: Callable[[str], None] = print, deadline_seconds: float = 60
) -> Outcome:
    """Send the demo messages and drive them to their end; what became of each."""
    settings = QueueSettings.from_template()
    outcome = Outcome()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        sqs = boto3.client(
            "sqs",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id="local",
            aws_secret_access_key="local",  # noqa: S106 (moto accepts any)
        )
        dlq_url = sqs.create_queue(QueueName="local-dlq")["QueueUrl"]
        redrive = {
            "deadLetterTargetArn": queue_arn_of(sqs, dlq_url),
            "maxReceiveCount": str(settings.max_receive_count),
        }
        queue_url = sqs.create_queue(
            QueueName="local-source",
            Attributes={
                "VisibilityTimeout": str(visibility_timeout),
                "RedrivePolicy": json.dumps(redrive),
            },
        )["QueueUrl"]
        queue_arn = queue_arn_of(sqs, queue_url)
        say(
            f"moto SQS at {endpoint}: queue + DLQ, maxReceiveCount {settings.max_receive_count}, "
            f"visibility timeout {settings.visibility_timeout} s -> {visibility_timeout} s locally"
        )
        for label, body in DEMO_MESSAGES:
            message_id = sqs.send_message(QueueUrl=queue_url, MessageBody=body)["MessageId"]
            outcome.labels[message_id] = label
        say(f"sent {len(DEMO_MESSAGES)}: " + ", ".join(label for label, _ in DEMO_MESSAGES))

        environment = {
            **settings.environment,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "POWERTOOLS_TRACE_DISABLED": "true",
{%- if poller %}
            "QUEUE_URL": queue_url,
            "QUEUE_ARN": queue_arn,
            "WAIT_TIME_SECONDS": "0",
{%- endif %}
        }
        log = Path(tempfile.gettempdir()) / "{{ cookiecutter.project_slug }}-local.log"
        with LocalFunction(
            settings.handler,
            environment,
            code_root=settings.code,
            timeout_seconds=settings.timeout,
            entry="local.flaky_runtime",
            log=log,
        ) as function:
            say(f"function {settings.handler} running under awslambdaric (its logs: {log})")
            deadline = time.monotonic() + deadline_seconds
            while queue_depth(sqs, queue_url) and time.monotonic() < deadline:
{%- if poller %}
                summary = function.invoke(SCHEDULE_EVENT).response
                if summary["received"]:
                    say(
                        f"schedule fired: received {summary['received']}, ok {summary['succeeded']} "
                        f"(deleted {summary['deleted']}), failed {summary['failed']} (left on the queue)"
                    )
                else:
                    time.sleep(0.2)  # every message in flight: wait for the visibility timeout
{%- else %}
                queue = (queue_url, queue_arn)
                deliver_batch(sqs, queue, settings.batch_size, function, outcome, say)
{%- endif %}
                for message_id in peek_ids(sqs, dlq_url) - outcome.dead_lettered:
                    outcome.dead_lettered.add(message_id)
                    say(f"moved to the DLQ by SQS's redrive: {outcome.labels[message_id]}")
        outcome.left_on_queue = queue_depth(sqs, queue_url)
{%- if poller %}
        if not outcome.left_on_queue:  # the poller deleted every other message itself
            outcome.processed = set(outcome.labels) - outcome.dead_lettered
{%- endif %}
    finally:
        server.stop()
    return outcome
{%- if not poller %}


def deliver_batch(
    sqs: Any,
    queue: tuple[str, str],
    batch_size: int,
    function: LocalFunction,
    outcome: Outcome,
    say: Callable[[str], None],
) -> None:
    """One turn of the event source mapping: gather a batch, invoke, delete what succeeded."""
    queue_url, queue_arn = queue
    messages = receive_batch(sqs, queue_url, batch_size)
    if not messages:
        time.sleep(0.2)  # every message in flight: wait for the visibility timeout
        return
    records = [lambda_record(message, queue_arn) for message in messages]
    answer = function.invoke({"Records": records})
    if answer.error is not None:  # a function error: Lambda returns the whole batch
        failed = {message["MessageId"] for message in messages}
        labels = ", ".join(sorted(outcome.labels[message_id] for message_id in failed))
        say(f"batch of {len(messages)}: function error {answer.error.get('errorType')}: {labels}")
        return
    failed = {failure["itemIdentifier"] for failure in answer.response["batchItemFailures"]}
    done = [message for message in messages if message["MessageId"] not in failed]
    for start in range(0, len(done), 10):
        entries = [
            {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
            for index, message in enumerate(done[start : start + 10])
        ]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
    outcome.processed.update(message["MessageId"] for message in done)
    failed_labels = sorted(outcome.labels[message_id] for message_id in failed)
    say(
        f"batch of {len(messages)}: ok {len(done)} (deleted), failed {len(failed)} "
        f"(visible again after the timeout){': ' + ', '.join(failed_labels) if failed else ''}"
    )
{%- endif %}


def peek_ids(sqs: Any, queue_url: str) -> set[str]:
    """The ids of the messages a queue holds, read without hiding them."""
    received = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0)
    return {message["MessageId"] for message in received.get("Messages", [])}


def report(outcome: Outcome) -> str:
    """Every message and where it ended."""
    rows = [f"{'message':<20} {'id':<38} ended"]
    for message_id, label in outcome.labels.items():
        if message_id in outcome.processed:
            where = "processed, deleted"
        elif message_id in outcome.dead_lettered:
            where = "in the DLQ"
        else:
            where = "still on the queue"
        rows.append(f"{label:<20} {message_id:<38} {where}")
    ended = len(outcome.processed) + len(outcome.dead_lettered) + outcome.left_on_queue
    rows.append(
        f"processed {len(outcome.processed)}, in the DLQ {len(outcome.dead_lettered)}, "
        f"still on the queue {outcome.left_on_queue}, lost {len(outcome.labels) - ended}"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visibility-timeout", type=int, default=2, help="seconds, locally")
    arguments = parser.parse_args(argv)
    started = time.monotonic()
    try:

        def say(line: str) -> None:
            print(f"[{time.monotonic() - started:5.1f}s] {line}", flush=True)

        outcome = run(arguments.visibility_timeout, say=say)
    except KeyboardInterrupt:
        print("interrupted: moto and the function are stopped", file=sys.stderr)
        return 130
    print(report(outcome))
    return 0 if not outcome.left_on_queue else 1


if __name__ == "__main__":
    sys.exit(main())
