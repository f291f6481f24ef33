{#- PLACEHOLDER (local harness helper replaces): tests/test_end_to_end.py's pieces for Kafka. -#}
{% macro before_run() %}{% endmacro %}
{% macro constants() %}{% endmacro %}
{% macro outcome() %}
    assert ended(fates, PROCESSED) == ["good-1", "good-2", "transient", "good-3"]
{%- endmacro %}
