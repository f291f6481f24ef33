"""An order's fulfilment as the async record handler awaits it: the business rule, then the call
that tells the downstream service, awaited, so that the batch's other records run meanwhile.

Only what is awaited lets other records run: a blocking call (boto3, requests, a database
driver without asyncio) made here directly would hold up the whole batch while it waits. Await
an async client (aiohttp, httpx.AsyncClient, ...) as it is, or run a blocking one in a thread
with `await asyncio.to_thread(...)`: the processor gives the event loop CONCURRENCY_LIMIT threads.
"""

{% if cookiecutter.idempotency -%}
import asyncio

from .idempotency import fulfil_order_once as apply_rule
{%- else -%}
from .orders import fulfil_order as apply_rule
{%- endif %}
from .schema import Order


async def fulfil_order(order: Order) -> str:
    """Apply the business rule to the order, then confirm it downstream; the order's id."""
{%- if cookiecutter.idempotency %}
    # The idempotency record is read and written in DynamoDB by boto3, which blocks: a thread.
    order_id = await asyncio.to_thread(apply_rule, order)
{%- else %}
    order_id = apply_rule(order)  # quick and CPU-bound: no need to leave the event loop
{%- endif %}
    await confirm(order_id)
    return order_id


async def confirm(order_id: str) -> None:
    """Tell the downstream service that the order is fulfilled: your I/O goes here, awaited.

    The example has no downstream service: it returns at once, without a pass through the event
    loop, so a record whose work is all CPU costs little more than one after another. A call
    that fails raises, and fails this record alone.
    """
