"""The order payload as pydantic models: what a record must carry to be processed."""

{% if source.decoded_payload -%}
from collections.abc import Mapping
{% endif -%}
from decimal import Decimal
{%- if source.decoded_payload %}
from typing import Any
{%- endif %}

from pydantic import BaseModel, Field


class OrderItem(BaseModel):
    """One line of an order."""

    sku: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]{2,31}$")
    quantity: int = Field(ge=1, le=1000)
    unit_price: Decimal = Field(gt=0)


class Order(BaseModel):
    """The payload of one message."""

    order_id: str = Field(min_length=1, max_length=64)
    customer_id: str = Field(min_length=1, max_length=64)
    items: list[OrderItem] = Field(min_length=1, max_length=100)
    amount: Decimal = Field(gt=0)


def parse_order(payload: str | bytes) -> Order:
    """The order in a JSON payload: corrupt JSON or an invalid order raises ValidationError."""
    return Order.model_validate_json(payload)
{%- if source.decoded_payload %}


def order_from_item(item: Mapping[str, Any]) -> Order:
    """The order in a DynamoDB stream record's item (already decoded)."""
    return Order.model_validate(item)
{%- endif %}
