{#- tests/support.py under the group rule: a failure stops the rest of its message group. -#}
{% set rule = "A failure skips the rest of its message group; records of other groups go on." %}
{% macro loop() %}
    failed_groups: set[str] = set()
    for position, kind in enumerate(kinds):
        group = groups[position] if groups else ""
        if group in failed_groups:
            failures.append((position, ERROR_TYPES["skipped"]))
        elif kind != "good":
            failures.append((position, ERROR_TYPES[kind]))
            failed_groups.add(group)
{%- endmacro %}
