{#- records.py's record_id, along the source's id path; `describe` says what the id is. -#}
{%- macro record_id(describe) -%}
# The keys that lead to a record's id: the same in the raw record, its data class and its model.
RECORD_ID_PATH = {{ source.record_id.split(".") | tojson }}


def record_id(record: object) -> str | None:
    """The id batchItemFailures names a record by: {{ describe }}.

    Powertools hands the processor's hooks the raw record (a dict), its data class (a mapping)
    or, when the processor is given model=, the parsed pydantic model: each is read here.
    """
    value = record
    for key in RECORD_ID_PATH:
        value = value.get(key) if isinstance(value, Mapping) else getattr(value, key, None)
    return value if isinstance(value, str) else None
{%- endmacro %}
