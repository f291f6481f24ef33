"""A generated project can take later template changes: cruft create, then cruft check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .matrix import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="cruft needs git")


def git(*arguments: str, cwd: Path) -> str:
    command = ["git", "-c", "user.name=Template Test", "-c", "user.email=test@example.com", *arguments]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=cwd, capture_output=True, text=True, check=False)


def assert_out_of_date(check: subprocess.CompletedProcess[str]) -> None:
    """cruft check failed because the project is behind the template, not for another reason."""
    assert check.returncode != 0
    assert "Project's cruft is out of date" in check.stdout + check.stderr, check.stdout + check.stderr


@pytest.fixture
def template_clone(tmp_path: Path) -> Path:
    """A local clone of the template at its current commit, which a test may move on."""
    clone = tmp_path / "template"
    git("clone", "--quiet", str(REPO), str(clone), cwd=tmp_path)
    return clone


def move_template_on(clone: Path) -> str:
    """A later change to the template; its new commit."""
    readme = clone / "README.md"
    readme.write_text(readme.read_text() + "\nA later change.\n")
    git("commit", "--quiet", "-am", "A later change", cwd=clone)
    return git("rev-parse", "HEAD", cwd=clone)


def test_cruft_create_then_check(template_clone: Path, tmp_path: Path) -> None:
    created = run(
        "cruft", "create", "--no-input", "--output-dir", str(tmp_path / "out"), str(template_clone), cwd=tmp_path
    )
    assert created.returncode == 0, created.stderr
    project = tmp_path / "out" / "order-events"

    record = json.loads((project / ".cruft.json").read_text())
    assert record["commit"] == git("rev-parse", "HEAD", cwd=template_clone)
    assert record["context"]["cookiecutter"]["package_name"] == "order_events"
    assert run("cruft", "check", cwd=project).returncode == 0

    move_template_on(template_clone)
    assert_out_of_date(run("cruft", "check", cwd=project))


def test_a_plain_cookiecutter_bake_records_what_cruft_needs(template_clone: Path, tmp_path: Path) -> None:
    """Without cruft, the post-generation hook writes .cruft.json itself."""
    baked = run("cookiecutter", "--no-input", "--output-dir", str(tmp_path / "out"), str(template_clone), cwd=tmp_path)
    assert baked.returncode == 0, baked.stderr
    project = tmp_path / "out" / "order-events"

    record = json.loads((project / ".cruft.json").read_text())
    assert record["template"] == str(template_clone)
    assert record["commit"] == git("rev-parse", "HEAD", cwd=template_clone)
    assert "_output_dir" not in record["context"]["cookiecutter"]
    assert run("cruft", "check", cwd=project).returncode == 0

    move_template_on(template_clone)
    assert_out_of_date(run("cruft", "check", cwd=project))
