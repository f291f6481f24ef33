"""A Kafka processor that stops a partition at its first failed record, so none of its records
runs twice or out of order, while the other partitions of the batch go on."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor
from aws_lambda_powertools.utilities.batch.base import FailureResponse, SuccessResponse
from aws_lambda_powertools.utilities.batch.exceptions import ExceptionInfo


class PartitionCircuitBreakerError(Exception):
    """The record was not run: an earlier record of its partition failed in this batch."""


class OrderedPartitionProcessor(BatchProcessor):
    """BatchProcessor for Kafka that keeps each partition's order.

    A batch can hold records of several partitions. Lambda commits each partition up to its
    lowest failed offset and delivers that record and every later one of the partition again;
    the other partitions move on. BatchProcessor goes on after a failure, so the later records
    of the failed partition would run now and again on redelivery, before the one that failed.
    This processor reports them without running them, as Powertools' SqsFifoPartialProcessor
    with skip_group_on_error does for a FIFO message group; Powertools has no such processor
    for Kafka.
    """

    circuit_breaker: ExceptionInfo = (
        PartitionCircuitBreakerError,
        PartitionCircuitBreakerError("not run: an earlier record of its partition failed"),
        None,
    )

    def _prepare(self) -> None:
        super()._prepare()  # type: ignore[no-untyped-call]
        self.failed_partitions: set[tuple[Any, Any]] = set()

    def _process_record(self, record: dict[str, Any]) -> SuccessResponse | FailureResponse:
        partition = (record.get("topic"), record.get("partition"))
        if partition in self.failed_partitions:
            # The data class, never the model: a record that would not parse is still reported.
            skipped = self._to_batch_type(record=record, event_type=self.event_type)
            return self.failure_handler(record=skipped, exception=self.circuit_breaker)
        outcome = super()._process_record(record)
        if outcome[0] == "fail":
            self.failed_partitions.add(partition)
        return outcome
