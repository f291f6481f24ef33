"""The payload schema: what it accepts, and what fails a record."""

import json
from decimal import Decimal
from typing import Any

import pytest
{%- if cookiecutter.validation == "pydantic" %}
from pydantic import ValidationError
{%- else %}
from fastjsonschema import JsonSchemaValueException
{%- endif %}

from {{ cookiecutter.package_name }}.schema import {% if source.decoded_payload %}order_from_item, {% endif %}parse_order

from .support import VALID_ORDER

# What reading a payload that is not a valid order raises.
{%- if cookiecutter.validation == "pydantic" %}
INVALID_ORDER_ERRORS: tuple[type[Exception], ...] = (ValidationError,)
{%- else %}
INVALID_ORDER_ERRORS: tuple[type[Exception], ...] = (ValueError, JsonSchemaValueException)
{%- endif %}


def with_item(**changes: Any) -> str:
    """A valid order as JSON, but for these changes to its one item."""
    item = {**VALID_ORDER["items"][0], **changes}
    return json.dumps({**VALID_ORDER, "items": [item]})


def test_reads_a_valid_order_with_exact_decimals() -> None:
    order = parse_order(json.dumps(VALID_ORDER))

    assert order.order_id == "ord-1"
    assert order.amount == Decimal("0.3")
    assert [(item.sku, item.quantity, item.unit_price) for item in order.items] == [
        ("BOOK-042", 3, Decimal("0.1"))
    ]


def test_ignores_fields_it_does_not_know() -> None:
    """Producers can add fields without breaking this consumer."""
    assert parse_order(json.dumps({**VALID_ORDER, "channel": "web"})).order_id == "ord-1"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('{"order_id": "ord-1", "items": [', id="corrupt-json"),
        pytest.param("", id="empty-payload"),
        pytest.param(b"\xff\xfe{}", id="not-utf8"),
        pytest.param("null", id="json-null"),
        pytest.param("[]", id="json-array"),
        pytest.param(json.dumps({**VALID_ORDER, "order_id": ""}), id="empty-order-id"),
        pytest.param(
            json.dumps({key: value for key, value in VALID_ORDER.items() if key != "customer_id"}),
            id="missing-customer",
        ),
        pytest.param(json.dumps({**VALID_ORDER, "items": []}), id="no-items"),
        pytest.param(json.dumps({**VALID_ORDER, "amount": -1}), id="negative-amount"),
        pytest.param(json.dumps({**VALID_ORDER, "amount": "lots"}), id="amount-not-a-number"),
        pytest.param(with_item(sku="book-042"), id="lowercase-sku"),
        pytest.param(with_item(quantity=0), id="zero-quantity"),
        pytest.param(with_item(unit_price=0), id="free-item"),
    ],
)
def test_rejects_a_payload_that_is_not_a_valid_order(body: str | bytes) -> None:
    with pytest.raises(INVALID_ORDER_ERRORS):
        parse_order(body)
{%- if source.decoded_payload %}


def test_reads_an_order_already_decoded_with_decimal_numbers() -> None:
    """As a DynamoDB item arrives: numbers as Decimal, whole ones as int."""
    item = {**VALID_ORDER, "amount": Decimal("0.3")}
    item["items"] = [{"sku": "BOOK-042", "quantity": 3, "unit_price": Decimal("0.1")}]

    assert order_from_item(item).amount == Decimal("0.3")
    with pytest.raises(INVALID_ORDER_ERRORS):
        order_from_item({**item, "items": []})
{%- endif %}
