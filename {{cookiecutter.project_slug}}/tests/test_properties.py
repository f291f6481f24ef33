{%- import source.part("test_properties.py") as batch -%}
{%- import invocation.part("test_properties.py") as here with context -%}
"""Properties of the partial response over any batch: exactly the records the ordering rule
fails (support.expected_failures), in order, once each."""

import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any
{{ here.imports() }}
from hypothesis import given, settings
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.processor import processor
from {{ cookiecutter.package_name }}.record_handler import record_handler

from .support import expected_failures, item_identifier, make_event, make_record
from local.context import LocalLambdaContext

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)
items = st.lists(
    st.tuples(
        st.from_regex(r"[A-Z0-9][A-Z0-9-]{2,31}", fullmatch=True), st.integers(1, 1000), prices
    ),
    min_size=1,
    max_size=5,
)


def order_json(order_id: str, lines: list[tuple[str, int, Decimal]], amount: Decimal) -> str:
    """An order as JSON text. Amounts of two decimals survive float: repr gives them back."""
    items_list = [
        {"sku": sku, "quantity": quantity, "unit_price": float(price)}
        for sku, quantity, price in lines
    ]
    order = {"order_id": order_id, "customer_id": "cust-1", "items": items_list}
    return json.dumps({**order, "amount": float(amount)})


def total(lines: list[tuple[str, int, Decimal]]) -> Decimal:
    return sum((price * quantity for _, quantity, price in lines), Decimal(0))


# Changes to a good order that each break the schema in a way of its own.
SCHEMA_BREACHES: list[dict[str, Any]] = [
    {"items": []},
    {"order_id": ""},
    {"customer_id": None},
    {"amount": -1},
    {"amount": "lots"},
    {"items": [{"sku": "book-042", "quantity": 1, "unit_price": 1}]},
    {"items": [{"sku": "BOOK-042", "quantity": 0, "unit_price": 1}]},
]


@st.composite
def bodies(draw: st.DrawFn) -> tuple[Callable[[str], str], str]:
    """A payload for a given order id, and its kind: good, corrupt, invalid or rejected."""
    # Half good: most batches then reach past their first record.
    kind = draw(st.sampled_from(["good", "good", "good", "corrupt", "invalid", "rejected"]))
    lines = draw(items)
    cut = draw(st.floats(0, 1, exclude_max=True))
    delta = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2))
    breach = draw(st.sampled_from(SCHEMA_BREACHES))

    def body(order_id: str) -> str:
        good = order_json(order_id, lines, total(lines))
        if kind == "corrupt":
            return good[: int(cut * len(good))]
        if kind == "invalid":
            return json.dumps({**json.loads(good), **breach})
        if kind == "rejected":
            return order_json(order_id, lines, total(lines) + delta)
        return good

    return body, kind


{{ batch.head() }}
    failing = [ids[position] for position, _ in failures]

    def run() -> Any:
        return {{ facts.concurrency.partial_response }}(
            event=event,
            record_handler=record_handler,
            processor=processor,
            context=LocalLambdaContext(),
        )
{{ here.all_failed() }}
    response = run()

    reported = [failure["itemIdentifier"] for failure in response["batchItemFailures"]]
    assert reported == failing
    assert len({repr(item) for item in reported}) == len(reported)  # once each
