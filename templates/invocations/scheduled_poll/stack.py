{#- The parts of infra/stack.py for the scheduled poller: the source's own (a queue's: only a
source without `not_pollable` gets here), with a schedule starting the function, which receives
from SourceQueue itself. #}
{%- extends source.part("stack.py") %}

{%- block summary %}the processor function, started by a schedule, the SQS queue it receives from and the queue's dead-letter queue, its role and its alarms.{% endblock %}

{%- block modules %}aws_scheduler aws_scheduler_targets{% endblock %}

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
        # The schedule's role, trusted by EventBridge Scheduler for this account's schedules
        # only; the target grants it the invocation of the function.
        schedule_role = iam.Role(
            self,
            "ProcessorFunctionScheduleRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            ),
        )
        scheduler.Schedule(
            self,
            "ProcessorFunctionSchedule",
            schedule=scheduler.ScheduleExpression.expression({{ cookiecutter.schedule_expression | tojson }}),
            # A missed run is not worth retrying: the next one drains the queue.
            target=scheduler_targets.LambdaInvoke(function, role=schedule_role, retry_attempts=0),
        )
        acknowledge(
            schedule_role,
            "AwsSolutions::AwsSolutions-IAM5[Resource::<ProcessorFunction.Arn>:*]",
            "The schedule's role may invoke the function and its versions and aliases (its ARN"
            " and ARN:*), as CDK's grant writes it, and nothing else.",
        )
{%- endblock %}

{%- block errors_comment %}
        # Failed messages are not Errors (the poller leaves them on the queue): this counts runs
        # that crashed or timed out.
{%- endblock %}
