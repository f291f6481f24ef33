{#- The parts of infra/stack.py for a topic of an Amazon MSK cluster: the cluster's ARN, and what
the mapping may call on the cluster, its topic and its consumer group with IAM access control
(and on the network interfaces it makes in the cluster's VPC), as template.yaml allows. #}
{%- extends "families/kafka/stack.py" %}

{%- block constants %}
# An MSK cluster's ARN is arn:...:cluster/<name>/<uuid>; its topics' and groups' ARNs share the
# prefix and the name and uuid: arn:...:topic/<name>/<uuid>/<topic>.
ARN_PREFIX = 0
CLUSTER = 1
# What the mapping's network interfaces are made of, and how cdk-nag writes their ARNs.
EC2_KINDS = ("network-interface/*", "subnet/*", "security-group/*")
EC2_ARN_PATTERN = "arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:"
{%- endblock %}

{%- block cluster_parameters %}
        kafka_cluster_arn = CfnParameter(
            self,
            "KafkaClusterArn",
            description=(
                "The ARN of the MSK cluster (provisioned or serverless, in this account and"
                " Region) whose topic the function reads."
            ),
            allowed_pattern=(
                "^arn:aws[a-z-]*:kafka:[a-z0-9-]+:[0-9]{12}:cluster/[a-zA-Z0-9-]+/[a-zA-Z0-9-]+$"
            ),
        )
{%- endblock %}

{%- block cluster %}
            # No source access configurations: the mapping signs in with IAM access control
            # (the cluster must have it on), as the role below. For SASL/SCRAM instead, add a
            # SASL_SCRAM_512_AUTH configuration with a Secrets Manager secret whose name starts
            # with AmazonMSK_, and allow secretsmanager:GetSecretValue on it.
            event_source_arn=kafka_cluster_arn.value_as_string,
{%- endblock %}

{%- block read_policy %}
        cluster_arn = kafka_cluster_arn.value_as_string
        parts = {
            "Prefix": Fn.select(ARN_PREFIX, Fn.split(":cluster/", cluster_arn)),
            "Cluster": Fn.select(CLUSTER, Fn.split(":cluster/", cluster_arn)),
        }
        for actions, resource in (
            # What the mapping calls to find the cluster's brokers.
            (["kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"], cluster_arn),
            # IAM access control: connect to the cluster and read its dynamic configuration.
            (
                ["kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"],
                cluster_arn,
            ),
            # Read the one topic.
            (
                ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
                Fn.sub("${Prefix}:topic/${Cluster}/${KafkaTopic}", parts),
            ),
            # Join the one consumer group and commit its offsets.
            (
                ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
                Fn.sub("${Prefix}:group/${Cluster}/${KafkaConsumerGroupId}", parts),
            ),
        ):
            role.add_to_policy(iam.PolicyStatement(actions=actions, resources=[resource]))
        # An MSK cluster is always in a VPC: the mapping makes network interfaces in the
        # cluster's subnets, with the cluster's security groups. Creating and deleting them is
        # scoped to this account and Region (the subnets are the cluster's, not the stack's).
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"],
                resources=[
                    Fn.sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:" + kind)
                    for kind in EC2_KINDS
                ],
            )
        )
        # EC2's Describe actions support no resource-level permissions: "*" is the only
        # resource they accept.
        role.add_to_policy(
            iam.PolicyStatement(
                actions=[
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeVpcs",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups",
                ],
                resources=["*"],
            )
        )
        wildcards = (
            "The mapping's network interfaces are made in the cluster's subnets, which are not"
            " the stack's: their ARNs end in /*, scoped to this account and Region; EC2's"
            ' Describe actions accept only "*".'
        )
        for finding in ("*", *(EC2_ARN_PATTERN + kind for kind in EC2_KINDS)):
            acknowledge(role, f"AwsSolutions::AwsSolutions-IAM5[Resource::{finding}]", wildcards)
{%- endblock %}
