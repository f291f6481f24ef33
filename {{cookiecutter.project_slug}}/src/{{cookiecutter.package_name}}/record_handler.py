{%- import source.part("record_handler.py") as by_source with context -%}
{%- import concurrency.part("record_handler.py") as running with context -%}
"""Business logic for one record: anything raised here fails this record only."""

{% if cookiecutter.idempotency -%}
from aws_lambda_powertools.utilities.typing import LambdaContext

from .idempotency import config as idempotency_config
{% endif -%}
{{ running.imports() | trim }}
from .records import SourceRecord, order_from_record


{{ facts.concurrency.define }} record_handler(record: SourceRecord{% if cookiecutter.idempotency %}, lambda_context: LambdaContext | None = None{% endif %}) -> str:
    """Read the order from the record and fulfil it.

    Powertools calls this once per record, with the keyword ``record``. A corrupt payload, a
    payload that breaks the schema and a rejected order all raise, and the processor reports
    that record in ``batchItemFailures`` {{ by_source.retried }}.
{{- running.runs() }}
    """
{%- if cookiecutter.idempotency %}
    if lambda_context is not None:
        # Lets Powertools expire the order's in-progress marker if this invocation times out.
        idempotency_config.register_lambda_context(lambda_context)
{%- endif %}
{{- by_source.fulfil }}
