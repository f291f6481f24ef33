{#- tests/test_odd_inputs.py's pieces for an SQS queue: its size limit, and the odd bodies an SQS
    message can have. -#}
{%- macro limit() -%}
PAYLOAD_LIMIT_BYTES = 1024 * 1024  # 1 MiB, SQS's limit for a message body
{%- endmacro %}
{% macro tests() %}


def test_a_record_without_a_body_or_with_a_number_for_one_fails_alone() -> None:
    without_body = {
        key: value for key, value in make_record("{}", "no-body").items() if key != "body"
    }
    records = [
        make_record(json.dumps(VALID_ORDER), "fine"),
        without_body,
        {**make_record("{}", "numeric-body"), "body": 12345},
    ]

    assert handled(records) == (["no-body", "numeric-body"], ["ord-1"])


def test_a_record_missing_its_metadata_is_processed() -> None:
    """Lambda always sends attributes, messageAttributes and md5OfBody; only the body is read."""
    bare = {
        key: value
        for key, value in make_record(json.dumps(VALID_ORDER), "bare").items()
        if key not in {"messageAttributes", "md5OfBody", "md5OfMessageAttributes"}
    }

    assert handled([bare]) == ([], ["ord-1"])
{%- endmacro %}
