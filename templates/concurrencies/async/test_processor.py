{#- tests/test_processor.py's part of the asynchronous processor: a synchronous record handler is
    refused, the limit holds, and each group keeps its order. -#}

{%- macro refused() -%}
def test_a_synchronous_record_handler_is_refused_before_any_record_runs(
    lambda_context: LocalLambdaContext,
) -> None:
    """Awaited, its result would fail every record, each retried until it reached the DLQ."""
    ran: list[Any] = []

    def synchronous_record_handler(record: Any) -> None:
        ran.append(record)

    with pytest.raises(TypeError, match="is synchronous"):
        {{ facts.concurrency.partial_response }}(
            event=load_event("all_good.json"),
            record_handler=synchronous_record_handler,
            processor=processor,
            context=lambda_context,
        )
    assert ran == []


def group_of(place: int, record: dict[str, Any]) -> object:
    """The group whose order a record keeps: the processor's (a FIFO message group, a Kafka
    partition), or the record's own place where the processor has no groups."""
    return processor.group_of(record) if processor.group_of else place


def test_records_overlap_up_to_the_limit_and_no_further(
    monkeypatch: pytest.MonkeyPatch, lambda_context: LocalLambdaContext
) -> None:
    """Three times as many records as the limit, each waiting a little: the limit is reached."""
    monkeypatch.setattr(processor, "group_of", None)  # each record a group of its own
    payload = json.dumps(support.VALID_ORDER)
    event = support.make_event(
        [support.make_record(payload, f"{n:03d}") for n in range(3 * processor.limit)]
    )
    running: list[str] = []
    most = 0

    async def waiting_record_handler(record: Any) -> str:
        nonlocal most
        running.append(str(record_id(record)))
        most = max(most, len(running))
        await asyncio.sleep(0.002)
        running.remove(str(record_id(record)))
        return "done"

    response = {{ facts.concurrency.partial_response }}(
        event=event,
        record_handler=waiting_record_handler,
        processor=processor,
        context=lambda_context,
    )

    assert response == {"batchItemFailures": []}
    assert most == processor.limit


def test_each_group_runs_in_order_however_long_its_records_wait(
    lambda_context: LocalLambdaContext,
) -> None:
    """The earlier a record, the longer it waits: without groups the later records end first.
    Each group still runs in the batch's order, while the groups overlap."""
    event = load_event("mixed.json")
    raw = records_of(event)
    in_batch_order = [log_id(record) for record in raw]
    group = {log_id(record): group_of(place, record) for place, record in enumerate(raw)}
    ended: list[str] = []

    async def slower_the_earlier(record: Any) -> str:
        place = in_batch_order.index(str(record_id(record)))
        await asyncio.sleep(0.002 * (len(raw) - place))
        ended.append(str(record_id(record)))
        return "done"

    {{ facts.concurrency.partial_response }}(
        event=event, record_handler=slower_the_earlier, processor=processor, context=lambda_context
    )

    for name in set(group.values()):
        members = [id_ for id_ in in_batch_order if group[id_] == name]
        assert [id_ for id_ in ended if group[id_] == name] == members
    assert ended != in_batch_order  # the groups overlapped


@settings(max_examples=50, deadline=None)
@given(waits=st.lists(st.integers(0, 4), min_size=len(MIXED_KINDS), max_size=len(MIXED_KINDS)))
def test_any_interleaving_reports_exactly_the_failed_records(waits: list[int]) -> None:
    """However long each record of mixed.json waits before its handling (so in any order of
    ending), the response names exactly the records the ordering rule fails, and no record of a
    group starts before the ones ahead of it have ended."""
    event = load_event("mixed.json")
    raw = records_of(event)
    places = {log_id(record): place for place, record in enumerate(raw)}
    groups = [group_of(place, record) for place, record in enumerate(raw)]
    ended: set[int] = set()

    async def interleaved(record: Any) -> str:
        place = places[str(record_id(record))]
        ahead = {other for other in range(place) if groups[other] == groups[place]}
        if not ahead <= ended:
            raise AssertionError(f"record {place} started before {sorted(ahead - ended)} ended")
        try:
            for _ in range(waits[place]):
                await asyncio.sleep(0)
            return await record_handler(record)
        finally:
            ended.add(place)

    response = {{ facts.concurrency.partial_response }}(
        event=event, record_handler=interleaved, processor=processor, context=LocalLambdaContext()
    )

    assert response == {
        "batchItemFailures": [
            {"itemIdentifier": id_} for id_ in item_identifiers(event, *MIXED_FAILED)
        ]
    }
{%- endmacro %}

{#- Lines and names: what those tests import. #}
{%- macro standard_imports() %}
import asyncio
import json
{%- endmacro %}

{%- macro third_party_imports() %}
from hypothesis import given, settings
from hypothesis import strategies as st
{%- endmacro %}

{%- macro support_import() %}
from . import support
{%- endmacro %}
