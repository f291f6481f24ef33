"""How a DynamoDB stream record carries its order: the new image, typed values turned plain."""

from decimal import Decimal

import pytest
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from {{ cookiecutter.package_name }}.records import order_from_record, plain, record_id

from .support import load_event


def test_reads_inserted_and_modified_orders_and_ignores_removed_ones() -> None:
    raw = load_event("all_good.json")["Records"]

    orders = [order_from_record(DynamoDBRecord(record)) for record in raw]

    assert [record["eventName"] for record in raw] == ["INSERT", "MODIFY", "REMOVE"]
    new_ids = [record["dynamodb"]["NewImage"]["order_id"]["S"] for record in raw[:2]]
    assert [order.order_id if order else None for order in orders] == [*new_ids, None]


def test_names_a_record_by_its_sequence_number() -> None:
    record = load_event("all_good.json")["Records"][0]

    assert record_id(record) == record["dynamodb"]["SequenceNumber"]
    assert record_id(DynamoDBRecord(record)) == record["dynamodb"]["SequenceNumber"]
    assert record_id({}) is None


def test_an_attribute_of_unknown_type_raises() -> None:
    record = DynamoDBRecord(load_event("mixed.json")["Records"][1])

    with pytest.raises(TypeError):
        order_from_record(record)


def test_plain_turns_whole_numbers_into_integers_and_keeps_decimals() -> None:
    assert plain({"q": Decimal("2"), "p": [Decimal("1.5")], "s": "x"}) == {
        "q": 2,
        "p": [Decimal("1.5")],
        "s": "x",
    }
