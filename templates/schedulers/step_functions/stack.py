{#- infra/stack.py's parts for the poller driven by the drain state machine
(statemachine/drain.asl.json), as templates/schedulers/step_functions/template.yaml declares
them: the schedule starts the state machine, which invokes the function while it reports
more_available. A part made of lines starts each line with its newline; a value is its text
alone. #}
{%- import "schedulers/eventbridge/stack.py" as eventbridge with context %}
{%- import "shared/reasons.jinja" as reasons with context %}
{%- import "shared/python.jinja" as python %}

{#- A value: what starts the function, in the stack's summary. #}
{%- macro started() %}invoked by the drain, a state machine that a schedule starts{% endmacro %}

{%- macro modules() %}aws_scheduler aws_scheduler_targets aws_stepfunctions{% endmacro %}

{%- macro imports() %}
from pathlib import Path
{%- endmacro %}

{%- macro constants() %}
# The drain's definition, found from this file as the app finds src/: the stack synthesizes from
# any working directory.
DRAIN_DEFINITION = Path(__file__).resolve().parent.parent / "statemachine" / "drain.asl.json"
{%- endmacro %}

{%- macro parameters() %}
        drain_max_rounds = CfnParameter(
            self,
            "DrainMaxRounds",
            type="Number",
            default={{ facts.drain_max_rounds }},
            min_value=1,
            max_value=100,
            description={{ python.text("The most invocations of the poller one drain makes (each receives up to MAX_MESSAGES_PER_INVOCATION messages).", 12, 12) }},
        )
{%- endmacro %}

{#- Lines: the drain, its role, logs, schedule and alarms. #}
{%- macro events() %}
        # The drain's own role, trusted by Step Functions for this account's state machines
        # only: it may invoke the function, and the state machine adds its logs' delivery.
        drain_role = iam.Role(
            self,
            "DrainRole",
            assumed_by=iam.ServicePrincipal(
                "states.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            ),
            description="The drain state machine's own permissions, and nothing else.",
        )
        # The function's ARN alone: grant_invoke would add its versions and aliases (ARN:*),
        # which the drain never invokes.
        drain_role.add_to_policy(
            iam.PolicyStatement(
                actions=["lambda:InvokeFunction"],
                resources=[function.function_arn],
            )
        )
        drain_log_group = logs.LogGroup(
            self,
            "DrainLogGroup",
            # Under /aws/vendedlogs/, where Step Functions' log deliveries need no resource
            # policy each.
            log_group_name=Fn.sub("/aws/vendedlogs/states/${AWS::StackName}-drain"),
            retention=logs.RetentionDays.ONE_MONTH,
            removal_policy=RemovalPolicy.RETAIN,
        )
        skip_checks(
            drain_log_group,
            CKV_AWS_158={{ python.text(reasons.log_group_key(), 12, 12) }},
        )
        # Drains the queue on each tick: invokes the poller again while it answers
        # more_available, at most DrainMaxRounds times and within the definition's
        # TimeoutSeconds ({{ facts.drain_seconds }} s). Two drains never poll at once: the function runs one at a
        # time (reserved_concurrent_executions=1), so a second execution's invocation is
        # throttled and retried until the first has ended, and a drain ends within the
        # schedule's interval, before the next tick.
        drain = stepfunctions.StateMachine(
            self,
            "DrainStateMachine",
            # STANDARD, not EXPRESS: a drain waits on the function for up to minutes and runs
            # once per tick, so Standard's price per state transition (about 3 per round) stays
            # cents a month, and it gives what an operator needs when a drain fails:
            # exactly-once executions (an asynchronous Express execution may run twice) and each
            # round's history in the console for 90 days without reading logs. Express pays off
            # at thousands of short executions a second, and stops at 5 minutes.
            state_machine_type=stepfunctions.StateMachineType.STANDARD,
            # The file's text, not an asset (from_file): the template holds the definition, so
            # cfn-lint checks it and the project's tools read it, as in template.yaml.
            definition_body=stepfunctions.DefinitionBody.from_string(
                DRAIN_DEFINITION.read_text(encoding="utf-8")
            ),
            definition_substitutions={
                "PollerFunctionArn": function.function_arn,
                "MaxRounds": drain_max_rounds.value_as_string,
            },
            role=drain_role,
            # Every state's input and output: the rounds' counts, never a message.
            logs=stepfunctions.LogOptions(
                destination=drain_log_group,
                level=stepfunctions.LogLevel.ALL,
                include_execution_data=True,
            ),
            tracing_enabled={{ cookiecutter.tracing }},
        )
        # As for the function: the RoleArn orders the state machine after its role already.
        resource_of(drain).add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})
        # Logging gave the role Step Functions' log delivery actions, on "*" (and tracing, X-Ray's).
        drain_policy = drain_role.node.find_child("DefaultPolicy")
        log_delivery_reason = {{ python.text(reasons.log_delivery(), 8, 22) }}
        skip_checks(drain_policy, CKV_AWS_111=log_delivery_reason)
        acknowledge(
            drain_policy, "AwsSolutions::AwsSolutions-IAM5[Resource::*]", log_delivery_reason
        )
{%- if not cookiecutter.tracing %}
        acknowledge(
            drain,
            "AwsSolutions::AwsSolutions-SF2",
            "X-Ray tracing is off for the whole stack (the project's tracing answer), the function"
            " included; each execution's history and its logs at level ALL show every round's"
            " input, output and error.",
        )
{%- endif %}
{{- eventbridge.schedule("DrainStateMachineSchedule", "StepFunctionsStartExecution", "drain") }}
        self.alarm(
            "DrainFailedAlarm",
            {{ python.text("A drain failed (the poller raised, timed out or stayed throttled); its round's undeleted messages come back after the visibility timeout.", 12) }},
            drain.metric_failed(period=ALARM_PERIOD, statistic="Sum"),
        )
        self.alarm(
            "DrainTimedOutAlarm",
            {{ python.text("A drain ran out of its " ~ facts.drain_seconds ~ " s; the rounds are slower than the schedule allows.", 12) }},
            drain.metric_timed_out(period=ALARM_PERIOD, statistic="Sum"),
        )
{%- endmacro %}

{%- macro outputs() %}
        CfnOutput(
            self,
            "DrainStateMachineArn",
            description={{ python.text("The drain the schedule starts; start an execution to drain the queue now.", 12, 12) }},
            value=drain.state_machine_arn,
        )
{%- endmacro %}
