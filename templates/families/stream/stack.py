{#- The parts of infra/stack.py for a source read as a stream of shards (Kinesis, DynamoDB
Streams): a record that exhausts its retries sends its batch's metadata to DeadLetterQueue, the
mapping's on-failure destination. A source adds its resource and its event source. #}
{%- extends "shared/stack.py" %}

{%- block modules %}aws_lambda_event_sources{% endblock %}

{%- block resources %}
        dead_letter_queue = sqs.Queue(
            self,
            "DeadLetterQueue",
            # The mapping's on-failure destination: 14 days to look at a skipped record's metadata.
            retention_period=Duration.days(14),
            encryption=sqs.QueueEncryption.KMS_MANAGED,
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            dead_letter_queue,
            "AwsSolutions::AwsSolutions-SQS3",
            "This queue is the event source mapping's on-failure destination, which cdk-nag does"
            " not see as a dead-letter queue; nothing consumes it automatically.",
        )
{%- block source %}{% endblock %}
{%- endblock %}

{%- block function %}
            # Each shard runs one batch at a time (parallelization factor 1): beyond 10 shards,
            # batches wait (throttled, then retried) rather than swamp what the function calls.
            reserved_concurrent_executions=10,
{%- endblock %}

{#- Lines: the arguments every stream event source takes, as template.yaml sets them. #}
{%- block stream_settings %}
                # From the oldest record kept: nothing written before the mapping existed is
                # skipped.
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size={{ cookiecutter.batch_size | int }},
                # Without this, one failed record makes Lambda retry the whole batch; with it,
                # Lambda retries from the first failed record.
                report_batch_item_failures=True,
                # A batch whose invocation raised is split in two and each half retried,
                # isolating a record that crashes the function.
                bisect_batch_on_error=True,
                # A shard waits behind a failing record: after 5 retries or an hour, whichever
                # comes first, the record goes to the on-failure destination and the shard
                # moves on.
                retry_attempts=5,
                max_record_age=Duration.hours(1),
                # One batch per shard at a time keeps each shard's records in order; the "stop
                # after a failure" handling relies on it.
                parallelization_factor=1,
                # Lambda sends the skipped batch's metadata (shard, first and last sequence
                # numbers), not the records' data.
                on_failure=event_sources.SqsDlq(dead_letter_queue),
{%- endblock %}

{%- block errors_comment %}
        # Records reported in batchItemFailures are not Errors: this counts invocations that
        # raised (every record of a batch failed, a crash, a timeout), each of which holds its
        # shard until the batch is bisected, retried or too old.
{%- endblock %}

{%- block lag_metric %}
            function.metric("{{ source.lag.metric }}", period=ALARM_PERIOD, statistic="Maximum"),
{%- endblock %}
