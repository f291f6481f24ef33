"""Keep the files of the variants the user chose and remove the others.

Standard library only: this runs under the user's cookiecutter interpreter.
"""

from __future__ import annotations

import json
import os
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
    """Rename the chosen variants' files into place and delete the rest."""
    for path in sorted(project.rglob("*")):
        marker = marker_of(path.name, markers)
        if marker is None or not path.is_file():
            continue
        if markers[marker]:
            stem, _marker, extension = path.name.rsplit(".", 2)
            path.rename(path.with_name(f"{stem}.{extension}"))
        else:
            path.unlink()


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


def main() -> int:
    select_variant_files(Path.cwd(), json.loads(MARKERS_JSON))
    record_template_origin(Path.cwd(), json.loads(ANSWERS_JSON))
    return 0


if __name__ == "__main__":
    sys.exit(main())
