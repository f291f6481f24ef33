"""Entry of the local function's process: awslambdaric, as Lambda's Python runtime starts it,
with the demo's one transient fault. An order whose id starts with `ord-transient` fails its
first attempt, as a call that timed out would, and succeeds on its retry. With FIXED_RULE set
(`make local` sets it once the demo has ended, to play a deploy of the fix), the business rule
takes an order whose amount does not add up.

Only `make local` and its test start this (`python -P local/flaky_runtime.py <Handler>`); the
fault lives in this process alone, and nothing in src/ knows of it.
"""

import os
import runpy
import sys
from contextlib import suppress
from importlib import import_module
from typing import Any

TRANSIENT_PREFIX = "ord-transient"
FIXED_RULE = "LOCAL_DEMO_FIXED_RULE"


def install_fix(package: str) -> None:
    """Replace the business rule with the demo's fix, before the handler is imported."""
    orders: Any = import_module(f"{package}.orders")
    orders.fulfil_order = lambda order: order.order_id


def install_transient_fault(package: str) -> None:
    """Wrap the package's fulfil_order before the handler is imported, so every module that
    imports it gets the wrapper."""
    orders: Any = import_module(f"{package}.orders")
    fulfil_order = orders.fulfil_order
    failed_once: set[str] = set()

    def fulfil_order_with_a_transient_fault(order: Any) -> Any:
        if order.order_id.startswith(TRANSIENT_PREFIX) and order.order_id not in failed_once:
            failed_once.add(order.order_id)
            raise TimeoutError(f"order {order.order_id}: the warehouse did not answer (transient)")
        return fulfil_order(order)

    orders.fulfil_order = fulfil_order_with_a_transient_fault


def main(handler: str) -> None:
    # A wrong Handler path: awslambdaric reports it below, as Lambda would.
    with suppress(ImportError):
        if os.environ.get(FIXED_RULE):
            install_fix(handler.split(".")[0])
        install_transient_fault(handler.split(".")[0])
    sys.argv = ["awslambdaric", handler]
    runpy.run_module("awslambdaric", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1])
