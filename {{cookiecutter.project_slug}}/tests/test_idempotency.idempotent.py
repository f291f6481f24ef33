"""Idempotency against DynamoDB on moto's server: a redelivered message runs the logic once."""

import json
import uuid
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch import {{ facts.concurrency.partial_response }}
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyKeyError

from {{ cookiecutter.package_name }} import idempotency
from {{ cookiecutter.package_name }}.orders import fulfil_order
from {{ cookiecutter.package_name }}.processor import processor
from {{ cookiecutter.package_name }}.record_handler import record_handler

from .support import VALID_ORDER, item_identifier, make_event, make_record
from local.context import LocalLambdaContext


def failed_ids(records: list[dict[str, Any]]) -> list[Any]:
    response = {{ facts.concurrency.partial_response }}(
        event=make_event(records),
        record_handler=record_handler,
        processor=processor,
        context=LocalLambdaContext(),
    )
    return [failure["itemIdentifier"] for failure in response["batchItemFailures"]]


def new_order(**changes: Any) -> str:
    """A valid order payload with an order id no other test uses."""
    return json.dumps({**VALID_ORDER, "order_id": f"ord-{uuid.uuid4().hex[:12]}", **changes})


@pytest.fixture
def fulfilled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The order ids the business logic actually ran for."""
    calls: list[str] = []

    def counting(order: Any) -> str:
        calls.append(order.order_id)
        return fulfil_order(order)

    monkeypatch.setattr(idempotency, "fulfil_order", counting)
    return calls


def test_a_redelivered_message_runs_the_business_logic_once(fulfilled: list[str]) -> None:
    body = new_order()

    assert failed_ids([make_record(body, "0001")]) == []  # the first delivery
    assert failed_ids([make_record(body, "0002")]) == []  # a redelivery

    assert len(fulfilled) == 1


def test_a_failed_order_is_not_marked_done(fulfilled: list[str]) -> None:
    rejected = new_order(amount=1.0)  # valid, but the amount does not add up
    rejected_id = json.loads(rejected)["order_id"]

    first = [make_record(new_order(), "0001"), make_record(rejected, "0002")]
    retry = [make_record(new_order(), "0003"), make_record(rejected, "0004")]

    assert failed_ids(first) == [item_identifier(first[1])]
    assert failed_ids(retry) == [item_identifier(retry[1])]
    assert fulfilled.count(rejected_id) == 2


def test_an_order_without_the_key_is_refused_not_guessed(fulfilled: list[str]) -> None:
    """Without `{{ cookiecutter.idempotency_key }}` nothing tells a redelivery apart: the record fails."""
    with pytest.raises(IdempotencyKeyError):
        idempotency.fulfil_order_once(order={"customer_id": "cust-1"})  # type: ignore[arg-type]

    assert fulfilled == []
