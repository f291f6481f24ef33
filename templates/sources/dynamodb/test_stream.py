"""A DynamoDB table's stream on moto's server, read back and fed to the handler as Lambda would.

Changes go over real HTTP with real boto3 clients: orders put, updated and deleted in a table
keyed and streamed as {{ facts.stack }} declares it, the stream read back from TRIM_HORIZON, turned
into the records of Lambda's event by local/mapping.py's lambda_record, and handed to
lambda_handler by ShardPoller, which plays {{ facts.stack }}'s event source mapping (moto cannot run
it) by the rules of local/shards.py.
"""

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import boto3
import pytest

{% set module, name = facts.concurrency.rule.split(".") -%}
from {{ cookiecutter.package_name }} import {{ module }} as rule_module
from {{ cookiecutter.package_name }}.schema import Order

from .shard_poller import ShardPoller
from .support import VALID_ORDER, load_event
from .support import item_identifier as sequence_number
from local.context import LocalLambdaContext
from local.mapping import lambda_record
from local.template import event_source_mappings, functions, load_template, resource_name

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient

REGION = "{{ cookiecutter.aws_region }}"
# What an image holds varies with the item; the rest of a record has a fixed shape.
ITEM_PARTS = {"Keys", "NewImage", "OldImage"}


@pytest.fixture(scope="module")
def mapping() -> dict[str, Any]:
    """The settings of {{ facts.stack }}'s stream event source mapping that ShardPoller plays."""
    template = load_template()
    (function,) = functions(template)
    (properties,) = event_source_mappings(template, function).values()
    assert properties["StartingPosition"] == "TRIM_HORIZON"
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    return properties


@pytest.fixture
def dynamodb(moto_endpoint: str) -> "DynamoDBClient":
    return boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name=REGION)


@pytest.fixture
def streams(moto_endpoint: str) -> "DynamoDBStreamsClient":
    return boto3.client("dynamodbstreams", endpoint_url=moto_endpoint, region_name=REGION)


@pytest.fixture
def table(
    dynamodb: "DynamoDBClient", moto_endpoint: str, mapping: dict[str, Any]
) -> Iterator["Table"]:
    """A table of this test's own, keyed and streamed as the table whose stream the mapping
    reads ({{ facts.stack }}'s SourceTable)."""
    template = load_template()
    source = resource_name(template, mapping["EventSourceArn"])
    declared = template["Resources"][source]["Properties"]
    name = f"{{ cookiecutter.project_slug }}-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=name,
        KeySchema=declared["KeySchema"],
        AttributeDefinitions=declared["AttributeDefinitions"],
        BillingMode=declared["BillingMode"],
        StreamSpecification={
            "StreamEnabled": True,
            "StreamViewType": declared["StreamSpecification"]["StreamViewType"],
        },
    )
    try:
        yield boto3.resource("dynamodb", endpoint_url=moto_endpoint, region_name=REGION).Table(name)
    finally:
        dynamodb.delete_table(TableName=name)


@dataclass
class Warehouse:
    """Stands in for fulfil_order where record_handler calls it: keeps the (id, amount) of the
    orders it fulfilled, in order, and fails each order in `flaky` once (a timeout, say)."""

    fulfil: Callable[[Order], str]
    fulfilled: list[tuple[str, str]] = field(default_factory=list)
    flaky: set[str] = field(default_factory=set)

    def __call__(self, order: Order) -> str:
        if order.order_id in self.flaky:
            self.flaky.remove(order.order_id)
            raise TimeoutError(f"the warehouse did not answer for {order.order_id}")
        result = self.fulfil(order)  # the real one: a rejected order raises
        self.fulfilled.append((order.order_id, str(order.amount)))
        return result


@pytest.fixture
def warehouse(monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    # Whatever record_handler calls by that name (the idempotent wrapper, with idempotency).
    warehouse = Warehouse(vars(rule_module)["{{ name }}"])
    monkeypatch.setattr(rule_module, "{{ name }}", warehouse)
    return warehouse


def stored(value: Any) -> Any:
    """A value as boto3 writes it to DynamoDB: its floats as Decimal."""
    return json.loads(json.dumps(value), parse_float=Decimal)


def order(order_id: str, **changes: Any) -> dict[str, Any]:
    """A valid order as a DynamoDB item, with these fields changed."""
    item: dict[str, Any] = stored({**VALID_ORDER, "order_id": order_id, **changes})
    return item


def update(table: "Table", order_id: str, **changes: Any) -> None:
    """Change these fields of a stored order (one MODIFY record)."""
    table.update_item(
        Key={"order_id": order_id},
        UpdateExpression="SET " + ", ".join(f"#{name} = :{name}" for name in changes),
        ExpressionAttributeNames={f"#{name}": name for name in changes},
        ExpressionAttributeValues={f":{name}": stored(value) for name, value in changes.items()},
    )


def read_back(
    streams: "DynamoDBStreamsClient", table: "Table", at: str | None = None
) -> list[dict[str, Any]]:
    """The records of the table's stream from its oldest one (the mapping's TRIM_HORIZON), or
    from sequence number `at`, shaped as Lambda's event carries them. moto's stream has one
    shard; DynamoDB's has one per partition, each read in order like this one."""
    arn = table.latest_stream_arn
    (shard,) = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    if at is None:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
    else:
        iterator = streams.get_shard_iterator(
            StreamArn=arn,
            ShardId=shard["ShardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=at,
        )["ShardIterator"]
    records: list[dict[str, Any]] = []
    while True:  # until a page comes back empty: the shard's tip
        page = streams.get_records(ShardIterator=iterator, Limit=100)
        if not page["Records"]:
            return records
        records += [lambda_record(record, arn) for record in page["Records"]]
        iterator = page["NextShardIterator"]


def label(record: dict[str, Any]) -> str:
    """What a record is, for the assertions: "INSERT mix-1"."""
    return f"{record['eventName']} {record['dynamodb']['Keys']['order_id']['S']}"


def outline(value: Any) -> Any:
    """The keys and value types of a record, without its values (nor what its images hold)."""
    if isinstance(value, dict):
        return {key: "item" if key in ITEM_PARTS else outline(item) for key, item in value.items()}
    return type(value).__name__


def test_records_read_back_are_shaped_as_lambda_sends_them(
    table: "Table", streams: "DynamoDBStreamsClient"
) -> None:
    table.put_item(Item=order("shape-1"))
    update(table, "shape-1", customer_id="cust-2")
    table.delete_item(Key={"order_id": "shape-1"})

    records = read_back(streams, table)

    samples = load_event("all_good.json")["Records"]
    assert [record["eventName"] for record in samples] == ["INSERT", "MODIFY", "REMOVE"]
    assert [outline(record) for record in records] == [outline(sample) for sample in samples]
    assert records[1]["dynamodb"]["OldImage"]["customer_id"] == {"S": "cust-1"}
    assert records[1]["dynamodb"]["NewImage"]["customer_id"] == {"S": "cust-2"}
    assert records[0]["dynamodb"]["NewImage"]["amount"] == {"N": "0.3"}
    assert records[0]["eventSourceARN"] == table.latest_stream_arn


def test_a_mixed_stream_ends_with_each_good_change_fulfilled_and_each_bad_one_given_up(
    table: "Table",
    streams: "DynamoDBStreamsClient",
    warehouse: Warehouse,
    mapping: dict[str, Any],
    lambda_context: LocalLambdaContext,
) -> None:
    table.put_item(Item=order("mix-1"))
    table.put_item(Item=order("mix-2"))
    table.put_item(Item=order("mix-3", items=[]))  # invalid: no items
    update(table, "mix-1", items=[{**VALID_ORDER["items"][0], "quantity": 5}], amount=0.5)
    table.put_item(Item=order("mix-4", amount=99))  # rejected: does not match its items
    table.delete_item(Key={"order_id": "mix-2"})  # nothing to fulfil
    update(table, "mix-3", items=VALID_ORDER["items"])  # corrected
    table.put_item(Item=order("mix-5"))
    records = read_back(streams, table)
    labels = {sequence_number(record): label(record) for record in records}
    poller = ShardPoller(
        records,
        max_retries=mapping["MaximumRetryAttempts"],
        bisect=mapping["BisectBatchOnFunctionError"],
    )

    poller.run(lambda_context)

    given_up = [[labels[number] for number in batch] for batch in poller.given_up]
{%- if facts.ordering == "stop" %}
    # Each good change once, in stream order: the records behind a failure wait for it.
    assert warehouse.fulfilled == [
        ("mix-1", "0.3"),
        ("mix-2", "0.3"),
        ("mix-1", "0.5"),
        ("mix-3", "0.3"),
        ("mix-5", "0.3"),
    ]
    # Bisection isolates each bad record, which alone is given up.
    assert given_up == [["INSERT mix-3"], ["INSERT mix-4"]]
{%- else %}
    # The update of mix-1 runs with every try of the invalid mix-3 before it (the documented
    # trade-off). (Sorted: with concurrency=async the records of a batch run together.)
    tries = 1 + mapping["MaximumRetryAttempts"]
    assert sorted(warehouse.fulfilled) == sorted(
        [
            ("mix-1", "0.3"),
            ("mix-2", "0.3"),
            *[("mix-1", "0.5")] * tries,
            ("mix-3", "0.3"),
            ("mix-5", "0.3"),
        ]
    )
    # The batch that kept failing is given up whole, with the changes that did run.
    assert given_up == [["INSERT mix-3", "MODIFY mix-1", "INSERT mix-4", "REMOVE mix-2"]]
{%- endif %}
    # The destination names a range: the records can still be read back from the stream.
    for batch in poller.given_up:
        replayed = read_back(streams, table, at=batch[0])[: len(batch)]
        assert [sequence_number(record) for record in replayed] == batch
{%- if facts.ordering == "stop" %}


def test_without_bisection_a_bad_record_takes_the_good_ones_behind_it_down(
    table: "Table",
    streams: "DynamoDBStreamsClient",
    warehouse: Warehouse,
    mapping: dict[str, Any],
    lambda_context: LocalLambdaContext,
) -> None:
    """Why {{ facts.stack }} sets BisectBatchOnFunctionError: a batch that starts with a bad record
    fails whole, so the good records behind it are never run and are given up with it."""
    table.put_item(Item=order("mix-1"))
    table.put_item(Item=order("mix-2", items=[]))  # invalid
    table.put_item(Item=order("mix-3"))
    records = read_back(streams, table)
    labels = {sequence_number(record): label(record) for record in records}
    poller = ShardPoller(records, max_retries=mapping["MaximumRetryAttempts"], bisect=False)

    poller.run(lambda_context)

    assert warehouse.fulfilled == [("mix-1", "0.3")]
    assert [[labels[number] for number in batch] for batch in poller.given_up] == [
        ["INSERT mix-2", "INSERT mix-3"]
    ]
{%- endif %}


def test_a_failure_that_passes_on_retry_loses_nothing(
    table: "Table",
    streams: "DynamoDBStreamsClient",
    warehouse: Warehouse,
    mapping: dict[str, Any],
    lambda_context: LocalLambdaContext,
) -> None:
    ids = [f"flaky-{number}" for number in range(1, 6)]
    for order_id in ids:
        table.put_item(Item=order(order_id))
    warehouse.flaky.add("flaky-2")
    poller = ShardPoller(
        read_back(streams, table),
        max_retries=mapping["MaximumRetryAttempts"],
        bisect=mapping["BisectBatchOnFunctionError"],
    )

    poller.run(lambda_context)

    assert poller.invocations == 2  # the first batch, then again from flaky-2
    assert poller.given_up == []
    fulfilled = [order_id for order_id, _ in warehouse.fulfilled]
{%- if facts.ordering == "stop" %}
    assert fulfilled == ids  # each once, in order
{%- else %}
    # flaky-3 and flaky-4 ran before flaky-2, and again after it.
    assert fulfilled == ["flaky-1", "flaky-3", "flaky-4", *ids[1:]]
{%- endif %}
