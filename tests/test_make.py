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
    assert selection[selection.index("-m") + 1] == "not slow"
    assert "mutants" in settings["ruff"]["extend-exclude"]
    assert "mutants/" in (project / ".gitignore").read_text().splitlines()
