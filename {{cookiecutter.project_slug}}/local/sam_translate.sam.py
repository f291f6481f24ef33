"""Expand template.yaml into plain CloudFormation, offline, so cfn-lint sees what SAM generates.

cfn-lint does not expand SAM events: a BatchSize of 20000, a misspelt FunctionResponseTypes or a
queue visibility timeout below the function timeout only show in the expanded template. The
expansion is local/cloudformation.py's, which the project's tools and its guard read.
Usage (in the environment of local/requirements-iac.txt):
    python local/sam_translate.py template.yaml .aws-sam/translated.json
"""

import json
import sys
from pathlib import Path

# Run as a script, from local/: the project's folder holds the package local.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from local.cloudformation import translate


def main(argv: list[str]) -> int:
    source, target = Path(argv[1]), Path(argv[2])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(translate(source), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
