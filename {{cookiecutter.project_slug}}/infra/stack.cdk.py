{#- What every stack has. The parts that depend on the event source (its parameters, its
resources, how its records reach the function, what the role may read, the outputs) come from
templates/sources/<name>/stack.py and its family's, or from the scheduled poller's: see
templates/shared/stack.py. The prose they share with template.yaml comes from its parts. #}
{%- import invocation.part("stack.py") as here with context -%}
{%- import invocation.part("template.yaml") as sam with context -%}
{%- import "shared/reasons.jinja" as reasons with context -%}
{%- import "shared/python.jinja" as python -%}
{%- import "shared/dashboard.jinja" as dashboard with context -%}
{%- import concurrency.part("environment.jinja") as running with context -%}
"""{{ ("The stack: " ~ here.slot("summary")) | wordwrap(96, false) }}

Resource for resource what template.yaml declares in a SAM project of this template, with the
same logical ids (keep_logical_ids), so the guard (tests/test_packaging.py), `make local` and an
operator read either alike.
"""
{{ here.slot("imports") }}
from typing import Any

from aws_cdk import (
    Acknowledgment,
    Aws,
    CfnCondition,
    CfnOutput,
    CfnParameter,
    CfnResource,
    Duration,
    Fn,
    RemovalPolicy,
    Stack,
    Validations,
)
{%- set modules = ["aws_cloudwatch", "aws_iam", "aws_lambda", "aws_logs", "aws_sqs"] + here.slot("modules").split() %}
{%- if cookiecutter.idempotency %}{% set modules = modules + ["aws_dynamodb"] %}{% endif %}
{%- for module in modules | unique | sort %}
from aws_cdk import {{ module }} as {{ {"aws_lambda": "lambda_", "aws_lambda_event_sources": "event_sources"}.get(module, module[4:]) }}
{%- endfor %}
from constructs import Construct, IConstruct

DESCRIPTION = {{ python.text(cookiecutter.description, 0, 14) }}
# Every alarm's period, in line with the metrics Lambda and SQS publish each minute.
ALARM_PERIOD = Duration.minutes(5)
# cdk-nag's SQS4 asks for a queue policy that denies requests without TLS; template.yaml has none
# either.
TLS_ONLY_BY_SDK = (
    "SQS is called over HTTPS by every AWS SDK and by the event source mapping; the stack"
    " holds no queue policy for it, as template.yaml holds none."
)
{{- here.slot("constants") }}


class ProcessorStack(Stack):
    """The processor function, its source, its dead-letter queue, its role and its alarms."""

    def __init__(
        self, scope: Construct, construct_id: str, *, code: lambda_.Code, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, description=DESCRIPTION, **kwargs)
        alarm_action = CfnParameter(
            self,
            "AlarmActionArn",
            default="",
            description="ARN (e.g. an SNS topic) the alarms notify; empty for alarms without actions.",
        )
        has_alarm_action = CfnCondition(
            self,
            "HasAlarmAction",
            expression=Fn.condition_not(Fn.condition_equals(alarm_action.value_as_string, "")),
        )
        self.alarm_actions = Fn.condition_if(
            has_alarm_action.logical_id, [alarm_action.value_as_string], Aws.NO_VALUE
        )
{{- here.slot("parameters") }}
{{- here.slot("resources") }}
        acknowledge(dead_letter_queue, "AwsSolutions::AwsSolutions-SQS4", TLS_ONLY_BY_SDK)
        log_group = logs.LogGroup(
            self,
            "ProcessorLogGroup",
            # Named from the stack, not the function, so the role can name it without a cycle.
            log_group_name=Fn.sub("/aws/lambda/${AWS::StackName}-processor"),
            retention=logs.RetentionDays.ONE_MONTH,
            removal_policy=RemovalPolicy.RETAIN,
        )
        skip_checks(
            log_group,
            CKV_AWS_158={{ python.text(reasons.log_group_key(), 12, 12) }},
        )
        role = iam.Role(
            self,
            "ProcessorRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="The processor's own permissions, and nothing else.",
        )
        log_group.grant_write(role)
{%- if cookiecutter.idempotency %}
        # Table, not TableV2: TableV2 makes an AWS::DynamoDB::GlobalTable, which template.yaml
        # does not have and `make local` does not make.
        idempotency_table = dynamodb.Table(
            self,
            "IdempotencyTable",
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
            # Powertools writes the expiry of each record here; DynamoDB deletes it after that.
            time_to_live_attribute="expiration",
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            removal_policy=RemovalPolicy.RETAIN,
        )
        skip_checks(
            idempotency_table,
            CKV_AWS_119={{ python.text(reasons.idempotency_table_key(), 12, 12) }},
        )
        idempotency_table.grant(
            role,
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
        )
{%- endif %}
        function = lambda_.Function(
            self,
            "ProcessorFunction",
            description=DESCRIPTION,
            runtime=lambda_.Runtime.PYTHON_{{ cookiecutter.python_runtime | replace(".", "_") }},
            architecture=lambda_.Architecture.{{ "ARM_64" if cookiecutter.architecture == "arm64" else "X86_64" }},
            memory_size=256,
            timeout=Duration.seconds(30),
{%- if cookiecutter.tracing %}
            tracing=lambda_.Tracing.ACTIVE,
{%- endif %}
            code=code,
            handler="{{ cookiecutter.package_name }}.handler.lambda_handler",
{{- here.slot("role_comment") }}
            role=role,
            log_group=log_group,
{{- here.slot("function") }}
            environment={
{{- running.cdk() }}
{%- if cookiecutter.idempotency %}
                "IDEMPOTENCY_TABLE": idempotency_table.table_name,
{%- endif %}
                "POWERTOOLS_SERVICE_NAME": "{{ cookiecutter.project_slug }}",
                "POWERTOOLS_METRICS_NAMESPACE": "{{ cookiecutter.project_slug }}",
                "POWERTOOLS_LOG_LEVEL": "INFO",
{{- here.slot("environment") }}
            },
        )
{%- if cookiecutter.tracing %}
        # Tracing gave the role X-Ray's actions on "*".
        default_policy = role.node.find_child("DefaultPolicy")
        xray_reason = {{ python.text(reasons.xray(), 8, 14) }}
        acknowledge(default_policy, "AwsSolutions::AwsSolutions-IAM5[Resource::*]", xray_reason)
        skip_checks(default_policy, CKV_AWS_111=xray_reason)
{%- endif %}
        acknowledge(
            function,
            "AwsSolutions::AwsSolutions-L1",
            "Python {{ cookiecutter.python_runtime }} is the runtime the lock, the tests and the bundling are made for;"
            " a newer one is a new project answer and a new lock, not a silent change.",
        )
        # CDK makes the function depend on its role as well as on the role's policy; the Role
        # property orders them already, which cfn-lint's W3005 points out.
        resource_of(function).add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})
        skip_checks(
            function,
            CKV_AWS_116={{ python.text(sam.slot("function_dlq_skip"), 12, 12) }},
            CKV_AWS_117={{ python.text(reasons.function_vpc(), 12, 12) }},
            CKV_AWS_173={{ python.text(reasons.function_environment(), 12, 12) }},
        )
{{- here.slot("events") }}
        self.alarm(
            "DeadLetterQueueAlarm",
            {{ python.text(sam.slot("dead_letter_alarm"), 12) }},
            dead_letter_queue.metric_approximate_number_of_messages_visible(
                period=ALARM_PERIOD, statistic="Maximum"
            ),
        )
{{- here.slot("errors_comment") }}
        self.alarm(
            "ProcessorErrorsAlarm",
            "The processor function raised errors.",
            function.metric_errors(period=ALARM_PERIOD, statistic="Sum"),
        )
        self.alarm(
            "SourceLagAlarm",
            {{ python.text(sam.slot("lag_alarm"), 12) }},
{{- here.slot("lag_metric") }}
{{- python.comment(sam.slot("lag_reason"), 12) }}
            threshold={{ "{:_}".format(facts.lag_threshold) if facts.lag_threshold >= 10000 else facts.lag_threshold }},
{%- if source.lag.periods != 1 %}
            evaluation_periods={{ source.lag.periods }},
{%- endif %}
        )
        # The records each batch settled, what is left behind (the DLQ, the lag) and how the
        # function runs, on one page; CloudFormation substitutes the ${...} names.
        cloudwatch.CfnDashboard(
            self,
            "OperationsDashboard",
            dashboard_name=Fn.sub("${AWS::StackName}-operations"),
            dashboard_body=Fn.sub(DASHBOARD_BODY),
        )
        # Logs Insights queries on the function's logs, saved in a folder named after the stack.
        logs.CfnQueryDefinition(
            self,
            "FailuresByErrorTypeQuery",
            name=Fn.sub("{{ dashboard.failures_name() }}"),
            log_group_names=[log_group.log_group_name],
            query_string=FAILURES_QUERY,
        )
        logs.CfnQueryDefinition(
            self,
            "RecordHistoryQuery",
            # Replace RECORD_ID_HERE in the query with the record's id before running it.
            name=Fn.sub("{{ dashboard.history_name() }}"),
            log_group_names=[log_group.log_group_name],
            query_string=RECORD_HISTORY_QUERY,
        )
{{- here.slot("outputs") }}
        CfnOutput(
            self,
            "DeadLetterQueueUrl",
            description={{ python.text(sam.slot("dead_letter_output"), 12, 12) }},
            value=dead_letter_queue.queue_url,
        )
        CfnOutput(self, "ProcessorFunctionArn", value=function.function_arn)
        keep_logical_ids(self)

    def alarm(
        self,
        name: str,
        description: str,
        metric: cloudwatch.Metric,
        *,
        threshold: float = 0,
        evaluation_periods: int = 1,
    ) -> None:
        """An alarm on datapoints above the threshold (any above 0 by default) for as many periods
        running, notifying AlarmActionArn when it is given."""
        alarm = cloudwatch.Alarm(
            self,
            name,
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=evaluation_periods,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        resource_of(alarm).add_property_override("AlarmActions", self.alarm_actions)
        acknowledge(
            alarm,
            "CloudFormation-Validate::F3033",
            "AlarmActions is an Fn::If, which the validator reads as an empty list: CloudFormation"
            " gives the alarm AlarmActionArn when it is set, and no AlarmActions otherwise.",
        )


def skip_checks(construct: IConstruct, **reasons: str) -> None:
    """checkov's skips on a construct's resource, each check with its reason."""
    skips = [{"id": check, "comment": reason} for check, reason in reasons.items()]
    resource_of(construct).add_metadata("checkov", {"skip": skips})


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """A finding of the app's checks (cdk-nag's, CloudFormation's validation) that does not
    apply to this construct, with the reason why."""
    Validations.of(construct).acknowledge(Acknowledgment(id=rule, reason=reason))


def resource_of(construct: IConstruct) -> CfnResource:
    """The CloudFormation resource an L2 construct wraps."""
    resource = construct.node.default_child
    if not isinstance(resource, CfnResource):
        raise TypeError(f"{construct.node.path} wraps no CloudFormation resource")
    return resource


def keep_logical_ids(stack: Stack) -> None:
    """Each resource of the stack's own constructs under its construct's id (SourceQueue, not
    SourceQueue4A7B2C1D), as template.yaml names it; those CDK makes for itself (a schedule's
    role, say) keep theirs."""
    for construct in stack.node.children:
        resource = construct.node.default_child
        if isinstance(resource, CfnResource) and construct.node.id.isalnum():
            resource.override_logical_id(construct.node.id)


# OperationsDashboard's widgets, as template.yaml writes them in a SAM project of this template:
# Fn.sub makes CloudFormation substitute the ${...} names (the logical ids keep_logical_ids keeps).
DASHBOARD_BODY = """{{ dashboard.body() }}
"""
# The Logs Insights queries saved on the function's log group.
FAILURES_QUERY = """{{ dashboard.failures_query() }}
"""
RECORD_HISTORY_QUERY = """{{ dashboard.history_query() }}
"""
