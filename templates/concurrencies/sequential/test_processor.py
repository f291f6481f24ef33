{#- tests/test_processor.py's part of the synchronous processor: an async record handler is refused. -#}

{%- macro refused() -%}
def test_an_async_record_handler_is_refused_before_any_record_runs(
    lambda_context: LocalLambdaContext,
) -> None:
    """Unawaited, it would report every record a success and the messages would be deleted."""
    awaited: list[Any] = []

    async def async_record_handler(record: Any) -> None:
        awaited.append(record)

    with pytest.raises(TypeError, match="is async"):
        {{ facts.concurrency.partial_response }}(
            event=load_event("all_good.json"),
            record_handler=async_record_handler,
            processor=processor,
            context=lambda_context,
        )
    assert awaited == []
{%- endmacro %}

{#- Lines and names: what that test imports besides the others'. #}
{%- macro standard_imports() %}{% endmacro %}
{%- macro third_party_imports() %}{% endmacro %}
{%- macro support_import() %}{% endmacro %}
