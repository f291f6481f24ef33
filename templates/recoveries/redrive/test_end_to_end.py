{#- What tests/test_end_to_end.py checks of `make local`'s ending: the redrive. -#}

{#- Words: what is done after the fix. #}
{%- macro done() %}the messages it fixes redriven{% endmacro %}

{#- Lines: the checks of the listing, then of the redrive. #}
{%- macro listed() %}
    assert lines[listed + 1].lstrip().startswith(f"{len(ended(fates, DEAD_LETTERED))} messages in ")
{%- endmacro %}

{%- macro brought_back() %}
    assert any(line.lstrip().startswith("redrive: moved ") for line in lines)
    assert len(ended(after, PROCESSED)) > len(ended(fates, PROCESSED))
{%- endmacro %}
