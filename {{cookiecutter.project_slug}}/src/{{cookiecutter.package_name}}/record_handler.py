"""Business logic for one record: anything raised here fails this record only."""

{% if cookiecutter.idempotency -%}
from aws_lambda_powertools.utilities.typing import LambdaContext

from .idempotency import config as idempotency_config
from .idempotency import fulfil_order_once as fulfil_order
{% else -%}
from .orders import fulfil_order
{% endif -%}
from .records import SourceRecord, order_from_record


{% if cookiecutter.idempotency -%}
def record_handler(record: SourceRecord, lambda_context: LambdaContext | None = None) -> str:
{%- else -%}
def record_handler(record: SourceRecord) -> str:
{%- endif %}
    """Read the order from the record and fulfil it.

    Powertools calls this once per record, with the keyword ``record``. A corrupt payload, a
    payload that breaks the schema and a rejected order all raise, and the processor reports
    that record in ``batchItemFailures``{% if cookiecutter.event_source in ["kinesis", "dynamodb"] %} so Lambda retries it (then sends it to the on-failure
    destination){% else %} so SQS retries it (then moves it to the DLQ){% endif %}.
    """
{%- if cookiecutter.idempotency %}
    if lambda_context is not None:
        # Lets Powertools expire the order's in-progress marker if this invocation times out.
        idempotency_config.register_lambda_context(lambda_context)
{%- endif %}
{%- if cookiecutter.event_source == "dynamodb" %}
    order = order_from_record(record)
    if order is None:  # the item was removed: nothing to fulfil
        return "removed"
    return fulfil_order(order)
{%- else %}
    return fulfil_order(order_from_record(record))
{%- endif %}
