{%- import invocation.part("test_processor.py") as here -%}
{%- import concurrency.part("test_processor.py") as running with context -%}
"""The batch processor and record handler on the sample events: exact failures, hooks, logs."""
{{ running.standard_imports() }}
import logging
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch import {{ facts.concurrency.partial_response }}
{{- here.imports() }}
{{- running.third_party_imports() }}

from {{ cookiecutter.package_name }}.processor import ObservedBatchProcessor, processor
from {{ cookiecutter.package_name }}.record_handler import record_handler
from {{ cookiecutter.package_name }}.records import record_id
{{ running.support_import() }}
from .support import (
    MIXED_FAILED,
    MIXED_FAILURES,
    MIXED_KINDS,
    MIXED_SUCCEEDED,
    item_identifiers,
    load_event,
    log_id,
    records_of,
)
from local.context import LocalLambdaContext


def process(event: dict[str, Any], context: LocalLambdaContext) -> Any:
    return {{ facts.concurrency.partial_response }}(
        event=event, record_handler=record_handler, processor=processor, context=context
    )


def field(log: logging.LogRecord, name: str) -> Any:
    """A structured field the code logged with ``extra=``."""
    return vars(log)[name]


@pytest.mark.parametrize(
    ("event_file", "failed_positions"),
    [
        pytest.param("all_good.json", [], id="all-good"),
        pytest.param("mixed.json", MIXED_FAILED, id="corrupt-invalid-rejected"),
    ],
)
def test_reports_exactly_the_failed_records(
    event_file: str, failed_positions: list[int], lambda_context: LocalLambdaContext
) -> None:
    event = load_event(event_file)

    response = process(event, lambda_context)

    assert response == {
        "batchItemFailures": [
            {"itemIdentifier": id_} for id_ in item_identifiers(event, *failed_positions)
        ]
    }


{{ here.all_failed() }}


def test_each_record_reaches_exactly_one_hook_once(
    monkeypatch: pytest.MonkeyPatch, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("mixed.json")
    calls: list[tuple[str, str | None]] = []
    on_success = ObservedBatchProcessor.success_handler
    on_failure = ObservedBatchProcessor.failure_handler

    def count_success(self: ObservedBatchProcessor, record: Any, result: Any) -> Any:
        calls.append(("success", record_id(record)))
        return on_success(self, record, result)

    def count_failure(self: ObservedBatchProcessor, record: Any, exception: Any) -> Any:
        calls.append(("failure", record_id(record)))
        return on_failure(self, record, exception)

    monkeypatch.setattr(ObservedBatchProcessor, "success_handler", count_success)
    monkeypatch.setattr(ObservedBatchProcessor, "failure_handler", count_failure)

    process(event, lambda_context)

    outcomes = [
        "failure" if position in MIXED_FAILED else "success" for position in range(len(MIXED_KINDS))
    ]
    ids = [log_id(record) for record in records_of(event)]
    assert sorted(calls, key=str) == sorted(zip(outcomes, ids, strict=True), key=str)


def test_logs_every_outcome(
    caplog: pytest.LogCaptureFixture, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("mixed.json")

    with caplog.at_level(logging.DEBUG):
        process(event, lambda_context)

    failures = [log for log in caplog.records if log.getMessage() == "record failed"]
    successes = [log for log in caplog.records if log.getMessage() == "record succeeded"]
    ids = [log_id(record) for record in records_of(event)]
    logged = [(field(log, "record_id"), field(log, "error_type")) for log in failures]
    assert sorted(logged) == sorted((ids[position], error) for position, error in MIXED_FAILURES)
    # The exception's own words, for whoever reads the log.
    assert sorted(field(log, "error") for log in failures) == sorted(
        str(error) for _, error, _ in processor.exceptions
    )
    assert {log.levelname for log in failures} == {"WARNING"}
    assert sorted(field(log, "record_id") for log in successes) == sorted(
        ids[position] for position in MIXED_SUCCEEDED
    )


def test_record_id_reads_the_raw_record_and_the_data_class() -> None:
    raw = records_of(load_event("all_good.json"))[0]
    expected = log_id(raw)

    assert record_id(raw) == expected
    assert record_id(processor._to_batch_type(raw, event_type=processor.event_type)) == expected
    assert record_id(None) is None


{{ running.refused() }}
