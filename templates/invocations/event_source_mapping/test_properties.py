{#- tests/test_properties.py's pieces under an event source mapping: a batch whose every record
    failed raises instead of answering. -#}
{% macro imports() %}
import pytest
from aws_lambda_powertools.utilities.batch import {{ facts.concurrency.partial_response }}
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
{%- endmacro %}
{% macro all_failed() %}
    if len(failing) == len(batch):
        with pytest.raises(BatchProcessingError) as raised:
            run()
        # It still names every record's own error, in order.
        errors = [type(error).__name__ for _, error, _ in raised.value.child_exceptions]
        assert errors == [error for _, error in failures]
        return
{%- endmacro %}
