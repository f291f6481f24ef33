{#- The parts of infra/stack.py for a DynamoDB table's stream: the table of orders, streamed, its
mapping, and what the role may call to read the stream (nothing on the table). #}
{%- extends "families/stream/stack.py" %}
{%- import "shared/reasons.jinja" as reasons with context %}

{%- block summary %}the processor function, the DynamoDB table whose stream it reads and the dead-letter queue its failures are described in, its role and its alarms.{% endblock %}

{%- block modules %}{{ super() }} aws_dynamodb{% endblock %}

{%- block source %}
        # Table, not TableV2: TableV2 makes an AWS::DynamoDB::GlobalTable, which template.yaml
        # does not have and `make local` does not make.
        source_table = dynamodb.Table(
            self,
            "SourceTable",
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            partition_key=dynamodb.Attribute(name="order_id", type=dynamodb.AttributeType.STRING),
            # Every change to an item reaches the function, with the item before and after it.
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            removal_policy=RemovalPolicy.RETAIN,
        )
        skip_checks(
            source_table,
            CKV_AWS_119=(
                "The orders are encrypted at rest with DynamoDB's AWS managed key; a customer"
                " managed key would add cost and a key policy for no gain here."
            ),
        )
{%- endblock %}

{%- block events %}
        # A mapping of its own, not DynamoEventSource: that grants dynamodb:ListStreams on every
        # resource ("*") for a Table. The role may read this table's stream, nothing else.
        function.add_event_source_mapping(
            "SourceStream",
            event_source_arn=source_table.table_stream_arn,
{{- self.stream_settings() | replace("\n    ", "\n") }}
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=[
                    "dynamodb:DescribeStream",
                    "dynamodb:ListStreams",
                    "dynamodb:GetShardIterator",
                    "dynamodb:GetRecords",
                ],
                resources=[source_table.table_stream_arn],
            )
        )
{%- endblock %}

{%- block outputs %}
        CfnOutput(
            self,
            "SourceTableName",
            description=(
                "Write orders here (key order_id); every change reaches the function through the"
                " table's stream."
            ),
            value=source_table.table_name,
        )
{%- endblock %}
