"""How an SQS message carries its order: the body, as JSON."""

import json

import pytest
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from {{ cookiecutter.package_name }}.records import order_from_record, record_id

from .support import CORRUPT_PAYLOAD_ERROR, load_event


def test_reads_the_order_in_each_sample_body() -> None:
    records = load_event("all_good.json")["Records"]

    orders = [order_from_record(SQSRecord(record)) for record in records]

    assert [order.order_id for order in orders] == [
        json.loads(record["body"])["order_id"] for record in records
    ]


def test_names_a_record_by_its_message_id() -> None:
    record = load_event("all_good.json")["Records"][0]

    assert record_id(record) == record["messageId"]
    assert record_id(SQSRecord(record)) == record["messageId"]


def test_a_corrupt_body_raises() -> None:
    record = load_event("mixed.json")["Records"][1]

    with pytest.raises(CORRUPT_PAYLOAD_ERROR):
        order_from_record(SQSRecord(record))
