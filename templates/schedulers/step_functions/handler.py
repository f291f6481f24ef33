{#- handler.py's lambda_handler, its first lines: what starts it, and the keys of its log lines. #}
{%- macro handler_start() %}
    """Invoked by the drain state machine, once per round. The event carries no records: the
    drain's execution name and the round's number, which every log line of the run carries."""
    logger.append_keys(drain=event.get("execution"), round=event.get("round"))
{%- endmacro %}
