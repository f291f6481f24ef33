{#- tests/test_end_to_end.py's pieces for SQS FIFO: the demo's groups are local/mapping.py's GROUPS
    (A: good-1 good-2 transient good-3; B: corrupt rejected; C: invalid), and what a failure holds
    back is the rest of its batch (stop) or the rest of its group (continue). -#}
{% import "families/queue/test_end_to_end.py" as queue with context %}
{% macro before_run() %}
    # The outcome below is for the whole mix in one batch (10, SQS FIFO's most): a smaller
    # BatchSize changes which messages share a batch, and so what a failure holds back.
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Lambda::EventSourceMapping":
            resource["Properties"]["BatchSize"] = 10
{%- endmacro %}
{% macro constants() %}{{ queue.constants() }}{% endmacro %}
{% macro outcome() %}
{%- if facts.ordering == "stop" %}
    # corrupt fails first in every batch, so everything behind it is returned unrun with it: the
    # later messages of every group reach maxReceiveCount together and follow it to the DLQ.
    assert ended(fates, PROCESSED) == ["good-1"]
    assert ended(fates, DEAD_LETTERED) == [
        "corrupt",
        "good-2",
        "invalid",
        "transient",
        "rejected",
        "good-3",
    ]
    bad = MAX_RECEIVES
    assert [fate.deliveries for fate in fates] == [1, bad, bad, bad, bad, bad, bad]
    assert [fate.successes for fate in fates] == [1, 0, 0, 0, 0, 0, 0]
{%- else %}
    # A failure holds back only its own group: good-3 waits behind transient in group A, and
    # rejected behind corrupt in group B, never run, until both reach the DLQ in their order.
    assert ended(fates, PROCESSED) == ["good-1", "good-2", "transient", "good-3"]
    assert ended(fates, DEAD_LETTERED) == ["corrupt", "invalid", "rejected"]
    bad = MAX_RECEIVES
    assert [fate.deliveries for fate in fates] == [1, bad, 1, bad, 2, bad, 2]
    assert [fate.successes for fate in fates] == [1, 0, 1, 0, 1, 0, 1]
{%- endif %}
{%- endmacro %}
