{#- tests/support.py's pieces for SQS FIFO: what mixed.json holds, message groups included, and a
    record as Lambda sends it. -#}
{% extends "families/queue/support.py" %}
{%- macro mixed() -%}
# What the records of mixed.json hold, in order, with their message groups.
MIXED_KINDS = ["good", "corrupt", "good", "invalid", "good", "rejected"]
MIXED_GROUPS = ["customer-a", "customer-b", "customer-a", "customer-c", "customer-b", "customer-a"]
{%- endmacro %}
{%- macro make_record() -%}
def make_record(payload: str, record_id: str, group: str = "customer-a") -> dict[str, Any]:
    """One record shaped as Lambda sends it, carrying this payload (a JSON order, or not)."""
    record: dict[str, Any] = load_event("all_good.json")["Records"][0]
    attributes = {**record["attributes"], "MessageGroupId": group}
    return {**record, "body": payload, "messageId": record_id, "attributes": attributes}
{%- endmacro %}
