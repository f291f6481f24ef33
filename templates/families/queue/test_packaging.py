{#- tests/test_packaging.py's pieces for a source read from an SQS queue: the queue a function
    consumes redrives to a DLQ and outlasts the function. -#}
{%- macro summary() -%}
The guard reads the stack in CloudFormation form: every event source mapping reports batch item
failures; an SQS queue a function consumes sends what keeps failing to a dead-letter queue and
outlasts the function; each role allows what its mappings need, on the stack's resources.
{%- endmacro %}
{% macro imports() %}{% endmacro %}
{% macro constants() %}
SQS_DEFAULTS = {"VisibilityTimeout": 30, "MessageRetentionPeriod": 345_600}
LAMBDA_DEFAULT_TIMEOUT = 3
{%- endmacro %}
{% macro helpers() %}


def queue_setting(properties: dict[str, Any], setting: str) -> Any:
    return properties.get(setting, SQS_DEFAULTS.get(setting))


def is_fifo(properties: dict[str, Any]) -> bool:
    return str(properties.get("FifoQueue", False)).lower() == "true"
{%- endmacro %}
{% macro tests() %}


def test_source_queues_redrive_to_a_dlq_and_outlast_the_function(template: dict[str, Any]) -> None:
    """A consumed queue moves a message that keeps failing to a dead-letter queue of the same
    kind that keeps it longer, and hides a message for 6x the timeout of its consumers (AWS's
    advice), so it is not redelivered while a batch holding it may still run."""
    consumers = consumed_queues(template)
    assert consumers, "no function consumes an SQS queue of this template"
    resources = template["Resources"]
    for queue, readers in consumers.items():
        properties = resources[queue].get("Properties", {})
        timeout = max(
            functions(template)[reader].get("Timeout", LAMBDA_DEFAULT_TIMEOUT) for reader in readers
        )
        assert queue_setting(properties, "VisibilityTimeout") >= 6 * timeout, queue
        redrive = properties.get("RedrivePolicy")
        assert redrive, f"{queue} has no RedrivePolicy: a failing message returns forever"
        assert redrive["maxReceiveCount"] >= 1
        dlq = resource_name(template, redrive["deadLetterTargetArn"])
        assert dlq, f"{queue}'s dead-letter queue is not a queue of this template"
        assert resources[dlq]["Type"] == "AWS::SQS::Queue"
        dlq_properties = resources[dlq].get("Properties", {})
        assert queue_setting(dlq_properties, "MessageRetentionPeriod") > queue_setting(
            properties, "MessageRetentionPeriod"
        ), f"{dlq} must keep messages longer than {queue}"
        assert is_fifo(dlq_properties) == is_fifo(properties), (
            f"{queue} and its dead-letter queue {dlq} must both be FIFO or both standard"
        )
{%- endmacro %}
