"""Lambda's event source mapping on one shard of a stream, played in the test process by
local/shards.py's Checkpoint (the rules `make local` plays too): moto holds the stream but
cannot run the mapping."""

from dataclasses import dataclass, field

from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.typing import LambdaContext

from {{ cookiecutter.package_name }}.handler import lambda_handler

from .support import item_identifier
from local.shards import Checkpoint, Record, StreamSettings

# Smaller than the mapping's BatchSize, so that a few records make several batches.
BATCH_SIZE = 4


@dataclass
class ShardPoller:
    """The records of one shard, read back from moto, handed to lambda_handler batch by batch
    as {{ facts.stack }}'s retry settings say (see local/shards.py). An invocation that raised
    BatchProcessingError (every record failed) is the function's error, as Lambda sees it."""

    records: list[Record]
    max_retries: int
    bisect: bool
    batch_size: int = BATCH_SIZE
    invocations: int = 0
    given_up: list[list[str]] = field(default_factory=list)  # sequence numbers, by batch
    read_so_far: int = field(default=0, init=False)

    def read(self, limit: int) -> list[Record]:
        """The next records the checkpoint has not read yet."""
        start, self.read_so_far = self.read_so_far, self.read_so_far + limit
        return self.records[start : self.read_so_far]

    def sequence_number(self, record: Record) -> str:
        return item_identifier(record)

    def run(self, context: LambdaContext) -> None:
        settings = StreamSettings(
            self.batch_size, self.max_retries, self.bisect, reports_failures=True
        )
        checkpoint = Checkpoint(self, settings)
        while batch := checkpoint.next_batch():
            self.invocations += 1
            try:
                response = lambda_handler({"Records": batch}, context)
            except BatchProcessingError:  # every record failed: the invocation is an error
                settled = checkpoint.settle(batch, None, function_error=True)
            else:
                settled = checkpoint.settle(batch, response)
            if settled.given_up:
                self.given_up.append([item_identifier(record) for record in settled.given_up])
