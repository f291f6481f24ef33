"""Lambda's Kinesis event source mapping, played on this machine (the shard by shard rules are
in local/shards.py). The demo's records share a partition key, a customer's, so they land on
one shard, in order."""

import base64
from typing import TYPE_CHECKING

from .demo import DemoOrder, Fate, labels
from .shards import Record, Shard, StreamMapping

if TYPE_CHECKING:
    from mypy_boto3_kinesis import KinesisClient
    from mypy_boto3_kinesis.type_defs import RecordTypeDef

PARTITION_KEY = "c-1"
# The role Lambda reads the stream with, as the event names it.
INVOKE_IDENTITY_ARN = "arn:aws:iam::123456789012:role/processor-role"


def lambda_record(record: "RecordTypeDef", shard_id: str, stream_arn: str) -> Record:
    """A record as GetRecords returns it, shaped as in Lambda's event: boto3 decodes the data
    to bytes and the arrival time to a datetime; Lambda sends base64 and epoch seconds."""
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": record["PartitionKey"],
            "sequenceNumber": record["SequenceNumber"],
            "data": base64.b64encode(record["Data"]).decode("ascii"),
            "approximateArrivalTimestamp": record["ApproximateArrivalTimestamp"].timestamp(),
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{shard_id}:{record['SequenceNumber']}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": INVOKE_IDENTITY_ARN,
        "awsRegion": stream_arn.split(":")[3],
        "eventSourceARN": stream_arn,
    }


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
        return [lambda_record(record, self.shard_id, self.stream_arn) for record in page["Records"]]

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
