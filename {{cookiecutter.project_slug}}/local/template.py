"""The stack in CloudFormation form, and what the project's tools read in it: the functions'
settings (handler, environment, code folder), their event source mappings and schedules (and the
state machines that invoke them), the resources they name and the permissions of their roles.

local/cloudformation.py makes that form offline, in this process, as AWS gets it on deploy:
{%- if facts.cdk %}
the CDK app synthesized, without bundling.
{%- else %}
template.yaml expanded by samtranslator (SAM's Globals merged, its Events made mappings and
schedules).
{%- endif %} The tools read nothing else, so they would read a template in CloudFormation
form from another tool the same way.
"""

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

from .cloudformation import CODE_PATH, expand

PROJECT = Path(__file__).resolve().parent.parent
FUNCTION = "AWS::Lambda::Function"
MAPPING = "AWS::Lambda::EventSourceMapping"
STATE_MACHINE = "AWS::StepFunctions::StateMachine"
# A ${Name} in a state machine's definition, which CloudFormation replaces on deploy by the value
# of Name in its DefinitionSubstitutions.
PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
# What SAM's ScheduleV2 and Schedule events become, and where each names its targets.
SCHEDULE_TARGETS = {"AWS::Scheduler::Schedule": "Target", "AWS::Events::Rule": "Targets"}
# The kind of source a mapping reads (named as SAM's event types), by the type of its resource,
# or by the service of a literal ARN.
SOURCE_KINDS = {
    "AWS::SQS::Queue": "SQS",
    "AWS::Kinesis::Stream": "Kinesis",
    "AWS::DynamoDB::Table": "DynamoDB",
    "AWS::DynamoDB::GlobalTable": "DynamoDB",
}
ARN_SERVICES = {"sqs": "SQS", "kinesis": "Kinesis", "dynamodb": "DynamoDB", "kafka": "MSK"}
POLICIES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")


@functools.cache
def _expanded() -> dict[str, Any]:
    """The expansion, once per process: it takes a second{% if facts.cdk %} or ten{% endif %}."""
    return expand()


def load_template() -> dict[str, Any]:
    """The stack in CloudFormation form, a copy a caller may change."""
    return copy.deepcopy(_expanded())


def resources_of(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """The properties of every resource of this CloudFormation type, by logical id."""
    return {
        name: resource.get("Properties", {})
        for name, resource in template["Resources"].items()
        if resource["Type"] == kind
    }


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The properties of every AWS::Lambda::Function, by logical id."""
    return resources_of(template, FUNCTION)


def function_setting(template: dict[str, Any], function: str, setting: str) -> Any:
    """A property of the function (None if it does not set it: Lambda's default applies)."""
    return functions(template)[function].get(setting)


def plain_environment(template: dict[str, Any], function: str) -> dict[str, str]:
    """The function's environment variables whose values are known before deploy (no Ref)."""
    variables = functions(template)[function].get("Environment", {}).get("Variables", {})
    return {
        name: str(value) for name, value in variables.items() if not isinstance(value, (dict, list))
    }


def code_root(template: dict[str, Any], function: str) -> Path:
    """The folder Lambda unpacks the function's code into (its CodeUri, kept in Metadata)."""
    code = template["Resources"][function].get("Metadata", {}).get(CODE_PATH)
    if code is None:
        raise LookupError(f"{function} has no {CODE_PATH} in its Metadata: where is its code?")
    return PROJECT / str(code)


def event_source_mappings(template: dict[str, Any], function: str) -> dict[str, dict[str, Any]]:
    """The properties of the event source mappings that invoke the function, by logical id."""
    return {
        name: properties
        for name, properties in resources_of(template, MAPPING).items()
        if resource_name(template, properties.get("FunctionName")) == function
    }


def source_kind(template: dict[str, Any], mapping: dict[str, Any]) -> str:
    """What a mapping reads, as SAM names its events: SQS, Kinesis, DynamoDB, MSK or
    SelfManagedKafka ("" if the source is none of these)."""
    if "SelfManagedEventSource" in mapping:
        return "SelfManagedKafka"
    if "AmazonManagedKafkaEventSourceConfig" in mapping or "Topics" in mapping:
        return "MSK"
    source = mapping.get("EventSourceArn")
    name = resource_name(template, source)
    if name is not None:
        return SOURCE_KINDS.get(template["Resources"][name]["Type"], "")
    service = source.split(":")[2] if isinstance(source, str) and source.count(":") > 2 else ""
    return ARN_SERVICES.get(service, "")


def mapping_of(template: dict[str, Any], function: str, *kinds: str) -> tuple[str, dict[str, Any]]:
    """The kind and properties of the function's first event source mapping that reads a source
    of one of these kinds."""
    for mapping in event_source_mappings(template, function).values():
        kind = source_kind(template, mapping)
        if kind in kinds:
            return kind, mapping
    raise LookupError(f"{function} has no event source mapping of {' or '.join(kinds)}")


def mapped_source(mapping: dict[str, Any]) -> Any:
    """What a mapping reads: its EventSourceArn, or a self-managed cluster's bootstrap servers."""
    if "SelfManagedEventSource" in mapping:
        return mapping["SelfManagedEventSource"].get("Endpoints", {}).get("KafkaBootstrapServers")
    return mapping.get("EventSourceArn")


def consumer_group(mapping: dict[str, Any]) -> Any:
    """The consumer group a Kafka mapping reads as (None if it names none)."""
    for config in ("AmazonManagedKafkaEventSourceConfig", "SelfManagedKafkaEventSourceConfig"):
        if config in mapping:
            return mapping[config].get("ConsumerGroupId")
    return None


def on_failure(mapping: dict[str, Any]) -> Any:
    """Where a mapping sends what it gives up (None: nowhere)."""
    return mapping.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")


def schedules(template: dict[str, Any], function: str) -> dict[str, dict[str, Any]]:
    """The properties of the schedules (EventBridge Scheduler, or a scheduled EventBridge rule)
    that invoke the function, or start a state machine that does, by logical id."""
    starters = {function, *state_machines(template, function)}
    found: dict[str, dict[str, Any]] = {}
    for kind, key in SCHEDULE_TARGETS.items():
        for name, properties in resources_of(template, kind).items():
            targets = as_list(properties.get(key, []))
            if "ScheduleExpression" in properties and any(
                resource_name(template, target.get("Arn")) in starters for target in targets
            ):
                found[name] = properties
    return found


def state_machines(template: dict[str, Any], function: str) -> dict[str, dict[str, Any]]:
    """The properties of the state machines that invoke the function (their
    DefinitionSubstitutions name it), by logical id."""
    return {
        name: properties
        for name, properties in resources_of(template, STATE_MACHINE).items()
        if any(
            resource_name(template, value) == function
            for value in properties.get("DefinitionSubstitutions", {}).values()
        )
    }


def state_machine_definition(
    template: dict[str, Any], name: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A state machine's definition (the ASL, its ${...} placeholders left as they are) and its
    DefinitionSubstitutions. The definition is an object in `Definition`, or JSON text in
    `DefinitionString` (as the CDK writes it)."""
    properties = template["Resources"][name].get("Properties", {})
    substitutions: dict[str, Any] = properties.get("DefinitionSubstitutions", {})
    definition = properties.get("Definition")
    if definition is None:
        text = properties.get("DefinitionString")
        if not isinstance(text, str):  # an Fn::Join or Fn::Sub: known on deploy only
            raise LookupError(f"{name} has no Definition, nor a DefinitionString of plain text")
        definition = json.loads(text)
    if not isinstance(definition, dict):
        raise LookupError(f"{name}'s definition is not a JSON object")
    return definition, substitutions


def substituted(definition: dict[str, Any], values: dict[str, str]) -> str:
    """The definition as JSON text with each ${Name} replaced by values[Name], as CloudFormation
    does on deploy (a value lands as text: a number's quotes are the definition's to write)."""

    def value_of(placeholder: re.Match[str]) -> str:
        name = placeholder.group(1)
        if name not in values:
            raise LookupError(f"the definition names {name}, which DefinitionSubstitutions lacks")
        return values[name]

    return PLACEHOLDER.sub(value_of, json.dumps(definition))


def reference(value: Any) -> str | None:
    """What a Ref or Fn::GetAtt names, as "Queue" or "Queue.Arn"; None for anything else (a
    literal, a Fn::Sub, which names no resource)."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    named = value.get("Ref", value.get("Fn::GetAtt"))
    if isinstance(named, list) and len(named) == 2 and all(isinstance(part, str) for part in named):
        named = ".".join(named)  # {"Fn::GetAtt": ["Queue", "Arn"]}
    return named if isinstance(named, str) and named else None


def resource_name(template: dict[str, Any], value: Any) -> str | None:
    """The logical id a Ref or Fn::GetAtt names (DeadLetterQueue.Arn -> "DeadLetterQueue") if it
    is a resource of the template; None for anything else (a literal ARN, a parameter, a Sub)."""
    named = reference(value)
    name = named.split(".")[0] if named else None
    return name if name in template.get("Resources", {}) else None


def arn_owner(template: dict[str, Any], value: Any) -> str | None:
    """The logical id of the resource of the template an ARN names (a Ref or Fn::GetAtt) or
    qualifies: an Fn::Join that starts with one, as CDK writes "<function ARN>:*" for a
    function's versions and aliases. None for anything else."""
    join = value.get("Fn::Join") if isinstance(value, dict) and len(value) == 1 else None
    if isinstance(join, list) and len(join) == 2 and join[0] == "" and join[1]:
        return resource_name(template, join[1][0])
    return resource_name(template, value)


def as_list(value: Any) -> list[Any]:
    """A statement's Action or Resource as a list (IAM takes one value or a list)."""
    return value if isinstance(value, list) else [value]


def role_of(template: dict[str, Any], function: str) -> str | None:
    """The logical id of the function's role, if it is a role of the template."""
    return resource_name(template, functions(template)[function].get("Role"))


def role_statements(template: dict[str, Any], role: str) -> list[dict[str, Any]]:
    """Every statement the role's policies hold: its inline Policies, and the AWS::IAM::Policy
    and ManagedPolicy resources that name it in Roles (as CDK writes grants)."""
    properties = template["Resources"][role].get("Properties", {})
    documents = [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
    attached = {resource_name(template, arn) for arn in properties.get("ManagedPolicyArns", [])}
    for kind in POLICIES:
        for name, policy in resources_of(template, kind).items():
            roles = {resource_name(template, item) for item in policy.get("Roles", [])}
            if role in roles or name in attached:
                documents.append(policy["PolicyDocument"])
    return [statement for document in documents for statement in as_list(document["Statement"])]


def function_statements(template: dict[str, Any], function: str) -> list[dict[str, Any]]:
    """The Allow statements of the function's role, if it is a role of the template."""
    role = role_of(template, function)
    if role is None:
        return []
    return [
        statement
        for statement in role_statements(template, role)
        if statement.get("Effect") == "Allow"
    ]


def allows(template: dict[str, Any], function: str, action: str, target: str) -> bool:
    """Whether the function's role allows the action on target: "Queue.Arn" is that attribute
    only (a table's StreamArn is not its Arn), "Key" any Ref or Fn::GetAtt of the resource."""

    def names_target(item: Any) -> bool:
        named = reference(item)
        if named is None:
            return False
        return named == target or ("." not in target and named.split(".")[0] == target)

    return any(
        action in as_list(statement.get("Action"))
        and any(names_target(item) for item in as_list(statement.get("Resource")))
        for statement in function_statements(template, function)
    )
