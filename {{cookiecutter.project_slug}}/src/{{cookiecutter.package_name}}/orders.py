"""The business rule of this example: an order is fulfilled only when its amount adds up."""

from decimal import Decimal

from .schema import Order


class OrderRejectedError(Exception):
    """The order is well formed but breaks a business rule."""


def fulfil_order(order: Order) -> str:
    """Fulfil one order and return its id; raise OrderRejectedError if its amount is wrong."""
    items_total = sum((item.unit_price * item.quantity for item in order.items), Decimal(0))
    if order.amount != items_total:
        raise OrderRejectedError(
            f"order {order.order_id}: amount {order.amount} does not match "
            f"the items total {items_total}"
        )
    return order.order_id
