"""The promise of the README: a default bake's `make test` passes, with nothing but Python set up;
and `make mutate` is wired as its README says, checked without running mutmut."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .baking import bake, uv_on_path


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_default_project_make_test_passes_where_uv_is_not_installed(tmp_path: Path) -> None:
    """As on a fresh machine with Python alone: a bake with no uv makes no lock; `make test`
    installs uv from PyPI into .venv-uv, locks, exports src/requirements.txt, makes .venv with the
    runtime's Python and passes, with no warning."""
    project = bake(tmp_path)
    assert not (project / "uv.lock").exists()
    with uv_on_path(visible=False):
        environment = {
            key: value
            for key, value in os.environ.items()
            # UV: the uv that `uv run` names, which the Makefile would take
            if not key.startswith(("AWS_", "VIRTUAL_ENV", "PYENV_VERSION")) and key != "UV"
        }
    environment["HOME"] = str(tmp_path / "home")  # no ~/.local/bin/uv either

    result = subprocess.run(["make", "test"], cwd=project, env=environment, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert (project / ".venv-uv" / "bin" / "uv").exists()
    assert (project / "uv.lock").exists()
    assert "--hash=sha256:" in (project / "src" / "requirements.txt").read_text()
    assert (project / ".venv" / "bin" / "python3.13").exists()
    assert re.search(r"\d+ passed", result.stdout)
    assert "warning" not in result.stdout.lower()


# mutmut 3.8's export-cicd-stats file, as `make mutate` reads it for its score line.
MUTMUT_STATS = {
    "killed": 83,
    "survived": 22,
    "total": 105,
    "no_tests": 0,
    "skipped": 0,
    "suspicious": 0,
    "timeout": 0,
    "check_was_interrupted_by_user": 0,
    "segfault": 0,
}


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_mutate_is_wired_without_running_mutmut(tmp_path: Path) -> None:
    """Optional and never run here: `make help` lists it; a dry run syncs .venv, then runs the
    pinned mutmut of the `mutation` group afresh and prints the score line, which reads its stats;
    mutmut's settings name what exists, and its work folder is ignored by git and ruff."""
    project = bake(tmp_path)
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "VIRTUAL_ENV"))}

    def make(*args: str) -> str:
        result = subprocess.run(["make", *args], cwd=project, env=environment, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    assert re.search(r"^  make mutate +\S", make("help"), re.MULTILINE)
    phony = re.search(r"^\.PHONY:(.*)$", (project / "Makefile").read_text(), re.MULTILINE)
    assert phony is not None
    assert "mutate" in phony.group(1).split()
    commands = make("-n", "mutate", "UV=uv").splitlines()
    steps = [
        "uv sync",
        "rm -rf mutants",
        "uv run --frozen --group mutation mutmut run",
        "uv run --frozen --group mutation mutmut export-cicd-stats >/dev/null",
    ]
    assert [commands.index(step) for step in steps] == sorted(commands.index(step) for step in steps)
    (pinned,) = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"]["mutation"]
    assert re.fullmatch(r"mutmut==3\.\d+\.\d+", pinned)

    (score,) = [command for command in commands if "mutmut-cicd-stats.json" in command]
    (project / "mutants").mkdir()
    (project / "mutants/mutmut-cicd-stats.json").write_text(json.dumps(MUTMUT_STATS))
    score = score.replace("uv run --frozen python", sys.executable, 1)  # make -n made no .venv
    printed = subprocess.run(score, shell=True, cwd=project, capture_output=True, text=True, check=True).stdout
    assert printed == "mutation score: 83/105 mutants killed, 22 survived, 0 timed out, 0 reached by no test\n"

    settings = tomllib.loads((project / "pyproject.toml").read_text())["tool"]
    assert settings["mutmut"]["source_paths"] == ["src/"]
    assert settings["mutmut"]["process_isolation"] == "forkserver"  # no test session's state leaks to the next
    assert all((project / path).exists() for path in settings["mutmut"]["also_copy"])
    selection = settings["mutmut"]["pytest_add_cli_args_test_selection"]
    assert "--ignore=tests/test_end_to_end.py" in selection
    assert (project / "tests/test_end_to_end.py").exists()
    assert selection[selection.index("-m") + 1] == "not slow and not operations"
    assert "mutants" in settings["ruff"]["extend-exclude"]
    assert "mutants/" in (project / ".gitignore").read_text().splitlines()


def make_commands(project: Path, *args: str) -> list[str]:
    """What `make -n` would run, a line each, with uv named `uv` (nothing is run)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "VIRTUAL_ENV"))}
    result = subprocess.run(
        ["make", "-n", *args, "UV=uv"], cwd=project, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return [line.strip() for line in result.stdout.splitlines()]


def help_lines(project: Path) -> dict[str, str]:
    """`make help`: each target listed, with its line."""
    result = subprocess.run(["make", "help"], cwd=project, capture_output=True, text=True, check=True)
    return {match[1]: match[2] for match in re.finditer(r"^  make (\S+) +(.*)$", result.stdout, re.MULTILINE)}


def in_order(commands: list[str], steps: list[str]) -> bool:
    """Every step is one of the commands, in this order."""
    return all(step in commands for step in steps) and [commands.index(s) for s in steps] == sorted(
        commands.index(s) for s in steps
    )


@pytest.fixture(scope="module")
def cdk_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bake(tmp_path_factory.mktemp("cdk"), iac="cdk", project_name="Cdk Orders", aws_region="us-east-2")


@pytest.fixture(scope="module")
def sam_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bake(tmp_path_factory.mktemp("sam"), aws_region="us-east-2")


# What `make synth` runs first: .venv from uv.lock and src/requirements.txt, which the bundling installs.
INSTALL = ["uv sync", "uv export --frozen --no-dev --no-emit-project -o src/requirements.txt --quiet"]
SYNTH = "uv run --frozen python -m infra.app"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_cdk_makefile_lists_its_targets_and_the_sam_one_does_not(cdk_project: Path, sam_project: Path) -> None:
    cdk, sam = help_lines(cdk_project), help_lines(sam_project)
    assert {"synth", "validate", "bootstrap", "diff", "deploy", "invoke", "local", "clean"} <= set(cdk)
    assert "node" in cdk["synth"].lower()
    assert {"synth", "bootstrap", "diff"}.isdisjoint(sam)
    for project in (cdk_project, sam_project):
        phony = re.search(r"^\.PHONY:(.*)$", (project / "Makefile").read_text(), re.MULTILINE)
        assert phony is not None
        assert set(help_lines(project)) - {"help"} <= set(phony.group(1).split()), project.name


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_synth_runs_the_app_after_install(cdk_project: Path) -> None:
    assert make_commands(cdk_project, "synth") == [*INSTALL, SYNTH]
    app = (cdk_project / "infra/app.py").read_text()
    assert 'PROJECT / "cdk.out"' in app  # where make synth writes, and what the other targets read


def stack_template(project: Path) -> str:
    """cdk.out/<stack>.template.json, the stack named as infra/app.py names it."""
    stack = re.search(r'^STACK_NAME = "([^"]+)"$', (project / "infra/app.py").read_text(), re.MULTILINE)
    assert stack is not None
    return f"cdk.out/{stack[1]}.template.json"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_validate_on_a_cdk_project_synthesizes_then_lints_the_synthesized_template(cdk_project: Path) -> None:
    """cdk-nag runs in the synth; cfn-lint and checkov (offline: no download of its mapping or
    of policies) read the template it wrote; the IaC environment holds cfn-lint alone."""
    commands = make_commands(cdk_project, "validate")
    template = stack_template(cdk_project)
    assert template == "cdk.out/cdk-orders.template.json"
    lint = f".venv-iac/bin/cfn-lint {template}"
    checkov = (
        "BC_SKIP_MAPPING=TRUE .venv-checkov/bin/checkov --quiet --compact --framework cloudformation"
        f" --skip-download -f {template}"
    )
    assert in_order(commands, [*INSTALL, SYNTH, lint, checkov])
    assert commands[-2:] == [lint, checkov]
    assert not [command for command in commands if re.search(r"\bsam\b|template\.yaml|npx", command)]
    assert "uv pip install --quiet --python .venv-iac -r local/requirements-iac.txt" in commands
    pins = [
        line for line in (cdk_project / "local/requirements-iac.txt").read_text().splitlines() if line[:1].isalnum()
    ]
    assert pins == ["cfn-lint==1.58.0"]
    checkov_pins = (cdk_project / "local/requirements-checkov.txt").read_text()
    assert re.search(r"^checkov==\d+\.\d+\.\d+$", checkov_pins, re.MULTILINE)


def cdk_cli(project: Path) -> str:
    version = re.search(r"^CDK_VERSION := (2\.1\d{3}\.\d+)$", (project / "Makefile").read_text(), re.MULTILINE)
    assert version is not None, "the CDK CLI is pinned to a release (2.1xxx.y, the CLI's own numbering)"
    return f"npx --yes aws-cdk@{version[1]}"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_deploy_diff_and_bootstrap_use_the_pinned_cdk_cli_on_the_synthesized_assembly(cdk_project: Path) -> None:
    """Each synthesizes first and hands the CLI cdk.out/ (the CLI never runs the app itself), in
    the answered region; deploy keeps the CLI's approval of IAM changes (no --require-approval)."""
    cli = f"AWS_REGION=us-east-2 {cdk_cli(cdk_project)}"
    for target, command in [
        ("deploy", f"{cli} deploy --app cdk.out"),
        ("diff", f"{cli} diff --app cdk.out"),
        ("bootstrap", f"{cli} bootstrap --app cdk.out"),
    ]:
        commands = make_commands(cdk_project, target)
        assert in_order(commands, [*INSTALL, SYNTH]), target
        assert commands[-1] == command, target
        assert "--require-approval" not in commands[-1], target

    given = make_commands(cdk_project, "deploy", "REGION=ap-south-1", "ARGS=--parameters AlarmActionArn=arn:x")
    assert (
        given[-1]
        == f"AWS_REGION=ap-south-1 {cdk_cli(cdk_project)} deploy --app cdk.out --parameters AlarmActionArn=arn:x"
    )
    (clean,) = make_commands(cdk_project, "clean")
    assert "cdk.out" in clean.split()
    assert ".aws-sam" not in clean.split()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_readme_names_the_cdk_cli_the_makefile_pins(cdk_project: Path) -> None:
    readme = (cdk_project / "README.md").read_text()
    named = set(re.findall(r"npx (?:--yes )?aws-cdk@([\w.]+)", readme))
    assert named == {cdk_cli(cdk_project).rsplit("@", 1)[1]}
    for target in ("make synth", "make validate", "make bootstrap", "make diff", "make deploy"):
        assert f"`{target}`" in readme, target
    assert "template.yaml" not in readme
    assert "sam deploy" not in readme


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_sam_makefile_validates_and_deploys_with_the_sam_cli(sam_project: Path) -> None:
    """As before the CDK variant: sam validate --lint, cfn-lint on the expanded template, checkov
    on template.yaml; sam build then sam deploy --guided."""
    sam = f'PATH="{sam_project / ".venv-iac"}/bin:$PATH" SAM_CLI_TELEMETRY=0 .venv-iac/bin/sam'
    assert make_commands(sam_project, "validate")[-4:] == [
        f"AWS_DEFAULT_REGION=us-east-2 {sam} validate --lint",
        ".venv-iac/bin/python local/sam_translate.py template.yaml .aws-sam/translated.json",
        ".venv-iac/bin/cfn-lint .aws-sam/translated.json",
        "BC_SKIP_MAPPING=TRUE .venv-checkov/bin/checkov --quiet --compact --framework cloudformation -f template.yaml",
    ]
    assert make_commands(sam_project, "deploy")[-2:] == [f"{sam} build", f"{sam} deploy --guided"]
    assert "uv venv --quiet --allow-existing --seed .venv-iac" in make_commands(sam_project, "validate")
    pins = (sam_project / "local/requirements-iac.txt").read_text()
    assert re.search(r"^aws-sam-cli==", pins, re.MULTILINE)
    assert re.search(r"^cfn-lint==", pins, re.MULTILINE)
    (clean,) = make_commands(sam_project, "clean")
    assert ".aws-sam" in clean.split()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (the CDK runs on it)")
def test_make_validate_passes_on_a_cdk_project(tmp_path: Path) -> None:
    """For real, as CI's validate job runs it: the app synthesized with its code bundled by uv
    (no Docker), cdk-nag satisfied, cfn-lint and checkov clean on the template it wrote."""
    project = bake(tmp_path, iac="cdk", lock=True)
    with uv_on_path(visible=True):
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AWS_", "VIRTUAL_ENV", "PYENV_VERSION")) and key != "UV"
        }
    environment.update(AWS_DEFAULT_REGION="eu-west-1", AWS_ACCESS_KEY_ID="offline", AWS_SECRET_ACCESS_KEY="offline")
    # jsii's banner on a node past its end of life (20 here), which CI's node 24 never prints.
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout
    environment["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = node.strip().lstrip("v").split(".")[0]

    result = subprocess.run(["make", "validate"], cwd=project, env=environment, capture_output=True, text=True)

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-4000:]
    template = json.loads((project / stack_template(project)).read_text())
    assert "ProcessorFunction" in template["Resources"]
    assert "Failed checks: 0" in result.stdout
    assets = [path for path in (project / "cdk.out").glob("asset.*") if path.is_dir()]
    assert len(assets) == 1
    assert (assets[0] / "order_events" / "handler.py").exists()
    assert (assets[0] / "aws_lambda_powertools").is_dir()
