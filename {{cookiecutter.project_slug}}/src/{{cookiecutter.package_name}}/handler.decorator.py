"""Lambda entry point, decorator style: the decorators do the batch work, the handler none."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from .observability import logger, metrics{% if cookiecutter.tracing %}, tracer{% endif %}
from .partial_response import partial_batch_response
from .processor import processor
from .record_handler import record_handler

{% if cookiecutter.tracing %}
# One trace segment per invocation; no subsegment per record, which would overflow a large batch.
@tracer.capture_lambda_handler
{%- endif %}
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
@partial_batch_response(record_handler=record_handler, processor=processor)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> None:
    """Receive a batch of orders from {{ source.label }}; only the failed ones are retried."""
{%- if source.records_by_partition %}
    partitions = event.get("records")
    if isinstance(partitions, dict):
        logger.append_keys(batch_size=sum(len(records) for records in partitions.values()))
{%- else %}
    logger.append_keys(batch_size=len(event.get("Records", ())))
{%- endif %}
