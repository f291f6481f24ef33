{#- tests/support.py under the continue rule: each record stands alone. -#}
{% set rule = "Each record stands alone: exactly the failing ones are reported." %}
{% macro loop() %}
    for position, kind in enumerate(kinds):
        if kind != "good":
            failures.append((position, ERROR_TYPES[kind]))
{%- endmacro %}
