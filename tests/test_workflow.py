"""The generated project's CI, Dependabot and pre-commit settings: actions pinned by commit, least
permissions, uv from a lock that must be current, and zizmor's audit of the workflow."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .baking import bake
from .matrix import load_hook

POST_GEN = load_hook("post_gen_project")

# The default project, one that differs in what the workflow renders (runtime, source), and a CDK
# project (its validate job synthesizes the app, on node).
BAKES = {
    "defaults": {},
    "py3.12-kinesis": {"python_runtime": "3.12", "event_source": "kinesis", "aws_region": "us-east-2"},
    "cdk": {"iac": "cdk", "aws_region": "ap-southeast-2"},
}

# What each job must run, by job name.
JOB_COMMANDS = {
    "pre-commit": "uv run --frozen pre-commit run --all-files",
    "lint": "make lint",
    "types": "make typecheck",
    "tests": "make test",
    "validate": "make validate",
}
# Jobs that install the project's environment: from uv.lock, refused if it is stale. A CDK
# project's validate job too: the app synthesizes in that environment.
SYNCING_JOBS = {"pre-commit", "lint", "types", "tests"}
IAC_PINS = ["local/requirements-iac.txt", "local/requirements-checkov.txt"]
# How src/requirements.txt is made (`make install`); uv writes these arguments, in this order,
# into the file's header, so the pre-commit hook must use exactly them.
EXPORT = "uv export --frozen --no-dev --no-emit-project -o src/requirements.txt"

PINNED_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)(?P<rest>.*)$")
FULL_SHA = re.compile(r"[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"\s+# v\d+\.\d+\.\d+\s*$")
ACTIONS_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
LEFTOVER_JINJA = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


@pytest.fixture(scope="module", params=list(BAKES), ids=list(BAKES))
def baked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    answers = BAKES[request.param]
    return bake(tmp_path_factory.mktemp("workflow"), **answers), answers


@pytest.fixture(scope="module")
def project(baked: tuple[Path, dict[str, Any]]) -> Path:
    return baked[0]


@pytest.fixture(scope="module")
def cdk(baked: tuple[Path, dict[str, Any]]) -> bool:
    return baked[1].get("iac") == "cdk"


@pytest.fixture(scope="module")
def syncing_jobs(cdk: bool) -> set[str]:
    return SYNCING_JOBS | {"validate"} if cdk else SYNCING_JOBS


@pytest.fixture(scope="module")
def workflow_text(project: Path) -> str:
    return (project / ".github/workflows/ci.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workflow(workflow_text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(workflow_text)
    return loaded


@pytest.fixture(scope="module")
def jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return workflow["jobs"]


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


def run_lines(job: dict[str, Any]) -> list[str]:
    """Every command line the job's steps run, in order."""
    return [line.strip() for step in job["steps"] for line in step.get("run", "").splitlines() if line.strip()]


def test_the_files_render_without_leftover_jinja(project: Path) -> None:
    for name in (".github/workflows/ci.yml", ".github/dependabot.yml", ".pre-commit-config.yaml"):
        text = (project / name).read_text(encoding="utf-8")
        assert not LEFTOVER_JINJA.search(ACTIONS_EXPRESSION.sub("", text)), f"unrendered Jinja in {name}"
        yaml.safe_load(text)


def test_the_expressions_survive_rendering(workflow: dict[str, Any]) -> None:
    assert workflow["concurrency"] == {
        "group": "${{ github.workflow }}-${{ github.ref }}",
        "cancel-in-progress": True,
    }


def test_every_action_is_pinned_to_a_commit_with_its_version(workflow_text: str, jobs: dict[str, Any]) -> None:
    pins = [PINNED_USES.match(line) for line in workflow_text.splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    used = [step["uses"] for job in jobs.values() for step in job["steps"] if "uses" in step]
    assert len(pins) == len(used) > 0
    versions: dict[str, set[tuple[str, str]]] = {}
    for pin in pins:
        assert pin, "a `uses:` line names no owner/repo@ref"
        assert FULL_SHA.fullmatch(pin["ref"]), f"{pin['action']} is pinned to {pin['ref']!r}, not a full commit"
        assert VERSION_COMMENT.fullmatch(pin["rest"]), f"{pin['action']}@{pin['ref']} has no `# vX.Y.Z` comment"
        versions.setdefault(pin["action"], set()).add((pin["ref"], pin["rest"].strip()))
    drifted = {action: pinned for action, pinned in versions.items() if len(pinned) > 1}
    assert not drifted, f"one action at several commits or versions: {drifted}"


def test_every_checkout_leaves_no_credentials_behind(jobs: dict[str, Any]) -> None:
    for name, job in jobs.items():
        checkouts = steps_using(job, "actions/checkout")
        assert len(checkouts) == 1, name
        assert checkouts[0].get("with", {}).get("persist-credentials") is False, name


def test_permissions_are_read_only(workflow: dict[str, Any], jobs: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    # No job needs more than reading the repository: none may widen it.
    assert {name: job["permissions"] for name, job in jobs.items() if "permissions" in job} == {}


def test_the_jobs_run_their_commands_with_a_timeout(jobs: dict[str, Any]) -> None:
    assert set(jobs) == set(JOB_COMMANDS)
    for name, command in JOB_COMMANDS.items():
        assert any(line.startswith(command) for line in run_lines(jobs[name])), f"{name} does not run {command}"
        assert isinstance(jobs[name].get("timeout-minutes"), int), name
        assert 0 < jobs[name]["timeout-minutes"] <= 30, name


def test_uv_is_set_up_with_a_cache_keyed_on_what_it_installs(
    workflow: dict[str, Any], jobs: dict[str, Any], project: Path, cdk: bool
) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", workflow["env"]["UV_VERSION"])
    for name, job in jobs.items():
        [setup] = steps_using(job, "astral-sh/setup-uv")
        assert job["steps"].index(setup) < min(i for i, step in enumerate(job["steps"]) if "run" in step), name
        settings = setup["with"]
        assert settings["version"] == "${{ env.UV_VERSION }}", name
        assert settings["enable-cache"] is True, name
        keys = settings["cache-dependency-glob"].split()
        if name != "validate":
            assert keys == ["uv.lock"], name
        else:
            # The IaC tools' environments, and a CDK app's (uv.lock's), which synthesizes.
            assert keys == (["uv.lock", *IAC_PINS] if cdk else IAC_PINS), name
            assert settings.get("cache-suffix"), f"{name} caches other packages: it needs a key of its own"
        # The pins are files of the project (uv.lock comes with the first `make install`).
        assert all((project / key).is_file() for key in keys if key != "uv.lock"), name


def test_dependencies_come_from_the_lock_and_python_from_python_version(
    jobs: dict[str, Any], syncing_jobs: set[str]
) -> None:
    for name, job in jobs.items():
        lines = run_lines(job)
        assert not steps_using(job, "actions/setup-python"), name
        assert "python-version" not in steps_using(job, "astral-sh/setup-uv")[0]["with"], name
        assert "uv python install" in lines, f"{name}: Python comes from .python-version"
        assert not [line for line in lines if "pip install" in line], name
        syncs = [line for line in lines if line.startswith("uv sync")]
        if name in syncing_jobs:
            assert syncs == ["uv sync --locked"], name
            command = next(line for line in lines if line.startswith(JOB_COMMANDS[name]))
            assert lines.index("uv sync --locked") < lines.index(command), f"{name} runs before it installs"
        else:
            assert syncs == [], name


def test_validate_runs_offline_in_the_projects_region(baked: tuple[Path, dict[str, Any]], jobs: dict[str, Any]) -> None:
    _, answers = baked
    env = jobs["validate"]["env"]
    assert env["AWS_DEFAULT_REGION"] == answers.get("aws_region", "eu-west-1")
    assert env["AWS_ACCESS_KEY_ID"] == env["AWS_SECRET_ACCESS_KEY"] == "offline"


def test_the_jobs_that_synthesize_a_cdk_app_set_up_node(jobs: dict[str, Any], cdk: bool) -> None:
    """The CDK's jsii runtime needs node, in a CDK project's validate job (make synth) and tests
    job (the tests read the stack as it synthesizes): a supported LTS, set up before the job's
    command, with no cache (the project has no npm package). No other job, and no job of a SAM
    project, sets it up; a SAM project's validate job keeps the SAM CLI's telemetry off."""
    with_node = {name for name, job in jobs.items() if steps_using(job, "actions/setup-node")}
    assert with_node == ({"validate", "tests"} if cdk else set())
    assert ("SAM_CLI_TELEMETRY" in jobs["validate"]["env"]) is (not cdk)
    for name in with_node:
        steps = jobs[name]["steps"]
        [node] = steps_using(jobs[name], "actions/setup-node")
        assert node["with"]["node-version"] in {"22", "24"}, name  # jsii's supported releases
        assert node["with"]["package-manager-cache"] is False, name
        runs = [i for i, step in enumerate(steps) if step.get("run", "").startswith(JOB_COMMANDS[name])]
        assert runs, name
        assert steps.index(node) < runs[0], name


def test_check_yaml_takes_cloudformation_tags_only_where_there_is_a_sam_template(project: Path, cdk: bool) -> None:
    _, hooks = pre_commit_hooks(project)
    assert ("--unsafe" in hooks["check-yaml"].get("args", [])) is (not cdk)
    assert (project / "template.yaml").exists() is (not cdk)


def test_dependabot_updates_the_lock_and_the_actions(project: Path) -> None:
    config = yaml.safe_load((project / ".github/dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert {"uv", "github-actions"} <= set(updates)
    for ecosystem, update in updates.items():
        assert update["directory"] == "/", ecosystem
        assert update["schedule"]["interval"] == "weekly", ecosystem
        assert update["groups"], ecosystem


def pre_commit_hooks(project: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: {**hook, "repo": repo["repo"]} for repo in config["repos"] for hook in repo["hooks"]}
    return config["repos"], hooks


def test_ruff_and_mypy_hooks_run_at_the_locked_versions(project: Path) -> None:
    repos, hooks = pre_commit_hooks(project)
    own_versions = [repo["repo"] for repo in repos if re.search(r"ruff|mypy", repo["repo"])]
    assert own_versions == [], "ruff and mypy come from uv.lock, not from a repository of their own"
    for hook_id, command in [
        ("ruff-check", "ruff check"),
        ("ruff-format", "ruff format"),
        ("mypy", "mypy"),
    ]:
        hook = hooks[hook_id]
        assert (hook["repo"], hook["language"]) == ("local", "system"), hook_id
        assert hook["entry"].startswith(f"uv run --frozen {command}"), hook_id


def test_the_uv_hooks_keep_the_lock_and_the_export_in_step(project: Path) -> None:
    _, hooks = pre_commit_hooks(project)
    assert hooks["uv-lock"]["entry"] == "uv lock"
    assert hooks["uv-export"]["entry"].replace(" --quiet", "") == EXPORT
    for hook_id in ("uv-lock", "uv-export"):
        assert (hooks[hook_id]["repo"], hooks[hook_id]["pass_filenames"]) == ("local", False), hook_id
        assert re.search(hooks[hook_id]["files"], "uv.lock"), hook_id


def test_the_makefile_and_the_generation_hook_export_as_the_pre_commit_hook_does(project: Path) -> None:
    """uv writes the export's arguments into the file's header: the three writers must agree."""
    makefile = (project / "Makefile").read_text(encoding="utf-8")
    exported = re.search(r"^EXPORT := \$\(UV\) (export .*)$", makefile, re.MULTILINE)
    assert exported is not None
    assert f"uv {exported[1]}".replace(" --quiet", "") == EXPORT
    (export,) = [command for command in POST_GEN.LOCK_COMMANDS if command[0] == "export"]
    assert " ".join(["uv", *export]).replace(" --quiet", "") == EXPORT


def test_pre_commit_hooks_is_recent(project: Path) -> None:
    repos, _ = pre_commit_hooks(project)
    [repo] = [repo for repo in repos if repo["repo"] == "https://github.com/pre-commit/pre-commit-hooks"]
    version = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)", repo["rev"])
    assert version, f"pre-commit-hooks at {repo['rev']!r}, not a release tag"
    assert tuple(map(int, version.groups())) >= (6, 0, 0)


def test_zizmor_finds_nothing_to_fix(project: Path) -> None:
    """zizmor, the GitHub Actions auditor (its wheel carries the binary), offline: unpinned
    actions, persisted credentials, excessive permissions, cache poisoning, template injection."""
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    assert zizmor is not None, "zizmor is in the template's dev group: `uv sync`"
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", str(project)], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, f"zizmor:\n{result.stdout}\n{result.stderr}"
    assert "No findings to report" in result.stdout + result.stderr
