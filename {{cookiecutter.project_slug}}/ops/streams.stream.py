"""Reading a range of records back from its stream, shaped as Lambda's event carries them.

The one place that knows both shapes: `make replay` (ops/replay.py) reads the ranges the
on-failure destination names with it, and `make local` (local/mapping.py) feeds the function
records shaped by it. A range is read from its first sequence number (GetShardIterator
AT_SEQUENCE_NUMBER) with GetRecords until its last one; Kinesis through `kinesis`, a DynamoDB
table's stream through `dynamodbstreams`, as the range's stream ARN says.
"""

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from .ranges import Range
from .targets import OperationError

if TYPE_CHECKING:
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient
    from mypy_boto3_dynamodbstreams.type_defs import RecordTypeDef as TableRecordTypeDef
    from mypy_boto3_kinesis import KinesisClient
    from mypy_boto3_kinesis.type_defs import RecordTypeDef as KinesisRecordTypeDef

Record = dict[str, Any]  # one record of Lambda's event

# The role Lambda reads a Kinesis stream with, as its event names it (a replay reads with yours).
INVOKE_IDENTITY_ARN = "arn:aws:iam::123456789012:role/processor-role"
# A DynamoDB stream record's parts that hold typed attribute values.
IMAGES = ("Keys", "NewImage", "OldImage")
PAGE_SIZE = 1000  # records per GetRecords
# GetRecords may answer empty pages before the next records (a sparse shard, or a position the
# retention has passed): after this many in a row, the range's end is taken as not there.
MAX_EMPTY_PAGES = 10
# What a stream answers for a range it no longer holds (or never held): reported, not raised.
GONE = {"ResourceNotFoundException", "TrimmedDataAccessException", "InvalidArgumentException"}


def kinesis_record(record: "KinesisRecordTypeDef", shard_id: str, stream_arn: str) -> Record:
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


def table_record(record: "TableRecordTypeDef", stream_arn: str) -> Record:
    """A DynamoDB stream record as GetRecords returns it, shaped as in Lambda's event: boto3
    turns the creation time into a datetime, Lambda sends epoch seconds; Lambda adds the
    stream's ARN and names the table's region (moto's records say us-east-1)."""
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


def sequence_number(record: Record) -> str:
    """A shaped record's sequence number, which batchItemFailures names it by."""
    if "kinesis" in record:
        return str(record["kinesis"]["sequenceNumber"])
    return str(record["dynamodb"]["SequenceNumber"])


class RangeGoneError(Exception):
    """The stream cannot give (the rest of) a range: the reason, in one line."""


@dataclass(frozen=True)
class Fetched:
    """What could be read of one range."""

    span: Range
    records: list[Record]
    # Why some or all of its records could not be read (None: all were).
    problem: str | None = None

    @property
    def lost(self) -> int:
        """How many of its records the stream no longer gives."""
        return max(self.span.count - len(self.records), 0) if self.problem else 0


def collect(span: Range, records: Iterator[Record]) -> Fetched:
    """The records of the range among those read from its start, and what is missing."""
    first, last = int(span.first), int(span.last)
    found: list[Record] = []
    problem = None
    try:
        for record in records:
            number = int(sequence_number(record))
            if number > last:
                break
            if number >= first:
                found.append(record)
            if number == last:
                break
    except RangeGoneError as gone:
        problem = str(gone)
    if not found:
        problem = problem or "the stream holds none of them"
    elif int(sequence_number(found[0])) > first:
        problem = problem or (
            f"the stream no longer holds its start: the oldest left is {sequence_number(found[0])}"
        )
    elif int(sequence_number(found[-1])) != last:
        problem = problem or f"its end {span.last} was not found"
    return Fetched(span, found, problem)


def gone(error: ClientError) -> RangeGoneError:
    details = error.response.get("Error", {})
    return RangeGoneError(f"{details.get('Code')}: {details.get('Message')}")


class StreamReader:
    """Reads ranges from the streams they name, with one session's clients."""

    def __init__(self, session: boto3.Session) -> None:
        self.session = session
        # Standard retries back off on ProvisionedThroughputExceededException (5 reads/s a shard).
        self.config = Config(retries={"mode": "standard", "max_attempts": 10})
        self._kinesis: KinesisClient | None = None
        self._streams: DynamoDBStreamsClient | None = None

    def fetch(self, span: Range) -> Fetched:
        service = span.source.split(":")[2] if span.source.count(":") >= 5 else ""
        if service == "kinesis":
            return collect(span, self.kinesis_records(span))
        if service == "dynamodb":
            return collect(span, self.table_records(span))
        raise OperationError(f"{span.source} is neither a Kinesis stream nor a DynamoDB stream")

    def kinesis(self) -> "KinesisClient":
        if self._kinesis is None:
            self._kinesis = self.session.client("kinesis", config=self.config)
        return self._kinesis

    def streams(self) -> "DynamoDBStreamsClient":
        if self._streams is None:
            self._streams = self.session.client("dynamodbstreams", config=self.config)
        return self._streams

    def kinesis_records(self, span: Range) -> Iterator[Record]:
        """A Kinesis shard's records from the range's first one, up to the shard's tip."""
        kinesis = self.kinesis()
        try:
            iterator: str | None = kinesis.get_shard_iterator(
                StreamARN=span.source,
                ShardId=span.place,
                ShardIteratorType="AT_SEQUENCE_NUMBER",
                StartingSequenceNumber=span.first,
            )["ShardIterator"]
            empty = 0
            while iterator and empty < MAX_EMPTY_PAGES:
                page = kinesis.get_records(
                    ShardIterator=iterator, Limit=PAGE_SIZE, StreamARN=span.source
                )
                for record in page["Records"]:
                    yield kinesis_record(record, span.place, span.source)
                empty = 0 if page["Records"] else empty + 1
                if not page["Records"] and page.get("MillisBehindLatest", 0) == 0:
                    return  # the shard's tip
                iterator = page.get("NextShardIterator")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in GONE:
                raise gone(error) from None
            raise

    def table_records(self, span: Range) -> Iterator[Record]:
        """A DynamoDB stream shard's records from the range's first one. A start past the
        24-hour retention is trimmed (TrimmedDataAccessException): what is left of the range is
        read from the shard's oldest record (TRIM_HORIZON)."""
        streams = self.streams()
        try:
            try:
                iterator: str | None = streams.get_shard_iterator(
                    StreamArn=span.source,
                    ShardId=span.place,
                    ShardIteratorType="AT_SEQUENCE_NUMBER",
                    SequenceNumber=span.first,
                )["ShardIterator"]
            except streams.exceptions.TrimmedDataAccessException:
                iterator = streams.get_shard_iterator(
                    StreamArn=span.source, ShardId=span.place, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            empty = 0
            while iterator and empty < MAX_EMPTY_PAGES:
                page = streams.get_records(ShardIterator=iterator, Limit=PAGE_SIZE)
                for record in page["Records"]:
                    yield table_record(record, span.source)
                empty = 0 if page["Records"] else empty + 1
                iterator = page.get("NextShardIterator")  # none: a closed shard, read to its end
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in GONE:
                raise gone(error) from None
            raise
