{%- import scheduler.part("handler.py") as scheduled with context -%}
"""Lambda entry point of the scheduled poller: no records arrive in the event; it pulls them.

Each round receives up to 10 messages, runs them through the batch processor used as a context
manager, deletes only the messages that succeeded and leaves the failed ones on the queue, where
the redrive policy moves them to the DLQ after maxReceiveCount receives.
"""

from functools import cache
from typing import TYPE_CHECKING, Any, TypedDict

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from .observability import logger, metrics{% if cookiecutter.tracing %}, tracer{% endif %}
from .poller import PollerSettings, as_lambda_record, back_off, delete_messages, receive_round
from .processor import processor
from .record_handler import record_handler

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class PollSummary(TypedDict):
    """What one run did; ``more_available``: it stopped with messages left on the queue."""

    received: int
    succeeded: int
    failed: int
    deleted: int
    more_available: bool


@cache
def sqs_client() -> "SQSClient":
    """One client per container, made on first use (AWS_ENDPOINT_URL points it elsewhere)."""
    return boto3.client("sqs")


def process_round(
    records: list[dict[str, Any]], context: LambdaContext
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run one round through the processor: (the records that succeeded, the ones that failed)."""
    with processor(records=records, handler=record_handler, lambda_context=context):
        outcomes = processor.{{ facts.concurrency.process }}()
    succeeded_ids = {record["messageId"] for status, _, record in outcomes if status == "success"}
    succeeded = [record for record in records if record["messageId"] in succeeded_ids]
    failed = [record for record in records if record["messageId"] not in succeeded_ids]
    return succeeded, failed


def poll(sqs: "SQSClient", settings: PollerSettings, context: LambdaContext) -> PollSummary:
    """Receive and process rounds until the queue is empty, the limit is reached or time runs out."""
    summary = PollSummary(received=0, succeeded=0, failed=0, deleted=0, more_available=True)
    # Stop early enough that the last round is processed and deleted before Lambda's deadline,
    # so no message stays in flight past its visibility timeout.
    round_budget_ms = settings.deadline_margin_ms + settings.wait_time_seconds * 1000
    while summary["received"] < settings.max_messages:
        if context.get_remaining_time_in_millis() < round_budget_ms:
            logger.warning("stopping before the Lambda deadline", extra={**summary})
            break
        messages = receive_round(sqs, settings, settings.max_messages - summary["received"])
        if not messages:
            summary["more_available"] = False
            break
        records = [as_lambda_record(message, settings) for message in messages]
        succeeded, failed = process_round(records, context)
        summary["received"] += len(records)
        summary["succeeded"] += len(succeeded)
        summary["failed"] += len(failed)
        summary["deleted"] += delete_messages(sqs, settings, succeeded)
        back_off(sqs, settings, failed)
    return summary

{% if cookiecutter.tracing %}
@tracer.capture_lambda_handler
{%- endif %}
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PollSummary:
{{- scheduled.handler_start() }}
    settings = PollerSettings.from_environment()
    summary = poll(sqs_client(), settings, context)
    logger.info("poll finished", extra={**summary})
    metrics.add_metric(name="MessagesReceived", unit=MetricUnit.Count, value=summary["received"])
    metrics.add_metric(name="MessagesDeleted", unit=MetricUnit.Count, value=summary["deleted"])
    return summary
