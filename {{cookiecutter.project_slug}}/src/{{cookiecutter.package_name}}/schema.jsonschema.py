"""The order payload as a JSON Schema (order.schema.json), compiled once at import."""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import fastjsonschema
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

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
    def from_payload(cls, payload: dict[str, Any]) -> "Order":
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


# The processor hands the record handler Powertools' SQS data class; no model parses it first.
RECORD_MODEL = None
OrderRecord = SQSRecord


def order_from_record(record: SQSRecord) -> Order:
    """Parse and validate the record's body: corrupt JSON or a schema violation raises."""
    payload = json.loads(record.body, parse_float=Decimal)
    validate_order(payload)
    return Order.from_payload(payload)
