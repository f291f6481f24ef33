{%- set fifo = cookiecutter.event_source == "sqs_fifo" -%}
"""Properties of the partial response over any batch: exactly the records the ordering rule
fails (support.expected_failures), in order, once each."""

import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any
{% if cookiecutter.invocation == "event_source_mapping" %}
import pytest
from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
{%- else %}
from aws_lambda_powertools.utilities.batch import process_partial_response
{%- endif %}
from hypothesis import given, settings
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.processor import processor
from {{ cookiecutter.package_name }}.record_handler import record_handler

from .support import expected_failures, make_record
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


@st.composite
def bodies(draw: st.DrawFn) -> tuple[Callable[[str], str], str]:
    """A payload for a given order id, and its kind: good, corrupt, invalid or rejected."""
    kind = draw(st.sampled_from(["good", "corrupt", "invalid", "rejected"]))
    lines = draw(items)
    cut = draw(st.floats(0, 1, exclude_max=True))
    delta = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2))

    def body(order_id: str) -> str:
        good = order_json(order_id, lines, total(lines))
        if kind == "corrupt":
            return good[: int(cut * len(good))]
        if kind == "invalid":
            return order_json(order_id, [], total(lines))
        if kind == "rejected":
            return order_json(order_id, lines, total(lines) + delta)
        return good

    return body, kind


{% if fifo -%}
@settings(max_examples=60, deadline=None)
@given(
    batch=st.lists(
        st.tuples(bodies(), st.sampled_from(["customer-a", "customer-b", "customer-c"])),
        min_size=1,
        max_size=30,
    )
)
def test_reports_exactly_the_failing_records_in_order(
    batch: list[tuple[tuple[Callable[[str], str], str], str]],
) -> None:
    run_id = uuid.uuid4().hex[:8]  # fresh order ids: no example sees another's results
    ids = [f"record-{index}" for index in range(len(batch))]
    event = {
        "Records": [
            make_record(body(f"ord-{run_id}-{index}"), ids[index], group=group)
            for index, ((body, _), group) in enumerate(batch)
        ]
    }
    failures = expected_failures([kind for (_, kind), _ in batch], [group for _, group in batch])
{%- else -%}
@settings(max_examples=60, deadline=None)
@given(batch=st.lists(bodies(), min_size=1, max_size=30))
def test_reports_exactly_the_failing_records_in_order(
    batch: list[tuple[Callable[[str], str], str]],
) -> None:
    run_id = uuid.uuid4().hex[:8]  # fresh order ids: no example sees another's results
    ids = [f"{index + 1:021d}" for index in range(len(batch))]  # as sequence numbers look
    event = {
        "Records": [
            make_record(body(f"ord-{run_id}-{index}"), ids[index])
            for index, (body, _) in enumerate(batch)
        ]
    }
    failures = expected_failures([kind for _, kind in batch])
{%- endif %}
    failing = [ids[position] for position, _ in failures]

    def run() -> Any:
        return process_partial_response(
            event=event,
            record_handler=record_handler,
            processor=processor,
            context=LocalLambdaContext(),
        )
{% if cookiecutter.invocation == "event_source_mapping" %}
    if len(failing) == len(batch):
        with pytest.raises(BatchProcessingError):
            run()
        return
{%- endif %}
    response = run()

    reported = [failure["itemIdentifier"] for failure in response["batchItemFailures"]]
    assert reported == failing
    assert len(set(reported)) == len(reported)
