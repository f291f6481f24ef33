"""The scheduled poller against a real SQS API: moto in server mode, over HTTP, with boto3."""

import json
import random
import time
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

import boto3
import pytest

from {{ cookiecutter.package_name }} import handler
from {{ cookiecutter.package_name }}.poller import (
    SQS_MAX_VISIBILITY_TIMEOUT,
    PollerSettings,
    as_lambda_record,
    backoff_seconds,
    delete_messages,
    receive_round,
)
from {{ cookiecutter.package_name }}.record_handler import record_handler

from .support import load_event
from local.context import LocalLambdaContext

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.type_defs import MessageTypeDef

VISIBILITY_TIMEOUT = 1  # seconds: failed messages come back quickly
MAX_RECEIVE_COUNT = 2  # then the redrive policy moves them to the DLQ
REGION = "{{ cookiecutter.aws_region }}"


@pytest.fixture
def sqs(moto_endpoint: str) -> "SQSClient":
    """A real boto3 client on moto (conftest points the handler's own client there too)."""
    handler.sqs_client.cache_clear()
    return boto3.client("sqs", endpoint_url=moto_endpoint, region_name=REGION)


@pytest.fixture
def settings(sqs: "SQSClient", monkeypatch: pytest.MonkeyPatch) -> PollerSettings:
    """A fresh queue and DLQ, and the environment {{ facts.stack }} would give the function."""
    name = f"orders-{uuid.uuid4().hex[:8]}"
    dlq_arn = queue_arn(sqs, sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"])
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}
    queue_url = sqs.create_queue(
        QueueName=name,
        Attributes={
            "VisibilityTimeout": str(VISIBILITY_TIMEOUT),
            "RedrivePolicy": json.dumps(redrive),
        },
    )["QueueUrl"]
    environment = {
        "QUEUE_URL": queue_url,
        "QUEUE_ARN": queue_arn(sqs, queue_url),
        "MAX_MESSAGES_PER_INVOCATION": "1000",
        "WAIT_TIME_SECONDS": "0",
        "DEADLINE_MARGIN_MS": "1000",
    }
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    return PollerSettings.from_environment(environment)


def dlq_url(settings: PollerSettings) -> str:
    return f"{settings.queue_url}-dlq"


def queue_arn(sqs: "SQSClient", url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]


def send(sqs: "SQSClient", url: str, bodies: list[str]) -> list[str]:
    """Send these bodies in batches of 10, each with a message attribute; their message ids."""
    ids: list[str] = []
    for start in range(0, len(bodies), 10):
        response = sqs.send_message_batch(
            QueueUrl=url,
            Entries=[
                {
                    "Id": str(index),
                    "MessageBody": body,
                    "MessageAttributes": {
                        "source": {"DataType": "String", "StringValue": "test"},
                        "sequence": {"DataType": "Number", "StringValue": str(start + index)},
                    },
                }
                for index, body in enumerate(bodies[start : start + 10])
            ],
        )
        assert not response.get("Failed")
        ids += [
            entry["MessageId"]
            for entry in sorted(response["Successful"], key=lambda e: int(e["Id"]))
        ]
    return ids


def drain(sqs: "SQSClient", url: str) -> list["MessageTypeDef"]:
    """Receive (and so hide) every message now visible on a queue."""
    messages: list[MessageTypeDef] = []
    while batch := sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    ).get("Messages", []):
        messages += batch
    return messages


def in_flight_or_waiting(sqs: "SQSClient", url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    waiting = int(attributes["ApproximateNumberOfMessages"])
    return waiting + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def mixed_bodies() -> list[str]:
    """good, corrupt JSON, invalid payload, rejected order, good: as in mixed.json."""
    return [record["body"] for record in load_event("mixed.json")["Records"]]


def spy_on_rounds(monkeypatch: pytest.MonkeyPatch) -> list[list[dict[str, Any]]]:
    """Record every round of records the handler hands to the processor."""
    rounds: list[list[dict[str, Any]]] = []
    process_round = handler.process_round

    def spy(records: list[dict[str, Any]], context: Any) -> Any:
        rounds.append(records)
        return process_round(records, context)

    monkeypatch.setattr(handler, "process_round", spy)
    return rounds


def test_reads_its_settings_from_the_environment() -> None:
    settings = PollerSettings.from_environment(
        {
            "QUEUE_URL": "https://queue",
            "QUEUE_ARN": "arn:aws:sqs:eu-west-1:1:q",
            "WAIT_TIME_SECONDS": "5",
        }
    )

    assert settings == PollerSettings(
        queue_url="https://queue", queue_arn="arn:aws:sqs:eu-west-1:1:q", wait_time_seconds=5
    )


def test_received_messages_take_the_shape_of_lambda_records(
    sqs: "SQSClient", settings: PollerSettings
) -> None:
    sqs.send_message(
        QueueUrl=settings.queue_url,
        MessageBody="{}",
        MessageAttributes={
            "text": {"DataType": "String", "StringValue": "hello"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        },
    )

    record = as_lambda_record(receive_round(sqs, settings, 10)[0], settings)

    lambda_record = load_event("all_good.json")["Records"][0]
    assert set(record) == set(lambda_record)
    assert record["eventSourceARN"] == settings.queue_arn
    assert record["awsRegion"] == REGION
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageAttributes"]["text"]["stringValue"] == "hello"
    assert record["messageAttributes"]["blob"]["binaryValue"] == "AAE="


def test_deletes_successes_and_redrives_failures_to_the_dlq(
    sqs: "SQSClient",
    settings: PollerSettings,
    monkeypatch: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
) -> None:
    ids = send(sqs, settings.queue_url, mixed_bodies())
    failed_ids = ids[1:4]
    rounds = spy_on_rounds(monkeypatch)

    first = handler.lambda_handler({}, lambda_context)

    assert first == {
        "received": 5,
        "succeeded": 2,
        "failed": 3,
        "deleted": 2,
        "more_available": False,
    }
    time.sleep(VISIBILITY_TIMEOUT + 0.2)
    second = handler.lambda_handler({}, lambda_context)

    assert (second["received"], second["failed"], second["deleted"]) == (3, 3, 0)
    retried = rounds[-1]
    assert [record["messageId"] for record in retried] == failed_ids
    assert {record["attributes"]["ApproximateReceiveCount"] for record in retried} == {"2"}

    time.sleep(VISIBILITY_TIMEOUT + 0.2)
    third = handler.lambda_handler({}, lambda_context)

    assert third["received"] == 0
    dead = drain(sqs, dlq_url(settings))
    assert sorted(message["MessageId"] for message in dead) == sorted(failed_ids)
    assert sorted(message["Body"] for message in dead) == sorted(mixed_bodies()[1:4])
    assert all(message["MessageAttributes"]["source"]["StringValue"] == "test" for message in dead)
    assert in_flight_or_waiting(sqs, settings.queue_url) == 0


@pytest.mark.slow
def test_no_message_is_lost_with_random_failures_and_a_crash(
    sqs: "SQSClient",
    settings: PollerSettings,
    monkeypatch: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
) -> None:
    randomness = random.Random(20261126)  # noqa: S311 (seeded test data, not cryptography)
    template = json.loads(mixed_bodies()[0])
    bodies = [json.dumps({**template, "order_id": f"ord-{index}"}) for index in range(1000)]
    failing_orders = {f"ord-{index}" for index in randomness.sample(range(1000), 100)}
    ids = send(sqs, settings.queue_url, bodies)
    id_of_order = {json.loads(body)["order_id"]: id_ for body, id_ in zip(bodies, ids, strict=True)}

    succeeded: set[str] = set()

    {{ facts.concurrency.define }} flaky_record_handler(record: Any) -> str:
        order_id = {{ facts.concurrency.call }}record_handler(record)
        if order_id in failing_orders:
            raise RuntimeError(f"downstream refused {order_id}")
        succeeded.add(order_id)
        return order_id

    deletes = 0

    def crash_on_fifth_delete(*args: Any) -> int:
        nonlocal deletes
        deletes += 1
        if deletes == 5:
            raise SystemExit("simulated crash after processing, before deleting")
        return delete_messages(*args)

    monkeypatch.setattr(handler, "record_handler", flaky_record_handler)
    monkeypatch.setattr(handler, "delete_messages", crash_on_fifth_delete)

    crashes = 0
    deadline = time.monotonic() + 120
    while in_flight_or_waiting(sqs, settings.queue_url) and time.monotonic() < deadline:
        try:
            summary = handler.lambda_handler({}, lambda_context)
        except SystemExit:
            crashes += 1
            continue
        if summary["received"] == 0:
            time.sleep(0.3)

    dead_ids = {message["MessageId"] for message in drain(sqs, dlq_url(settings))}
    assert crashes == 1
    assert in_flight_or_waiting(sqs, settings.queue_url) == 0
    assert dead_ids == {id_of_order[order] for order in failing_orders}
    assert {id_of_order[order] for order in succeeded} | dead_ids == set(ids)
    assert not {id_of_order[order] for order in succeeded} & dead_ids


def test_stops_at_its_limit_and_says_more_is_available(
    sqs: "SQSClient",
    settings: PollerSettings,
    monkeypatch: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
) -> None:
    send(sqs, settings.queue_url, mixed_bodies()[:1] * 5)
    monkeypatch.setenv("MAX_MESSAGES_PER_INVOCATION", "3")

    summary = handler.lambda_handler({}, lambda_context)

    assert (summary["received"], summary["deleted"], summary["more_available"]) == (3, 3, True)
    assert in_flight_or_waiting(sqs, settings.queue_url) == 2


def test_stops_before_the_lambda_deadline(
    sqs: "SQSClient", settings: PollerSettings, lambda_context: LocalLambdaContext
) -> None:
    send(sqs, settings.queue_url, mixed_bodies()[:1])
    lambda_context.remaining_time_in_millis = settings.deadline_margin_ms - 1

    summary = handler.lambda_handler({}, lambda_context)

    assert (summary["received"], summary["more_available"]) == (0, True)
    assert in_flight_or_waiting(sqs, settings.queue_url) == 1


def test_a_delete_sqs_refuses_is_retried_then_reported(
    sqs: "SQSClient", settings: PollerSettings, caplog: pytest.LogCaptureFixture
) -> None:
    send(sqs, settings.queue_url, mixed_bodies()[:1])
    good = as_lambda_record(receive_round(sqs, settings, 10)[0], settings)
    stale = {**good, "messageId": "stale", "receiptHandle": "not-a-receipt-handle"}

    deleted = delete_messages(sqs, settings, [good, stale])

    assert deleted == 1
    reports = [
        vars(log) for log in caplog.records if log.getMessage().startswith("messages not deleted")
    ]
    assert [report["message_ids"] for report in reports] == [["stale"]]


class RefusesTheFirstDelete:
    """The real client, except that SQS refuses every entry of the first DeleteMessageBatch (as
    it may, entry by entry, with an internal error); the entry ids of each call are recorded."""

    def __init__(self, sqs: "SQSClient") -> None:
        self.sqs = sqs
        self.calls: list[list[str]] = []

    def delete_message_batch(self, **request: Any) -> dict[str, Any]:
        self.calls.append([entry["Id"] for entry in request["Entries"]])
        if len(self.calls) > 1:
            return dict(self.sqs.delete_message_batch(**request))
        refused = {"Code": "InternalError", "SenderFault": False, "Message": "try again"}
        return {
            "Successful": [],
            "Failed": [{"Id": entry["Id"], **refused} for entry in request["Entries"]],
        }


def test_entries_sqs_refuses_are_deleted_on_the_retry(
    sqs: "SQSClient", settings: PollerSettings
) -> None:
    send(sqs, settings.queue_url, mixed_bodies()[:2])
    records = [as_lambda_record(message, settings) for message in receive_round(sqs, settings, 10)]
    refusing = RefusesTheFirstDelete(sqs)

    deleted = delete_messages(cast("SQSClient", refusing), settings, records)
    time.sleep(VISIBILITY_TIMEOUT + 0.2)

    assert deleted == 2
    assert refusing.calls == [["0", "1"], ["0", "1"]]  # the refused entries, once more
    assert in_flight_or_waiting(sqs, settings.queue_url) == 0


@pytest.mark.parametrize(
    ("receive_count", "hidden_for"),
    [
        pytest.param(1, 30, id="first-failure"),
        pytest.param(2, 60, id="doubles"),
        pytest.param(5, 480, id="keeps-doubling"),
        pytest.param(20, SQS_MAX_VISIBILITY_TIMEOUT, id="capped-at-12-hours"),
    ],
)
def test_backoff_doubles_with_each_receive_up_to_sqs_limit(
    settings: PollerSettings, receive_count: int, hidden_for: int
) -> None:
    record = {"attributes": {"ApproximateReceiveCount": str(receive_count)}}

    assert backoff_seconds(replace(settings, retry_backoff_seconds=30), record) == hidden_for


def test_backoff_keeps_a_failed_message_hidden_longer(
    sqs: "SQSClient",
    settings: PollerSettings,
    monkeypatch: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
) -> None:
    send(sqs, settings.queue_url, mixed_bodies()[1:2])
    monkeypatch.setenv("RETRY_BACKOFF_SECONDS", "30")

    summary = handler.lambda_handler({}, lambda_context)
    time.sleep(VISIBILITY_TIMEOUT + 0.2)

    assert summary["failed"] == 1
    assert drain(sqs, settings.queue_url) == []
    assert in_flight_or_waiting(sqs, settings.queue_url) == 1
