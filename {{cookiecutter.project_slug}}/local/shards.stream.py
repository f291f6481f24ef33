{% import "shared/local/checkpoint.py" as pieces -%}
"""Lambda's event source mapping for a stream, played on this machine shard by shard, as
{{ facts.stack }}'s stream event configures it. Checkpoint holds the rules (the tests drive it too,
through tests/shard_poller.py):

- Each invocation gets up to BatchSize records from the shard's checkpoint, in order.
- No failure reported: the checkpoint moves past the batch.
- Failures reported (ReportBatchItemFailures): the checkpoint moves to the lowest sequence number
  reported, and the next batch starts there.
- The invocation raised (every record failed) and BisectBatchOnFunctionError is on: the batch is
  split and its first half tried alone, which counts as no retry.
- The record at the checkpoint failed 1 + MaximumRetryAttempts times: the records of its batch
  from it on are given up. The OnFailure destination gets a message naming the shard and the
  range of sequence numbers (not the records, which stay readable in the stream), and the shard
  moves on.

MaximumRecordAgeInSeconds is not played: the demo's records are seconds old.
"""

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from .demo import DEAD_LETTERED, PROCESSED, DemoOrder, Fate, Trace, labels
from .resources import Resources, queue_messages
from .runtime_api import LocalFunction
from .template import mapped_source, mapping_of, on_failure, resource_name

{{ pieces.records() }}


class Shard(Records, Protocol):
    """One shard of the stream on moto."""

    shard_id: str

    def arrival(self, record: Record) -> float:
        """When the record reached the stream, in epoch seconds."""
        ...


{{ pieces.checkpoint() }}


class ShardMapping:
    """One shard's checkpoint, and the trace of the batches read from it."""

    def __init__(self, shard: Shard, mapping: "StreamMapping", name: str) -> None:
        self.shard = shard
        self.name = name
        self.mapping = mapping
        self.checkpoint = Checkpoint(self, mapping.settings)
        self.stretch: Stretch | None = None
        self.seen: dict[int, Fate] = {}  # every record read, by sequence number

    def read(self, limit: int) -> list[Record]:
        """The shard's next records, for the checkpoint; each one's fate kept by its number."""
        fresh = self.shard.read(limit)
        self.seen |= {int(self.sequence_number(r)): self.mapping.fate(r) for r in fresh}
        return fresh

    def sequence_number(self, record: Record) -> str:
        return self.shard.sequence_number(record)

    def turn(self, function: LocalFunction) -> bool:
        """Invoke the function with the next batch, if there is one; whether there was."""
        batch = self.checkpoint.next_batch()
        if not batch:
            return False
        fates = [self.mapping.fate(record) for record in batch]
        stretch = self.stretch = self.stretch or Stretch(fates[0].message.label)
        stretch.invocations += 1
        for fate in fates:
            fate.deliveries = (fate.deliveries or 0) + 1
        answer = function.invoke({"Records": batch})
        settled = self.checkpoint.settle(
            batch, answer.response, function_error=answer.error is not None
        )
        if settled.bisected:
            stretch.bisections += 1
            return True
        for fate in map(self.mapping.fate, settled.succeeded):
            fate.successes = (fate.successes or 0) + 1
            if fate not in stretch.ok:
                stretch.ok.append(fate)
        for fate in map(self.mapping.fate, settled.passed):
            if not fate.ended:
                fate.ended, fate.detail = PROCESSED, "checkpointed past it"
        if settled.given_up:
            self.give_up(settled, function)
        elif settled.failed is None:
            self.close_stretch(f"all ok -> checkpoint past {fates[-1].message.label}")
        elif settled.passed:
            failed = self.mapping.fate(settled.failed)
            self.close_stretch(f"{failed.message.label} failed -> checkpoint at it")
        return True

    def give_up(self, settled: Settled, function: LocalFunction) -> None:
        """Send the range given up to the OnFailure destination."""
        batch = settled.given_up
        first, last = batch[0], batch[-1]
        self.mapping.on_failure(
            {
                "requestContext": {
                    "requestId": str(uuid.uuid4()),
                    "functionArn": function.arn,
                    "condition": "RetryAttemptsExhausted",
                    "approximateInvokeCount": settled.tries,
                },
                "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
                "version": "1.0",
                "timestamp": iso_time(time.time()),
                self.mapping.BATCH_INFO: {
                    "shardId": self.shard.shard_id,
                    "startSequenceNumber": self.shard.sequence_number(first),
                    "endSequenceNumber": self.shard.sequence_number(last),
                    "approximateArrivalOfFirstRecord": iso_time(self.shard.arrival(first)),
                    "approximateArrivalOfLastRecord": iso_time(self.shard.arrival(last)),
                    "batchSize": len(batch),
                    "streamArn": self.mapping.stream_arn,
                },
            }
        )
        given_up = [self.mapping.fate(record) for record in batch]
        self.close_stretch(
            f"{given_up[0].message.label} failed {settled.tries} times -> gave up "
            f"{labels(given_up)}; {self.mapping.dead_letter_queue} gets their sequence numbers"
        )

    def close_stretch(self, outcome: str) -> None:
        stretch, self.stretch = self.stretch, None
        if stretch is None:
            return
        bisected = f", {stretch.bisections} bisected" if stretch.bisections else ""
        count = f"{stretch.invocations} invocation{'s' if stretch.invocations > 1 else ''}"
        self.mapping.trace(
            f"{self.name} from {stretch.start}: {count}{bisected}; ok: {labels(stretch.ok)}"
        )
        self.mapping.trace.more(outcome)


def iso_time(epoch_seconds: float) -> str:
    return datetime.fromtimestamp(epoch_seconds, UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


class StreamMapping:
    """What the stream mappings share; mapping.py adds how records are written and read."""

    BATCH_INFO = "KinesisBatchInfo"  # the OnFailure message's key for the range

    def __init__(
        self, resources: Resources, function: str, trace: Trace, visibility_timeout: int
    ) -> None:
        template = resources.template
        _kind, event = mapping_of(template, function, "Kinesis", "DynamoDB")
        source = resource_name(template, mapped_source(event))
        dead_letter_queue = resource_name(template, on_failure(event))
        if dead_letter_queue is None:
            raise LookupError("the OnFailure destination is no queue of {{ facts.stack }}")
        self.resources = resources
        self.trace = trace
        self.settings = StreamSettings.of(event)
        self.stream_arn = str(resources.resolve(mapped_source(event)))
        self.sqs = resources.sqs()
        self.dead_letter_queue = dead_letter_queue
        self.dlq_url = resources.values[dead_letter_queue]
        self.fates: dict[str, Fate] = {}
        self.shards: list[ShardMapping] = []
        self.dead_letters = 0
        self.setup = [
            f"{source}'s stream from {event.get('StartingPosition', 'TRIM_HORIZON')}: "
            f"BatchSize {self.settings.batch_size}, MaximumRetryAttempts "
            f"{self.settings.max_retries}"
            + (", BisectBatchOnFunctionError" if self.settings.bisect else "")
            + (", ReportBatchItemFailures" if self.settings.reports_failures else "")
            + f", OnFailure -> {dead_letter_queue}",
        ]

    def send(self, mix: list[DemoOrder]) -> None:
        raise NotImplementedError

    def open_shards(self) -> list[Shard]:
        raise NotImplementedError

    def fate(self, record: Record) -> Fate:
        raise NotImplementedError

    def settled(self) -> bool:
        return all(fate.ended for fate in self.fates.values())

    def turn(self, function: LocalFunction) -> None:
        """One batch from each shard that has records."""
        if not self.shards:
            shards = self.open_shards()
            self.shards = [
                ShardMapping(shard, self, f"shard {n}") for n, shard in enumerate(shards)
            ]
        busy = [shard.turn(function) for shard in self.shards]
        if not any(busy):
            time.sleep(0.05)

    def on_failure(self, message: dict[str, Any]) -> None:
        """Send a given-up batch's description to the OnFailure queue; mark the records its
        range covers, as read back from the queue."""
        self.sqs.send_message(QueueUrl=self.dlq_url, MessageBody=json.dumps(message))
        for sent in queue_messages(self.sqs, self.dlq_url):
            info = json.loads(sent["Body"])[self.BATCH_INFO]
            shard = next(s for s in self.shards if s.shard.shard_id == info["shardId"])
            first, last = int(info["startSequenceNumber"]), int(info["endSequenceNumber"])
            for number, fate in shard.seen.items():
                if first <= number <= last:
                    fate.ended = DEAD_LETTERED
                    fate.detail = "in the range an OnFailure message names"
