{#- tests/test_properties.py's batch for Kafka: payloads drawn with their partitions, grouped by
    partition in the event as Lambda sends them. -#}
{%- macro head() -%}
@settings(max_examples=60, deadline=None)
@given(batch=st.lists(st.tuples(bodies(), st.sampled_from([0, 1, 2])), min_size=1, max_size=30))
def test_reports_exactly_the_failing_records_in_order(
    batch: list[tuple[tuple[Callable[[str], str], str], int]],
) -> None:
    run_id = uuid.uuid4().hex[:8]  # fresh order ids: no example sees another's results
    # The processor takes the records partition by partition, each in offset order.
    batch = sorted(batch, key=lambda drawn: drawn[1])
    records = [
        make_record(body(f"ord-{run_id}-{index}"), str(1000 + index), partition=partition)
        for index, ((body, _), partition) in enumerate(batch)
    ]
    event = make_event(records)
    ids = [item_identifier(record) for record in records]
    failures = expected_failures(
        [kind for (_, kind), _ in batch], [f"orders-{partition}" for _, partition in batch]
    )
{%- endmacro %}
