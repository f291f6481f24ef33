{%- import source.part("test_odd_inputs.py") as odd with context -%}
"""Large and odd records: each is one record's clear failure, never a crashed batch."""

import json
from typing import Any

from {{ cookiecutter.package_name }}.processor import processor
from {{ cookiecutter.package_name }}.record_handler import record_handler

from .support import VALID_ORDER, expected_failures, item_identifier, make_record
from local.context import LocalLambdaContext

{{ odd.limit() }}


def handled(records: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """The ids batchItemFailures names, and what the record handler returned for the others: a
    handler that swallowed its errors would report no failure, but could not return the order."""
    with processor(records=records, handler=record_handler, lambda_context=LocalLambdaContext()):
        outcomes = processor.{{ facts.concurrency.process }}()
    failed = processor.response()["batchItemFailures"]
    return [failure["itemIdentifier"] for failure in failed], [
        result for status, result, _ in outcomes if status == "success"
    ]


def test_payloads_at_the_size_limit_are_read_like_any_other() -> None:
    padding = PAYLOAD_LIMIT_BYTES - len(json.dumps({**VALID_ORDER, "note": ""}))
    large_valid = json.dumps({**VALID_ORDER, "note": "x" * padding})
    large_garbage = "{" + "x" * (PAYLOAD_LIMIT_BYTES - 1)
    assert len(large_valid.encode()) == len(large_garbage.encode()) == PAYLOAD_LIMIT_BYTES

    records = [
        make_record(large_valid, "0001"),
        make_record(large_garbage, "0002"),
        make_record(json.dumps({**VALID_ORDER, "order_id": "ord-2"}), "0003"),
    ]

    # Only the garbage fails{% if source.ordered %}, and the records the ordering rule skips after it{% endif %}.
    expected = expected_failures(["good", "corrupt", "good"])
    failed, results = handled(records)
    assert failed == [item_identifier(records[position]) for position, _ in expected]
    assert results == [VALID_ORDER["order_id"], "ord-2"][: len(records) - len(expected)]
{{- odd.tests() }}
