"""Lambda's DynamoDB Streams event source mapping, played on this machine (the shard by shard
rules are in local/shards.py). Each order is put in the table: one INSERT record each. A table
holds typed values, never bytes that do not parse, so the demo's corrupt order is an item whose
customer_id is a number where the order needs text."""

import json
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeSerializer

from .demo import DemoOrder, Fate, labels, order
from .shards import Record, Shard, StreamMapping
from ops.streams import table_record

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient

# A record as Lambda's event carries it: ops/streams.py shapes it, for `make replay` too (the name
# the tests know it by).
lambda_record = table_record


class TableShard:
    """One shard of the table's stream, read with GetRecords from TRIM_HORIZON."""

    def __init__(self, streams: "DynamoDBStreamsClient", stream_arn: str, shard_id: str) -> None:
        self.streams = streams
        self.stream_arn = stream_arn
        self.shard_id = shard_id
        self.iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]

    def read(self, limit: int) -> list[Record]:
        page = self.streams.get_records(ShardIterator=self.iterator, Limit=limit)
        self.iterator = page["NextShardIterator"]
        return [table_record(record, self.stream_arn) for record in page["Records"]]

    def sequence_number(self, record: Record) -> str:
        return str(record["dynamodb"]["SequenceNumber"])

    def arrival(self, record: Record) -> float:
        return float(record["dynamodb"]["ApproximateCreationDateTime"])


class Mapping(StreamMapping):
    """The function's DynamoDB event: the table whose stream it reads, and the orders put."""

    BATCH_INFO = "DDBStreamBatchInfo"

    def send(self, mix: list[DemoOrder]) -> None:
        """Put each order in the table, one at a time, in order."""
        dynamodb: DynamoDBClient = self.resources.client("dynamodb")
        table = self.stream_arn.split("/")[1]
        serialize = TypeSerializer().serialize
        for message in mix:
            payload = message.order or order(message.order_id, customer_id=42)
            if message.order is None:
                message = replace(message, kind="corrupt: customer_id is a number")
            item: dict[str, Any] = json.loads(json.dumps(payload), parse_float=Decimal)
            dynamodb.put_item(TableName=table, Item={k: serialize(v) for k, v in item.items()})
            self.fates[message.order_id] = Fate(message)
        self.trace(f"put {len(self.fates)} in {table}: {labels(list(self.fates.values()))}")

    def open_shards(self) -> list[Shard]:
        streams: DynamoDBStreamsClient = self.resources.client("dynamodbstreams")
        description = streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]
        return [
            TableShard(streams, self.stream_arn, shard["ShardId"])
            for shard in description["Shards"]
        ]

    def fate(self, record: Record) -> Fate:
        (key,) = record["dynamodb"]["Keys"].values()
        return self.fates[str(next(iter(key.values())))]
