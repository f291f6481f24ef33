{#- tests/test_end_to_end.py's lines on how the poller ran: the trace of each run is the
    mapping's own, nothing more to check. -#}
{% macro runs() %}{% endmacro %}
