{#- tests/test_packaging.py's pieces for a stream: its mapping retries boundedly, while the
    stream still holds the record, and keeps what it skips. -#}
{%- macro summary() -%}
The guard reads the stack in CloudFormation form: every event source mapping reports batch item
failures; a stream mapping gives up on a record after bounded retries and leaves a trace in the
stack; each role allows what its mappings need, on the stack's resources.
{%- endmacro %}
{% macro imports() %}{% endmacro %}
{% macro constants() %}
# AWS's limits; -1, the default of both, means until the record expires from the stream.
MAX_RETRY_ATTEMPTS = 10_000
RECORD_AGE_SECONDS = (60, 604_800)
# How long each stream keeps a record: the skipped record must still be there to read back.
DYNAMODB_STREAM_RETENTION_SECONDS = 24 * 3600
KINESIS_DEFAULT_RETENTION_HOURS = 24
{%- endmacro %}
{% macro helpers() %}{% endmacro %}
{% macro tests() %}


def test_stream_mappings_retry_boundedly_and_keep_what_they_skip(template: dict[str, Any]) -> None:
    """A record that keeps failing holds its shard: the mapping must bisect the batch, give up
    after a bounded number of retries and age (while the stream still holds the record), and
    send what it skipped to a destination in the stack."""
    streams = mappings(template, STREAM_EVENTS)
    assert streams, "no Kinesis or DynamoDB stream mapping in this template"
    resources = template["Resources"]
    for function, kind, mapping in streams:
        where = f"{function}'s {kind} mapping"
        assert "ReportBatchItemFailures" in mapping.get("FunctionResponseTypes", []), where
        assert mapping.get("BisectBatchOnFunctionError") is True, where
        retries = mapping.get("MaximumRetryAttempts", -1)
        assert 0 <= retries <= MAX_RETRY_ATTEMPTS, f"{where}: MaximumRetryAttempts {retries}"
        age = mapping.get("MaximumRecordAgeInSeconds", -1)
        low, high = RECORD_AGE_SECONDS
        assert low <= age <= high, f"{where}: MaximumRecordAgeInSeconds {age}"
        stream = resource_name(template, mapped_source(mapping))
        if stream and resources[stream]["Type"] == "AWS::Kinesis::Stream":
            hours = resources[stream]["Properties"].get(
                "RetentionPeriodHours", KINESIS_DEFAULT_RETENTION_HOURS
            )
            assert age < hours * 3600, f"{where}: records expire before they are given up"
        else:
            assert age < DYNAMODB_STREAM_RETENTION_SECONDS, f"{where}: records expire first"
        target = resource_name(template, on_failure(mapping))
        assert target, f"{where} has no OnFailure destination in the stack: skips leave no trace"
        assert resources[target]["Type"] in SEND_ACTIONS, f"{where}: OnFailure {target}"
{%- endmacro %}
