"""The order payload, and the SQS record that carries it as JSON, as pydantic models."""

from decimal import Decimal

from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from pydantic import BaseModel, Field, Json


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


class OrderSqsRecord(SqsRecordModel):
    """An SQS record whose body is an order as JSON: a corrupt or invalid body fails the record."""

    body: Json[Order]


# The processor parses each record with this model before calling the record handler.
RECORD_MODEL = OrderSqsRecord
OrderRecord = OrderSqsRecord


def order_from_record(record: OrderSqsRecord) -> Order:
    """The order of a record the processor has already parsed and validated."""
    return record.body
