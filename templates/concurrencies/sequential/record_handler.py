{#- record_handler.py's parts of the synchronous processor: where fulfil_order comes from. -#}

{%- macro imports() %}
{%- if cookiecutter.idempotency %}
from .idempotency import fulfil_order_once as fulfil_order
{%- else %}
from .orders import fulfil_order
{%- endif %}
{%- endmacro %}

{%- macro runs() %}{% endmacro %}
