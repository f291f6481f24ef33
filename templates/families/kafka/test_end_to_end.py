{#- tests/test_end_to_end.py's pieces for a Kafka topic: the demo's records are on two partitions
    (local/mapping.py's CUSTOMER_OF: orders-0 good-1 corrupt good-2 invalid rejected; orders-1
    transient good-3); a record that keeps failing holds back its partition only, is retried, then
    given up, and the OnFailure destination gets its offsets. -#}
{% macro before_run() %}
    # The outcome below is for the whole mix in one batch: a smaller BatchSize changes which
    # records share a batch, and so what a failure holds back.
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Lambda::EventSourceMapping":
            resource["Properties"]["BatchSize"] = 10
{%- endmacro %}
{% macro constants() %}

# A record that keeps failing runs this often: once, and MaximumRetryAttempts more.
TRIES = 1 + next(
    int(resource["Properties"]["MaximumRetryAttempts"])
    for resource in load_template()["Resources"].values()
    if resource["Type"] == "AWS::Lambda::EventSourceMapping"
)
{%- endmacro %}
{% macro outcome() %}
{%- if facts.ordering == "group" %}
    # A failure holds back the rest of its partition, unrun: orders-1 (transient, good-3) is
    # done while orders-0 waits on corrupt; bisection isolates each bad record, given up alone.
    assert ended(fates, PROCESSED) == ["good-1", "good-2", "transient", "good-3"]
    assert ended(fates, DEAD_LETTERED) == ["corrupt", "invalid", "rejected"]
    assert [fate.successes for fate in fates] == [1, 0, 1, 0, 1, 0, 1]  # nothing good ran twice
    assert sum("gave up" in line for line in lines) == 3
    done = next(n for n, line in enumerate(lines) if "committed past good-3" in line)
    assert done < next(n for n, line in enumerate(lines) if "gave up corrupt" in line)
{%- else %}
    # Later records run after a failure, and again on every redelivery: good-3 before the
    # transient one, twice; good-2 on each try of corrupt, whose batch is given up whole.
    assert ended(fates, PROCESSED) == ["good-1", "transient", "good-3"]
    assert ended(fates, DEAD_LETTERED) == ["corrupt", "good-2", "invalid", "rejected"]
    assert [fate.successes for fate in fates] == [1, 0, TRIES, 0, 1, 0, 2]
    assert sum("gave up" in line for line in lines) == 1
    assert any("gave up corrupt good-2 invalid rejected" in line for line in lines)
{%- endif %}
{%- endmacro %}
