"""Lambda's event source mapping on one shard of a stream, played in the test process: moto
holds the stream but cannot run the mapping."""

from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from {{ cookiecutter.package_name }}.handler import lambda_handler

from .support import record_id as sequence_number

# Smaller than the mapping's BatchSize, so that a few records make several batches.
BATCH_SIZE = 4


@dataclass
class ShardPoller:
    """Lambda's event source mapping on one shard, as template.yaml configures it.

    - Each invocation gets up to `batch_size` records from the checkpoint.
    - No failure reported: the checkpoint moves past the batch.
    - Failures reported (ReportBatchItemFailures): the checkpoint moves to the lowest sequence
      number reported, and the next batch starts there.
    - The invocation raised (every record failed) and `bisect` is on: the batch is split, and
      that counts as no retry. Lambda runs its two halves in turn; here the next batch is half
      the size, from the same checkpoint: the same records, in the same order.
    - The record at the checkpoint failed 1 + `max_retries` times: its batch is given up whole
      (the OnFailure destination gets its range of sequence numbers) and the shard moves on.
    """

    records: list[dict[str, Any]]
    max_retries: int
    bisect: bool
    batch_size: int = BATCH_SIZE
    invocations: int = 0
    given_up: list[list[str]] = field(default_factory=list)  # sequence numbers, by batch

    def run(self, context: LambdaContext) -> None:
        checkpoint = 0  # the position of the first record not done
        size = self.batch_size
        tries = 0  # the failed tries of the record at the checkpoint
        while checkpoint < len(self.records):
            batch = self.records[checkpoint : checkpoint + size]
            size = self.batch_size
            self.invocations += 1
            try:
                failed = first_failure(batch, lambda_handler({"Records": batch}, context))
            except BatchProcessingError:  # every record failed: the invocation is an error
                if self.bisect and len(batch) > 1:
                    size = len(batch) // 2
                    continue
                failed = 0
            if failed is None:
                checkpoint, tries = checkpoint + len(batch), 0
                continue
            checkpoint += failed
            tries = tries + 1 if failed == 0 else 1
            if tries > self.max_retries:
                self.given_up.append([sequence_number(record) for record in batch[failed:]])
                checkpoint, tries = checkpoint + len(batch) - failed, 0


def first_failure(batch: list[dict[str, Any]], response: PartialItemFailureResponse) -> int | None:
    """The position in the batch of the lowest sequence number the response reports, if any."""
    numbers = [sequence_number(record) for record in batch]
    reported = [str(item["itemIdentifier"]) for item in response["batchItemFailures"]]
    return min((numbers.index(number) for number in reported), default=None)
