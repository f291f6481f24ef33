"""The payload schema: what it accepts, and what fails a record."""

import json
from decimal import Decimal
from typing import Any

import pytest
{%- if cookiecutter.validation == "pydantic" %}
from pydantic import ValidationError
{%- endif %}

from {{ cookiecutter.package_name }}.schema import {% if source.decoded_payload %}order_from_item, {% endif %}parse_order

from .support import CORRUPT_PAYLOAD_ERROR, INVALID_PAYLOAD_ERROR, VALID_ORDER

# What reading bytes that are not UTF-8 raises.
NOT_UTF8_ERROR: type[Exception] = {{ "ValidationError" if cookiecutter.validation == "pydantic" else "UnicodeDecodeError" }}


def with_order(**changes: Any) -> str:
    """A valid order as JSON, but for these changes."""
    return json.dumps({**VALID_ORDER, **changes})


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
    ("body", "error"),
    [
        pytest.param('{"order_id": "ord-1", "items": [', CORRUPT_PAYLOAD_ERROR, id="corrupt-json"),
        pytest.param("", CORRUPT_PAYLOAD_ERROR, id="empty-payload"),
        pytest.param(b"\xff\xfe{}", NOT_UTF8_ERROR, id="not-utf8"),
        pytest.param("null", INVALID_PAYLOAD_ERROR, id="json-null"),
        pytest.param("[]", INVALID_PAYLOAD_ERROR, id="json-array"),
        pytest.param(with_order(order_id=""), INVALID_PAYLOAD_ERROR, id="empty-order-id"),
        pytest.param(
            json.dumps({key: value for key, value in VALID_ORDER.items() if key != "customer_id"}),
            INVALID_PAYLOAD_ERROR,
            id="missing-customer",
        ),
        pytest.param(with_order(items=[]), INVALID_PAYLOAD_ERROR, id="no-items"),
        pytest.param(with_order(amount=-1), INVALID_PAYLOAD_ERROR, id="negative-amount"),
        pytest.param(with_order(amount="lots"), INVALID_PAYLOAD_ERROR, id="amount-not-a-number"),
        pytest.param(with_item(sku="book-042"), INVALID_PAYLOAD_ERROR, id="lowercase-sku"),
        pytest.param(with_item(quantity=0), INVALID_PAYLOAD_ERROR, id="zero-quantity"),
        pytest.param(with_item(unit_price=0), INVALID_PAYLOAD_ERROR, id="free-item"),
    ],
)
def test_each_bad_payload_raises_its_own_error(body: str | bytes, error: type[Exception]) -> None:
    """Each case raises its own error: with JSON Schema, a decoding error and a schema violation
    are both ValueErrors, and a schema case must not pass on a payload that failed to decode."""
    with pytest.raises(error):
        parse_order(body)
{%- if source.decoded_payload %}


def test_reads_an_order_already_decoded_with_decimal_numbers() -> None:
    """As a DynamoDB item arrives: numbers as Decimal, whole ones as int."""
    item = {**VALID_ORDER, "amount": Decimal("0.3")}
    item["items"] = [{"sku": "BOOK-042", "quantity": 3, "unit_price": Decimal("0.1")}]

    assert order_from_item(item).amount == Decimal("0.3")
    with pytest.raises(INVALID_PAYLOAD_ERROR):
        order_from_item({**item, "items": []})
{%- endif %}
