{% include "sources/sqs/records.py" -%}
{%- if facts.concurrent_groups %}

def group_of(record: Mapping[str, object]) -> str | None:
    """The message group whose order the record keeps (the raw record, as Lambda sends it)."""
    attributes = record.get("attributes")
    group = attributes.get("MessageGroupId") if isinstance(attributes, Mapping) else None
    return group if isinstance(group, str) else None
{% endif -%}