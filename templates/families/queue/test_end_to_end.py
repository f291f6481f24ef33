{#- tests/test_end_to_end.py's pieces for an SQS queue under an event source mapping: SQS's
    redrive policy moves a message that keeps failing to the DLQ. -#}
{% macro before_run() %}{% endmacro %}
{% macro constants() %}

# Each failing message is received this often, then the redrive policy moves it (the source
# queue's: the only queue of the stack with one).
MAX_RECEIVES = next(
    resource["Properties"]["RedrivePolicy"]["maxReceiveCount"]
    for resource in load_template()["Resources"].values()
    if resource["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in resource["Properties"]
)
{%- endmacro %}
{% macro outcome() %}
    assert ended(fates, PROCESSED) == ["good-1", "good-2", "transient", "good-3"]
    assert ended(fates, DEAD_LETTERED) == ["corrupt", "invalid", "rejected"]
    # Received once, or twice (the transient failure), or until the redrive policy moved it.
    bad = MAX_RECEIVES
    assert [fate.deliveries for fate in fates] == [1, bad, 1, bad, 2, bad, 1]
    assert any("moved corrupt invalid rejected to the DLQ" in line for line in lines)
{%- endmacro %}
