{#- handler.py's lambda_handler, its first lines: what starts it. #}
{%- macro handler_start() %}
    """Started by the schedule; the event carries no records."""
{%- endmacro %}
