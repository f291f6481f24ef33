{#- The parts of infra/stack.py for an SNS topic fanned out to an SQS queue: the topic, its
subscription, the queue policy that lets it send, and the KMS key of the topic and the queues
(SNS cannot use the AWS managed SQS key), as template.yaml has them. #}
{%- extends "families/queue/stack.py" %}
{%- import "shared/python.jinja" as python %}
{%- import invocation.part("template.yaml") as sam with context %}

{%- block modules %}{{ super() }} aws_kms aws_sns{% endblock %}

{%- block queue_encryption %}
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=events_key,
{%- endblock %}

{%- block resources %}
        events_key = kms.Key(
            self,
            "EventsKey",
            # SNS cannot send to a queue encrypted with the AWS managed key (alias/aws/sqs): its
            # key policy cannot be changed to let SNS use it. This key encrypts the topic and
            # the queues.
            description="Encrypts the source topic, its queue and the dead-letter queue.",
            enable_key_rotation=True,
            policy=iam.PolicyDocument(
                statements=[
                    # IAM policies of this account decide who else may use the key (the
                    # function's role, publishers, operators reading the DLQ).
                    iam.PolicyStatement(
                        sid="AccountIamPolicies",
                        principals=[iam.AccountRootPrincipal()],
                        actions=["kms:*"],
                        resources=["*"],
                    ),
                    iam.PolicyStatement(
                        sid="SnsDeliversToEncryptedQueue",
                        principals=[iam.ServicePrincipal("sns.amazonaws.com")],
                        actions=["kms:GenerateDataKey", "kms:Decrypt"],
                        resources=["*"],
                        conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
                    ),
                ]
            ),
            # Retained with the queues: deleting it would leave their messages unreadable.
            removal_policy=RemovalPolicy.RETAIN,
        )
{{- super() }}
        source_topic = sns.Topic(
            self,
            "SourceTopic",
            # Publishers need kms:GenerateDataKey and kms:Decrypt on EventsKey as well as
            # sns:Publish.
            master_key=events_key,
        )
        acknowledge(
            source_topic,
            "AwsSolutions::AwsSolutions-SNS3",
            "SNS is called over HTTPS by every AWS SDK; the stack holds no topic policy for it,"
            " as template.yaml holds none.",
        )
        sns.Subscription(
            self,
            "SourceSubscription",
            topic=source_topic,
            protocol=sns.SubscriptionProtocol.SQS,
            endpoint=source_queue.queue_arn,
            # Each message arrives wrapped in SNS's JSON envelope, which the handler unwraps. It
            # also accepts raw bodies, so turning raw delivery on is safe.
            raw_message_delivery=False,
        )
        source_queue_policy = sqs.QueuePolicy(self, "SourceQueuePolicy", queues=[source_queue])
        # Only this stack's topic may send to the queue.
        source_queue_policy.document.add_statements(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("sns.amazonaws.com")],
                actions=["sqs:SendMessage"],
                resources=[source_queue.queue_arn],
                conditions={"ArnEquals": {"aws:SourceArn": source_topic.topic_arn}},
            )
        )
{%- endblock %}

{%- block outputs %}
        CfnOutput(
            self,
            "SourceTopicArn",
            description={{ python.text(sam.slot("topic_arn"), 12, 12) }},
            value=source_topic.topic_arn,
        )
        CfnOutput(
            self,
            "EventsKeyArn",
            description="The KMS key of the topic and the queues.",
            value=events_key.key_arn,
        )
{{- super() }}
{%- endblock %}
