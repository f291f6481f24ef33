"""What template.yaml says: the functions' settings (handler path, environment), the resources
they name and the permissions of their roles."""

from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parent.parent / "template.yaml"


class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags (!Ref, !GetAtt, !Sub) as their arguments."""


class Intrinsic(str):
    """The argument of a CloudFormation function (!Ref Queue -> "Queue"): known only on deploy."""

    __slots__ = ()


def _tag_value(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return Intrinsic(loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


CloudFormationLoader.add_multi_constructor("!", _tag_value)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """template.yaml as data; CloudFormation functions become their plain arguments."""
    text = path.read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.load(text, Loader=CloudFormationLoader)  # noqa: S506 (SafeLoader)
    return loaded


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The properties of every AWS::Serverless::Function, by logical id."""
    return {
        name: resource["Properties"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def plain_environment(template: dict[str, Any], function: str) -> dict[str, str]:
    """The function's environment variables whose values are known before deploy (no !Ref)."""
    global_settings = template.get("Globals", {}).get("Function", {})
    variables = {
        **global_settings.get("Environment", {}).get("Variables", {}),
        **functions(template)[function].get("Environment", {}).get("Variables", {}),
    }
    return {
        name: str(value)
        for name, value in variables.items()
        if not isinstance(value, (Intrinsic, dict, list))
    }


def code_root(template: dict[str, Any], function: str) -> Path:
    """The folder Lambda unpacks the function's code into: its CodeUri."""
    global_settings = template.get("Globals", {}).get("Function", {})
    code_uri = functions(template)[function].get("CodeUri", global_settings.get("CodeUri", "."))
    return TEMPLATE.parent / str(code_uri)


def reference(value: Any) -> str | None:
    """What a !Ref or !GetAtt names, as "Queue" or "Queue.Arn" (short or long form); None for a
    literal. A !Sub comes back as its string, which names no resource."""
    if isinstance(value, dict):  # {"Ref": "Queue"}, {"Fn::GetAtt": ["Queue", "Arn"]}
        value = value.get("Ref", value.get("Fn::GetAtt"))
    elif isinstance(value, str) and not isinstance(value, Intrinsic):
        return None
    if isinstance(value, list) and len(value) == 2 and all(isinstance(part, str) for part in value):
        value = ".".join(value)  # !GetAtt [Queue, Arn]
    return str(value) if isinstance(value, str) and value else None


def resource_name(template: dict[str, Any], value: Any) -> str | None:
    """The logical id a !Ref or !GetAtt names (DeadLetterQueue.Arn -> "DeadLetterQueue") if it is
    a resource of the template; None for anything else (a literal ARN, a parameter, a !Sub)."""
    named = reference(value)
    name = named.split(".")[0] if named else None
    return name if name in template.get("Resources", {}) else None


def function_setting(template: dict[str, Any], function: str, setting: str) -> Any:
    """A property of the function, or the Globals value it inherits (None if neither sets it)."""
    global_settings = template.get("Globals", {}).get("Function", {})
    return functions(template)[function].get(setting, global_settings.get(setting))


def as_list(value: Any) -> list[Any]:
    """A statement's Action or Resource as a list (IAM takes one value or a list)."""
    return value if isinstance(value, list) else [value]


def role_statements(template: dict[str, Any], function: str) -> list[dict[str, Any]]:
    """The Allow statements of the inline policies of the function's role, if it is a role of
    the template."""
    role = resource_name(template, functions(template)[function].get("Role"))
    if role is None:
        return []
    policies = template["Resources"][role].get("Properties", {}).get("Policies", [])
    return [
        statement
        for policy in policies
        for statement in as_list(policy["PolicyDocument"]["Statement"])
        if statement.get("Effect") == "Allow"
    ]


def allows(template: dict[str, Any], function: str, action: str, target: str) -> bool:
    """Whether the function's role allows the action on target: "Queue.Arn" is that attribute
    only (a table's StreamArn is not its Arn), "Key" any !Ref or !GetAtt of the resource."""

    def names_target(item: Any) -> bool:
        named = reference(item)
        if named is None:
            return False
        return named == target or ("." not in target and named.split(".")[0] == target)

    return any(
        action in as_list(statement.get("Action"))
        and any(names_target(item) for item in as_list(statement.get("Resource")))
        for statement in role_statements(template, function)
    )
