{#- The parts of infra/stack.py for the scheduled poller: the source's own (a queue's: only a
source without `not_pollable` gets here), with a schedule starting the function, which receives
from SourceQueue itself: EventBridge Scheduler's, or the drain state machine's (the scheduler's
pieces, templates/schedulers/<name>/stack.py). #}
{%- extends source.part("stack.py") %}
{%- import scheduler.part("stack.py") as scheduled with context %}

{%- block summary %}the processor function, {{ scheduled.started() }}, the SQS queue it receives from and the queue's dead-letter queue, its role and its alarms.{% endblock %}

{%- block modules %}{{ scheduled.modules() }}{% endblock %}

{%- block imports %}{{ super() }}{{ scheduled.imports() }}{% endblock %}

{%- block constants %}{{ super() }}{{ scheduled.constants() }}{% endblock %}

{%- block parameters %}{{ super() }}{{ scheduled.parameters() }}{% endblock %}

{%- block role_comment %}
            # A role of our own: the function receives from the queue itself, so the role is
            # granted that below.
{%- endblock %}

{%- block function %}
            # One poller at a time: overlapping runs would only compete for the same messages.
            reserved_concurrent_executions=1,
{%- endblock %}

{%- block environment %}
                "QUEUE_URL": source_queue.queue_url,
                "QUEUE_ARN": source_queue.queue_arn,
                "MAX_MESSAGES_PER_INVOCATION": "{{ cookiecutter.batch_size | int }}",
                "WAIT_TIME_SECONDS": "1",
                # Stop receiving when less than this (plus one long poll) is left before the
                # timeout.
                "DEADLINE_MARGIN_MS": "10000",
                # 0 leaves a failed message to the queue's visibility timeout; N > 0 hides it
                # for N, 2N, 4N... seconds after each failed attempt (ChangeMessageVisibility).
                "RETRY_BACKOFF_SECONDS": "0",
{%- endblock %}

{%- block events %}
        # Receive, delete and change the visibility of the queue's messages.
        source_queue.grant_consume_messages(role)
{{- scheduled.events() }}
{%- endblock %}

{%- block errors_comment %}
        # Failed messages are not Errors (the poller leaves them on the queue): this counts runs
        # that crashed or timed out.
{%- endblock %}

{%- block outputs %}{{ super() }}{{ scheduled.outputs() }}{% endblock %}
