{%- import batch_style.part("test_handler.py") as style -%}
"""The Lambda handler as the event source mapping invokes it: responses, errors, metrics."""

import json
{{- style.imports() }}
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import (
    BatchProcessingError,
    UnexpectedBatchTypeError,
)

from {{ cookiecutter.package_name }}.handler import lambda_handler
from {{ cookiecutter.package_name }}.observability import metrics

from .support import MIXED_FAILED, MIXED_KINDS, item_identifiers, load_event, metric_total
from local.context import LocalLambdaContext


def test_answers_with_the_partial_response(lambda_context: LocalLambdaContext) -> None:
    event = load_event("mixed.json")

    response = lambda_handler(event, lambda_context)

    assert response == {
        "batchItemFailures": [
            {"itemIdentifier": id_} for id_ in item_identifiers(event, *MIXED_FAILED)
        ]
    }


def test_every_record_failing_fails_the_invocation(lambda_context: LocalLambdaContext) -> None:
    """By design: the whole batch is retried, and the function's Errors metric counts it."""
    with pytest.raises(BatchProcessingError, match="All records failed processing"):
        lambda_handler(load_event("all_failed.json"), lambda_context)


@pytest.mark.parametrize(
    "event",
    [
        pytest.param({"detail-type": "Scheduled Event"}, id="no-records"),
{%- if source.records_by_partition %}
        pytest.param({"records": {}}, id="empty-records"),
        pytest.param({"records": ["orders-0"]}, id="records-not-a-map"),
        pytest.param({"Records": [{"offset": 1}]}, id="records-of-another-source"),
{%- else %}
        pytest.param({"Records": []}, id="empty-records"),
        pytest.param({"Records": "not a list"}, id="records-not-a-list"),
{%- endif %}
    ],
)
def test_an_event_that_is_not_a_batch_is_an_error(
    event: dict[str, Any], lambda_context: LocalLambdaContext
) -> None:
    # It fails before any record is counted: Powertools Metrics warns that it has none to publish.
    no_metrics = pytest.warns(UserWarning, match="No application metrics to publish")
    with pytest.raises(UnexpectedBatchTypeError), no_metrics:
        lambda_handler(event, lambda_context)


def test_counts_every_outcome_in_metrics(
    capsys: pytest.CaptureFixture[str], lambda_context: LocalLambdaContext
) -> None:
    # Only the handler flushes the metrics: drop what tests of the processor alone left behind.
    metrics.clear_metrics()
    lambda_handler(load_event("mixed.json"), lambda_context)

    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert metric_total(blobs, "RecordsSucceeded") == len(MIXED_KINDS) - len(MIXED_FAILED)
    assert metric_total(blobs, "RecordsFailed") == len(MIXED_FAILED)
    # CloudWatch graphs and alarms on a metric by its unit: both are counts.
    units = {
        metric["Name"]: metric.get("Unit")
        for blob in blobs
        for directive in blob.get("_aws", {}).get("CloudWatchMetrics", [])
        for metric in directive["Metrics"]
    }
    assert units["RecordsSucceeded"] == units["RecordsFailed"] == "Count"


def test_state_does_not_leak_between_invocations(lambda_context: LocalLambdaContext) -> None:
    first = lambda_handler(load_event("mixed.json"), lambda_context)
    second = lambda_handler(load_event("all_good.json"), lambda_context)

    assert len(first["batchItemFailures"]) == len(MIXED_FAILED)
    assert second == {"batchItemFailures": []}
{{- style.tests() }}
