"""Keep the files of the variants the user chose and remove the others, lock the dependencies
when uv can, and say what to do next.

Standard library only: this runs under the user's cookiecutter interpreter.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Cookiecutter renders this file; the answers arrive as JSON data, never as code.
ANSWERS_JSON = r"""
{{ cookiecutter | tojson }}
"""

# Which variant files this project keeps, by the marker in their names (template_facts.markers):
# "handler.decorator.py" is kept as "handler.py" when "decorator" is true, removed when false.
MARKERS_JSON = r"""
{{ facts.markers | tojson }}
"""


def marker_of(name: str, markers: Mapping[str, bool]) -> str | None:
    """The marker of a file name ("handler.decorator.py" -> "decorator"), or None."""
    parts = name.rsplit(".", 2)
    if len(parts) == 3 and parts[0] and parts[1] in markers:
        return parts[1]
    return None


def select_variant_files(project: Path, markers: Mapping[str, bool]) -> None:
    """Rename the chosen variants' files into place and delete the rest, and the folders they
    leave empty."""
    for path in sorted(project.rglob("*")):
        marker = marker_of(path.name, markers)
        if marker is None or not path.is_file():
            continue
        if markers[marker]:
            stem, _marker, extension = path.name.rsplit(".", 2)
            path.rename(path.with_name(f"{stem}.{extension}"))
        else:
            path.unlink()
    # A folder whose every file was another variant's (infra/ of a SAM project) goes with them.
    for folder in sorted((path for path in project.rglob("*") if path.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def template_commit(repo_dir: Path) -> str | None:
    """The commit the template was rendered from, when it is a git checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(repo_dir), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
        )
    except OSError:  # no git on this machine
        return None
    if result.returncode != 0:  # not a git checkout
        return None
    return result.stdout.strip()


def template_directory(answers: Mapping[str, Any]) -> Path:
    """The template's folder. Cookiecutter runs its hooks from there, which the parent process
    shows where the system tells (Linux); elsewhere, its _repo_dir."""
    try:
        return Path(f"/proc/{os.getppid()}/cwd").resolve(strict=True)
    except OSError:
        return Path(str(answers.get("_repo_dir", "."))).resolve()


def record_template_origin(project: Path, answers: Mapping[str, Any]) -> None:
    """Write .cruft.json (answers and template commit) so `cruft update` can bring later template
    changes; `cruft create` writes its own after this hook, and it wins."""
    cruft_file = project / ".cruft.json"
    if cruft_file.exists():
        return
    template = str(answers.get("_template", ""))
    repo_dir = template_directory(answers)
    is_remote = "://" in template or template.startswith(("gh:", "gl:", "bb:", "git@"))
    commit = template_commit(repo_dir)
    context = {key: value for key, value in answers.items() if key not in PRIVATE_CONTEXT}
    context.update(_template=template if is_remote else str(repo_dir), _commit=commit)
    record = {
        "template": context["_template"],
        "commit": commit,
        "checkout": answers.get("_checkout"),
        "context": {"cookiecutter": context},
        "directory": None,
    }
    cruft_file.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


# Cookiecutter's own bookkeeping, which means nothing on another machine.
PRIVATE_CONTEXT = frozenset({"_output_dir", "_repo_dir", "_checkout"})


# What the hook runs to lock, in the project: as `make lock` does. A lock that has not finished in
# this time is given up, and the first `make install` makes it instead.
LOCK_COMMANDS = (
    ("lock",),
    ("export", "--frozen", "--no-dev", "--no-emit-project", "-o", "src/requirements.txt", "--quiet"),
)
LOCK_TIMEOUT_SECONDS = 300


def runs(command: str, folder: Path) -> bool:
    """Whether `command --version` succeeds in this folder."""
    try:
        return subprocess.run([command, "--version"], cwd=folder, capture_output=True, check=False).returncode == 0
    except OSError:
        return False


def lock_dependencies(project: Path) -> str | None:
    """Make uv.lock and export src/requirements.txt from it, as `make lock` does; or, when uv or
    a package index is not at hand, say why not and leave the project as rendered."""
    uv = shutil.which("uv")
    if uv is None:
        return "uv is not on PATH"
    if not runs(uv, project):
        return "the uv on PATH does not run here: a pyenv shim of another Python version?"
    # Not another project's virtualenv, nor pyenv's version of the caller's shell: uv (and pyenv's
    # shims, if any) find the Python that the project's .python-version names.
    environment = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYENV_VERSION")}
    for command in LOCK_COMMANDS:
        try:
            result = subprocess.run(
                [uv, *command],
                cwd=project,
                env=environment,
                capture_output=True,
                text=True,
                timeout=LOCK_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            result = subprocess.CompletedProcess(command, 1, "", str(error))
        if result.returncode != 0:
            (project / "uv.lock").unlink(missing_ok=True)
            reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
            return f"`uv {command[0]}` failed: {reason.removeprefix('error: ')}"
    return None


def next_steps(answers: Mapping[str, Any], not_locked: str | None) -> str:
    """A few lines on what was made and the commands a newcomer runs next."""
    variant = ", ".join(
        [
            f"{answers['event_source']} source",
            str(answers["invocation"]).replace("_", " "),
            f"{str(answers['batch_style']).replace('_', ' ')} style",
            f"{answers.get('concurrency', 'sequential')} records",
            f"{answers['validation']} validation",
            "AWS CDK" if answers.get("iac") == "cdk" else "AWS SAM",
            f"Python {answers['python_runtime']}",
        ]
    )
    if not_locked is None:
        lock = "Dependencies locked in uv.lock (commit it); src/requirements.txt exported from it."
    else:
        lock = f"No uv.lock yet ({not_locked}): the first `make install` makes it; commit it."
    lines = [f"Generated {answers['project_slug']}/: {variant}.", lock]
    if not_locked is not None and not not_locked.startswith("`uv "):  # uv is missing, not the index
        lines.append(
            "To install uv: `python3 -m pip install --user uv` (or `pipx install uv`);"
            " without it, make installs it into .venv-uv."
        )
    lines += [
        "Next:",
        f"  cd {answers['project_slug']}",
        "  make install   # .venv from uv.lock, with the dev tools",
        "  make test      # the tests, with coverage",
        "  make local     # the whole path on this machine: no Docker, no AWS",
    ]
    if answers.get("iac") == "cdk":
        lines.append("  make synth     # the stack in CloudFormation, checked by cdk-nag (needs Node.js)")
    return "\n".join(lines)


def main() -> int:
    answers = json.loads(ANSWERS_JSON)
    select_variant_files(Path.cwd(), json.loads(MARKERS_JSON))
    record_template_origin(Path.cwd(), answers)
    print(next_steps(answers, lock_dependencies(Path.cwd())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
