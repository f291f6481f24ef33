"""Powertools' {{ facts.processor }}, with a structured log line per record and a metric per outcome."""

import inspect
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
{%- if not facts.own_processor %}
from aws_lambda_powertools.utilities.batch import {{ facts.processor }}
{%- endif %}
from aws_lambda_powertools.utilities.batch.base import FailureResponse, SuccessResponse
from aws_lambda_powertools.utilities.batch.exceptions import ExceptionInfo
from aws_lambda_powertools.utilities.typing import LambdaContext

from .observability import logger, metrics
{%- if facts.own_processor %}
from .ordered_processor import {{ facts.processor }}
{%- endif %}
from .records import {% if facts.processor != "SqsFifoPartialProcessor" %}EVENT_TYPE, {% endif %}record_id


class ObservedBatchProcessor({{ facts.processor }}):
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


{% include invocation.part("processor.py") -%}
