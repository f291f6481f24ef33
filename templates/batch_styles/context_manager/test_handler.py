{#- tests/test_handler.py's pieces for the context manager style: the handler sees the outcomes
    before it answers. -#}
{% macro imports() %}
import logging
{%- endmacro %}
{% macro tests() %}


def test_the_handler_sees_the_outcomes_before_it_answers(
    caplog: pytest.LogCaptureFixture, lambda_context: LocalLambdaContext
) -> None:
    with caplog.at_level(logging.INFO):
        lambda_handler(load_event("mixed.json"), lambda_context)

    summaries = [vars(log) for log in caplog.records if log.getMessage() == "batch processed"]
    assert [(summary["records"], summary["failed"]) for summary in summaries] == [
        (len(MIXED_KINDS), len(MIXED_FAILED))
    ]
{%- endmacro %}
