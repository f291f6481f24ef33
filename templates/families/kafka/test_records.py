"""How a Kafka record carries its order: a base64 value holding JSON, with its key and headers."""

import base64
import json

import pytest
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord

from {{ cookiecutter.package_name }}.records import order_from_record, record_id

from .support import CORRUPT_PAYLOAD_ERROR, load_event, records_of


def test_reads_the_order_in_each_sample_record() -> None:
    records = records_of(load_event("all_good.json"))

    orders = [order_from_record(KafkaEventRecord(record)) for record in records]

    assert [order.order_id for order in orders] == [
        json.loads(base64.b64decode(record["value"]))["order_id"] for record in records
    ]


def test_the_key_and_headers_come_decoded() -> None:
    record = KafkaEventRecord(records_of(load_event("all_good.json"))[0])

    assert record.decoded_key == b"cust-17"
    assert record.decoded_headers["content-type"] == b"application/json"


def test_names_a_record_by_its_place_in_the_topic() -> None:
    record = records_of(load_event("all_good.json"))[1]

    assert record_id(record) == "orders-1@140"
    assert record_id(KafkaEventRecord(record)) == "orders-1@140"
    assert record_id({"topic": "orders", "partition": "1", "offset": 140}) is None


def test_a_corrupt_value_raises() -> None:
    record = records_of(load_event("mixed.json"))[1]

    with pytest.raises(CORRUPT_PAYLOAD_ERROR):
        order_from_record(KafkaEventRecord(record))


def test_a_value_that_is_not_base64_raises() -> None:
    record = {**records_of(load_event("all_good.json"))[0], "value": "not base64!"}

    with pytest.raises(ValueError, match="base64|Incorrect padding|Non-base64"):
        order_from_record(KafkaEventRecord(record))
