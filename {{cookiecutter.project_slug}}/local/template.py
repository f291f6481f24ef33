"""What the function's settings in template.yaml say: handler path and environment."""

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
