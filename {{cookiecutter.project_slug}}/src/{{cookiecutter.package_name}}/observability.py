"""Logger, metrics{% if cookiecutter.tracing %} and tracer{% endif %} shared by the modules of this function.

They read their settings (service name, metrics namespace, log level) from the
POWERTOOLS_* environment variables that {{ facts.stack }} sets.
"""

from aws_lambda_powertools import Logger, Metrics{% if cookiecutter.tracing %}, Tracer{% endif %}

logger = Logger()
metrics = Metrics()
{% if cookiecutter.tracing %}{% include "shared/tracer.py" %}{% endif -%}
