{%- import concurrency.part("processor.py") as running -%}
"""{{ facts.processor }} with a structured log line per record and a metric per outcome."""
{{ running.standard_imports() }}

from aws_lambda_powertools.metrics import MetricUnit
{%- if facts.powertools_processor %}
from aws_lambda_powertools.utilities.batch import {{ facts.processor }}
{%- endif %}
from aws_lambda_powertools.utilities.batch.base import FailureResponse, SuccessResponse
from aws_lambda_powertools.utilities.batch.exceptions import ExceptionInfo
{{- running.powertools_imports() }}
{% if facts.concurrent %}
from .concurrent_processor import {{ facts.processor }}
{%- endif %}
from .observability import logger, metrics
{%- if facts.own_processor %}
from .ordered_processor import {{ facts.processor }}
{%- endif %}
from .records import {{ facts.records_imports | join(", ") }}


class ObservedBatchProcessor({{ facts.processor }}):
    """Logs every outcome and counts them; the partial response logic is Powertools' own."""
{{- running.guard() }}

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
