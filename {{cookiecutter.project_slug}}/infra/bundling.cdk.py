"""The function's code asset, bundled on this machine: src/ and the locked runtime dependencies
(src/requirements.txt, exported from uv.lock) installed for Lambda's platform, as wheels only.

CDK bundles Python in a Docker container by default; this installs the same wheels with uv for
the function's architecture and Python version, so `make synth` needs no Docker. Docker is used
only when asked (`cdk synth -c bundling=docker`), in Lambda's own build image.
"""

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

# The platform uv installs wheels for: Lambda's Linux on the function's architecture.
PYTHON_VERSION = "{{ cookiecutter.python_runtime }}"
PLATFORM = "{{ 'aarch64' if cookiecutter.architecture == 'arm64' else 'x86_64' }}-manylinux2014"
RUNTIME = lambda_.Runtime.PYTHON_{{ cookiecutter.python_runtime | replace('.', '_') }}
# What Docker bundling runs in the runtime's build image, when it is asked for.
DOCKER_COMMAND = [
    "bash",
    "-c",
    "pip install --no-cache-dir -r requirements.txt -t /asset-output && cp -au . /asset-output",
]


@jsii.implements(ILocalBundling)
class LocalBundling:
    """Installs the requirements with uv into the asset, then copies the code beside them."""

    def __init__(self, source: Path) -> None:
        self.source = source

    def try_bundle(self, output_dir: str, *, image: DockerImage, **_options: Any) -> bool:
        uv = os.environ.get("UV") or shutil.which("uv")  # `uv run` names itself in UV
        if uv is None:
            raise RuntimeError("uv is not on PATH: run `make synth`, which installs it")
        install = [uv, "pip", "install", "--quiet", "--no-compile", "--target", output_dir]
        install += ["--python-platform", PLATFORM, "--python-version", PYTHON_VERSION]
        install += ["--only-binary", ":all:", "-r", str(self.source / "requirements.txt")]
        subprocess.run(install, check=True)  # noqa: S603 (uv, with arguments of this module)
        ignored = shutil.ignore_patterns("__pycache__", "*.pyc", "requirements.txt")
        shutil.copytree(self.source, output_dir, dirs_exist_ok=True, ignore=ignored)
        return True


def function_code(source: Path, *, docker: bool = False) -> lambda_.Code:
    """The function's asset: bundled by uv here, or in Docker if asked. Its hash is the bundle's,
    so a new lock or new code makes a new asset and nothing else does."""
    return lambda_.Code.from_asset(
        str(source),
        asset_hash_type=AssetHashType.OUTPUT,
        bundling=BundlingOptions(
            image=RUNTIME.bundling_image,
            command=DOCKER_COMMAND,
            local=None if docker else LocalBundling(source),
        ),
    )
