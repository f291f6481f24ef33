"""The IaC of every rendered variant passes sam validate --lint, cfn-lint on the template as SAM
expands it, and checkov; the checks and the project's own guard catch what they must."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .baking import bake, run_in, shared_environment
from .matrix import all_combinations, combination_id

IAC_ENV = {"AWS_DEFAULT_REGION": "eu-west-1", "SAM_CLI_TELEMETRY": "0", "BC_SKIP_MAPPING": "TRUE"}


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One baked project per distinct template.yaml among every supported combination."""
    root = tmp_path_factory.mktemp("iac")
    distinct: dict[str, tuple[str, Path]] = {}
    for answers in all_combinations():
        project = bake(root / combination_id(answers), **answers)
        distinct.setdefault((project / "template.yaml").read_text(), (combination_id(answers), project))
    return dict(distinct.values())


def tool_environment(project: Path, requirements: str) -> Path:
    lines = (project / "local" / requirements).read_text().splitlines()
    return shared_environment("3.13", [line for line in lines if line and not line.startswith("#")])


def run_tool(env: Path, *command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(env / "bin" / command[0]), *command[1:]],
        cwd=cwd,
        env={**os.environ, **IAC_ENV},
        capture_output=True,
        text=True,
        check=False,
    )


def expand_and_lint(env: Path, project: Path) -> subprocess.CompletedProcess[str]:
    translated = project / ".aws-sam" / "translated.json"
    translate = run_tool(env, "python", "local/sam_translate.py", "template.yaml", str(translated), cwd=project)
    assert translate.returncode == 0, translate.stderr
    return run_tool(env, "cfn-lint", str(translated), cwd=project)


def test_sam_validate_lint_passes_on_every_variant(variants: dict[str, Path]) -> None:
    env = tool_environment(next(iter(variants.values())), "requirements-iac.txt")
    for name, project in variants.items():
        result = run_tool(env, "sam", "validate", "--lint", cwd=project)
        assert result.returncode == 0, f"{name}:\n{result.stdout}\n{result.stderr}"


def test_cfn_lint_passes_on_every_expanded_variant(variants: dict[str, Path]) -> None:
    env = tool_environment(next(iter(variants.values())), "requirements-iac.txt")
    for name, project in variants.items():
        result = expand_and_lint(env, project)
        assert result.returncode == 0, f"{name}:\n{result.stdout}\n{result.stderr}"


def test_checkov_fails_no_check_on_any_variant(variants: dict[str, Path], tmp_path: Path) -> None:
    env = tool_environment(next(iter(variants.values())), "requirements-checkov.txt")
    for name, project in variants.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "template.yaml").write_text((project / "template.yaml").read_text())

    result = run_tool(env, "checkov", "--quiet", "--framework", "cloudformation", "-o", "json", "-d", ".", cwd=tmp_path)

    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    failed = [check for entry in reports for check in entry["results"]["failed_checks"]]
    passed = sum(entry["summary"]["passed"] for entry in reports)
    assert failed == [], [(check["check_id"], check["file_path"], check["resource"]) for check in failed]
    assert passed > 0


class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags as plain values."""


CloudFormationLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def test_every_skipped_check_gives_its_reason(variants: dict[str, Path]) -> None:
    for name, project in variants.items():
        template = yaml.load((project / "template.yaml").read_text(), Loader=CloudFormationLoader)
        for resource_name, resource in template["Resources"].items():
            for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                assert len(skip.get("comment", "")) > 20, f"{name}: {resource_name} skips {skip['id']} without a reason"


# (how to break the default project's template.yaml, what must catch it)
BREAKAGES = [
    pytest.param("BatchSize: 10\n", "BatchSize: 20000\n", "E3034", id="batch-size-over-the-sqs-limit"),
    pytest.param("- ReportBatchItemFailures\n", "- ReportBatchItemFailure\n", "E3030", id="misspelt-response-type"),
    pytest.param("VisibilityTimeout: 180\n", "VisibilityTimeout: 10\n", "E3505", id="visibility-below-timeout"),
]


@pytest.mark.parametrize(("before", "after", "rule"), BREAKAGES)
def test_the_expanded_lint_catches_what_sam_validate_misses(before: str, after: str, rule: str, tmp_path: Path) -> None:
    project = bake(tmp_path)
    template = project / "template.yaml"
    assert before in template.read_text()
    template.write_text(template.read_text().replace(before, after, 1))
    env = tool_environment(project, "requirements-iac.txt")

    assert run_tool(env, "sam", "validate", "--lint", cwd=project).returncode == 0
    result = expand_and_lint(env, project)

    assert result.returncode != 0
    assert rule in result.stdout


# (how to break template.yaml, the project's guard test that must fail)
GUARD_BREAKAGES = [
    pytest.param(
        "            FunctionResponseTypes:\n              - ReportBatchItemFailures\n",
        "",
        "test_every_mapping_reports_batch_item_failures",
        id="mapping-loses-report-batch-item-failures",
    ),
    pytest.param(
        "      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt DeadLetterQueue.Arn\n"
        "        # A failed record is retried this many times, then moved to the DLQ.\n"
        "        maxReceiveCount: 5\n",
        "",
        "test_source_queues_redrive_to_a_dlq_and_outlast_the_function",
        id="queue-loses-redrive-policy",
    ),
    pytest.param(
        "VisibilityTimeout: 180\n",
        "VisibilityTimeout: 150\n",
        "test_source_queues_redrive_to_a_dlq_and_outlast_the_function",
        id="visibility-below-6x-timeout",
    ),
]


def test_the_guard_passes_on_the_unbroken_template(tmp_path: Path, environment_for: Callable[[str], Path]) -> None:
    project = bake(tmp_path)

    run_in(project, environment_for("3.13"), "python", "-m", "pytest", "--no-cov", "-q", "tests/test_packaging.py")


@pytest.mark.parametrize(("before", "after", "failing_test"), GUARD_BREAKAGES)
def test_the_guard_fails_on_a_broken_copy(
    before: str, after: str, failing_test: str, tmp_path: Path, environment_for: Callable[[str], Path]
) -> None:
    project = bake(tmp_path)
    template = project / "template.yaml"
    assert before in template.read_text()
    template.write_text(template.read_text().replace(before, after, 1))
    env = environment_for("3.13")

    result = subprocess.run(
        [str(env / "bin" / "python"), "-m", "pytest", "--no-cov", "-q", "tests/test_packaging.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1, result.stdout
    assert f"FAILED tests/test_packaging.py::{failing_test}" in result.stdout
