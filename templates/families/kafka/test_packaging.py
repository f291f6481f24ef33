{#- tests/test_packaging.py's pieces for a Kafka topic: the cluster is not the stack's but its
    parameters', so the guard's tests of the stack's sources, of what the roles allow and of
    their scope are replaced (`replaced()`) by ones that know a resource built from parameters;
    the mapping runs in provisioned mode, retries boundedly and keeps what it skips. -#}
{%- macro summary() -%}
The guard reads the stack in CloudFormation form: every event source mapping reports batch item
failures; a Kafka mapping runs in provisioned mode, gives up on a batch after bounded retries and
leaves a trace in the stack; it reads one topic as one consumer group of a cluster named by the
stack's parameters; each role allows what its mappings need, on the cluster, topic, group and
secret those parameters name and on the stack's resources.
{%- endmacro %}
{#- The tests of the project's file this piece replaces with its own, by name. #}
{% macro replaced() -%}
test_every_mapping_reads_a_source_of_this_stack
test_roles_allow_what_the_mappings_need
test_permissions_are_scoped_to_the_stack_resources
{%- endmacro %}
{% macro imports() %}
    consumer_group,
{%- endmacro %}
{% macro constants() %}
# Kafka's event source mappings (Amazon MSK, self-managed Apache Kafka).
KAFKA_EVENTS = {"MSK", "SelfManagedKafka"}
MAPPED_SOURCES = MAPPED_SOURCES | KAFKA_EVENTS
# AWS's limits; -1, the default of both, means until the record leaves the topic.
MAX_RETRY_ATTEMPTS = 10_000
RECORD_AGE_SECONDS = (60, 604_800)
# What the mapping calls on an MSK cluster (IAM access control): on the cluster, on its topic
# (arn:...:topic/<cluster>/<uuid>/<topic>) or on its consumer group (:group/).
MSK_ACTIONS = {
    "kafka:DescribeClusterV2": "cluster",
    "kafka:GetBootstrapBrokers": "cluster",
    "kafka-cluster:Connect": "cluster",
    "kafka-cluster:DescribeClusterDynamicConfiguration": "cluster",
    "kafka-cluster:DescribeTopic": "topic",
    "kafka-cluster:ReadData": "topic",
    "kafka-cluster:DescribeGroup": "group",
    "kafka-cluster:AlterGroup": "group",
}
# What it calls to make its network interfaces in the cluster's VPC.
NETWORK_INTERFACE_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface")
EC2_DESCRIBE_ACTIONS = (
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
)
# Actions AWS gives no resource-level permissions: "*" is the only resource they take.
UNSCOPED_ACTIONS = {*EC2_DESCRIBE_ACTIONS, "xray:PutTraceSegments", "xray:PutTelemetryRecords"}
# The SourceAccessConfigurations types whose URI is a Secrets Manager secret the mapping reads.
SECRET_TYPES = {
    "BASIC_AUTH",
    "SASL_SCRAM_256_AUTH",
    "SASL_SCRAM_512_AUTH",
    "CLIENT_CERTIFICATE_TLS_AUTH",
    "SERVER_ROOT_CA_CERTIFICATE",
}
# Where this account's network interfaces, subnets and security groups are.
THIS_ACCOUNTS_EC2 = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:"
{%- endmacro %}
{% macro helpers() %}


def texts(value: Any) -> list[str]:
    """Every string in a value (a Fn::Sub's text, a Fn::Split's separator, a Ref's name...)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return []


def parameters_in(template: dict[str, Any], value: Any) -> set[str]:
    """The template's Parameters a value is built from: a Ref, or ${Name} in a Fn::Sub."""
    parameters = template.get("Parameters", {})
    found: set[str] = set()
    named = reference(value)
    if named is not None and named in parameters:
        found.add(named)
    if isinstance(value, dict):
        for item in value.values():
            found |= parameters_in(template, item)
    elif isinstance(value, list):
        for item in value:
            found |= parameters_in(template, item)
    elif isinstance(value, str):
        for part in value.split("${")[1:]:
            if part.split("}")[0] in parameters:
                found.add(part.split("}")[0])
    return found


def parameter(template: dict[str, Any], value: Any) -> str | None:
    """The parameter a Ref names; None for anything else."""
    named = reference(value)
    return named if named in template.get("Parameters", {}) else None


def kafka_needs(event_type: str, event: dict[str, Any]) -> dict[str, tuple[set[str], str]]:
    """What the mapping calls with the function's role: action -> (the parameters its resource
    is built from, a text the resource holds); no parameters: on any resource."""
    cluster = str(reference(mapped_source(event)))
    topic = str(reference(as_list(event.get("Topics", [None]))[0]))
    group = str(reference(consumer_group(event)))
    needs: dict[str, tuple[set[str], str]] = {}
    if event_type == "MSK":
        built_from = {
            "cluster": ({cluster}, ""),
            "topic": ({cluster, topic}, ":topic/"),
            "group": ({cluster, group}, ":group/"),
        }
        needs.update({action: built_from[kind] for action, kind in MSK_ACTIONS.items()})
    accesses = as_list(event.get("SourceAccessConfigurations", []))
    for access in accesses:
        if access.get("Type") in SECRET_TYPES:
            needs["secretsmanager:GetSecretValue"] = ({str(reference(access.get("URI")))}, "")
    if event_type == "MSK" or any(access.get("Type") == "VPC_SUBNET" for access in accesses):
        for action in NETWORK_INTERFACE_ACTIONS + EC2_DESCRIBE_ACTIONS:
            needs[action] = (set(), "")
    return needs


def allows_built_from(
    template: dict[str, Any], function: str, action: str, built_from: set[str], text: str
) -> bool:
    """Whether the function's role allows the action on a resource built from exactly these
    parameters (and holding this text); on any resource if built_from is empty."""
    role = role_of(template, function)
    resources = [
        item
        for statement in (role_statements(template, role) if role else [])
        if statement.get("Effect") == "Allow" and action in as_list(statement.get("Action"))
        for item in as_list(statement.get("Resource"))
    ]
    if not built_from:
        return bool(resources)
    return any(
        parameters_in(template, item) == built_from and text in "".join(texts(item))
        for item in resources
    )
{%- endmacro %}
{% macro tests() %}


def test_kafka_mappings_retry_boundedly_and_keep_what_they_skip(template: dict[str, Any]) -> None:
    """A record that keeps failing holds its partition: the mapping must run in provisioned mode
    (the only one where Lambda honours batchItemFailures on Kafka), bisect the batch, give up
    after a bounded number of retries and age, and send what it skipped to a destination in
    the stack."""
    topics = mappings(template, KAFKA_EVENTS)
    assert topics, "no MSK or self-managed Kafka mapping in this template"
    resources = template["Resources"]
    for function, event_type, event in topics:
        where = f"{function}'s {event_type} mapping"
        assert "ReportBatchItemFailures" in event.get("FunctionResponseTypes", []), where
        pollers = event.get("ProvisionedPollerConfig", {}).get("MinimumPollers", 0)
        assert pollers >= 1, f"{where} is not in provisioned mode: batchItemFailures is ignored"
        assert event.get("BisectBatchOnFunctionError") is True, where
        retries = event.get("MaximumRetryAttempts", -1)
        assert 0 <= retries <= MAX_RETRY_ATTEMPTS, f"{where}: MaximumRetryAttempts {retries}"
        age = event.get("MaximumRecordAgeInSeconds", -1)
        low, high = RECORD_AGE_SECONDS
        assert low <= age <= high, f"{where}: MaximumRecordAgeInSeconds {age}"
        target = resource_name(template, on_failure(event))
        assert target, f"{where} has no OnFailure destination in the stack: skips leave no trace"
        assert resources[target]["Type"] in SEND_ACTIONS, f"{where}: OnFailure {target}"


def test_every_mapping_reads_a_topic_named_at_deploy(template: dict[str, Any]) -> None:
    """The cluster is not the stack's: each mapping reads one topic, as one consumer group, of
    a cluster (its ARN, or its brokers and sign-in secret) the stack's parameters name."""
    for function, event_type, event in mappings(template, KAFKA_EVENTS):
        where = f"{function}'s {event_type} mapping"
        topics = as_list(event.get("Topics", []))
        assert len(topics) == 1, f"{where}: topics {topics}"
        assert parameter(template, topics[0]), f"{where}: topic {topics[0]!r}"
        assert parameter(template, consumer_group(event)), f"{where}: consumer group"
        cluster = mapped_source(event)
        assert parameter(template, cluster), f"{where}: cluster {cluster!r}"
        if event_type == "SelfManagedKafka":
            secrets = [
                access.get("URI")
                for access in as_list(event.get("SourceAccessConfigurations", []))
                if access.get("Type") in SECRET_TYPES
            ]
            assert secrets, f"{where}: no sign-in secret"
            assert all(parameter(template, secret) for secret in secrets), f"{where}: {secrets}"


def test_roles_allow_what_the_mappings_need(template: dict[str, Any]) -> None:
    """The functions have roles of their own, so SAM adds no permission: each role must allow
    what its mapping calls on the cluster, the topic, the group and the secret the parameters
    name (each on that one, not on every topic or group), and sending to the OnFailure
    destination."""
    resources = template["Resources"]
    for function, event_type, event in mappings(template, KAFKA_EVENTS):
        for action, (built_from, text) in kafka_needs(event_type, event).items():
            assert allows_built_from(template, function, action, built_from, text), (
                f"{function}: {action} on a resource built from {sorted(built_from)}"
            )
        target = resource_name(template, on_failure(event))
        if target:
            action = SEND_ACTIONS[resources[target]["Type"]]
            assert allows(template, function, action, target), f"{function}: {action} on {target}"


def test_permissions_are_scoped_to_the_stack_resources(template: dict[str, Any]) -> None:
    """Every function has its own role, whose statements name their actions (no wildcard) and,
    as resources, the stack's, the cluster's the parameters name, or this account's network
    interfaces; "*" only for actions with no resource-level permissions (EC2's Describe,
    X-Ray)."""
    resources = template["Resources"]
    for function in functions(template):
        role_name = role_of(template, function)
        assert role_name, "every function has a role of this template"
        assert resources[role_name]["Type"] == "AWS::IAM::Role"
    for name, resource in resources.items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for statement in role_statements(template, name):
            actions = as_list(statement["Action"])
            assert not any("*" in action for action in actions), f"{name}: {actions}"
            for item in as_list(statement["Resource"]):
                if item == "*":
                    unscoped = set(actions) - UNSCOPED_ACTIONS
                    assert not unscoped, f"{name}: {sorted(unscoped)} on every resource"
                elif not arn_owner(template, item) and not parameters_in(template, item):
                    others = set(actions) - set(NETWORK_INTERFACE_ACTIONS)
                    assert not others, f"{name}: {sorted(others)} on {item!r}, not ours"
                    where = "".join(texts(item))
                    assert where.startswith(THIS_ACCOUNTS_EC2), f"{name}: {item!r}"
{%- endmacro %}
