"""A stream processor that stops at the first failed record, so none runs twice or out of order."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor
from aws_lambda_powertools.utilities.batch.base import FailureResponse, SuccessResponse
from aws_lambda_powertools.utilities.batch.exceptions import ExceptionInfo


class StreamCircuitBreakerError(Exception):
    """The record was not run: an earlier record of its batch failed."""


class OrderedStreamProcessor(BatchProcessor):
    """BatchProcessor for Kinesis and DynamoDB Streams that keeps each shard's order.

    Lambda checkpoints a stream at the lowest failed sequence number and delivers every record
    after it again. BatchProcessor goes on after a failure, so the records after it would run
    now and once more on redelivery, before the one that failed. This processor reports the
    first failure and every later record without running them, as Powertools'
    SqsFifoPartialProcessor does for FIFO queues.
    """

    circuit_breaker: ExceptionInfo = (
        StreamCircuitBreakerError,
        StreamCircuitBreakerError("not run: an earlier record of this batch failed"),
        None,
    )

    def _process_record(self, record: dict[str, Any]) -> SuccessResponse | FailureResponse:
        if self.fail_messages:
            # The data class, never the model: a record that would not parse is still reported.
            skipped = self._to_batch_type(record=record, event_type=self.event_type)
            return self.failure_handler(record=skipped, exception=self.circuit_breaker)
        return super()._process_record(record)
