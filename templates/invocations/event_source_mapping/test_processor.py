{#- tests/test_processor.py's pieces under an event source mapping: a batch whose every record
    failed raises, so that Lambda retries it whole. -#}
{% macro imports() %}
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
{%- endmacro %}
{%- macro all_failed() -%}
def test_every_record_failing_raises(lambda_context: LocalLambdaContext) -> None:
    """By design: the whole batch is retried, and the function's Errors metric counts it."""
    with pytest.raises(BatchProcessingError, match="All records failed processing"):
        process(load_event("all_failed.json"), lambda_context)
{%- endmacro %}
