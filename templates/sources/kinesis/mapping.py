"""Lambda's Kinesis event source mapping, played on this machine (the shard by shard rules are
in local/shards.py). The demo's records share a partition key, a customer's, so they land on
one shard, in order."""

from typing import TYPE_CHECKING

from .demo import DemoOrder, Fate, labels
from .shards import Record, Shard, StreamMapping
from ops.streams import kinesis_record

if TYPE_CHECKING:
    from mypy_boto3_kinesis import KinesisClient

PARTITION_KEY = "c-1"
# A record as Lambda's event carries it: ops/streams.py shapes it, for `make replay` too (the name
# the tests know it by).
lambda_record = kinesis_record


class KinesisShard:
    """One shard of the stream, read with GetRecords from TRIM_HORIZON."""

    def __init__(self, kinesis: "KinesisClient", stream_arn: str, shard_id: str) -> None:
        self.kinesis = kinesis
        self.stream_arn = stream_arn
        self.shard_id = shard_id
        self.iterator = kinesis.get_shard_iterator(
            StreamARN=stream_arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]

    def read(self, limit: int) -> list[Record]:
        page = self.kinesis.get_records(
            ShardIterator=self.iterator, Limit=limit, StreamARN=self.stream_arn
        )
        self.iterator = page["NextShardIterator"]
        return [
            kinesis_record(record, self.shard_id, self.stream_arn) for record in page["Records"]
        ]

    def sequence_number(self, record: Record) -> str:
        return str(record["kinesis"]["sequenceNumber"])

    def arrival(self, record: Record) -> float:
        return float(record["kinesis"]["approximateArrivalTimestamp"])


class Mapping(StreamMapping):
    """The function's Kinesis event: the stream it reads, and the records put."""

    BATCH_INFO = "KinesisBatchInfo"

    def kinesis(self) -> "KinesisClient":
        client: KinesisClient = self.resources.client("kinesis")
        return client

    def send(self, mix: list[DemoOrder]) -> None:
        """Put each record on the stream, one at a time, in order."""
        kinesis = self.kinesis()
        for message in mix:
            put = kinesis.put_record(
                StreamARN=self.stream_arn,
                Data=message.as_text().encode(),
                PartitionKey=PARTITION_KEY,
            )
            self.fates[f"{put['ShardId']}:{put['SequenceNumber']}"] = Fate(message)
        self.trace(f"put {len(self.fates)}: {labels(list(self.fates.values()))}")

    def open_shards(self) -> list[Shard]:
        kinesis = self.kinesis()
        shards = kinesis.list_shards(StreamARN=self.stream_arn)["Shards"]
        return [KinesisShard(kinesis, self.stream_arn, shard["ShardId"]) for shard in shards]

    def fate(self, record: Record) -> Fate:
        return self.fates[record["eventID"]]
