{#- tests/test_properties.py's batch for a source without message groups: payloads in a row, ids
    as sequence numbers look. -#}
{%- macro head() -%}
@settings(max_examples=60, deadline=None)
@given(batch=st.lists(bodies(), min_size=1, max_size=30))
def test_reports_exactly_the_failing_records_in_order(
    batch: list[tuple[Callable[[str], str], str]],
) -> None:
    run_id = uuid.uuid4().hex[:8]  # fresh order ids: no example sees another's results
    records = [
        make_record(body(f"ord-{run_id}-{index}"), f"{index + 1:021d}")  # as sequence numbers look
        for index, (body, _) in enumerate(batch)
    ]
    event = make_event(records)
    ids = [item_identifier(record) for record in records]
    failures = expected_failures([kind for _, kind in batch])
{%- endmacro %}
