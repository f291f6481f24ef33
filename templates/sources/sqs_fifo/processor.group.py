{% if facts.concurrent -%}
# A failure skips only the rest of its message group; the other groups go on, concurrently.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE, group_of=group_of)
{% else -%}
# A failure skips only the rest of its message group; the other groups go on.
processor = ObservedBatchProcessor(skip_group_on_error=True)
{% endif -%}
