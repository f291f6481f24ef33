"""A Kinesis stream on moto's server, read back and fed to the handler as Lambda would.

Records go over real HTTP with real boto3 clients: put on a one-shard stream, read back from
TRIM_HORIZON, turned into the records of Lambda's event by local/mapping.py's lambda_record, and
handed to lambda_handler by ShardPoller, which plays {{ facts.stack }}'s event source mapping (moto
cannot run it) by the rules of local/shards.py.
"""

import base64
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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
from local.template import event_source_mappings, functions, load_template

if TYPE_CHECKING:
    from mypy_boto3_kinesis import KinesisClient

REGION = "{{ cookiecutter.aws_region }}"
PARTITION_KEY = "cust-1"  # one customer: their orders stay in order


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
def kinesis(moto_endpoint: str) -> "KinesisClient":
    return boto3.client("kinesis", endpoint_url=moto_endpoint, region_name=REGION)


@pytest.fixture
def stream(kinesis: "KinesisClient") -> Iterator[str]:
    """A stream of this test's own, with one shard: {{ facts.stack }}'s stream is on demand, with
    several shards, each of which Lambda reads in order exactly like this one."""
    name = f"{{ cookiecutter.project_slug }}-{uuid.uuid4().hex[:8]}"
    kinesis.create_stream(StreamName=name, ShardCount=1)
    try:
        yield name
    finally:
        kinesis.delete_stream(StreamName=name)


@dataclass
class Warehouse:
    """Stands in for fulfil_order where record_handler calls it: keeps the ids of the orders it
    fulfilled, in order, and fails each order in `flaky` once (a timeout, say)."""

    fulfil: Callable[[Order], str]
    fulfilled: list[str] = field(default_factory=list)
    flaky: set[str] = field(default_factory=set)

    def __call__(self, order: Order) -> str:
        if order.order_id in self.flaky:
            self.flaky.remove(order.order_id)
            raise TimeoutError(f"the warehouse did not answer for {order.order_id}")
        result = self.fulfil(order)  # the real one: a rejected order raises
        self.fulfilled.append(order.order_id)
        return result


@pytest.fixture
def warehouse(monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    # Whatever record_handler calls by that name (the idempotent wrapper, with idempotency).
    warehouse = Warehouse(vars(rule_module)["{{ name }}"])
    monkeypatch.setattr(rule_module, "{{ name }}", warehouse)
    return warehouse


def order(order_id: str, **changes: Any) -> bytes:
    """A valid order as JSON bytes, with these fields changed."""
    return json.dumps({**VALID_ORDER, "order_id": order_id, **changes}).encode()


def put(kinesis: "KinesisClient", stream: str, payloads: list[bytes]) -> list[str]:
    """Put the payloads one at a time (PutRecords does not promise their order); their
    sequence numbers."""
    return [
        kinesis.put_record(StreamName=stream, Data=data, PartitionKey=PARTITION_KEY)[
            "SequenceNumber"
        ]
        for data in payloads
    ]


def read_back(kinesis: "KinesisClient", stream: str, at: str | None = None) -> list[dict[str, Any]]:
    """The records of the stream's shard from its oldest one (the mapping's TRIM_HORIZON), or
    from sequence number `at`, shaped as Lambda's event carries them."""
    arn = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"][
        "StreamARN"
    ]
    (shard,) = kinesis.list_shards(StreamName=stream)["Shards"]
    if at is None:
        iterator = kinesis.get_shard_iterator(
            StreamName=stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
    else:
        iterator = kinesis.get_shard_iterator(
            StreamName=stream,
            ShardId=shard["ShardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=at,
        )["ShardIterator"]
    records: list[dict[str, Any]] = []
    while True:  # until a page comes back empty: the shard's tip
        page = kinesis.get_records(ShardIterator=iterator, Limit=100)
        if not page["Records"]:
            return records
        records += [lambda_record(record, shard["ShardId"], arn) for record in page["Records"]]
        iterator = page["NextShardIterator"]


def outline(value: Any) -> Any:
    """The keys and value types of a record, without its values."""
    if isinstance(value, dict):
        return {key: outline(item) for key, item in value.items()}
    return type(value).__name__


def test_records_read_back_are_shaped_as_lambda_sends_them(
    kinesis: "KinesisClient", stream: str
) -> None:
    payloads = [order("shape-1"), b"\xff not JSON"]
    numbers = put(kinesis, stream, payloads)

    records = read_back(kinesis, stream)

    sample = load_event("all_good.json")["Records"][0]
    assert [outline(record) for record in records] == [outline(sample)] * len(payloads)
    assert [sequence_number(record) for record in records] == numbers
    assert [base64.b64decode(record["kinesis"]["data"]) for record in records] == payloads
    assert records[0]["eventSourceARN"].endswith(f":stream/{stream}")


def test_a_mixed_stream_ends_with_each_good_order_fulfilled_and_each_bad_record_given_up(
    kinesis: "KinesisClient",
    stream: str,
    warehouse: Warehouse,
    mapping: dict[str, Any],
    lambda_context: LocalLambdaContext,
) -> None:
    payloads = {
        "mix-1": order("mix-1"),
        "mix-2": order("mix-2"),
        "corrupt": b"\xff not JSON",
        "mix-3": order("mix-3"),
        "invalid": order("mix-invalid", items=[]),
        "rejected": order("mix-rejected", amount=99),  # does not match its items
        "mix-4": order("mix-4"),
        "mix-5": order("mix-5"),
    }
    labels = dict(zip(put(kinesis, stream, list(payloads.values())), payloads, strict=True))
    poller = ShardPoller(
        read_back(kinesis, stream),
        max_retries=mapping["MaximumRetryAttempts"],
        bisect=mapping["BisectBatchOnFunctionError"],
    )

    poller.run(lambda_context)

    given_up = [[labels[number] for number in batch] for batch in poller.given_up]
{%- if facts.ordering == "stop" %}
    # Each good order once, in stream order: the records behind a failure wait for it.
    assert warehouse.fulfilled == ["mix-1", "mix-2", "mix-3", "mix-4", "mix-5"]
    # Bisection isolates each bad record, which alone is given up.
    assert given_up == [["corrupt"], ["invalid"], ["rejected"]]
{%- else %}
    # mix-3 runs with every try of the corrupt record before it (the documented trade-off).
    tries = 1 + mapping["MaximumRetryAttempts"]
    # (Sorted: with concurrency=async the records of a batch run together.)
    assert sorted(warehouse.fulfilled) == sorted(
        ["mix-1", "mix-2", *["mix-3"] * tries, "mix-4", "mix-5"]
    )
    # The batch that kept failing is given up whole, mix-3 (done) with it.
    assert given_up == [["corrupt", "mix-3", "invalid", "rejected"]]
{%- endif %}
    # The destination names a range: the records can still be read back from the stream.
    for batch in poller.given_up:
        replayed = read_back(kinesis, stream, at=batch[0])[: len(batch)]
        assert [sequence_number(record) for record in replayed] == batch
{%- if facts.ordering == "stop" %}


def test_without_bisection_a_bad_record_takes_the_good_ones_behind_it_down(
    kinesis: "KinesisClient",
    stream: str,
    warehouse: Warehouse,
    mapping: dict[str, Any],
    lambda_context: LocalLambdaContext,
) -> None:
    """Why {{ facts.stack }} sets BisectBatchOnFunctionError: a batch that starts with a bad record
    fails whole, so the good records behind it are never run and are given up with it."""
    payloads = {"mix-1": order("mix-1"), "corrupt": b"\xff", "mix-2": order("mix-2")}
    labels = dict(zip(put(kinesis, stream, list(payloads.values())), payloads, strict=True))
    poller = ShardPoller(
        read_back(kinesis, stream), max_retries=mapping["MaximumRetryAttempts"], bisect=False
    )

    poller.run(lambda_context)

    assert warehouse.fulfilled == ["mix-1"]
    assert [[labels[number] for number in batch] for batch in poller.given_up] == [
        ["corrupt", "mix-2"]
    ]
{%- endif %}


def test_a_failure_that_passes_on_retry_loses_nothing(
    kinesis: "KinesisClient",
    stream: str,
    warehouse: Warehouse,
    mapping: dict[str, Any],
    lambda_context: LocalLambdaContext,
) -> None:
    ids = [f"flaky-{number}" for number in range(1, 6)]
    put(kinesis, stream, [order(order_id) for order_id in ids])
    warehouse.flaky.add("flaky-2")
    poller = ShardPoller(
        read_back(kinesis, stream),
        max_retries=mapping["MaximumRetryAttempts"],
        bisect=mapping["BisectBatchOnFunctionError"],
    )

    poller.run(lambda_context)

    assert poller.invocations == 2  # the first batch, then again from flaky-2
    assert poller.given_up == []
{%- if facts.ordering == "stop" %}
    assert warehouse.fulfilled == ids  # each once, in order
{%- else %}
    # flaky-3 and flaky-4 ran before flaky-2, and again after it.
    assert sorted(warehouse.fulfilled) == sorted(["flaky-1", "flaky-3", "flaky-4", *ids[1:]])
{%- endif %}
