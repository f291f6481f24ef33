{#- The parts of infra/stack.py for an SQS standard queue: its family's as they are. #}
{%- extends "families/queue/stack.py" %}
