"""How an SNS-to-SQS message carries its order: in the SNS envelope's Message, or raw."""

import json

import pytest
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from {{ cookiecutter.package_name }}.records import (
    is_sns_notification,
    order_from_record,
    record_id,
)

from .support import (
    CORRUPT_PAYLOAD_ERROR,
    INVALID_PAYLOAD_ERROR,
    VALID_ORDER,
    load_event,
    make_record,
)


def test_reads_the_order_inside_each_sample_notification() -> None:
    records = load_event("all_good.json")["Records"]
    envelopes = [json.loads(record["body"]) for record in records]

    orders = [order_from_record(SQSRecord(record)) for record in records]

    assert all(is_sns_notification(envelope) for envelope in envelopes)
    assert [order.order_id for order in orders] == [
        json.loads(envelope["Message"])["order_id"] for envelope in envelopes
    ]


def test_reads_a_raw_delivery_body_as_the_order() -> None:
    """mixed.json's last record came with raw message delivery on: no envelope."""
    raw = load_event("mixed.json")["Records"][-1]

    assert not is_sns_notification(json.loads(raw["body"]))
    assert order_from_record(SQSRecord(raw)).order_id == json.loads(raw["body"])["order_id"]


def test_names_a_record_by_its_sqs_message_id() -> None:
    record = load_event("all_good.json")["Records"][0]

    assert record_id(SQSRecord(record)) == record["messageId"]


@pytest.mark.parametrize(
    ("message", "error"),
    [
        pytest.param('{"order_id": "ord-1", "items": [', CORRUPT_PAYLOAD_ERROR, id="corrupt"),
        pytest.param(json.dumps({**VALID_ORDER, "items": []}), INVALID_PAYLOAD_ERROR, id="invalid"),
    ],
)
def test_a_bad_message_in_a_good_envelope_raises(message: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        order_from_record(SQSRecord(make_record(message, "bad")))


def test_an_envelope_whose_message_is_not_text_is_read_as_a_raw_body() -> None:
    """Only SNS's own envelope is unwrapped; anything else must be an order itself."""
    record = make_record("{}", "odd")
    record["body"] = json.dumps({**json.loads(record["body"]), "Message": {"order_id": "x"}})

    with pytest.raises(INVALID_PAYLOAD_ERROR):
        order_from_record(SQSRecord(record))
