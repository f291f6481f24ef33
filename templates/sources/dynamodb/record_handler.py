{#- Imported by record_handler.py: a stream's retries; a removed item has no order to fulfil. -#}
{%- import "families/stream/record_handler.py" as stream with context %}
{%- set retried = stream.retried %}

{%- set fulfil %}
    order = order_from_record(record)
    if order is None:  # the item was removed: nothing to fulfil
        return "removed"
    return {{ facts.concurrency.call }}fulfil_order(order)
{%- endset %}
