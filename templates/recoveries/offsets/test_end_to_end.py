{#- What tests/test_end_to_end.py checks of `make local`'s ending: the offsets shown (no command
    brings Kafka's records back). -#}

{#- Words: what is done after the fix. #}
{%- macro done() %}the offsets shown{% endmacro %}

{#- Lines: the checks of the listing, then of what brings the records back: none. #}
{%- macro listed() %}
    assert re.match(r"\d+ messages? in ", lines[listed + 1].lstrip())  # each names a range
{%- endmacro %}

{%- macro brought_back() %}{% endmacro %}
