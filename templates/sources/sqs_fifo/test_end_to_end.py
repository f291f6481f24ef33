{#- tests/test_end_to_end.py's pieces for SQS FIFO: moto's FIFO redelivery is wrong, so the demo
    sends the good orders only (see local/mapping.py). -#}
{% set whole_mix = false %}
{% macro constants() %}{% endmacro %}
{% macro outcome() %}
    # moto's FIFO redelivery is wrong: the demo sends the good orders only.
    assert ended(fates, PROCESSED) == ["good-1", "good-2", "good-3"]
    assert ended(fates, DEAD_LETTERED) == []
    assert [fate.deliveries for fate in fates] == [1, 1, 1]
{%- endmacro %}
