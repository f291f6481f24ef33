"""How a Kinesis record carries its order: base64 data holding JSON."""

import base64
import json

import pytest
from aws_lambda_powertools.utilities.data_classes.kinesis_stream_event import KinesisStreamRecord

from {{ cookiecutter.package_name }}.records import order_from_record, record_id

from .support import CORRUPT_PAYLOAD_ERROR, load_event


def test_reads_the_order_in_each_sample_record() -> None:
    records = load_event("all_good.json")["Records"]

    orders = [order_from_record(KinesisStreamRecord(record)) for record in records]

    assert [order.order_id for order in orders] == [
        json.loads(base64.b64decode(record["kinesis"]["data"]))["order_id"] for record in records
    ]


def test_names_a_record_by_its_sequence_number() -> None:
    record = load_event("all_good.json")["Records"][0]

    assert record_id(record) == record["kinesis"]["sequenceNumber"]
    assert record_id(KinesisStreamRecord(record)) == record["kinesis"]["sequenceNumber"]
    assert record_id({"kinesis": None}) is None


def test_corrupt_data_raises() -> None:
    record = load_event("mixed.json")["Records"][1]

    with pytest.raises(CORRUPT_PAYLOAD_ERROR):
        order_from_record(KinesisStreamRecord(record))
