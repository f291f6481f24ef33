"""Lambda entry point, context-manager style: the handler runs the batch in the open."""

from typing import Any

from aws_lambda_powertools.utilities.batch.exceptions import UnexpectedBatchTypeError
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from .observability import logger, metrics{% if cookiecutter.tracing %}, tracer{% endif %}
from .processor import processor
from .record_handler import record_handler

{% if cookiecutter.tracing %}
# One trace segment per invocation; no subsegment per record, which would overflow a large batch.
@tracer.capture_lambda_handler
{%- endif %}
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    """Receive a batch of orders from {{ source.label }}; only the failed ones are retried.

    The per-record outcomes are in hand here, before the response is built: the place to
    orchestrate the whole batch (summaries, a circuit breaker, work after the last record).
    """
{%- if source.records_by_partition %}
    partitions = event.get("records")
    if not partitions or not isinstance(partitions, dict):
        # The same error process_partial_response raises for an event that is not a batch.
        raise UnexpectedBatchTypeError("not a Kafka batch event: it has no 'records' map")
    # Partition by partition, each in offset order, as process_partial_response takes them.
    records = [record for partition in partitions.values() for record in partition]
{%- else %}
    records = event.get("Records")
    if not records or not isinstance(records, list):
        # The same error process_partial_response raises for an event that is not a batch.
        raise UnexpectedBatchTypeError("not a batch event: it has no 'Records' list")
{%- endif %}
    with processor(records=records, handler=record_handler, lambda_context=context):
        outcomes = processor.{{ facts.concurrency.process }}()
        failed = sum(1 for status, _, _ in outcomes if status == "fail")
        logger.info("batch processed", extra={"records": len(outcomes), "failed": failed})
    return processor.response()
