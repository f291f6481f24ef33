{#- The parts of infra/stack.py for a topic of a self-managed Apache Kafka cluster: its bootstrap
servers, the Secrets Manager secret the mapping signs in with (SASL/SCRAM), and what the mapping
may call on that secret, as template.yaml allows. #}
{%- extends "families/kafka/stack.py" %}

{%- block cluster_parameters %}
        kafka_bootstrap_servers = CfnParameter(
            self,
            "KafkaBootstrapServers",
            type="CommaDelimitedList",
            description=(
                "The cluster's bootstrap brokers, host:port, comma-separated (e.g."
                " b-1.example.com:9096,b-2.example.com:9096); SASL over TLS."
            ),
            allowed_pattern="^[a-zA-Z0-9.-]+:[0-9]{1,5}$",
        )
        kafka_secret_arn = CfnParameter(
            self,
            "KafkaSecretArn",
            description=(
                "The ARN of the Secrets Manager secret (in this Region) holding the"
                ' SASL/SCRAM-SHA-512 user name and password, as {"username":"...","password":"..."}.'
            ),
            allowed_pattern="^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$",
        )
        acknowledge(
            self,
            "CloudFormation-Validate::W2509",
            "KafkaSecretArn is the ARN of the secret, not the secret: NoEcho would hide where"
            " the mapping signs in from every reader of the stack.",
        )
{%- endblock %}

{%- block cluster %}
            kafka_bootstrap_servers=kafka_bootstrap_servers.value_as_list,
            # SASL/SCRAM-SHA-512 over TLS, with the user name and password in the secret. For
            # mutual TLS instead, use CLIENT_CERTIFICATE_TLS_AUTH with a secret holding the
            # client certificate and key. Brokers reachable only inside a VPC also need
            # VPC_SUBNET and VPC_SECURITY_GROUP entries here, and the role the EC2 network
            # interface actions the MSK source has.
            source_access_configurations=[
                lambda_.SourceAccessConfiguration(
                    type=lambda_.SourceAccessConfigurationType.SASL_SCRAM_512_AUTH,
                    uri=kafka_secret_arn.value_as_string,
                )
            ],
{%- endblock %}

{%- block read_policy %}
        # The mapping reads the sign-in secret; the cluster itself is not AWS's, so no other
        # permission reads the topic. A secret encrypted with a customer managed KMS key also
        # needs kms:Decrypt on that key.
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["secretsmanager:GetSecretValue"],
                resources=[kafka_secret_arn.value_as_string],
            )
        )
{%- endblock %}
