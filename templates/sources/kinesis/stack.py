{#- The parts of infra/stack.py for a Kinesis data stream: the stream, and its event source. #}
{%- extends "families/stream/stack.py" %}

{%- block summary %}the processor function, the Kinesis data stream it reads and the dead-letter queue its failures are described in, its role and its alarms.{% endblock %}

{%- block modules %}{{ super() }} aws_kinesis{% endblock %}

{%- block source %}
        source_stream = kinesis.Stream(
            self,
            "SourceStream",
            # Shards follow the traffic; records with the same partition key stay in order.
            stream_mode=kinesis.StreamMode.ON_DEMAND,
            # 7 days: the DLQ receives only where a skipped record was (shard and sequence
            # numbers); the record itself can be read back from the stream until it expires.
            retention_period=Duration.hours(168),
            encryption=kinesis.StreamEncryption.MANAGED,
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            source_stream,
            "AwsSolutions::AwsSolutions-KDS3",
            "The stream is encrypted with the AWS managed key (alias/aws/kinesis), as"
            " template.yaml's; a customer managed key would add cost and a key policy.",
        )
{%- endblock %}

{%- block events %}
        # The event source grants the role what the mapping calls to read the shards.
        function.add_event_source(
            event_sources.KinesisEventSource(
                source_stream,
{{- self.stream_settings() }}
            )
        )
{%- endblock %}

{%- block outputs %}
        CfnOutput(
            self,
            "SourceStreamName",
            description=(
                "Put order records here; records with the same partition key are processed in"
                " order."
            ),
            value=source_stream.stream_name,
        )
{%- endblock %}
