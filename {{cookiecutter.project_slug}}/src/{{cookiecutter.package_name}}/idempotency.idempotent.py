"""Fulfil each order once, however often SQS delivers its message.

SQS delivers at least once, so a message can reach the record handler twice. Powertools
Idempotency records every completed order in a DynamoDB table ({{ facts.stack }}'s
IdempotencyTable), keyed on the payload's `{{ cookiecutter.idempotency_key }}`: a repeat returns the stored result
without running the business logic again. A failed order is not recorded, so its retry runs.
"""

import os
from collections.abc import Callable
from functools import cache

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from .orders import fulfil_order
from .schema import Order

IDEMPOTENCY_KEY = "{{ cookiecutter.idempotency_key }}"
config = IdempotencyConfig(
    event_key_jmespath=IDEMPOTENCY_KEY,
    raise_on_no_idempotency_key=True,
    expires_after_seconds=7 * 24 * 3600,  # longer than any redelivery: SQS keeps 4 days
)


@cache
def _fulfil_once() -> Callable[..., str]:
    """Built on first use, so the DynamoDB client is made where the function runs."""
    table = os.environ.get("IDEMPOTENCY_TABLE")
    if not table:
        raise LookupError("IDEMPOTENCY_TABLE not set: the DynamoDB table {{ facts.stack }} declares")
    persistence = DynamoDBPersistenceLayer(table_name=table)
    fulfil: Callable[..., str] = idempotent_function(
        data_keyword_argument="order", persistence_store=persistence, config=config
    )(_fulfil)
    return fulfil


def _fulfil(order: Order) -> str:
    return fulfil_order(order)


def fulfil_order_once(order: Order) -> str:
    """fulfil_order, run at most once per idempotency key (until the record expires)."""
    return _fulfil_once()(order=order)
