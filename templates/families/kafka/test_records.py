"""How a Kafka record carries its order: a base64 value holding JSON, with its key and headers."""

import base64
import json

import pytest
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.parser import models

from {{ cookiecutter.package_name }}.records import order_from_record, record_id

from .support import CORRUPT_PAYLOAD_ERROR, load_event, records_of

# What a record may hold beside the model's fields: nothing.
RECORD_FIELDS = set(models.KafkaRecordModel.model_fields)


@pytest.mark.parametrize("name", {{ source.sample_events | list | tojson }})
def test_sample_events_have_the_shape_lambda_sends(name: str) -> None:
    """SAM has no Kafka sample event: Powertools' model of the event is the reference."""
    event = load_event(f"{name}.json")

    parsed = models.{{ source.event_model }}.model_validate(event)

    assert sum(len(records) for records in parsed.records.values()) >= 3
    assert len(parsed.records) == 2  # records of two partitions
    for record in records_of(event):
        assert set(record) <= RECORD_FIELDS, set(record) - RECORD_FIELDS


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
    record = records_of(load_event("all_good.json"))[-1]

    assert record_id(record) == "orders-1@140"
    assert record_id(KafkaEventRecord(record)) == "orders-1@140"
    assert record_id({"topic": "orders", "partition": "1", "offset": 140}) is None


def test_a_corrupt_value_raises() -> None:
    record = records_of(load_event("mixed.json"))[1]

    with pytest.raises(CORRUPT_PAYLOAD_ERROR):
        order_from_record(KafkaEventRecord(record))


def test_a_value_that_is_not_base64_raises() -> None:
    record = {**records_of(load_event("all_good.json"))[0], "value": "not base64!"}

    with pytest.raises(ValueError, match=r"base64|Incorrect padding|Non-base64"):
        order_from_record(KafkaEventRecord(record))
