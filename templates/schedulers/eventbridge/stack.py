{#- infra/stack.py's parts for the poller started by EventBridge Scheduler itself: the function's
schedule, and nothing else (schedule() writes the drain's too: schedulers/step_functions/stack.py).
A part made of lines starts each line with its newline; a value is its text alone. #}

{#- A value: what starts the function, in the stack's summary. #}
{%- macro started() %}started by a schedule{% endmacro %}

{%- macro modules() %}aws_scheduler aws_scheduler_targets{% endmacro %}

{%- macro imports() %}{% endmacro %}

{%- macro constants() %}{% endmacro %}

{%- macro parameters() %}{% endmacro %}

{#- Lines: the schedule `name` and its role, starting `started` with the scheduler target of
that name (`target`). #}
{%- macro schedule(name, target, started) %}
        # The schedule's role, trusted by EventBridge Scheduler for this account's schedules
        # only; the target grants it what the schedule starts.
        schedule_role = iam.Role(
            self,
            "{{ name }}Role",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            ),
        )
        scheduler.Schedule(
            self,
            "{{ name }}",
            schedule=scheduler.ScheduleExpression.expression({{ cookiecutter.schedule_expression | tojson }}),
            # A missed run is not worth retrying: the next one drains the queue.
            target=scheduler_targets.{{ target }}(
                {{ started }},
                role=schedule_role,
                retry_attempts=0,
            ),
        )
{%- endmacro %}

{%- macro events() %}
{{- schedule("ProcessorFunctionSchedule", "LambdaInvoke", "function") }}
        acknowledge(
            schedule_role,
            "AwsSolutions::AwsSolutions-IAM5[Resource::<ProcessorFunction.Arn>:*]",
            "The schedule's role may invoke the function and its versions and aliases (its ARN"
            " and ARN:*), as CDK's grant writes it, and nothing else.",
        )
{%- endmacro %}

{%- macro outputs() %}{% endmacro %}
