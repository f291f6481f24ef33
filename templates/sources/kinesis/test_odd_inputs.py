{#- tests/test_odd_inputs.py's pieces for Kinesis: its size limit, and data that is not base64,
    not UTF-8 or missing. -#}
{%- macro limit() -%}
PAYLOAD_LIMIT_BYTES = 1024 * 1024  # 1 MiB, Kinesis's limit for a record's data
{%- endmacro %}
{% macro tests() %}


def test_data_that_is_not_utf8_or_not_base64_fails_alone() -> None:
    not_base64 = make_record(json.dumps(VALID_ORDER), "0002")
    not_base64["kinesis"] = {**not_base64["kinesis"], "data": "%%% not base64 %%%"}
    records = [
        make_record(json.dumps(VALID_ORDER), "0001"),
        make_record(b'{"order_id": "\xff\xfe"}', "0002"),
        make_record(json.dumps(VALID_ORDER).encode("utf-16"), "0003"),
        not_base64,
    ]
    for position, record in enumerate(records):
        record["kinesis"] = {**record["kinesis"], "sequenceNumber": f"{position + 1:04d}"}

    assert handled(records) == (["0002", "0003", "0004"], ["ord-1"])


def test_a_record_without_data_fails_alone() -> None:
    record = make_record(json.dumps(VALID_ORDER), "0001")
    record["kinesis"] = {key: value for key, value in record["kinesis"].items() if key != "data"}
    records = [make_record(json.dumps(VALID_ORDER), "0000"), record]

    assert handled(records) == (["0001"], ["ord-1"])
{%- endmacro %}
