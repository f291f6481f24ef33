"""The runtime client, with one transient fault: an order whose id starts with `ord-transient`
fails its first attempt, as a timed-out downstream call would. Only `make local` and the
end-to-end test start it; the deployed code has no such hook."""

import sys

import awslambdaric.__main__

from {{ cookiecutter.package_name }} import orders
from {{ cookiecutter.package_name }}.schema import Order

TRANSIENT_PREFIX = "ord-transient"
_failed_once: set[str] = set()
_fulfil_order = orders.fulfil_order


def fulfil_order_with_a_transient_fault(order: Order) -> str:
    if order.order_id.startswith(TRANSIENT_PREFIX) and order.order_id not in _failed_once:
        _failed_once.add(order.order_id)
        raise TimeoutError(f"order {order.order_id}: the warehouse did not answer (transient)")
    return _fulfil_order(order)


# Before the handler is imported, so every module that imports fulfil_order gets this one.
orders.fulfil_order = fulfil_order_with_a_transient_fault

if __name__ == "__main__":
    awslambdaric.__main__.main(sys.argv)
