{#- tests/test_end_to_end.py's pieces for a stream: a record that keeps failing is retried, then
    given up, and the OnFailure destination gets its batch's range. -#}
{% macro before_run() %}{% endmacro %}
{% macro constants() %}{% endmacro %}
{% macro outcome() %}
{%- if facts.ordering == "stop" %}
    assert ended(fates, PROCESSED) == ["good-1", "good-2", "transient", "good-3"]
    assert ended(fates, DEAD_LETTERED) == ["corrupt", "invalid", "rejected"]
    # Bisection isolates each bad record, which alone is given up; nothing good ran twice.
    assert sum("gave up" in line for line in lines) == 3
    assert [fate.successes for fate in fates] == [1, 0, 1, 0, 1, 0, 1]
{%- else %}
    # The corrupt record fails every retry; the records behind it run each time with it, and
    # its batch is given up whole: the OnFailure message's range names them all.
    assert ended(fates, PROCESSED) == ["good-1"]
    assert ended(fates, DEAD_LETTERED) == [
        "corrupt",
        "good-2",
        "invalid",
        "transient",
        "rejected",
        "good-3",
    ]
    assert [fate.message.label for fate in fates if fate.successes] == [
        "good-1",
        "good-2",
        "transient",
        "good-3",
    ]
    assert sum("gave up" in line for line in lines) == 1
{%- endif %}
{%- endmacro %}
