"""Synthesize many baked CDK projects, and expand their SAM twins, in one process.

Run by tests/test_cdk.py in an environment with aws-cdk-lib, cdk-nag, constructs and
aws-sam-translator (not the template's own: this file imports nothing of tests/). The CDK starts
its node process once (~12 s), then each App costs a fraction of a second.

    python cdk_synth.py jobs.json

jobs.json lists {"name", "cdk", "sam", "out"}: a CDK project, the SAM project of the same
answers, and a folder to write cdk.json (the stack as synthesized, cdk-nag's checks run as a
validation plugin) and sam.json (template.yaml as samtranslator expands it) into. Prints a JSON
object: each job's name -> {"cdk": error text or null, "nag": cdk-nag's unacknowledged findings
or null, "sam": error text or null}.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Node 20 runs the CDK here: its end-of-life banner is no finding.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")


def forget(project: Path) -> None:
    """Drop the modules a project brought (infra, local, its package), so the next project's
    modules of the same names are imported afresh."""
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None) or ""
        if name.split(".")[0] in {"infra", "local"} or file.startswith(str(project)):
            del sys.modules[name]


@contextlib.contextmanager
def project_on_path(project: Path) -> Iterator[None]:
    sys.path.insert(0, str(project))
    try:
        yield
    finally:
        sys.path.remove(str(project))
        forget(project)


# What each CDK project's validation plugins (cdk-nag) found, when synth failed on findings.
FINDINGS: dict[Path, str] = {}


def synthesize(project: Path) -> dict[str, Any]:
    """The stack's template. When cdk-nag fails synth, the template CDK wrote before validating
    it, and the findings in FINDINGS."""
    with project_on_path(project):
        from infra.app import build  # type: ignore[import-not-found]

        with tempfile.TemporaryDirectory(prefix="cdk.out-") as outdir:
            app, stack = build(bundle=False, outdir=outdir)
            try:
                template: dict[str, Any] = app.synth().get_stack_by_name(stack.stack_name).template
            except Exception:
                report = Path(outdir) / "validation-report.json"
                if not report.exists():
                    raise
                FINDINGS[project] = findings(json.loads(report.read_text(encoding="utf-8")))
                written = Path(outdir) / stack.template_file
                template = json.loads(written.read_text(encoding="utf-8"))
    return template


def findings(report: dict[str, Any]) -> str:
    """One line per violation of a failed validation report: rule, resources, description."""
    lines = []
    for plugin in report.get("pluginReports", []):
        for violation in plugin.get("violations", []):
            where = ", ".join(
                construct.get("constructPath", "?") for construct in violation.get("violatingConstructs", [])
            )
            lines.append(f"{violation.get('ruleName')} [{where}]: {violation.get('description', '')[:300]}")
    return "\n".join(lines) or json.dumps(report)[:6000]


def expand(project: Path) -> dict[str, Any]:
    with project_on_path(project):
        from local.cloudformation import translate  # type: ignore[import-not-found]

        expanded: dict[str, Any] = translate(project / "template.yaml")
    return expanded


def attempt(make: Callable[[Path], dict[str, Any]], project: Path, target: Path) -> str | None:
    """Write what make returns as JSON; the error text (and what it printed) if it raised."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            template = make(project)
    except Exception:  # every failure is reported, per project
        return f"{traceback.format_exc()[-6000:]}\n{printed.getvalue()[-6000:]}"
    target.write_text(json.dumps(template, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return None


def main(argv: list[str]) -> int:
    jobs = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    outcomes = {}
    for job in jobs:
        out = Path(job["out"])
        out.mkdir(parents=True, exist_ok=True)
        outcomes[job["name"]] = {
            "cdk": attempt(synthesize, Path(job["cdk"]), out / "cdk.json"),
            "nag": FINDINGS.get(Path(job["cdk"])),
            "sam": attempt(expand, Path(job["sam"]), out / "sam.json"),
        }
    print(json.dumps(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
