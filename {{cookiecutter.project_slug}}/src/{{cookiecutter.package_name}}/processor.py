"""Powertools' BatchProcessor, with a structured log line per record and a metric per outcome."""

import inspect
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.base import FailureResponse, SuccessResponse
from aws_lambda_powertools.utilities.batch.exceptions import ExceptionInfo
from aws_lambda_powertools.utilities.typing import LambdaContext

from .observability import logger, metrics
from .schema import RECORD_MODEL


def message_id(record: Any) -> str | None:
    """The SQS message id of a record, whichever shape Powertools hands over.

    Success hooks get the raw dict; failure hooks get the parsed model, or Powertools' data
    class when the model rejected the record, or None when the record could not be read.
    """
    if isinstance(record, dict):
        return record.get("messageId")
    return getattr(record, "message_id", None) or getattr(record, "messageId", None)


class ObservedBatchProcessor(BatchProcessor):
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
        logger.debug("record succeeded", extra={"message_id": message_id(record)})
        return super().success_handler(record, result)

    def failure_handler(self, record: Any, exception: ExceptionInfo) -> FailureResponse:
        error_type, error, _ = exception
        logger.warning(
            "record failed",
            extra={
                "message_id": message_id(record),
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
processor = ObservedBatchProcessor(
    event_type=EventType.SQS, model=RECORD_MODEL, raise_on_entire_batch_failure=False
)
{%- else -%}
# When every record of a batch fails, the processor raises BatchProcessingError (Powertools'
# default, kept on purpose): the invocation counts as an error, so the function's Errors alarm
# fires and the event source mapping backs off, while SQS still returns every message.
processor = ObservedBatchProcessor(event_type=EventType.SQS, model=RECORD_MODEL)
{%- endif %}
