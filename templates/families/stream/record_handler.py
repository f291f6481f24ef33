{#- Imported by record_handler.py: what becomes of a failed record, and the handler's last lines. -#}
{%- set retried %}so Lambda retries it (then sends it to the on-failure
    destination){% endset %}

{%- set fulfil %}
    return {{ facts.concurrency.call }}fulfil_order(order_from_record(record))
{%- endset %}
