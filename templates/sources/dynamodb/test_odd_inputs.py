{#- tests/test_odd_inputs.py's pieces for DynamoDB Streams: the item size limit, and changes
    without a new image. -#}
{%- macro limit() -%}
# DynamoDB's limit for an item (400 KB, names and values): the payload is kept below it.
PAYLOAD_LIMIT_BYTES = 390 * 1024
{%- endmacro %}
{% macro tests() %}


def test_a_change_without_a_new_image_fails_and_a_removal_needs_none() -> None:
    no_image = make_record(json.dumps(VALID_ORDER), "0001")
    no_image["dynamodb"] = {
        key: value for key, value in no_image["dynamodb"].items() if key != "NewImage"
    }
    removed = make_record(json.dumps(VALID_ORDER), "0002")
    removed["eventName"] = "REMOVE"
    removed["dynamodb"] = {
        **{key: value for key, value in removed["dynamodb"].items() if key != "NewImage"},
        "OldImage": make_record(json.dumps(VALID_ORDER), "0")["dynamodb"]["NewImage"],
    }

    assert handled([removed, no_image]) == (["0001"], ["removed"])
{%- endmacro %}
