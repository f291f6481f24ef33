{#- The parts of infra/stack.py for an SQS FIFO queue: FIFO queues (the dead-letter queue too) and
their deduplication setting, a parameter as in template.yaml. #}
{%- extends "families/queue/stack.py" %}
{%- import "shared/python.jinja" as python %}
{%- import invocation.part("template.yaml") as sam with context %}

{%- block parameters %}
        content_based_deduplication = CfnParameter(
            self,
            "ContentBasedDeduplication",
            allowed_values=["true", "false"],
            default="true",
            description={{ python.text(sam.slot("content_based_deduplication"), 12, 12) }},
        )
{%- endblock %}

{%- block fifo %}
            # A FIFO queue's dead-letter queue must be FIFO too. No queue name: CloudFormation
            # generates one with the ".fifo" suffix FIFO queues need.
            fifo=True,
{%- endblock %}

{%- block resources %}
{{- super() }}
        # A parameter, which the L2 queue's boolean cannot hold.
        resource_of(source_queue).add_property_override(
            "ContentBasedDeduplication", content_based_deduplication.value_as_string
        )
{%- endblock %}
