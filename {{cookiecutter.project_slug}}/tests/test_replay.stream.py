"""`make replay` on moto's server: the destination's messages name ranges of {{ source.label }},
which ops/replay.py reads back and runs through lambda_handler (in this process, where AWS would
take a synchronous Invoke), deleting a message only once its every record succeeded."""

import argparse
import io
import json
import uuid
from collections.abc import {% if source.decoded_payload %}Callable, {% endif %}Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
{%- if source.decoded_payload %}
from decimal import Decimal
{%- endif %}
from typing import TYPE_CHECKING, Any, cast

import boto3
import pytest
{%- if source.decoded_payload %}
from boto3.dynamodb.types import TypeSerializer
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
{%- endif %}

{% set module, name = facts.rule.split(".") -%}
from {{ cookiecutter.package_name }} import {{ module }} as uses_fulfil_order
from {{ cookiecutter.package_name }}.handler import lambda_handler
from {{ cookiecutter.package_name }}.orders import OrderRejectedError
from {{ cookiecutter.package_name }}.schema import Order

from .support import VALID_ORDER
from local.context import LocalLambdaContext
{%- if source.decoded_payload %}
from local.template import load_template
{%- endif %}
from ops import replay
from ops.queues import look
from ops.ranges import BATCH_INFO, Range
from ops.replay import Answer, HandlerInvoke, LambdaInvoke, Replay, failed_records
from ops.streams import RangeGoneError, StreamReader, collect
from ops.targets import OperationError, Targets

if TYPE_CHECKING:
{%- if source.decoded_payload %}
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient
{%- else %}
    from mypy_boto3_kinesis import KinesisClient
{%- endif %}
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_sqs import SQSClient

REGION = "{{ cookiecutter.aws_region }}"


@dataclass
class Warehouse:
    """Stands in for the business rule, fulfil_order, where the record handler reaches it: a
    bug rejects the orders in `broken` until it is fixed."""

    broken: set[str] = field(default_factory=set)
    fulfilled: list[str] = field(default_factory=list)

    def __call__(self, order: Order) -> str:
        if order.order_id in self.broken:
            raise OrderRejectedError(f"order {order.order_id}: the warehouse's bug")
        self.fulfilled.append(order.order_id)
        return order.order_id


@pytest.fixture
def warehouse(monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    warehouse = Warehouse()
    monkeypatch.setattr(uses_fulfil_order, "{{ name }}", warehouse)
    return warehouse


@pytest.fixture
def session(moto_endpoint: str) -> boto3.Session:
    return boto3.Session(region_name=REGION)


@pytest.fixture
def sqs(session: boto3.Session) -> "SQSClient":
    return session.client("sqs")


@pytest.fixture
def destination(sqs: "SQSClient") -> str:
    """The on-failure destination: a queue of this test's own."""
    return sqs.create_queue(QueueName=f"destination-{uuid.uuid4().hex[:8]}")["QueueUrl"]


def order(label: str) -> dict[str, Any]:
    """A valid order, its id unique to this run (the idempotency table outlives a test)."""
    return {**VALID_ORDER, "order_id": f"{label}-{uuid.uuid4().hex[:8]}"}


@dataclass
class Stream:
    """A one-shard stream of this test's own; its orders' sequence numbers, in order."""

    arn: str
    shard_id: str
    numbers: list[str] = field(default_factory=list)
{%- if source.decoded_payload %}


@pytest.fixture
def stream(session: boto3.Session) -> Iterator[Stream]:
    """A table keyed and streamed as {{ facts.stack }}'s SourceTable; its stream."""
    (declared,) = (
        resource["Properties"]
        for resource in load_template()["Resources"].values()
        if resource["Type"] == "AWS::DynamoDB::Table"
        and "StreamSpecification" in resource["Properties"]
    )
    dynamodb = session.client("dynamodb")
    name = f"orders-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=name,
        KeySchema=declared["KeySchema"],
        AttributeDefinitions=declared["AttributeDefinitions"],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    arn = dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    streams: DynamoDBStreamsClient = session.client("dynamodbstreams")
    (shard,) = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    try:
        yield Stream(arn, shard["ShardId"])
    finally:
        dynamodb.delete_table(TableName=name)


def put(session: boto3.Session, stream: Stream, orders: list[dict[str, Any]]) -> list[str]:
    """Put each order in the table, in order: an INSERT record each; their sequence numbers."""
    table = stream.arn.split("/")[1]
    serialize = TypeSerializer().serialize
    dynamodb = session.client("dynamodb")
    for payload in orders:
        item = json.loads(json.dumps(payload), parse_float=Decimal)
        dynamodb.put_item(TableName=table, Item={k: serialize(v) for k, v in item.items()})
    streams: DynamoDBStreamsClient = session.client("dynamodbstreams")
    iterator = streams.get_shard_iterator(
        StreamArn=stream.arn, ShardId=stream.shard_id, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = streams.get_records(ShardIterator=iterator, Limit=1000)["Records"]
    stream.numbers = [record["dynamodb"]["SequenceNumber"] for record in records]
    return stream.numbers[-len(orders) :]


def trim_before(session: boto3.Session, oldest: str) -> None:
    """Answer as DynamoDB Streams does for a record past its 24-hour retention
    (TrimmedDataAccessException). moto keeps every record and fails (500) on a sequence number
    before its oldest, so this answers GetShardIterator there before moto is asked."""

    def trimmed(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        number = json.loads(params["body"]).get("SequenceNumber")  # the request, serialized
        if number is None or int(number) >= int(oldest):
            return None
        error = {"Code": "TrimmedDataAccessException", "Message": "the data has been trimmed"}
        return AWSResponse("", 400, HTTPHeaders(), None), {"Error": error, "ResponseMetadata": {}}

    # A before-call handler that returns a response answers in the service's place.
    answer = cast("Callable[..., None]", trimmed)
    session.events.register("before-call.dynamodb-streams.GetShardIterator", answer)
{%- else %}


@pytest.fixture
def stream(session: boto3.Session) -> Iterator[Stream]:
    kinesis: KinesisClient = session.client("kinesis")
    name = f"orders-{uuid.uuid4().hex[:8]}"
    kinesis.create_stream(StreamName=name, ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    (shard,) = kinesis.list_shards(StreamARN=arn)["Shards"]
    try:
        yield Stream(arn, shard["ShardId"])
    finally:
        kinesis.delete_stream(StreamARN=arn)


def put(session: boto3.Session, stream: Stream, orders: list[dict[str, Any]]) -> list[str]:
    """Put each order on the stream, one at a time, in order; their sequence numbers."""
    kinesis: KinesisClient = session.client("kinesis")
    numbers = [
        kinesis.put_record(
            StreamARN=stream.arn, Data=json.dumps(payload).encode(), PartitionKey="c-1"
        )["SequenceNumber"]
        for payload in orders
    ]
    stream.numbers += numbers
    return numbers


def trim_before(session: boto3.Session, oldest: str) -> None:
    """Kinesis hands an iterator at a sequence number past its retention from the oldest
    record it holds, and so does moto for a number before its first: nothing to fake."""
{%- endif %}


def send_range(
    sqs: "SQSClient", destination: str, stream: Stream, first: str, last: str, count: int
) -> str:
    """Send the destination the record Lambda sends when it gives up a batch; its message id."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    body = {
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "functionArn": f"arn:aws:lambda:{REGION}:123456789012:function:processor",
            "condition": "RetryAttemptsExhausted",
            "approximateInvokeCount": 3,
        },
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
        "version": "1.0",
        "timestamp": now,
        BATCH_INFO: {
            "shardId": stream.shard_id,
            "startSequenceNumber": first,
            "endSequenceNumber": last,
            "approximateArrivalOfFirstRecord": now,
            "approximateArrivalOfLastRecord": now,
            "batchSize": count,
            "streamArn": stream.arn,
        },
    }
    return sqs.send_message(QueueUrl=destination, MessageBody=json.dumps(body))["MessageId"]


def held(sqs: "SQSClient", destination: str) -> list[str]:
    """The ids of the messages the destination holds, visible (a look consumes nothing)."""
    return sorted(message.id for message in look(sqs, destination))


def replayer(
    session: boto3.Session,
    destination: str,
    lines: list[str],
    context: LocalLambdaContext,
    batch_size: int = 10,
) -> Replay:
    invoke = HandlerInvoke(lambda_handler, context)
    reader = StreamReader(session)
    return Replay(session.client("sqs"), destination, reader, invoke, lines.append, batch_size)


def test_after_the_fix_a_replay_runs_exactly_the_range_and_deletes_its_message(
    session: boto3.Session,
    sqs: "SQSClient",
    destination: str,
    stream: Stream,
    warehouse: Warehouse,
    lambda_context: LocalLambdaContext,
) -> None:
    orders = [order("before"), order("poison"), order("behind"), order("after")]
    numbers = put(session, stream, orders)
    # Lambda gave up the poison order and the one behind it in its batch.
    send_range(sqs, destination, stream, numbers[1], numbers[2], count=2)
    lines: list[str] = []

    done = replayer(session, destination, lines, lambda_context).run()

    assert sorted(warehouse.fulfilled) == sorted([orders[1]["order_id"], orders[2]["order_id"]])
    assert (done.replayed, done.kept, done.ok, done.failed) == (1, 0, 2, 0)
    assert held(sqs, destination) == []
    assert "replayed 2 records: deleted" in lines[-1]


def test_before_the_fix_the_message_is_kept_and_the_failing_record_named(
    session: boto3.Session,
    sqs: "SQSClient",
    destination: str,
    stream: Stream,
    warehouse: Warehouse,
    lambda_context: LocalLambdaContext,
) -> None:
    orders = [order("poison"), order("behind")]
    poison, behind = put(session, stream, orders)
    message = send_range(sqs, destination, stream, poison, behind, count=2)
    warehouse.broken.add(orders[0]["order_id"])
    lines: list[str] = []

    # A record a batch: the one behind the poison waits for it, as in the shard.
    done = replayer(session, destination, lines, lambda_context, batch_size=1).run()

    assert (done.replayed, done.kept, done.failed, done.not_run) == (0, 1, 1, 1)
    assert warehouse.fulfilled == []
    (failed_line,) = [line for line in lines if "failed again" in line]
    assert f"1 record {poison} (the function raised BatchProcessingError" in failed_line
    assert failed_line.endswith("; 1 behind them not run")
    assert held(sqs, destination) == [message]

    # Fixed: the kept message replays, and goes.
    warehouse.broken.clear()
    again = replayer(session, destination, [], lambda_context).run()
    assert (again.replayed, again.kept) == (1, 0)
    assert warehouse.fulfilled.count(orders[0]["order_id"]) == 1
    assert held(sqs, destination) == []


def test_a_range_partly_past_retention_is_reported_and_its_message_kept(
    session: boto3.Session,
    sqs: "SQSClient",
    destination: str,
    stream: Stream,
    warehouse: Warehouse,
    lambda_context: LocalLambdaContext,
) -> None:
    orders = [order("left-1"), order("left-2")]
    numbers = put(session, stream, orders)
    # The range began one record earlier, which the stream no longer holds.
    before_the_oldest = str(int(stream.numbers[0]) - 1)
    trim_before(session, oldest=stream.numbers[0])
    message = send_range(sqs, destination, stream, before_the_oldest, numbers[-1], count=3)
    lines: list[str] = []

    done = replayer(session, destination, lines, lambda_context).run()

    (lost,) = [line for line in lines if "past retention" in line]
    assert f"1 of the 3 records of {stream.shard_id} {before_the_oldest}.." in lost
    # What is left of the range is replayed all the same; the message stays.
    assert sorted(warehouse.fulfilled) == sorted(o["order_id"] for o in orders)
    assert (done.past_retention, done.ok, done.kept, done.replayed) == (1, 2, 1, 0)
    assert held(sqs, destination) == [message]


def test_a_dry_run_reads_and_counts_and_invokes_nothing(
    session: boto3.Session,
    sqs: "SQSClient",
    destination: str,
    stream: Stream,
    warehouse: Warehouse,
) -> None:
    numbers = put(session, stream, [order("dry-1"), order("dry-2"), order("dry-3")])
    first = send_range(sqs, destination, stream, numbers[0], numbers[1], count=2)
    second = send_range(sqs, destination, stream, numbers[2], numbers[2], count=1)
    parser = argparse.ArgumentParser()
    replay.add_arguments(parser)
    targets = Targets(dead_letter_queue_url=destination, log_group=None, function_name=None)
    lines: list[str] = []

    arguments = parser.parse_args(["--dry-run", "--max", "1"])

    status = replay.command(arguments, session, targets, lines.append)

    assert status == 0
    assert warehouse.fulfilled == []
    assert lines[-1].startswith("replay (dry run): 1 message, 2 records to replay, 0 past")
    assert held(sqs, destination) == sorted([first, second])


def test_a_replay_needs_the_function_but_a_dry_run_does_not(
    session: boto3.Session, destination: str
) -> None:
    parser = argparse.ArgumentParser()
    replay.add_arguments(parser)
    targets = Targets(dead_letter_queue_url=destination, log_group=None, function_name=None)

    with pytest.raises(OperationError, match="--function"):
        replay.command(parser.parse_args([]), session, targets, lambda _line: None)
    with pytest.raises(SystemExit):
        parser.parse_args(["--max", "0"])


def test_a_message_of_another_shape_is_kept_with_one_line(
    session: boto3.Session, sqs: "SQSClient", destination: str, lambda_context: LocalLambdaContext
) -> None:
    message = sqs.send_message(QueueUrl=destination, MessageBody='{"hello": "world"}')["MessageId"]
    lines: list[str] = []

    done = replayer(session, destination, lines, lambda_context).run()

    assert done.kept == 1
    (line,) = lines
    assert line.startswith(f"{message}: no {BATCH_INFO}: expected Lambda's on-failure record")
    assert line.endswith("; kept")
    assert held(sqs, destination) == [message]


ALL = ["1", "2", "3"]


def kinesis_like(number: str) -> dict[str, Any]:
    return {"kinesis": {"sequenceNumber": number}}


@pytest.mark.parametrize(
    ("answer", "failed"),
    [
        pytest.param(Answer(None), [], id="no response"),
        pytest.param(Answer({"batchItemFailures": []}), [], id="no failures"),
        pytest.param(Answer({"batchItemFailures": [{"itemIdentifier": "2"}]}), ["2"], id="one"),
        pytest.param(Answer(None, "BatchProcessingError: all failed"), ALL, id="raised"),
        pytest.param(Answer({"batchItemFailures": [{"itemIdentifier": "9"}]}), ALL, id="unknown"),
        pytest.param(Answer({"batchItemFailures": [{"itemIdentifier": ""}]}), ALL, id="empty id"),
        pytest.param(Answer("nonsense"), ALL, id="not an object"),
    ],
)
def test_failed_records_follow_lambdas_rules_for_streams(answer: Answer, failed: list[str]) -> None:
    batch = [kinesis_like(number) for number in ALL]
    assert failed_records(batch, answer) == failed


def test_a_range_the_stream_holds_none_of_is_reported() -> None:
    span = Range("arn:aws:kinesis:x:1:stream/s", "shard-0", "5", "7", 3, datetime.now(UTC), "c")

    past_its_end = collect(span, iter([kinesis_like("9")]))
    assert (past_its_end.records, past_its_end.lost) == ([], 3)
    assert past_its_end.problem == "the stream holds none of them"

    def shard_gone() -> Iterator[dict[str, Any]]:
        raise RangeGoneError("ResourceNotFoundException: no such shard")
        yield {}  # pragma: no cover

    gone = collect(span, shard_gone())
    assert (gone.lost, gone.problem) == (3, "ResourceNotFoundException: no such shard")
    complete = collect(span, iter([kinesis_like(n) for n in ("5", "6", "7", "8")]))
    assert (len(complete.records), complete.lost, complete.problem) == (3, 0, None)


class FakeLambda:
    """Lambda's Invoke answer, as boto3 gives it."""

    def __init__(self, payload: bytes, function_error: str | None = None) -> None:
        self.payload = payload
        self.function_error = function_error
        self.events: list[dict[str, Any]] = []

    def invoke(self, **request: Any) -> dict[str, Any]:
        self.events.append(json.loads(request["Payload"]))
        assert request["InvocationType"] == "RequestResponse"
        answer: dict[str, Any] = {"StatusCode": 200, "Payload": io.BytesIO(self.payload)}
        if self.function_error:
            answer["FunctionError"] = self.function_error
        return answer


def test_the_deployed_function_is_read_by_its_function_error_and_partial_response() -> None:
    event = {"Records": [kinesis_like("1")]}
    partial = FakeLambda(b'{"batchItemFailures": [{"itemIdentifier": "1"}]}')
    error = {"errorType": "BatchProcessingError", "errorMessage": "all failed"}
    raised = FakeLambda(json.dumps(error).encode(), "Unhandled")

    assert LambdaInvoke(cast("LambdaClient", partial), "f")(event) == Answer(
        {"batchItemFailures": [{"itemIdentifier": "1"}]}
    )
    assert partial.events == [event]
    assert LambdaInvoke(cast("LambdaClient", raised), "f")(event) == Answer(
        None, "BatchProcessingError: all failed"
    )
