"""The CDK app of every distinct stack shape synthesizes with no unacknowledged cdk-nag finding,
passes cfn-lint and checkov, and declares what the SAM template of the same answers declares
(tests/cloudformation_parity.py), but for the differences it accepts with their reasons.

The shapes: what changes the synthesized template (tests/test_iac.py finds the same for
template.yaml: the source, the invocation, idempotency, tracing, the runtime, the architecture,
and a batch size above 10). Every shape is synthesized, and its SAM twin expanded, in one process
(tests/cdk_synth.py), once per run: the CDK's node process takes ~12 s to start, then each stack
a fraction of a second. pytest-xdist workers share that run through a lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import traceback
from pathlib import Path
from typing import Any

import pytest

from . import cloudformation_parity
from .baking import bake, project_requirements, shared_environment
from .matrix import CHOICE_OPTIONS, supported
from .test_iac import run_tool, tool_environment

SYNTH_SCRIPT = Path(__file__).resolve().parent / "cdk_synth.py"
# What the synthesizing process imports, by distribution name: from the dev group of a CDK bake
# (the CDK and cdk-nag) and of a SAM bake (samtranslator, and pyyaml, which it reads YAML with).
CDK_TOOLS = ("aws-cdk-lib", "cdk-nag", "constructs")
SAM_TOOLS = ("aws-sam-translator", "pyyaml")


def shapes() -> dict[str, dict[str, Any]]:
    """Every supported (event_source, invocation), with idempotency and tracing on and off, on
    arm64 and Python 3.13 (the idempotent pollers drained by the state machine); a stream on x86_64
    and Python 3.12; a queue with a batch above 10."""
    found: dict[str, dict[str, Any]] = {}
    for source in CHOICE_OPTIONS["event_source"]:
        for invocation in CHOICE_OPTIONS["invocation"]:
            style = "context_manager" if invocation == "scheduled_poll" else "decorator"
            base = {"event_source": source, "invocation": invocation, "batch_style": style}
            if not supported(base):
                continue
            for idempotency in (False, True):
                drained = invocation == "scheduled_poll" and idempotency
                for tracing in (False, True):
                    name = "-".join(
                        [
                            source,
                            "poller" if invocation == "scheduled_poll" else "mapping",
                            *["drained"] * drained,
                            "idempotent" if idempotency else "at-least-once",
                            "tracing" if tracing else "no-tracing",
                        ]
                    ).replace("_", "-")
                    scheduler = "step_functions" if drained else "eventbridge"
                    found[name] = {**base, "idempotency": idempotency, "tracing": tracing, "scheduler": scheduler}
    found["kinesis-mapping-x86-64-py3.12"] = {
        "event_source": "kinesis",
        "architecture": "x86_64",
        "python_runtime": "3.12",
    }
    found["sqs-mapping-batch-100"] = {"event_source": "sqs", "batch_size": "100"}
    return found


SHAPES = shapes()


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder all xdist workers of this run see (the parent of their own), else this run's."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "cdk-shapes"


def synth_environment(scratch: Path) -> Path:
    requirements = [
        *project_requirements(bake(scratch / "cdk", iac="cdk")),
        *project_requirements(bake(scratch / "sam", iac="sam")),
    ]
    tools = list(
        dict.fromkeys(
            requirement
            for requirement in requirements
            if any(requirement.lower().startswith(name) for name in (*CDK_TOOLS, *SAM_TOOLS))
        )
    )
    assert len(tools) == len(CDK_TOOLS + SAM_TOOLS), tools
    return shared_environment("3.13", tools)


def synthesize_all(root: Path) -> dict[str, dict[str, Any]]:
    """Bake each shape as a CDK and a SAM project; synthesize and expand them all in one process.
    Each shape's outcome: what failed (bake, cdk, sam: error text), cdk-nag's findings (nag), and
    the folder of its cdk.json and sam.json (out)."""
    env = synth_environment(root / "requirements")
    outcomes: dict[str, dict[str, Any]] = {}
    jobs = []
    for name, answers in SHAPES.items():
        out = root / "templates" / name
        outcomes[name] = {"bake": None, "cdk": None, "nag": None, "sam": None, "out": str(out)}
        try:
            cdk = bake(root / "projects" / name / "cdk", iac="cdk", **answers)
            sam = bake(root / "projects" / name / "sam", iac="sam", **answers)
        except Exception:  # a shape that does not bake fails its own tests only
            outcomes[name]["bake"] = traceback.format_exc()[-4000:]
            continue
        jobs.append({"name": name, "cdk": str(cdk), "sam": str(sam), "out": str(out)})
    (root / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    result = subprocess.run(
        [str(env / "bin" / "python"), str(SYNTH_SCRIPT), str(root / "jobs.json")],
        env={**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "1", "AWS_DEFAULT_REGION": "eu-west-1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    for name, outcome in json.loads(result.stdout.splitlines()[-1]).items():
        outcomes[name].update(outcome)
    return outcomes


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every shape's outcome, made by the first worker to ask, read by the others."""
    root = shared_folder(tmp_path_factory)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / "outcomes.json"
        if not done.exists():
            done.write_text(json.dumps(synthesize_all(root)), encoding="utf-8")
    outcomes: dict[str, dict[str, Any]] = json.loads(done.read_text(encoding="utf-8"))
    return outcomes


def synthesized_template(outcome: dict[str, Any], side: str) -> dict[str, Any]:
    for step in ("bake", side):
        assert outcome[step] is None, f"{step} failed:\n{outcome[step]}"
    template: dict[str, Any] = json.loads((Path(outcome["out"]) / f"{side}.json").read_text(encoding="utf-8"))
    return template


@pytest.mark.parametrize("shape", SHAPES)
def test_the_stack_synthesizes_with_no_unacknowledged_cdk_nag_finding(
    synthesized: dict[str, dict[str, Any]], shape: str
) -> None:
    synthesized_template(synthesized[shape], "cdk")

    assert synthesized[shape]["nag"] is None, f"cdk-nag's findings:\n{synthesized[shape]['nag']}"


@pytest.mark.parametrize("shape", SHAPES)
def test_the_stack_declares_what_the_sam_template_declares(synthesized: dict[str, dict[str, Any]], shape: str) -> None:
    sam = synthesized_template(synthesized[shape], "sam")
    cdk = synthesized_template(synthesized[shape], "cdk")

    differences = cloudformation_parity.unaccepted(sam, cdk)

    assert [str(difference) for difference in differences] == []


def synthesized_stacks(synthesized: dict[str, dict[str, Any]]) -> dict[str, Path]:
    """Each shape's synthesized template; every shape must have one."""
    failed = {
        name: outcome["bake"] or outcome["cdk"]
        for name, outcome in synthesized.items()
        if outcome["bake"] or outcome["cdk"]
    }
    assert failed == {}, "\n".join(f"{name}: {error[-1500:]}" for name, error in failed.items())
    return {name: Path(outcome["out"]) / "cdk.json" for name, outcome in synthesized.items()}


def iac_tools(tmp_path: Path) -> Path:
    """A SAM bake's local/ (its requirements name the IaC tools test_iac.py runs, pinned)."""
    return bake(tmp_path / "tools")


def test_cfn_lint_passes_on_every_synthesized_stack(synthesized: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    stacks = synthesized_stacks(synthesized)
    tools = iac_tools(tmp_path)
    env = tool_environment(tools, "requirements-iac.txt")
    folder = tmp_path / "stacks"
    folder.mkdir()
    for name, path in stacks.items():
        shutil.copy(path, folder / f"{name}.json")

    result = run_tool(env, "cfn-lint", "--", *sorted(str(path) for path in folder.iterdir()), cwd=folder)

    assert result.returncode == 0, result.stdout[-8000:]


def test_checkov_fails_no_check_on_any_synthesized_stack(
    synthesized: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    stacks = synthesized_stacks(synthesized)
    env = tool_environment(iac_tools(tmp_path), "requirements-checkov.txt")
    folder = tmp_path / "stacks"
    for name, path in stacks.items():
        (folder / name).mkdir(parents=True)
        shutil.copy(path, folder / name / "template.json")

    result = run_tool(
        env, "checkov", "--framework", "cloudformation", "--skip-download", "-o", "json", "-d", ".", cwd=folder
    )

    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    failed = [check for entry in reports for check in entry["results"]["failed_checks"]]
    assert [(check["check_id"], check["file_path"], check["resource"]) for check in failed] == []
    scanned = {
        check["file_path"].strip("/").split("/")[0] for entry in reports for check in entry["results"]["passed_checks"]
    }
    assert scanned == set(stacks)
    assert sum(entry["summary"]["parsing_errors"] for entry in reports) == 0


def test_every_accepted_difference_gives_its_reason() -> None:
    for (resource, path), reason in cloudformation_parity.ACCEPTED_DIFFERENCES.items():
        assert resource, path
        assert path, resource
        assert len(reason) > 30, f"{resource} {path} is accepted without a reason"
