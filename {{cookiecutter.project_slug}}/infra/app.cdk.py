"""The CDK app: the stack, environment-agnostic, checked by cdk-nag's AWS Solutions rules.

`make synth` runs it (`python -m infra.app`), offline: it writes the CloudFormation template and
the bundled asset to cdk.out/ and fails on any unacknowledged cdk-nag finding. The context of
cdk.json applies whether the CDK CLI runs the app or make does.
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

from aws_cdk import App, Stack, Validations
from cdk_nag import AwsSolutionsChecks

from .bundling import function_code
from .stack import ProcessorStack

PROJECT = Path(__file__).resolve().parent.parent
STACK_NAME = "{{ cookiecutter.project_slug }}"
# Offline synthesis for the project's tools: no bundling (the asset path in the function's
# Metadata is src/ itself), as the CDK CLI skips it for stacks it does not deploy.
UNBUNDLED = {"aws:cdk:bundling-stacks": [], "aws:cdk:enable-asset-metadata": True}


def build(*, bundle: bool = True, outdir: str | None = None) -> tuple[App, Stack]:
    """The app and its stack, with cdk.json's context; the AWS Solutions checks added."""
    settings = json.loads((PROJECT / "cdk.json").read_text(encoding="utf-8"))
    context: dict[str, Any] = settings["context"]
    if not bundle:
        context = {**context, **UNBUNDLED}
    app = App(outdir=outdir, context=context)
    docker = app.node.try_get_context("bundling") == "docker"
    stack = ProcessorStack(app, STACK_NAME, code=function_code(PROJECT / "src", docker=docker))
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app, stack


def main() -> int:
    # The CDK CLI, when it runs the app, names the folder it reads in CDK_OUTDIR.
    app, _stack = build(outdir=os.environ.get("CDK_OUTDIR", str(PROJECT / "cdk.out")))
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
