{#- tests/test_properties.py's batch for SQS FIFO: payloads drawn with their message groups. -#}
{%- macro head() -%}
@settings(max_examples=60, deadline=None)
@given(
    batch=st.lists(
        st.tuples(bodies(), st.sampled_from(["customer-a", "customer-b", "customer-c"])),
        min_size=1,
        max_size=30,
    )
)
def test_reports_exactly_the_failing_records_in_order(
    batch: list[tuple[tuple[Callable[[str], str], str], str]],
) -> None:
    run_id = uuid.uuid4().hex[:8]  # fresh order ids: no example sees another's results
    records = [
        make_record(body(f"ord-{run_id}-{index}"), f"record-{index}", group=group)
        for index, ((body, _), group) in enumerate(batch)
    ]
    event = make_event(records)
    ids = [item_identifier(record) for record in records]
    failures = expected_failures([kind for (_, kind), _ in batch], [group for _, group in batch])
{%- endmacro %}
