{#- tests/test_end_to_end.py's pieces for the scheduled poller: it moves what keeps failing to the
    DLQ itself. -#}
{%- import scheduler.part("test_end_to_end.py") as scheduled with context %}
{% macro before_run() %}{% endmacro %}
{% macro constants() %}{% endmacro %}
{% macro outcome() %}
    assert ended(fates, PROCESSED) == ["good-1", "good-2", "transient", "good-3"]
    assert ended(fates, DEAD_LETTERED) == ["corrupt", "invalid", "rejected"]
    assert any("moved corrupt invalid rejected to the DLQ" in line for line in lines)
{{- scheduled.runs() }}
{%- endmacro %}
