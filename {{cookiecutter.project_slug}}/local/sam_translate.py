"""Expand template.yaml into plain CloudFormation, offline, so cfn-lint sees what SAM generates.

cfn-lint does not expand SAM events: a BatchSize of 20000, a misspelt FunctionResponseTypes or a
queue visibility timeout below the function timeout only show in the expanded template.
Usage (in the environment of local/requirements-iac.txt):
    python local/sam_translate.py template.yaml .aws-sam/translated.json
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("AWS_DEFAULT_REGION", "{{ cookiecutter.aws_region }}")

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

CODE_KEYS = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}


class NoManagedPolicies:
    """Managed policies by name would need AWS; this template names none."""

    def load(self) -> dict[str, str]:
        return {}


def translate(path: Path) -> dict[str, Any]:
    template: dict[str, Any] = yaml_parse(path.read_text(encoding="utf-8"))
    for name, resource in template.get("Resources", {}).items():
        key = CODE_KEYS.get(resource.get("Type"))
        properties = resource.setdefault("Properties", {})
        if key and not str(properties.get(key, "")).startswith("s3://"):
            # `sam build` would upload the code; any S3 location does for linting.
            properties[key] = f"s3://offline-bucket/{name}.zip"
    translated: dict[str, Any] = transform(template, {}, NoManagedPolicies())
    return translated


def main(argv: list[str]) -> int:
    source, target = Path(argv[1]), Path(argv[2])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(translate(source), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
