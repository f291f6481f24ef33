{%- if facts.boto3_calls -%}
# Only botocore is patched (the function's {{ facts.boto3_calls | join(" and ") }} calls): patching every library Tracer
# knows is most of what it adds to a cold start.
tracer = Tracer(patch_modules=("botocore",))
{%- else -%}
# This function makes no AWS calls of its own, so nothing is patched: patching botocore and
# the other libraries is most of what Tracer adds to a cold start.
tracer = Tracer(patch_modules=())
{%- endif %}
