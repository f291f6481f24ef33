"""template.yaml in CloudFormation form: expanded by samtranslator in this process, offline, as
CloudFormation expands it on deploy."""

import json
import os
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parent.parent / "template.yaml"
# samtranslator asks boto3 for a region (the partition of the ARNs it writes).
REGION = "{{ cookiecutter.aws_region }}"
# Where a function's code is, relative to the project: the expansion replaces CodeUri by an S3
# location, so it is kept in the function's Metadata, under the key CDK gives its assets.
CODE_PATH = "aws:asset:path"
SAM_CODE_KEYS = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Serverless::StateMachine": "DefinitionUri",
}


class NoManagedPolicies:
    """Managed policies by name would need AWS; this template names none."""

    def load(self) -> dict[str, str]:
        return {}


def translate(path: Path = TEMPLATE) -> dict[str, Any]:
    """A SAM template expanded into CloudFormation by samtranslator, offline: each function's
    code is given an S3 location (`sam build` would upload it), its CodeUri kept in Metadata; a
    state machine's definition file is inlined."""
    # Imported here: samtranslator takes a second to import, and only the expansion needs it.
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    template: dict[str, Any] = yaml_parse(path.read_text(encoding="utf-8"))
    global_settings = template.get("Globals", {}).get("Function", {})
    for name, resource in template.get("Resources", {}).items():
        key = SAM_CODE_KEYS.get(resource.get("Type"))
        properties = resource.setdefault("Properties", {})
        if key == "DefinitionUri" and key not in properties:
            continue  # a state machine whose definition is written inline
        code = str(properties.get(key, global_settings.get(key, "."))) if key else ""
        if key and not code.startswith("s3://"):
            properties[key] = f"s3://offline-bucket/{name}.zip"
            resource.setdefault("Metadata", {})[CODE_PATH] = code
    translated: dict[str, Any] = transform(template, {}, NoManagedPolicies())
    inline_definitions(translated, path.parent)
    return translated


def inline_definitions(template: dict[str, Any], folder: Path) -> None:
    """Each state machine's definition file inlined as its Definition (CloudFormation takes the
    ASL as an object there), in place of the S3 location the expansion gave it: cfn-lint checks
    the ASL against its schema, and the tools read it."""
    for resource in template["Resources"].values():
        path = resource.get("Metadata", {}).get(CODE_PATH)
        if resource["Type"] == "AWS::StepFunctions::StateMachine" and path:
            properties = resource["Properties"]
            properties.pop("DefinitionS3Location", None)
            properties["Definition"] = json.loads((folder / path).read_text(encoding="utf-8"))


def expand() -> dict[str, Any]:
    """The project's stack in CloudFormation form."""
    return translate(TEMPLATE)
