"""Large and odd records: each is one record's clear failure, never a crashed batch."""

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import process_partial_response

from {{ cookiecutter.package_name }}.processor import processor
from {{ cookiecutter.package_name }}.record_handler import record_handler

from .support import load_event, sqs_record
from local.context import LocalLambdaContext

SQS_MAX_MESSAGE_BYTES = 1024 * 1024  # 1 MiB, SQS's limit for a message body


def failed_ids(records: list[dict[str, Any]]) -> list[str]:
    response = process_partial_response(
        event={"Records": records},
        record_handler=record_handler,
        processor=processor,
        context=LocalLambdaContext(),
    )
    return [str(failure["itemIdentifier"]) for failure in response["batchItemFailures"]]


def good_body() -> str:
    body: str = load_event("sqs_all_good.json")["Records"][0]["body"]
    return body


def test_bodies_at_the_sqs_size_limit_are_read_like_any_other() -> None:
    order = json.loads(good_body())
    padding = SQS_MAX_MESSAGE_BYTES - len(json.dumps({**order, "note": ""}))
    large_valid = json.dumps({**order, "note": "x" * padding})
    large_garbage = "{" + "x" * (SQS_MAX_MESSAGE_BYTES - 1)
    assert len(large_valid.encode()) == len(large_garbage.encode()) == SQS_MAX_MESSAGE_BYTES

    records = [
        sqs_record(large_valid, message_id="large-valid"),
        sqs_record(large_garbage, message_id="large-garbage"),
        sqs_record(good_body(), message_id="small-valid"),
    ]

    assert failed_ids(records) == ["large-garbage"]


def test_a_record_without_a_body_or_with_a_number_for_one_fails_alone() -> None:
    without_body = {key: value for key, value in sqs_record(good_body()).items() if key != "body"}
    records = [
        {**without_body, "messageId": "no-body"},
        {**sqs_record(good_body()), "messageId": "numeric-body", "body": 12345},
        sqs_record(good_body(), message_id="fine"),
    ]

    assert failed_ids(records) == ["no-body", "numeric-body"]


def test_a_record_missing_its_metadata() -> None:
    """Lambda always sends attributes, messageAttributes and md5OfBody.
{%- if cookiecutter.validation == "pydantic" %} The pydantic record model
    requires them, so such a record fails alone.{% else %} Only the body is read,
    so such a record is processed.{% endif %}"""
    bare = {
        key: value
        for key, value in sqs_record(good_body(), message_id="bare").items()
        if key not in {"attributes", "messageAttributes", "md5OfBody"}
    }

    expected: list[str] = {% if cookiecutter.validation == "pydantic" %}["bare"]{% else %}[]{% endif %}
    assert failed_ids([bare, sqs_record(good_body(), message_id="fine")]) == expected
