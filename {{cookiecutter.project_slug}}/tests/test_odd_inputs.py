{%- set source = cookiecutter.event_source -%}
"""Large and odd records: each is one record's clear failure, never a crashed batch."""

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import process_partial_response

from {{ cookiecutter.package_name }}.processor import processor
from {{ cookiecutter.package_name }}.record_handler import record_handler

from .support import VALID_ORDER, expected_failures, make_record
from local.context import LocalLambdaContext

{% if source == "sns_sqs" -%}
PAYLOAD_LIMIT_BYTES = 256 * 1024  # SNS's limit for a message (the SQS queue's is larger)
{%- elif source == "dynamodb" -%}
# DynamoDB's limit for an item (400 KB, names and values): the payload is kept below it.
PAYLOAD_LIMIT_BYTES = 390 * 1024
{%- elif source == "kinesis" -%}
PAYLOAD_LIMIT_BYTES = 1024 * 1024  # 1 MiB, Kinesis's limit for a record's data
{%- else -%}
PAYLOAD_LIMIT_BYTES = 1024 * 1024  # 1 MiB, SQS's limit for a message body
{%- endif %}


def failed_ids(records: list[dict[str, Any]]) -> list[str]:
    response = process_partial_response(
        event={"Records": records},
        record_handler=record_handler,
        processor=processor,
        context=LocalLambdaContext(),
    )
    return [str(failure["itemIdentifier"]) for failure in response["batchItemFailures"]]


def test_payloads_at_the_size_limit_are_read_like_any_other() -> None:
    padding = PAYLOAD_LIMIT_BYTES - len(json.dumps({**VALID_ORDER, "note": ""}))
    large_valid = json.dumps({**VALID_ORDER, "note": "x" * padding})
    large_garbage = "{" + "x" * (PAYLOAD_LIMIT_BYTES - 1)
    assert len(large_valid.encode()) == len(large_garbage.encode()) == PAYLOAD_LIMIT_BYTES

    records = [
        make_record(large_valid, "0001"),
        make_record(large_garbage, "0002"),
        make_record(json.dumps(VALID_ORDER), "0003"),
    ]

    # Only the garbage fails{% if cookiecutter.event_source in ["sqs_fifo", "kinesis", "dynamodb"] %}, and the records the ordering rule skips after it{% endif %}.
    expected = expected_failures(["good", "corrupt", "good"])
    assert failed_ids(records) == [f"{position + 1:04d}" for position, _ in expected]
{%- if source in ["sqs", "sqs_fifo", "sns_sqs"] %}


def test_a_record_without_a_body_or_with_a_number_for_one_fails_alone() -> None:
    without_body = {
        key: value for key, value in make_record("{}", "no-body").items() if key != "body"
    }
    records = [
        make_record(json.dumps(VALID_ORDER), "fine"),
        without_body,
        {**make_record("{}", "numeric-body"), "body": 12345},
    ]

    assert failed_ids(records) == ["no-body", "numeric-body"]


def test_a_record_missing_its_metadata_is_processed() -> None:
    """Lambda always sends attributes, messageAttributes and md5OfBody; only the body is read."""
    bare = {
        key: value
        for key, value in make_record(json.dumps(VALID_ORDER), "bare").items()
        if key not in {"messageAttributes", "md5OfBody", "md5OfMessageAttributes"}
    }

    assert failed_ids([bare]) == []
{%- endif %}
{%- if source == "sns_sqs" %}


def test_a_notification_with_a_body_that_is_not_an_envelope_is_read_as_raw() -> None:
    """With raw message delivery on, the body is the order itself."""
    raw = {**make_record("{}", "raw"), "body": json.dumps(VALID_ORDER)}

    assert failed_ids([raw]) == []
{%- endif %}
{%- if source == "kinesis" %}


def test_data_that_is_not_utf8_or_not_base64_fails_alone() -> None:
    not_base64 = make_record(json.dumps(VALID_ORDER), "0002")
    not_base64["kinesis"] = {**not_base64["kinesis"], "data": "%%% not base64 %%%"}
    records = [
        make_record(json.dumps(VALID_ORDER), "0001"),
        make_record(b'{"order_id": "\xff\xfe"}', "0002"),
        make_record(json.dumps(VALID_ORDER).encode("utf-16"), "0003"),
        not_base64,
    ]
    for position, record in enumerate(records):
        record["kinesis"] = {**record["kinesis"], "sequenceNumber": f"{position + 1:04d}"}

    assert failed_ids(records) == ["0002", "0003", "0004"]


def test_a_record_without_data_fails_alone() -> None:
    record = make_record(json.dumps(VALID_ORDER), "0001")
    record["kinesis"] = {key: value for key, value in record["kinesis"].items() if key != "data"}
    records = [make_record(json.dumps(VALID_ORDER), "0000"), record]

    assert failed_ids(records) == ["0001"]
{%- endif %}
{%- if source == "dynamodb" %}


def test_a_change_without_a_new_image_fails_and_a_removal_needs_none() -> None:
    no_image = make_record(json.dumps(VALID_ORDER), "0001")
    no_image["dynamodb"] = {
        key: value for key, value in no_image["dynamodb"].items() if key != "NewImage"
    }
    removed = make_record(json.dumps(VALID_ORDER), "0002")
    removed["eventName"] = "REMOVE"
    removed["dynamodb"] = {
        **{key: value for key, value in removed["dynamodb"].items() if key != "NewImage"},
        "OldImage": make_record(json.dumps(VALID_ORDER), "0")["dynamodb"]["NewImage"],
    }

    assert failed_ids([removed, no_image]) == ["0001"]
{%- endif %}
