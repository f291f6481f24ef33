{%- set source = cookiecutter.event_source -%}
{%- set ordered_stream = source in ["kinesis", "dynamodb"] and cookiecutter.on_first_failure == "stop" -%}
{%- if source == "sqs_fifo" %}{% set base = "SqsFifoPartialProcessor" %}
{%- elif ordered_stream %}{% set base = "OrderedStreamProcessor" %}
{%- else %}{% set base = "BatchProcessor" %}{% endif -%}
"""Powertools' {{ base }}, with a structured log line per record and a metric per outcome."""

import inspect
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
{%- if base == "SqsFifoPartialProcessor" %}
from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor
{%- elif base == "BatchProcessor" %}
from aws_lambda_powertools.utilities.batch import BatchProcessor
{%- endif %}
from aws_lambda_powertools.utilities.batch.base import FailureResponse, SuccessResponse
from aws_lambda_powertools.utilities.batch.exceptions import ExceptionInfo
from aws_lambda_powertools.utilities.typing import LambdaContext

from .observability import logger, metrics
{%- if ordered_stream %}
from .ordered_processor import OrderedStreamProcessor
{%- endif %}
from .records import {% if base != "SqsFifoPartialProcessor" %}EVENT_TYPE, {% endif %}record_id


class ObservedBatchProcessor({{ base }}):
    """Logs every outcome and counts them; the partial response logic is Powertools' own."""

    def __call__(
        self,
        records: list[dict[str, Any]],
        handler: Callable[..., Any],
        lambda_context: LambdaContext | None = None,
    ) -> "ObservedBatchProcessor":
        # The synchronous processor never awaits a coroutine: an async record handler would
        # "succeed" on every record without running, and the messages would be deleted.
        if inspect.iscoroutinefunction(handler):
            raise TypeError(
                f"record handler {getattr(handler, '__name__', handler)!r} is async: the synchronous "
                "BatchProcessor would never await it; make it synchronous, or use AsyncBatchProcessor"
            )
        super().__call__(records, handler, lambda_context)
        return self

    def success_handler(self, record: Any, result: Any) -> SuccessResponse:
        # DEBUG, not INFO: a line per success would multiply the log bill of a busy queue.
        logger.debug("record succeeded", extra={"record_id": record_id(record)})
        return super().success_handler(record, result)

    def failure_handler(self, record: Any, exception: ExceptionInfo) -> FailureResponse:
        error_type, error, _ = exception
        logger.warning(
            "record failed",
            extra={
                "record_id": record_id(record),
                "error_type": getattr(error_type, "__name__", "unknown"),
                "error": str(error),
            },
        )
        return super().failure_handler(record, exception)

    def _clean(self) -> None:
        # One data point per outcome and batch, from the hooks' own tallies: a point per record
        # would cost a quarter of the per-record time and an EMF blob every 100 records.
        # (Powertools leaves _clean untyped.)
        metrics.add_metric(
            name="RecordsSucceeded", unit=MetricUnit.Count, value=len(self.success_messages)
        )
        metrics.add_metric(
            name="RecordsFailed", unit=MetricUnit.Count, value=len(self.fail_messages)
        )
        super()._clean()  # type: ignore[no-untyped-call]


{% if cookiecutter.invocation == "scheduled_poll" -%}
# The poller leaves failed messages on the queue itself, and a round in which every message
# fails must not stop the rounds after it: so no BatchProcessingError when all fail.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE, raise_on_entire_batch_failure=False)
{%- else -%}
# When every record of a batch fails, the processor raises BatchProcessingError (Powertools'
# default, kept on purpose): the invocation counts as an error, so the function's Errors alarm
{%- if source in ["kinesis", "dynamodb"] %}
# fires and Lambda retries the batch, bisecting it, before the on-failure destination.
{%- else %}
# fires and the event source mapping backs off, while SQS still returns every message.
{%- endif %}
#
{%- if source == "sqs_fifo" %}
# No model= here: this processor parses the records it skips after a failure, and one that
# would not parse would crash the whole batch. The record handler reads the payload instead.
{%- if cookiecutter.on_first_failure == "stop" %}
# The first failure stops the batch: it and every later message are returned, in order.
processor = ObservedBatchProcessor()
{%- else %}
# A failure skips only the rest of its message group; the other groups go on.
processor = ObservedBatchProcessor(skip_group_on_error=True)
{%- endif %}
{%- elif source in ["kinesis", "dynamodb"] and not ordered_stream %}
# After a failure, later records still run now; Lambda checkpoints at the lowest failed
# sequence number and delivers them again, so the record handler must tolerate repeats.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE)
{%- elif ordered_stream %}
# The first failure stops the batch: it and every later record are reported without running.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE)
{%- else %}
# Each record stands alone: exactly the failed ones are returned to the queue.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE)
{%- endif %}
{%- endif %}
