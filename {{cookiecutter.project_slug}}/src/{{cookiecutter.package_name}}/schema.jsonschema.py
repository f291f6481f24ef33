"""The order payload as a JSON Schema (order.schema.json), compiled once at import."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import fastjsonschema

ORDER_SCHEMA: dict[str, Any] = json.loads(
    Path(__file__).with_name("order.schema.json").read_text(encoding="utf-8")
)
# Compiled once: Powertools' validate() compiles the schema again on every call (~1 ms a record).
validate_order = fastjsonschema.compile(ORDER_SCHEMA)


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One line of an order."""

    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class Order:
    """The payload of one message, built only from a payload the schema accepted."""

    order_id: str
    customer_id: str
    items: tuple[OrderItem, ...]
    amount: Decimal

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> "Order":
        return cls(
            order_id=payload["order_id"],
            customer_id=payload["customer_id"],
            items=tuple(
                OrderItem(
                    sku=item["sku"],
                    quantity=item["quantity"],
                    unit_price=Decimal(item["unit_price"]),
                )
                for item in payload["items"]
            ),
            amount=Decimal(payload["amount"]),
        )


def parse_order(payload: str | bytes) -> Order:
    """The order in a JSON payload: corrupt JSON (or bytes that are not UTF-8) raises a
    ValueError, a schema violation JsonSchemaValueException."""
    text = payload.decode("utf-8") if isinstance(payload, bytes) else payload  # UTF-8 only, as JSON
    item = json.loads(text, parse_float=Decimal)
    validate_order(item)
    return Order.from_payload(item)
{%- if source.decoded_payload %}


def order_from_item(item: Mapping[str, Any]) -> Order:
    """The order in a DynamoDB stream record's item (already decoded), checked by the schema."""
    validate_order(item)
    return Order.from_payload(item)
{%- endif %}
