{#- tests/support.py's pieces for SNS through SQS: what mixed.json holds, and a record as Lambda
    sends it, the order in an SNS envelope. -#}
{% extends "families/queue/support.py" %}
{%- import "sources/sqs/support.py" as sqs -%}
{%- macro mixed() -%}{{ sqs.mixed() }}{%- endmacro %}
{%- macro make_record() -%}
def make_record(payload: str, record_id: str) -> dict[str, Any]:
    """One record shaped as Lambda sends it, carrying this payload (a JSON order, or not)."""
    record: dict[str, Any] = load_event("all_good.json")["Records"][0]
    envelope = {**json.loads(record["body"]), "Message": payload}
    return {**record, "body": json.dumps(envelope), "messageId": record_id}
{%- endmacro %}
