{#- Imported by record_handler.py: what becomes of a failed message, and the handler's last lines. -#}
{%- set retried %}so SQS retries it (then moves it to the DLQ){% endset %}

{%- set fulfil %}
    return {{ facts.concurrency.call }}fulfil_order(order_from_record(record))
{%- endset %}
