"""The batch processor and record handler on the sample events: exact failures, hooks, logs."""

import logging
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch import process_partial_response
{%- if cookiecutter.invocation == "event_source_mapping" %}
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
{%- endif %}

from {{ cookiecutter.package_name }}.processor import (
    ObservedBatchProcessor,
    message_id,
    processor,
)
from {{ cookiecutter.package_name }}.record_handler import record_handler

from .support import load_event, message_ids
from local.context import LocalLambdaContext

# What fails the corrupt, the invalid and the rejected record of sqs_mixed.json.
{%- if cookiecutter.validation == "pydantic" %}
EXPECTED_ERROR_TYPES = ["ValidationError", "ValidationError", "OrderRejectedError"]
{%- else %}
EXPECTED_ERROR_TYPES = ["JSONDecodeError", "JsonSchemaValueException", "OrderRejectedError"]
{%- endif %}


def process(event: dict[str, Any], context: LocalLambdaContext) -> Any:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )


def field(log: logging.LogRecord, name: str) -> Any:
    """A structured field the code logged with ``extra=``."""
    return vars(log)[name]


@pytest.mark.parametrize(
    ("event_file", "failed_positions"),
    [
        pytest.param("sqs_all_good.json", [], id="all-good"),
        pytest.param("sqs_mixed.json", [1, 2, 3], id="corrupt-invalid-rejected"),
    ],
)
def test_reports_exactly_the_failed_records(
    event_file: str, failed_positions: list[int], lambda_context: LocalLambdaContext
) -> None:
    event = load_event(event_file)

    response = process(event, lambda_context)

    assert response == {
        "batchItemFailures": [
            {"itemIdentifier": id_} for id_ in message_ids(event, *failed_positions)
        ]
    }

{% if cookiecutter.invocation == "event_source_mapping" %}
def test_every_record_failing_raises(lambda_context: LocalLambdaContext) -> None:
    """By design: SQS returns every message, and the function's Errors metric counts it."""
    with pytest.raises(BatchProcessingError, match="All records failed processing"):
        process(load_event("sqs_all_failed.json"), lambda_context)
{%- else %}
def test_every_record_failing_is_reported_not_raised(lambda_context: LocalLambdaContext) -> None:
    """The poller goes on with its next round; the failed messages stay on the queue."""
    event = load_event("sqs_all_failed.json")

    response = process(event, lambda_context)

    assert response == {
        "batchItemFailures": [{"itemIdentifier": id_} for id_ in message_ids(event, 0, 1, 2)]
    }
{%- endif %}


def test_each_record_reaches_exactly_one_hook_once(
    monkeypatch: pytest.MonkeyPatch, lambda_context: LocalLambdaContext
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

    process(event, lambda_context)

    outcomes = ["success", "failure", "failure", "failure", "success"]
    assert calls == list(zip(outcomes, message_ids(event, 0, 1, 2, 3, 4), strict=True))


def test_logs_every_outcome(
    caplog: pytest.LogCaptureFixture, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("sqs_mixed.json")

    with caplog.at_level(logging.DEBUG):
        process(event, lambda_context)

    failures = [log for log in caplog.records if log.getMessage() == "record failed"]
    successes = [log for log in caplog.records if log.getMessage() == "record succeeded"]
    assert [field(log, "message_id") for log in failures] == message_ids(event, 1, 2, 3)
    assert [field(log, "error_type") for log in failures] == EXPECTED_ERROR_TYPES
    assert {log.levelname for log in failures} == {"WARNING"}
    assert [field(log, "message_id") for log in successes] == message_ids(event, 0, 4)


def test_message_id_reads_every_record_shape() -> None:
    raw = load_event("sqs_all_good.json")["Records"][0]

    assert message_id(raw) == raw["messageId"]
    assert message_id(None) is None


def test_an_async_record_handler_is_refused_before_any_record_runs(
    lambda_context: LocalLambdaContext,
) -> None:
    """Unawaited, it would report every record a success and the messages would be deleted."""
    awaited: list[Any] = []

    async def async_record_handler(record: Any) -> None:
        awaited.append(record)

    with pytest.raises(TypeError, match="is async"):
        process_partial_response(
            event=load_event("sqs_all_good.json"),
            record_handler=async_record_handler,
            processor=processor,
            context=lambda_context,
        )
    assert awaited == []
