"""The Lambda handler on the sample events: exact partial responses, hooks, logs and metrics."""

import json
import logging
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import (
    BatchProcessingError,
    UnexpectedBatchTypeError,
)

from {{ cookiecutter.package_name }}.handler import lambda_handler
from {{ cookiecutter.package_name }}.processor import ObservedBatchProcessor, message_id

from .support import FakeLambdaContext, load_event

# What fails the corrupt, the invalid and the rejected record of sqs_mixed.json.
{%- if cookiecutter.validation == "pydantic" %}
EXPECTED_ERROR_TYPES = ["ValidationError", "ValidationError", "OrderRejectedError"]
{%- else %}
EXPECTED_ERROR_TYPES = ["JSONDecodeError", "JsonSchemaValueException", "OrderRejectedError"]
{%- endif %}


def message_ids(event: dict[str, Any], *positions: int) -> list[str]:
    return [event["Records"][position]["messageId"] for position in positions]


def field(log: logging.LogRecord, name: str) -> Any:
    """A structured field the code logged with ``extra=``."""
    return vars(log)[name]


def metric_total(blobs: list[dict[str, Any]], name: str) -> float:
    """The sum of a metric over the EMF blobs the function printed."""
    total = 0.0
    for blob in blobs:
        value = blob.get(name, 0) if "_aws" in blob else 0
        total += sum(value) if isinstance(value, list) else value
    return total


@pytest.mark.parametrize(
    ("event_file", "failed_positions"),
    [
        pytest.param("sqs_all_good.json", [], id="all-good"),
        pytest.param("sqs_mixed.json", [1, 2, 3], id="corrupt-invalid-rejected"),
    ],
)
def test_reports_exactly_the_failed_records(
    event_file: str, failed_positions: list[int], lambda_context: FakeLambdaContext
) -> None:
    event = load_event(event_file)

    response = lambda_handler(event, lambda_context)

    assert response == {
        "batchItemFailures": [
            {"itemIdentifier": id_} for id_ in message_ids(event, *failed_positions)
        ]
    }


def test_every_record_failing_fails_the_invocation(lambda_context: FakeLambdaContext) -> None:
    """By design: SQS returns every message, and the function's Errors metric counts it."""
    with pytest.raises(BatchProcessingError, match="All records failed processing"):
        lambda_handler(load_event("sqs_all_failed.json"), lambda_context)


@pytest.mark.parametrize(
    "event",
    [
        pytest.param({"detail-type": "Scheduled Event"}, id="no-records"),
        pytest.param({"Records": []}, id="empty-records"),
        pytest.param({"Records": "not a list"}, id="records-not-a-list"),
    ],
)
def test_an_event_that_is_not_a_batch_is_an_error(
    event: dict[str, Any], lambda_context: FakeLambdaContext
) -> None:
    with pytest.raises(UnexpectedBatchTypeError):
        lambda_handler(event, lambda_context)


def test_each_record_reaches_exactly_one_hook_once(
    monkeypatch: pytest.MonkeyPatch, lambda_context: FakeLambdaContext
) -> None:
    event = load_event("sqs_mixed.json")
    calls: list[tuple[str, str | None]] = []
    on_success = ObservedBatchProcessor.success_handler
    on_failure = ObservedBatchProcessor.failure_handler

    def count_success(self: ObservedBatchProcessor, record: Any, result: Any) -> Any:
        calls.append(("success", message_id(record)))
        return on_success(self, record, result)

    def count_failure(self: ObservedBatchProcessor, record: Any, exception: Any) -> Any:
        calls.append(("failure", message_id(record)))
        return on_failure(self, record, exception)

    monkeypatch.setattr(ObservedBatchProcessor, "success_handler", count_success)
    monkeypatch.setattr(ObservedBatchProcessor, "failure_handler", count_failure)

    lambda_handler(event, lambda_context)

    outcomes = ["success", "failure", "failure", "failure", "success"]
    assert calls == list(zip(outcomes, message_ids(event, 0, 1, 2, 3, 4), strict=True))


def test_logs_every_outcome(
    caplog: pytest.LogCaptureFixture, lambda_context: FakeLambdaContext
) -> None:
    event = load_event("sqs_mixed.json")

    with caplog.at_level(logging.DEBUG):
        lambda_handler(event, lambda_context)

    failures = [log for log in caplog.records if log.getMessage() == "record failed"]
    successes = [log for log in caplog.records if log.getMessage() == "record succeeded"]
    assert [field(log, "message_id") for log in failures] == message_ids(event, 1, 2, 3)
    assert [field(log, "error_type") for log in failures] == EXPECTED_ERROR_TYPES
    assert {log.levelname for log in failures} == {"WARNING"}
    assert [field(log, "message_id") for log in successes] == message_ids(event, 0, 4)


def test_counts_every_outcome_in_metrics(
    capsys: pytest.CaptureFixture[str], lambda_context: FakeLambdaContext
) -> None:
    lambda_handler(load_event("sqs_mixed.json"), lambda_context)

    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert metric_total(blobs, "RecordsSucceeded") == 2
    assert metric_total(blobs, "RecordsFailed") == 3


def test_state_does_not_leak_between_invocations(lambda_context: FakeLambdaContext) -> None:
    mixed = load_event("sqs_mixed.json")
    good = load_event("sqs_all_good.json")

    first = lambda_handler(mixed, lambda_context)
    second = lambda_handler(good, lambda_context)

    assert len(first["batchItemFailures"]) == 3
    assert second == {"batchItemFailures": []}
{%- if cookiecutter.batch_style == "context_manager" %}


def test_the_handler_sees_the_outcomes_before_it_answers(
    caplog: pytest.LogCaptureFixture, lambda_context: FakeLambdaContext
) -> None:
    lambda_handler(load_event("sqs_mixed.json"), lambda_context)

    summaries = [log for log in caplog.records if log.getMessage() == "batch processed"]
    assert [(field(log, "records"), field(log, "failed")) for log in summaries] == [(5, 3)]
{%- endif %}
