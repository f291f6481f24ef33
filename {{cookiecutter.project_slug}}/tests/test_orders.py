"""The business rule, apart from any event plumbing."""

import json
import re

import pytest

from {{ cookiecutter.package_name }}.orders import OrderRejectedError, fulfil_order
from {{ cookiecutter.package_name }}.schema import parse_order

from .support import VALID_ORDER


def test_fulfils_an_order_whose_amount_adds_up() -> None:
    """3 x 0.1 is exactly 0.3 because amounts are decimals, not floats."""
    assert fulfil_order(parse_order(json.dumps(VALID_ORDER))) == "ord-1"


def test_rejects_an_order_whose_amount_does_not_add_up() -> None:
    order = parse_order(json.dumps({**VALID_ORDER, "amount": 0.31}))

    expected = re.escape("ord-1: amount 0.31 does not match the items total 0.3")
    with pytest.raises(OrderRejectedError, match=expected):
        fulfil_order(order)
