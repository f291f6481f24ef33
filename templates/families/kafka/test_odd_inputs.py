{#- tests/test_odd_inputs.py's pieces for Kafka: its size limit, and values that are not base64,
    not UTF-8 or missing. -#}
{%- macro limit() -%}
PAYLOAD_LIMIT_BYTES = 1024 * 1024  # 1 MiB: Kafka's default message.max.bytes, and MSK's
{%- endmacro %}
{% macro tests() %}


def test_values_that_are_not_utf8_or_not_base64_fail_alone() -> None:
    not_base64 = make_record(json.dumps(VALID_ORDER), "4")
    not_base64["value"] = "%%% not base64 %%%"
    records = [
        make_record(json.dumps(VALID_ORDER), "1"),
        make_record(b'{"order_id": "\xff\xfe"}', "2", partition=1),
        make_record(json.dumps(VALID_ORDER).encode("utf-16"), "3", partition=2),
        not_base64,
    ]

    failed, results = handled(records)

    assert failed == [item_identifier(record) for record in records[1:]]
    assert results == ["ord-1"]


def test_a_record_without_a_value_fails_alone() -> None:
    record = make_record(json.dumps(VALID_ORDER), "2", partition=1)
    del record["value"]
    records = [make_record(json.dumps(VALID_ORDER), "1"), record]

    assert handled(records) == ([item_identifier(record)], ["ord-1"])


def test_a_failed_partition_does_not_hold_back_the_others() -> None:
    records = [
        make_record("{not json", "7", partition=0),
        make_record(json.dumps(VALID_ORDER), "8", partition=0),
        make_record(json.dumps(VALID_ORDER), "3", partition=1),
    ]

    failed, results = handled(records)

{%- if facts.ordering == "group" %}
    # Offset 8 waits behind 7 in its partition; partition 1 goes on.
    assert failed == [item_identifier(records[0]), item_identifier(records[1])]
    assert results == ["ord-1"]
{%- else %}
    # Offset 8 runs now, and again when Lambda delivers the partition from offset 7.
    assert failed == [item_identifier(records[0])]
    assert results == ["ord-1", "ord-1"]
{%- endif %}
{%- endmacro %}
