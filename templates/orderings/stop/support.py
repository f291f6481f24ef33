{#- tests/support.py under the stop rule: the first failure stops the batch. -#}
{% set rule = "The first failure stops the batch: it and every record after it are reported, in order." %}
{% macro loop() %}
    for position, kind in enumerate(kinds):
        if failures:
            failures.append((position, ERROR_TYPES["skipped"]))
        elif kind != "good":
            failures.append((position, ERROR_TYPES[kind]))
{%- endmacro %}
