"""The business rule, apart from any SQS plumbing."""

import json
import re

import pytest

from {{ cookiecutter.package_name }}.orders import OrderRejectedError, fulfil_order

from .test_schema import VALID_ORDER, read_order


def test_fulfils_an_order_whose_amount_adds_up() -> None:
    """3 x 0.1 is exactly 0.3 because amounts are decimals, not floats."""
    assert fulfil_order(read_order(json.dumps(VALID_ORDER))) == "ord-1"


def test_rejects_an_order_whose_amount_does_not_add_up() -> None:
    order = read_order(json.dumps({**VALID_ORDER, "amount": 0.31}))

    expected = re.escape("ord-1: amount 0.31 does not match the items total 0.3")
    with pytest.raises(OrderRejectedError, match=expected):
        fulfil_order(order)
