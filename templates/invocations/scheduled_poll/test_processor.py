{#- tests/test_processor.py's pieces for the scheduled poller: a batch whose every record failed
    is reported like any other. -#}
{% macro imports() %}{% endmacro %}
{%- macro all_failed() -%}
def test_every_record_failing_is_reported_not_raised(lambda_context: LocalLambdaContext) -> None:
    """The poller goes on with its next round; the failed messages stay on the queue."""
    event = load_event("all_failed.json")

    response = process(event, lambda_context)

    assert response == {
        "batchItemFailures": [{"itemIdentifier": id_} for id_ in item_identifiers(event, 0, 1, 2)]
    }
{%- endmacro %}
