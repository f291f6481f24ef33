{#- tests/test_odd_inputs.py's pieces for SNS through SQS: SNS's size limit, the odd bodies of an
    SQS message, and a body that is no SNS envelope. -#}
{% import "families/queue/test_odd_inputs.py" as queue %}
{%- macro limit() -%}
PAYLOAD_LIMIT_BYTES = 256 * 1024  # SNS's limit for a message (the SQS queue's is larger)
{%- endmacro %}
{% macro tests() %}
{{- queue.tests() }}


def test_a_notification_with_a_body_that_is_not_an_envelope_is_read_as_raw() -> None:
    """With raw message delivery on, the body is the order itself."""
    raw = {**make_record("{}", "raw"), "body": json.dumps(VALID_ORDER)}

    assert handled([raw]) == ([], ["ord-1"])
{%- endmacro %}
