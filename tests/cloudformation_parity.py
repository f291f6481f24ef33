"""A SAM project's template (as samtranslator expands it) and the CDK project's stack of the same
answers (as synthesized), compared after normalising both: any difference is reported, but those
of ACCEPTED_DIFFERENCES, each with its reason.

What is compared: the template's Description, Parameters, Conditions and Outputs; every resource,
matched by logical id (the CDK stack keeps SAM's names for its own constructs), with its type,
its properties, its DeletionPolicy, UpdateReplacePolicy and Condition, and its checkov skips; the
resources either side generates under ids of its own (event source mappings, schedules, Lambda
permissions) matched by what they connect; and the role's permissions as a set of (action,
resource) pairs per role, from its inline Policies and every AWS::IAM::Policy that names it.

What is not: the function's Code (an S3 location either side makes up), Tags (SAM tags what it
makes), DependsOn, Metadata other than checkov's, CDK's BootstrapVersion parameter and rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SCHEDULES = ("ProcessorFunctionSchedule", "DrainStateMachineSchedule")


# (resource, property path, why the CDK stack differs from the SAM template there). A resource is
# its logical id, or a generated resource's canonical name (see canonical_names); "Permissions"
# names the roles' permission pairs, with the path "<role> <action> <resource>".
def _granted(action: str, resource: str) -> tuple[str, str]:
    """The key of a permission pair of the processor's role: ("Permissions", "<action> <resource>")."""
    return ("Permissions", f'ProcessorRole {action} {{"Fn::GetAtt": ["{resource}", "Arn"]}}')


ACCEPTED_DIFFERENCES: dict[tuple[str, str], str] = {
    _granted("sqs:changemessagevisibility", "SourceQueue"): (
        "CDK's SqsEventSource grants the function grantConsumeMessages on the queue, which adds"
        " ChangeMessageVisibility; SAM's SQSPollerPolicy has none: on the queue the function reads."
    ),
    _granted("sqs:getqueueurl", "SourceQueue"): (
        "CDK's grantConsumeMessages (SqsEventSource, the poller's grant) adds GetQueueUrl, a read of"
        " the queue's URL, on the queue the function reads."
    ),
    **{
        _granted(f"kinesis:{action}", "SourceStream"): (
            "CDK's KinesisEventSource grants grantRead on the stream, which adds the enhanced fan-out"
            " reads (SubscribeToShard, DescribeStreamConsumer) and ListStreams, on the same stream;"
            " SAM's KinesisStreamPolicy reads without them."
        )
        for action in ("subscribetoshard", "describestreamconsumer", "liststreams")
    },
    **{
        _granted(f"sqs:{action}", "DeadLetterQueue"): (
            "CDK's SqsDlq (a mapping's on-failure destination) grants grantSendMessages on the"
            " dead-letter queue, which adds GetQueueAttributes and GetQueueUrl, on that queue only."
        )
        for action in ("getqueueattributes", "getqueueurl")
    },
    **{
        (queue_or_topic, "Properties.KmsMasterKeyId"): (
            "CDK's L2 queue and topic name their key by its ARN, the SAM template by its id (Ref): both name EventsKey."
        )
        for queue_or_topic in ("SourceQueue", "DeadLetterQueue", "SourceTopic")
    },
    **{
        ("DrainStateMachine", policy): (
            "CDK writes Delete, CloudFormation's default for a state machine, which the SAM template"
            " leaves unset: a state machine holds no data (its executions' history stays 90 days)."
        )
        for policy in ("DeletionPolicy", "UpdateReplacePolicy")
    },
    # The schedule that starts the function (the poller), or the drain state machine.
    **{
        (schedule, "Properties.Name"): (
            "SAM names the schedule after its logical id; the CDK stack lets CloudFormation make a"
            " name, so two stacks of the project can share an account and a region."
        )
        for schedule in SCHEDULES
    },
    **{
        (schedule, path): (
            "CDK's Schedule writes EventBridge Scheduler's own default (UTC, enabled, events kept a"
            " day), which the SAM template leaves unset."
        )
        for schedule in SCHEDULES
        for path in (
            "Properties.ScheduleExpressionTimezone",
            "Properties.State",
            "Properties.Target.RetryPolicy.MaximumEventAgeInSeconds",
        )
    },
    **{
        (f"{schedule}Role", "Properties.AssumeRolePolicyDocument.Statement"): (
            "The CDK stack's schedule role trusts EventBridge Scheduler for this account's schedules"
            " only (aws:SourceAccount), against the confused deputy; SAM's trusts the service alone."
        )
        for schedule in SCHEDULES
    },
    (
        "Permissions",
        'ProcessorFunctionScheduleRole lambda:invokefunction {"Fn::Join": ["", [{"Fn::GetAtt":'
        ' ["ProcessorFunction", "Arn"]}, ":*"]]}',
    ): (
        "CDK's LambdaInvoke target grants the invocation of the function's versions and aliases"
        " (its ARN and ARN:*); SAM's, of its ARN alone."
    ),
}

# Lists whose order means nothing to CloudFormation or the service.
ORDERLESS = {
    "Action",
    "NotAction",
    "Architectures",
    "Dimensions",
    "FunctionResponseTypes",
    "SourceAccessConfigurations",
    "Topics",
    "Statement",
    "AttributeDefinitions",
}
# Properties not compared, by resource type ("*": every type).
IGNORED_PROPERTIES = {
    "*": {"Tags"},
    "AWS::Lambda::Function": {"Code"},
    # The role's permissions are compared as (action, resource) pairs, wherever they are written.
    "AWS::IAM::Role": {"Policies"},
}
# Resources folded into the role's permissions.
POLICY_TYPES = {"AWS::IAM::Policy"}
CDK_ONLY_PARAMETERS = {"BootstrapVersion"}
CDK_ONLY_RULES = {"CheckBootstrapVersion"}
SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass(frozen=True)
class Difference:
    resource: str
    path: str
    sam: Any
    cdk: Any

    def __str__(self) -> str:
        return f"{self.resource} {self.path}: SAM {json.dumps(self.sam)} != CDK {json.dumps(self.cdk)}"


# --- values -----------------------------------------------------------------------------------


def sub_parts(text: str, variables: dict[str, Any]) -> list[Any]:
    """An Fn::Sub string as the pieces an Fn::Join would list."""
    parts: list[Any] = []
    position = 0
    for match in SUB_VARIABLE.finditer(text):
        parts.append(text[position : match.start()])
        name = match.group(1)
        if name in variables:
            parts.append(variables[name])
        elif "." in name and not name.startswith("AWS::"):
            parts.append({"Fn::GetAtt": name.split(".", 1)})
        else:
            parts.append({"Ref": name})
        position = match.end()
    parts.append(text[position:])
    return [part.replace("${!", "${") if isinstance(part, str) else part for part in parts]


def joined(parts: Iterable[Any]) -> Any:
    """Pieces joined: nested joins flattened, neighbouring literals merged, a lone literal as
    itself; else a canonical {"Fn::Join": ["", pieces]}."""
    flat: list[Any] = []
    for part in parts:
        part = normalise_value(part)
        pieces = part["Fn::Join"][1] if isinstance(part, dict) and list(part) == ["Fn::Join"] else [part]
        for piece in pieces:
            if isinstance(piece, str) and flat and isinstance(flat[-1], str):
                flat[-1] += piece
            elif piece != "":
                flat.append(piece)
    if not flat:
        return ""
    if len(flat) == 1 and isinstance(flat[0], str):
        return flat[0]
    return {"Fn::Join": ["", flat]}


def normalise_value(value: Any, key: str | None = None) -> Any:
    """One spelling for what CloudFormation reads alike: GetAtt as a list, Sub and Join as one
    canonical Join, scalars as strings, orderless lists sorted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        items = [normalise_value(item) for item in value]
        if key in ORDERLESS:
            items.sort(key=lambda item: json.dumps(item, sort_keys=True))
        return items
    if not isinstance(value, dict):
        return value
    if list(value) == ["Fn::GetAtt"]:
        target = value["Fn::GetAtt"]
        return {"Fn::GetAtt": target.split(".", 1) if isinstance(target, str) else list(target)}
    if list(value) == ["Fn::Sub"]:
        argument = value["Fn::Sub"]
        text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1])
        return joined(sub_parts(text, variables))
    if list(value) == ["Fn::Join"]:
        delimiter, items = value["Fn::Join"]
        if isinstance(items, list):
            parts: list[Any] = []
            for index, item in enumerate(items):
                parts += [delimiter, item] if index else [item]
            return joined(parts)
    return {name: normalise_value(item, name) for name, item in value.items()}


def references(value: Any) -> set[str]:
    """The logical ids a value names by Ref or Fn::GetAtt."""
    if isinstance(value, list):
        return set().union(*(references(item) for item in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    if list(value) == ["Ref"] and isinstance(value["Ref"], str):
        return {value["Ref"]}
    if list(value) == ["Fn::GetAtt"]:
        target = value["Fn::GetAtt"]
        return {target.split(".")[0] if isinstance(target, str) else target[0]}
    return set().union(*(references(item) for item in value.values())) if value else set()


def renamed(value: Any, names: dict[str, str]) -> Any:
    """The value with Refs and GetAtts of generated resources under their canonical names."""
    if isinstance(value, list):
        return [renamed(item, names) for item in value]
    if not isinstance(value, dict):
        return value
    if list(value) == ["Ref"] and value["Ref"] in names:
        return {"Ref": names[value["Ref"]]}
    if list(value) == ["Fn::GetAtt"] and isinstance(value["Fn::GetAtt"], list) and value["Fn::GetAtt"][0] in names:
        return {"Fn::GetAtt": [names[value["Fn::GetAtt"][0]], *value["Fn::GetAtt"][1:]]}
    return {name: renamed(item, names) for name, item in value.items()}


# --- templates --------------------------------------------------------------------------------


def normalised(template: dict[str, Any]) -> dict[str, Any]:
    """Every value normalised (normalise_value)."""
    return normalise_value(template)  # type: ignore[no-any-return]


def canonical_names(template: dict[str, Any], shared: set[str]) -> dict[str, str]:
    """A name for each resource either side generates under an id of its own, from what it
    connects: "EventSourceMapping(ProcessorFunction<-SourceQueue)", "Permission(ProcessorFunction<-
    events.amazonaws.com)", "Schedule(->ProcessorFunction)"."""
    names: dict[str, str] = {}
    for name, resource in template["Resources"].items():
        if name in shared or resource["Type"] in POLICY_TYPES:
            continue
        properties = resource.get("Properties", {})
        kind = resource["Type"].split("::")[-1]
        if kind == "EventSourceMapping":
            source = sorted(references(properties.get("EventSourceArn"))) or ["SelfManagedEventSource"]
            label = f"{','.join(sorted(references(properties.get('FunctionName'))))}<-{','.join(source)}"
        elif kind == "Permission":
            principal = properties.get("Principal", "")
            label = f"{','.join(sorted(references(properties.get('FunctionName'))))}<-{principal}"
        elif kind in {"Schedule", "Rule"}:
            targets = properties.get("Target") or properties.get("Targets") or {}
            label = f"->{','.join(sorted(references(targets)))}"
        else:  # no rule to match it by: its own id, reported if the other side has none
            names[name] = name
            continue
        canonical = f"{kind}({label})"
        while canonical in names.values():
            canonical += "'"
        names[name] = canonical
    return names


def permissions(template: dict[str, Any], role: str) -> set[tuple[str, str]]:
    """The role's Allow statements as (action, resource) pairs, from its inline Policies and
    every AWS::IAM::Policy whose Roles name it; a Condition is part of the resource. (The
    template's values normalised, its generated ids renamed.)"""
    resource = template["Resources"].get(role, {})
    documents = [policy["PolicyDocument"] for policy in resource.get("Properties", {}).get("Policies", [])]
    for other in template["Resources"].values():
        if other["Type"] in POLICY_TYPES and role in references(other["Properties"].get("Roles", [])):
            documents.append(other["Properties"]["PolicyDocument"])
    pairs = set()
    for document in documents:
        statements = document["Statement"]
        for statement in statements if isinstance(statements, list) else [statements]:
            if statement.get("Effect") != "Allow":
                continue
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            targets = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            condition = statement.get("Condition")
            for action in actions:
                for target in targets:
                    where = json.dumps(normalise_value(target), sort_keys=True)
                    if condition:
                        where += f" if {json.dumps(normalise_value(condition), sort_keys=True)}"
                    pairs.add((action.lower(), where))
    return pairs


def comparable(resource: dict[str, Any]) -> dict[str, Any]:
    """What is compared of a resource: its type, properties (but the ignored), policies,
    condition, and checkov's skips."""
    ignored = IGNORED_PROPERTIES["*"] | IGNORED_PROPERTIES.get(resource["Type"], set())
    properties = resource.get("Properties", {})
    if isinstance(properties.get("DefinitionString"), str):
        # A state machine's ASL as the text CDK writes, or the object SAM's expansion holds (and
        # normalised with the template): the same definition either way.
        properties = {**properties, "Definition": normalise_value(json.loads(properties["DefinitionString"]))}
        del properties["DefinitionString"]
    view = {
        "Type": resource["Type"],
        "Properties": {key: value for key, value in properties.items() if key not in ignored},
    }
    for key in ("DeletionPolicy", "UpdateReplacePolicy", "Condition"):
        if key in resource:
            view[key] = resource[key]
    skips = resource.get("Metadata", {}).get("checkov", {}).get("skip")
    if skips:
        view["checkov skips"] = sorted((skip["id"], skip.get("comment", "")) for skip in skips)
    return view


def with_policy_skips(template: dict[str, Any], name: str) -> dict[str, Any]:
    """The resource; a role with the checkov skips of the policies that name it too (a statement
    SAM writes in the role, and its skip, CDK writes in the role's DefaultPolicy)."""
    resource = template["Resources"][name]
    if resource["Type"] != "AWS::IAM::Role":
        return resource
    skips = list(resource.get("Metadata", {}).get("checkov", {}).get("skip", []))
    for other in template["Resources"].values():
        if other["Type"] in POLICY_TYPES and name in references(other["Properties"].get("Roles", [])):
            skips += other.get("Metadata", {}).get("checkov", {}).get("skip", [])
    return {**resource, "Metadata": {"checkov": {"skip": skips}}}


def differences_of(resource: str, path: str, sam: Any, cdk: Any) -> list[Difference]:
    """Where two normalised values differ, down to the leaves of mappings."""
    if isinstance(sam, dict) and isinstance(cdk, dict) and not any(key.startswith("Fn::") for key in (*sam, *cdk)):
        found = []
        for key in sorted(set(sam) | set(cdk)):
            found += differences_of(resource, f"{path}.{key}" if path else key, sam.get(key), cdk.get(key))
        return found
    return [] if sam == cdk else [Difference(resource, path, sam, cdk)]


def compare(sam_template: dict[str, Any], cdk_template: dict[str, Any]) -> list[Difference]:
    """Every difference between the two templates, normalised."""
    sam, cdk = normalised(sam_template), normalised(cdk_template)
    found: list[Difference] = []
    found += differences_of("Template", "Description", sam.get("Description"), cdk.get("Description"))
    cdk_parameters = {
        name: value for name, value in cdk.get("Parameters", {}).items() if name not in CDK_ONLY_PARAMETERS
    }
    found += differences_of("Parameters", "", sam.get("Parameters", {}), cdk_parameters)
    found += differences_of("Conditions", "", sam.get("Conditions", {}), cdk.get("Conditions", {}))
    cdk_rules = {name: value for name, value in cdk.get("Rules", {}).items() if name not in CDK_ONLY_RULES}
    found += differences_of("Rules", "", sam.get("Rules", {}), cdk_rules)

    shared = set(sam["Resources"]) & set(cdk["Resources"])
    names = {"SAM": canonical_names(sam, shared), "CDK": canonical_names(cdk, shared)}
    views = {}
    for side, template in (("SAM", sam), ("CDK", cdk)):
        views[side] = {
            names[side].get(name, name): renamed(comparable(with_policy_skips(template, name)), names[side])
            for name, resource in template["Resources"].items()
            if resource["Type"] not in POLICY_TYPES
        }
    for name in sorted(set(views["SAM"]) | set(views["CDK"])):
        found += differences_of(name, "", views["SAM"].get(name), views["CDK"].get(name))

    found += differences_of(
        "Outputs",
        "",
        {name: renamed(output, names["SAM"]) for name, output in sam.get("Outputs", {}).items()},
        {name: renamed(output, names["CDK"]) for name, output in cdk.get("Outputs", {}).items()},
    )
    pairs = {}
    for side, template in (("SAM", sam), ("CDK", cdk)):
        template = {
            "Resources": {
                names[side].get(name, name): renamed(resource, names[side])
                for name, resource in template["Resources"].items()
            }
        }
        pairs[side] = {
            (name, action, where)
            for name, resource in template["Resources"].items()
            if resource["Type"] == "AWS::IAM::Role"
            for action, where in permissions(template, name)
        }
    for name, action, where in sorted(pairs["SAM"] - pairs["CDK"]):
        found.append(Difference("Permissions", f"{name} {action} {where}", "allowed", None))
    for name, action, where in sorted(pairs["CDK"] - pairs["SAM"]):
        found.append(Difference("Permissions", f"{name} {action} {where}", None, "allowed"))
    return found


def accepted(difference: Difference) -> str | None:
    """The reason a difference is accepted, if it is: a key of ACCEPTED_DIFFERENCES names its
    resource and its path, or a prefix of its path ending at a property."""
    for (resource, path), reason in ACCEPTED_DIFFERENCES.items():
        if difference.resource == resource and (difference.path == path or difference.path.startswith(f"{path}.")):
            return reason
    return None


def unaccepted(sam_template: dict[str, Any], cdk_template: dict[str, Any]) -> list[Difference]:
    return [difference for difference in compare(sam_template, cdk_template) if accepted(difference) is None]
