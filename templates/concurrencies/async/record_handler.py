{#- record_handler.py's parts of the asynchronous processor: fulfil_order is awaited. -#}

{%- macro imports() %}
from .order_fulfilment import fulfil_order
{%- endmacro %}

{%- macro runs() %}

    The processor runs up to CONCURRENCY_LIMIT records at once on one event loop: whatever
    waits here must be awaited (see order_fulfilment.py), or it holds up every other record.
{%- endmacro %}
