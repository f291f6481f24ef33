{#- tests/support.py's pieces for Kinesis: what mixed.json holds, and a record as Lambda sends it,
    its data base64-encoded. -#}
{%- macro imports() -%}
import base64
import json
from pathlib import Path
from typing import Any

{% endmacro %}
{%- macro mixed() -%}
# What the records of mixed.json hold, in order.
MIXED_KINDS = ["good", "corrupt", "invalid", "rejected", "good"]
{%- endmacro %}
{% macro corrupt(json_error) %}    "corrupt": "{{ json_error }}",{% endmacro %}
{%- macro make_record() -%}
def make_record(payload: str | bytes, record_id: str) -> dict[str, Any]:
    """One record shaped as Lambda sends it, carrying this payload (a JSON order, or not)."""
    record: dict[str, Any] = load_event("all_good.json")["Records"][0]
    data = payload.encode() if isinstance(payload, str) else payload
    kinesis = {
        **record["kinesis"],
        "data": base64.b64encode(data).decode(),
        "sequenceNumber": record_id,
    }
    return {**record, "kinesis": kinesis}
{%- endmacro %}
