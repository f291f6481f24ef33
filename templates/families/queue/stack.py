{#- The parts of infra/stack.py for a source the function reads as an SQS queue (SQS, SQS FIFO,
and the queue an SNS topic fans out to): SourceQueue redrives to DeadLetterQueue. #}
{%- extends "shared/stack.py" %}
{%- import "shared/python.jinja" as python %}
{%- import invocation.part("template.yaml") as sam with context %}

{%- block summary %}the processor function, the SQS queue it consumes and the queue's dead-letter queue, its role and its alarms.{% endblock %}

{%- block modules %}aws_lambda_event_sources{% endblock %}

{#- Lines: the encryption of the source queue and the dead-letter queue. #}
{%- block queue_encryption %}
            encryption=sqs.QueueEncryption.KMS_MANAGED,
{%- endblock %}

{%- block resources %}
        dead_letter_queue = sqs.Queue(
            self,
            "DeadLetterQueue",
{%- block fifo %}{% endblock %}
            # 14 days, longer than the source queue keeps messages.
            retention_period=Duration.days(14),
{{- self.queue_encryption() }}
            removal_policy=RemovalPolicy.RETAIN,
        )
        source_queue = sqs.Queue(
            self,
            "SourceQueue",
{{- self.fifo() }}
{%- block fifo_deduplication %}{% endblock %}
            # At least 6x the function timeout (AWS's advice for event source mappings), so a
            # message is not redelivered while a batch holding it may still be running.
            visibility_timeout=Duration.seconds(180),
            retention_period=Duration.days(4),
{{- self.queue_encryption() }}
            # A failed record is retried this many times, then moved to the DLQ.
            dead_letter_queue=sqs.DeadLetterQueue(queue=dead_letter_queue, max_receive_count=5),
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(source_queue, "AwsSolutions::AwsSolutions-SQS4", TLS_ONLY_BY_SDK)
{%- endblock %}

{%- block function %}
            # Equal to the mapping's maximum concurrency: lower would throttle the mapping.
            reserved_concurrent_executions=10,
{%- endblock %}

{%- block events %}
        function.add_event_source(
            event_sources.SqsEventSource(
                source_queue,
                batch_size={{ cookiecutter.batch_size | int }},
{%- if cookiecutter.batch_size | int > 10 %}
                # SQS requires a batching window for batches above 10 messages.
                max_batching_window=Duration.seconds(5),
{%- endif %}
                # Without this, one failed record makes Lambda retry the whole batch.
                report_batch_item_failures=True,
                max_concurrency=10,
            )
        )
{%- endblock %}

{%- block errors_comment %}
        # Records reported in batchItemFailures are not Errors: this counts invocations that
        # raised (every record of a batch failed, a crash, a timeout).
{%- endblock %}

{%- block lag_metric %}
            source_queue.metric_approximate_age_of_oldest_message(
                period=ALARM_PERIOD, statistic="Maximum"
            ),
{%- endblock %}

{%- block outputs %}
        CfnOutput(
            self,
            "SourceQueueUrl",
            description={{ python.text(sam.slot("queue_url"), 12, 12) }},
            value=source_queue.queue_url,
        )
{%- endblock %}
