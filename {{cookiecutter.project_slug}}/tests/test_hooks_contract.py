"""The processor's hooks against every form of record Powertools hands them.

Powertools gives ``success_handler`` the raw record, and ``failure_handler`` the record's data
class or, when the processor is given ``model=`` (as Powertools' documentation teaches), the
parsed pydantic model; the records a processor skips after a failure arrive the same ways.
Whatever the form, the hooks log the record's id and a failed record fails alone: the batch
answers with its ``batchItemFailures`` and never crashes.
"""

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch import {{ facts.concurrency.partial_response }}
from aws_lambda_powertools.utilities.parser.models import {{ source.model }}

from {{ cookiecutter.package_name }}.orders import OrderRejectedError
from {{ cookiecutter.package_name }}.processor import processor
from {{ cookiecutter.package_name }}.records import record_id

from .support import (
    VALID_ORDER,
    expected_failures,
    item_identifiers,
    log_id,
    make_event,
    make_record,
    records_of,
    spoil_for_the_model,
)
from local.context import LocalLambdaContext

# A batch of three records, of which the record handler fails the second.
KINDS = ["good", "rejected", "good"]
FAILED = [position for position, _ in expected_failures(KINDS)]

# The forms a record reaches the hooks in, made from the raw record.
FORMS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "raw": lambda raw: raw,
    "data class": lambda raw: processor._to_batch_type(raw, event_type=processor.event_type),
    "model": {{ source.model }}.model_validate,
}


@pytest.fixture
def with_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's processor as if built with ``model=``: the attribute the constructor's
    ``model=`` sets, which every Powertools processor reads."""
    monkeypatch.setattr(processor, "model", {{ source.model }})


def batch() -> dict[str, Any]:
    """Three records holding a valid order, as Lambda sends them."""
    payload = json.dumps(VALID_ORDER)
    return make_event([make_record(payload, f"{position + 1:03d}") for position in range(3)])


def failing_the_second(received: list[Any]) -> Callable[..., Any]:
    """A record handler that keeps what it is given and rejects the second record."""

    {{ facts.concurrency.define }} record_handler(record: Any) -> str:
        received.append(record)
        if len(received) == 2:
            raise OrderRejectedError("the second record is rejected")
        return "fulfilled"

    return record_handler


{{ facts.concurrency.define }} fulfilled(record: Any) -> str:
    """A record handler that takes every record it is given."""
    return "fulfilled"


@pytest.mark.parametrize("form", list(FORMS))
def test_record_id_reads_every_form_of_record(form: str) -> None:
    raw = make_record(json.dumps(VALID_ORDER), "001")

    assert record_id(FORMS[form](raw)) == log_id(raw)


@pytest.mark.usefixtures("with_model")
def test_a_failed_record_fails_alone_when_the_processor_has_a_model(
    caplog: pytest.LogCaptureFixture, lambda_context: LocalLambdaContext
) -> None:
    event = batch()
    received: list[Any] = []

    with caplog.at_level(logging.DEBUG):
        response = {{ facts.concurrency.partial_response }}(
            event=event,
            record_handler=failing_the_second(received),
            processor=processor,
            context=lambda_context,
        )

    assert received
    assert all(isinstance(record, {{ source.model }}) for record in received)
    assert response == {
        "batchItemFailures": [{"itemIdentifier": id_} for id_ in item_identifiers(event, *FAILED)]
    }
    failures = [log for log in caplog.records if log.getMessage() == "record failed"]
    assert [vars(log)["record_id"] for log in failures] == [
        log_id(records_of(event)[position]) for position in FAILED
    ]
    assert [vars(log)["error_type"] for log in failures] == [
        error for _, error in expected_failures(KINDS)
    ]


@pytest.mark.usefixtures("with_model")
def test_a_record_the_model_refuses_fails_alone(lambda_context: LocalLambdaContext) -> None:
    """Powertools reports a record that does not parse as the model in its data class."""
    event = batch()
    spoil_for_the_model(records_of(event)[1])

    response = {{ facts.concurrency.partial_response }}(
        event=event,
        record_handler=fulfilled,
        processor=processor,
        context=lambda_context,
    )

    assert response == {
        "batchItemFailures": [{"itemIdentifier": id_} for id_ in item_identifiers(event, *FAILED)]
    }
