{#- tests/test_end_to_end.py's lines on how the poller ran: the first drain took rounds (3
    messages a run locally, 7 sent) and ended with their sum. -#}
{% macro runs() %}
    assert any("drain 1, round 2: received 3" in line for line in lines)
    assert any(re.search(r"drain 1 succeeded after \d+ rounds", line) for line in lines)
{%- endmacro %}
