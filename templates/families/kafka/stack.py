{#- The parts of infra/stack.py for a Kafka topic (Amazon MSK, self-managed Apache Kafka): the
cluster is not the stack's, so its topic, the consumer group and how to reach the cluster are
CfnParameters, as in template.yaml (`cdk deploy --parameters KafkaTopic=...`). The mapping is an
EventSourceMapping of its own: the L2 Kafka event sources attach AWSLambdaMSKExecutionRole
(every cluster, "*") or name their construct by the topic, which is a parameter here. A source
adds its cluster's parameters, where the mapping finds the cluster, and what its role may call. #}
{%- extends "families/stream/stack.py" %}
{%- import "shared/python.jinja" as python %}
{%- import invocation.part("template.yaml") as sam with context %}

{%- block summary %}the processor function, the event source mapping that reads {{ source.consumes }} and the dead-letter queue its failures are described in, its role and its alarms.{% endblock %}

{%- block parameters %}
        kafka_topic = CfnParameter(
            self,
            "KafkaTopic",
            description="The Kafka topic the function reads (its name, not an ARN).",
            # Kafka's own rule for a topic name.
            allowed_pattern="^[a-zA-Z0-9._-]{1,249}$",
        )
        kafka_consumer_group_id = CfnParameter(
            self,
            "KafkaConsumerGroupId",
            default="{{ cookiecutter.project_slug }}",
            description={{ python.text(sam.slot("consumer_group_description"), 12, 12) }},
            # AWS's rule for ConsumerGroupId without "/" and "*", which would widen the group
            # the role may alter (its ARN ends with the id).
            allowed_pattern="^[a-zA-Z0-9:_+=.@-]{1,200}$",
        )
{{- self.cluster_parameters() }}
{%- endblock %}

{#- Lines: the parameters that say where the cluster is and how to reach it. #}
{%- block cluster_parameters %}{% endblock %}

{%- block role_comment %}
            # A role of our own, scoped to the cluster, the topic, the group and the
            # destination: AWSLambdaMSKExecutionRole allows its actions on every cluster ("*").
{%- endblock %}

{%- block function %}
            # A partition runs one batch at a time, in offset order: beyond 10 partitions in
            # flight, batches wait (throttled, then retried) rather than swamp what the function
            # calls.
            reserved_concurrent_executions=10,
{%- endblock %}

{%- block events %}
        lambda_.EventSourceMapping(
            self,
            "ProcessorFunctionSourceTopic",
            target=function,
{{- self.cluster() }}
            kafka_topic=kafka_topic.value_as_string,
            kafka_consumer_group_id=kafka_consumer_group_id.value_as_string,
            # TRIM_HORIZON, not LATEST: a new consumer group starts at the oldest record the
            # topic keeps, so the orders produced before the mapping existed are processed. A
            # group that has committed offsets resumes from them whatever this says.
            starting_position=lambda_.StartingPosition.TRIM_HORIZON,
            batch_size={{ cookiecutter.batch_size | int }},
            # Without this, one failed record makes Lambda retry the whole batch; with it,
            # Lambda retries from the first failed record of each partition.
            report_batch_item_failures=True,
            # Lambda honours ReportBatchItemFailures (and the retry settings below) on a Kafka
            # mapping only in provisioned mode: one poller at least, at most 3, billed as event
            # poller units while the mapping is enabled.
            provisioned_poller_config=lambda_.ProvisionedPollerConfig(
                minimum_pollers=1, maximum_pollers=3
            ),
            # A batch whose invocation raised is split in two and each half retried, isolating
            # a record that crashes the function.
            bisect_batch_on_error=True,
            # A partition waits behind a failing record: after 5 retries or an hour, whichever
            # comes first, the batch goes to the on-failure destination and the partition
            # moves on.
            retry_attempts=5,
            max_record_age=Duration.hours(1),
            # Lambda sends the skipped batch's place (topic, partition, offsets), not the
            # records' data: read them back from the topic while its retention keeps them.
            on_failure=event_sources.SqsDlq(dead_letter_queue),
        )
{{- self.read_policy() }}
{%- endblock %}

{#- Lines: where the mapping finds the cluster and how it signs in. #}
{%- block cluster %}{% endblock %}

{#- Lines: what the role may call on the cluster (or its secret). #}
{%- block read_policy %}{% endblock %}

{%- block errors_comment %}
        # Records reported in batchItemFailures are not Errors: this counts invocations that
        # raised (every record of a batch failed, a crash, a timeout), each of which holds its
        # partition until the batch is bisected, retried or too old.
{%- endblock %}

{%- block outputs %}
        CfnOutput(
            self,
            "KafkaTopicName",
            description=(
                "Produce orders to this topic; records with the same key go to one partition and"
                " are processed in order."
            ),
            value=kafka_topic.value_as_string,
        )
{%- endblock %}
