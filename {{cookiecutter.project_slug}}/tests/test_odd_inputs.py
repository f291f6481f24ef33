{%- import source.part("test_odd_inputs.py") as odd -%}
"""Large and odd records: each is one record's clear failure, never a crashed batch."""

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import process_partial_response

from {{ cookiecutter.package_name }}.processor import processor
from {{ cookiecutter.package_name }}.record_handler import record_handler

from .support import VALID_ORDER, expected_failures, make_record
from local.context import LocalLambdaContext

{{ odd.limit() }}


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

    # Only the garbage fails{% if source.ordered %}, and the records the ordering rule skips after it{% endif %}.
    expected = expected_failures(["good", "corrupt", "good"])
    assert failed_ids(records) == [f"{position + 1:04d}" for position, _ in expected]
{{- odd.tests() }}
