"""Logger, metrics{% if cookiecutter.tracing %} and tracer{% endif %} shared by the modules of this function.

They read their settings (service name, metrics namespace, log level) from the
POWERTOOLS_* environment variables that template.yaml sets.
"""

from aws_lambda_powertools import Logger, Metrics{% if cookiecutter.tracing %}, Tracer{% endif %}

logger = Logger()
metrics = Metrics()
{%- if cookiecutter.tracing and cookiecutter.invocation == "scheduled_poll" %}
# Only botocore is patched (the poller's SQS calls): patching every library Tracer knows is
# most of what it adds to a cold start.
tracer = Tracer(patch_modules=("botocore",))
{%- elif cookiecutter.tracing %}
# This function makes no AWS calls of its own, so nothing is patched: patching botocore and
# the other libraries is most of what Tracer adds to a cold start.
tracer = Tracer(patch_modules=())
{%- endif %}
