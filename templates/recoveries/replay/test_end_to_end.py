{#- What tests/test_end_to_end.py checks of `make local`'s ending: the replay. -#}

{#- Words: what is done after the fix. #}
{%- macro done() %}the failed ranges replayed{% endmacro %}

{#- Lines: the checks of the listing, then of the replay. #}
{%- macro listed() %}
    assert re.match(r"\d+ messages? in ", lines[listed + 1].lstrip())  # each names a range
{%- endmacro %}

{%- macro brought_back() %}
    replayed = next(line.lstrip() for line in lines if line.lstrip().startswith("replay: "))
    assert re.match(r"replay: \d+ messages? replayed and deleted, \d+ kept", replayed)
{%- endmacro %}
