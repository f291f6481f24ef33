"""Lambda's DynamoDB Streams event source mapping, played on this machine (the shard by shard
rules are in local/shards.py). Each order is put in the table: one INSERT record each. A table
holds typed values, never bytes that do not parse, so the demo's corrupt order is an item whose
customer_id is a number where the order needs text."""

import base64
import json
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeSerializer

from .demo import DemoOrder, Fate, labels, order
from .shards import Record, Shard, StreamMapping

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient
    from mypy_boto3_dynamodbstreams.type_defs import RecordTypeDef

IMAGES = ("Keys", "NewImage", "OldImage")


def as_json(value: Any) -> Any:
    """Typed attribute values as Lambda's JSON carries them: boto3 decodes binary values
    ({"B": ...}, {"BS": [...]}) to bytes, Lambda sends them in base64."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


def lambda_record(record: "RecordTypeDef", stream_arn: str) -> Record:
    """A record as GetRecords returns it, shaped as in Lambda's event: boto3 turns the creation
    time into a datetime, Lambda sends epoch seconds; Lambda adds the stream's ARN and names the
    table's region (moto's records say us-east-1)."""
    change: dict[str, Any] = {
        part: as_json(value) if part in IMAGES else value
        for part, value in record["dynamodb"].items()
    }
    change["ApproximateCreationDateTime"] = int(change["ApproximateCreationDateTime"].timestamp())
    return {
        **record,
        "awsRegion": stream_arn.split(":")[3],
        "dynamodb": change,
        "eventSourceARN": stream_arn,
    }


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
        return [lambda_record(record, self.stream_arn) for record in page["Records"]]

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
