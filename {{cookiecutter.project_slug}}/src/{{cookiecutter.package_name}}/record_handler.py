{%- import source.part("record_handler.py") as by_source -%}
"""Business logic for one record: anything raised here fails this record only."""

{% if cookiecutter.idempotency -%}
from aws_lambda_powertools.utilities.typing import LambdaContext

from .idempotency import config as idempotency_config
from .idempotency import fulfil_order_once as fulfil_order
{% else -%}
from .orders import fulfil_order
{% endif -%}
from .records import SourceRecord, order_from_record


def record_handler(record: SourceRecord{% if cookiecutter.idempotency %}, lambda_context: LambdaContext | None = None{% endif %}) -> str:
    """Read the order from the record and fulfil it.

    Powertools calls this once per record, with the keyword ``record``. A corrupt payload, a
    payload that breaks the schema and a rejected order all raise, and the processor reports
    that record in ``batchItemFailures`` {{ by_source.retried }}.
    """
{%- if cookiecutter.idempotency %}
    if lambda_context is not None:
        # Lets Powertools expire the order's in-progress marker if this invocation times out.
        idempotency_config.register_lambda_context(lambda_context)
{%- endif %}
{{- by_source.fulfil }}
