"""The CDK app's stack in CloudFormation form: synthesized in this process, offline, without
bundling the code (the CDK CLI skips it too for a stack it does not deploy), so the function's
asset path in its Metadata is src/ itself."""

import tempfile
from typing import Any

# Where CDK keeps a function's code folder in its Metadata (with asset metadata on).
CODE_PATH = "aws:asset:path"


def expand() -> dict[str, Any]:
    """The project's stack in CloudFormation form, cdk-nag's checks run on it."""
    # Imported here: the CDK starts its node process on import, which takes seconds.
    from infra.app import build

    with tempfile.TemporaryDirectory(prefix="cdk.out-") as outdir:
        app, stack = build(bundle=False, outdir=outdir)
        template: dict[str, Any] = app.synth().get_stack_by_name(stack.stack_name).template
    return template
