{#- tests/support.py's pieces for a source whose records are SQS messages: a body of JSON text.
    The source's own support.py extends this one and adds mixed() and make_record(). -#}
{%- macro imports() -%}
import json
from pathlib import Path
from typing import Any

{% endmacro %}
{% macro corrupt(json_error) %}    "corrupt": "{{ json_error }}",{% endmacro %}
