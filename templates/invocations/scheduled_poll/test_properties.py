{#- tests/test_properties.py's pieces for the scheduled poller: a batch whose every record failed
    is answered like any other. -#}
{% macro imports() %}
from aws_lambda_powertools.utilities.batch import {{ facts.concurrency.partial_response }}
{%- endmacro %}
{% macro all_failed() %}{% endmacro %}
