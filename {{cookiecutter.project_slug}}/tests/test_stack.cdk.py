"""The CDK app as `make synth` runs it: cdk-nag's AWS Solutions checks find nothing that is not
acknowledged with a reason, what holds data outlives the stack, and the function's asset is
bundled on this machine, without Docker, from wheels built for Lambda's platform."""

import json
import os
import shutil
from pathlib import Path

import pytest
from aws_cdk import DockerImage
from aws_cdk.assertions import Template

from infra.app import build
from infra.bundling import LocalBundling

PROJECT = Path(__file__).resolve().parent.parent
# What holds data (messages, records, keys, logs): a deleted stack must not take it along.
STATEFUL = (
    "AWS::SQS::Queue",
    "AWS::Kinesis::Stream",
    "AWS::DynamoDB::Table",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
)
# The tags of Lambda's {{ cookiecutter.architecture }} platform and Python, which every compiled
# wheel of the asset must carry.
PLATFORM_TAG = "{{ 'aarch64' if cookiecutter.architecture == 'arm64' else 'x86_64' }}"
PYTHON_TAG = "cp{{ cookiecutter.python_runtime | replace('.', '') }}"


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Template]:
    """The app synthesized as `make synth` does it, but without bundling."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    app, stack = build(bundle=False, outdir=str(outdir))
    app.synth()  # raises on any finding of the checks that no acknowledgment explains
    return outdir, Template.from_stack(stack)


def test_the_checks_find_nothing_unacknowledged(synthesized: tuple[Path, Template]) -> None:
    outdir, _template = synthesized
    report = outdir / "validation-report.json"
    if report.exists():  # written when a check has something to say
        plugins = json.loads(report.read_text(encoding="utf-8"))["pluginReports"]
        failed = [plugin["pluginName"] for plugin in plugins if plugin["conclusion"] != "success"]
        assert not failed, f"see {report}"


def test_what_holds_data_outlives_the_stack(synthesized: tuple[Path, Template]) -> None:
    _outdir, template = synthesized
    stateful = {
        name: resource
        for kind in STATEFUL
        for name, resource in template.find_resources(kind).items()
    }
    assert stateful
    for name, resource in stateful.items():
        assert resource.get("DeletionPolicy") == "Retain", name
        assert resource.get("UpdateReplacePolicy") == "Retain", name


def test_the_asset_is_bundled_here_from_wheels_for_lambda(tmp_path: Path) -> None:
    """What the function's asset holds: the package, and the locked runtime dependencies, each
    a wheel for any platform or for Lambda's (its architecture and Python)."""
    if not (os.environ.get("UV") or shutil.which("uv")):
        pytest.skip("uv is not on PATH: run the tests with `make test`")
    bundling = LocalBundling(PROJECT / "src")

    assert bundling.try_bundle(str(tmp_path), image=DockerImage.from_registry("unused"))

    assert (tmp_path / "{{ cookiecutter.package_name }}" / "handler.py").is_file()
    assert (tmp_path / "aws_lambda_powertools").is_dir()
    assert not (tmp_path / "requirements.txt").exists()
    assert not list(tmp_path.rglob("__pycache__"))
    tags = [
        line.removeprefix("Tag: ")
        for wheel in tmp_path.glob("*.dist-info/WHEEL")
        for line in wheel.read_text(encoding="utf-8").splitlines()
        if line.startswith("Tag: ")
    ]
    assert tags
    for tag in tags:
        pure = tag.endswith("-none-any")
        assert pure or (PLATFORM_TAG in tag and "linux" in tag), tag
        assert pure or tag.startswith(PYTHON_TAG) or "-abi3-" in tag, tag
