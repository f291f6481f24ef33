"""Bake the template, find the Python of a runtime, and run a command inside a baked project."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from cookiecutter import generate as cookiecutter_generate
from cookiecutter import hooks as cookiecutter_hooks
from cookiecutter import utils as cookiecutter_utils
from cookiecutter.environment import StrictEnvironment
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from .matrix import REPO

CACHE = REPO / ".cache"


def envs_folder() -> Path:
    """Where the environments live, as a real path: their scripts name their Python by it, so a
    worktree that links .cache/envs to another checkout's must not write its own path into them."""
    return (CACHE / "envs").resolve()


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
    """Keeps what it compiles across bakes: the files, through the bytecode cache, and the strings
    cookiecutter renders with from_string (every path of the project, the hooks), by their text."""

    compiled_strings: ClassVar[dict[tuple[Any, ...], Any]] = {}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(bytecode_cache=COMPILED_TEMPLATES, **kwargs)

    def compile(
        self, source: Any, name: Any = None, filename: Any = None, raw: bool = False, defer_init: bool = False
    ) -> Any:  # type: ignore[override]
        if raw or name is not None or not isinstance(source, str):  # a file: the bytecode cache has it
            return super().compile(source, name, filename, raw, defer_init)
        key = (source, filename, defer_init)
        if key not in self.compiled_strings:
            self.compiled_strings[key] = super().compile(source, name, filename, raw, defer_init)
        return self.compiled_strings[key]


# Only what renders the files changes; the output is the same as cookiecutter's own.
cookiecutter_utils.StrictEnvironment = CachingEnvironment  # type: ignore[misc]
# Whether a file of the template is binary is read from its first bytes once, not once a bake.
cookiecutter_generate.is_binary = functools.cache(cookiecutter_generate.is_binary)


def bake(output_dir: Path, *, lock: bool = False, **answers: Any) -> Path:
    """Render the template with these answers (defaults for the rest); the project folder.

    With lock, uv is on PATH, so the post-generation hook makes uv.lock and exports
    src/requirements.txt from it, as a user's bake does where uv is installed; without it, uv is
    hidden and the project stays as rendered (as where uv is not installed), which costs no
    resolution against the package index, and the hooks run in this interpreter (see
    run_hook_in_process)."""
    with uv_on_path(lock), hooks_in_process(not lock):
        return Path(
            cookiecutter(
                str(REPO),
                no_input=True,
                extra_context=answers,
                output_dir=str(output_dir),
            )
        )


@contextlib.contextmanager
def hooks_in_process(wanted: bool) -> Iterator[None]:
    """cookiecutter's hooks run by run_hook_in_process, not in a new Python, while wanted."""
    if not wanted:
        yield
        return
    saved = cookiecutter_hooks.run_script
    cookiecutter_hooks.run_script = run_hook_in_process
    try:
        yield
    finally:
        cookiecutter_hooks.run_script = saved


def run_hook_in_process(script_path: str, cwd: Path | str = ".") -> None:
    """cookiecutter's run_script for a Python hook, in this interpreter: the rendered hook runs as
    __main__ in `cwd`, and a non-zero exit fails it as a failed process does. A new Python for
    each of the two hooks is half a render's time; the hooks are stdlib-only scripts, and the
    tests of bad answers still run them through the real cookiecutter command."""
    code = compile(Path(script_path).read_text(encoding="utf-8"), script_path, "exec")
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        exec(code, {"__name__": "__main__", "__file__": script_path})
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            raise FailedHookException(f"Hook script failed (exit status: {exit_.code})") from None
    finally:
        os.chdir(previous)


# The uv of the template's own environment (a dependency of its dev group), else the one on PATH.
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv") or "uv"


@contextlib.contextmanager
def uv_on_path(visible: bool) -> Iterator[None]:
    """PATH with uv's folder first; or with every folder that holds a uv replaced by a copy of it
    without uv (links to everything else: pyenv's shims, say, still find the runtime's Python)."""
    saved = os.environ["PATH"]
    folders = saved.split(os.pathsep)
    if visible:
        folders.insert(0, str(Path(UV).parent))
    else:
        folders = [str(without_uv(Path(folder))) if (Path(folder) / "uv").exists() else folder for folder in folders]
    os.environ["PATH"] = os.pathsep.join(folders)
    try:
        yield
    finally:
        os.environ["PATH"] = saved


def without_uv(folder: Path) -> Path:
    """A folder of links to every file of this one but uv, made once per process."""
    if folder not in MIRRORS:
        MIRRORS[folder] = Path(tempfile.mkdtemp(prefix="path-without-uv-"))
        for entry in folder.iterdir():
            if entry.name != "uv":
                (MIRRORS[folder] / entry.name).symlink_to(entry)
    return MIRRORS[folder]


MIRRORS: dict[Path, Path] = {}


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
    declared = tomllib.loads((project / "pyproject.toml").read_text())
    return [*declared["project"]["dependencies"], *declared["dependency-groups"]["dev"]]


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
    env = envs_folder() / f"py{version}-{key}"
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
    environment = project_environment(env)
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


def locked_environment(project: Path) -> Path:
    """The environment of a locked project, made by `uv sync --locked` as its CI makes it: one per
    set of locked packages, kept in .cache/ between runs, so bakes that lock the same share it."""
    lock = tomllib.loads((project / "uv.lock").read_text())
    packages = [package for package in lock["package"] if "virtual" not in package["source"]]
    key = hashlib.sha256(json.dumps([lock["requires-python"], packages], sort_keys=True).encode()).hexdigest()[:12]
    version = (project / ".python-version").read_text().strip()
    env = envs_folder() / f"uv-py{version}-{key}"
    env.parent.mkdir(parents=True, exist_ok=True)
    with open(env.parent / f"uv-py{version}-{key}.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if not (env / ".complete").exists():
            uv(project, env, "sync", "--locked")
            (env / ".complete").write_text(key)
    return env


def uv(project: Path, env: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """uv in a baked project, with env as the project's environment; fail with its output."""
    environment = {
        **project_environment(env),
        "UV_PROJECT_ENVIRONMENT": str(env),
        "UV_PYTHON_DOWNLOADS": "never",  # the runtime's Python is on this machine, or the test fails
    }
    result = subprocess.run([UV, *command], cwd=project, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, (
        f"uv {' '.join(command)} failed in {project.name} ({result.returncode}):\n"
        f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    )
    return result


def project_environment(env: Path) -> dict[str, str]:
    """The environment variables a baked project's tools run with."""
    return {
        # No AWS settings or credentials of the caller's: the projects' tests must not need them.
        **{
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AWS_", "VIRTUAL_ENV", "PYTHONPATH", "PYENV_VERSION"))
        },
        "PATH": f"{env / 'bin'}{os.pathsep}{os.environ['PATH']}",
        # A mypy cache per xdist worker, reused across bakes and environments (it checks each
        # module's file, and uv links the same files into every environment), never shared live.
        "MYPY_CACHE_DIR": str(CACHE / f"mypy-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"),
    }
