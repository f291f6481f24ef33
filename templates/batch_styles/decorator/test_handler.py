{#- tests/test_handler.py's pieces for the decorator style: none, the decorator answers alone. -#}
{% macro imports() %}{% endmacro %}
{% macro tests() %}{% endmacro %}
