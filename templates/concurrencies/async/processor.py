{#- processor.py's parts of the asynchronous processor: none, as ConcurrentBatchProcessor
    (concurrent_processor.py) refuses a synchronous record handler itself. -#}

{%- macro standard_imports() %}
from typing import Any
{%- endmacro %}

{%- macro powertools_imports() %}{% endmacro %}

{%- macro guard() %}{% endmacro %}
