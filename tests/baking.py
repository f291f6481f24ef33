"""Bake the template, find the Python of a runtime, and run a command inside a baked project."""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

from cookiecutter import utils as cookiecutter_utils
from cookiecutter.environment import StrictEnvironment
from cookiecutter.main import cookiecutter
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from .matrix import REPO

CACHE = REPO / ".cache"


class CompiledTemplates(BytecodeCache):
    """Compiled Jinja templates, kept in memory across bakes: cookiecutter makes a new Jinja
    environment per bake, and compiling the same files again is most of a bake's time."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:  # Jinja checks the source's checksum: an edited file recompiles
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


class CachingEnvironment(StrictEnvironment):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(bytecode_cache=COMPILED_TEMPLATES, **kwargs)


# Only what renders the files changes; the output is the same as cookiecutter's own.
cookiecutter_utils.StrictEnvironment = CachingEnvironment  # type: ignore[misc]


def bake(output_dir: Path, **answers: Any) -> Path:
    """Render the template with these answers (defaults for the rest); the project folder."""
    return Path(
        cookiecutter(
            str(REPO),
            no_input=True,
            extra_context=answers,
            output_dir=str(output_dir),
        )
    )


def find_python(version: str) -> str:
    """An interpreter of this version: on PATH, else pyenv's."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"))
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", ""], capture_output=True, check=False)
        if probe.returncode == 0:
            return candidate
    raise RuntimeError(f"no Python {version} found (on PATH or under pyenv)")


def project_requirements(project: Path) -> list[str]:
    """What `make install` puts in a baked project's venv: its dependencies and dev tools."""
    declared = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    return [*declared["dependencies"], *declared["optional-dependencies"]["dev"]]


# Bakes whose requirements, together, cover every variant's dependencies and dev tools.
REQUIREMENT_SOURCES: list[dict[str, Any]] = [
    {"validation": "pydantic", "tracing": True},
    {"validation": "jsonschema", "tracing": True},
]


def environment_requirements(scratch: Path) -> list[str]:
    """What the shared environment holds: every variant's dependencies and dev tools."""
    return [
        requirement
        for index, answers in enumerate(REQUIREMENT_SOURCES)
        for requirement in project_requirements(bake(scratch / str(index), **answers))
    ]


def shared_environment(version: str, requirements: list[str]) -> Path:
    """One venv per Python version for every bake, kept in .cache/ between runs."""
    wanted = "\n".join(sorted(set(requirements)))
    key = hashlib.sha256(wanted.encode()).hexdigest()[:12]
    env = CACHE / "envs" / f"py{version}-{key}"
    env.parent.mkdir(parents=True, exist_ok=True)
    # pytest-xdist workers ask at the same time: one builds, the others wait for it.
    with open(env.parent / f"py{version}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (env / ".complete").exists():
            shutil.rmtree(env, ignore_errors=True)
            subprocess.run([find_python(version), "-m", "venv", str(env)], check=True)
            pip = [str(env / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            install = [*pip, "--disable-pip-version-check", *sorted(set(requirements))]
            result = subprocess.run(install, capture_output=True, text=True, check=False)
            assert result.returncode == 0, f"pip install failed:\n{result.stdout}\n{result.stderr}"
            (env / ".complete").write_text(wanted)
    return env


def run_in(project: Path, env: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run a tool of the shared environment inside a baked project; fail with its output."""
    environment = {
        # No AWS settings or credentials of the caller's: the projects' tests must not need them.
        **{
            key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "VIRTUAL_ENV", "PYTHONPATH"))
        },
        "PATH": f"{env / 'bin'}{os.pathsep}{os.environ['PATH']}",
        # A mypy cache per environment and xdist worker: reused across bakes, never shared live.
        "MYPY_CACHE_DIR": str(env / f"mypy-cache-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"),
    }
    result = subprocess.run(
        [str(env / "bin" / command[0]), *command[1:]],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        f"{' '.join(command)} failed in {project.name} ({result.returncode}):\n"
        f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    )
    return result
