{#- record_handler.py's parts of the asynchronous processor: fulfil_order is awaited. -#}

{%- macro imports() %}
from .fulfilment import fulfil_order
{%- if cookiecutter.idempotency %}
from .idempotency import config as idempotency_config
{%- endif %}
{%- endmacro %}

{%- macro runs() %}

    The processor runs up to CONCURRENCY_LIMIT records at once on one event loop: whatever
    waits here must be awaited (see fulfilment.py), or it holds up every other record.
{%- endmacro %}
