"""Bad answers through the real cookiecutter command: one clear line, and nothing left behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .answers import BAD_ANSWERS
from .matrix import REPO


def run_cookiecutter(output_dir: Path, answers: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    settings = [f"{key}={value}" for key, value in answers.items()]
    return subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--no-input", "--output-dir", str(output_dir), str(REPO), *settings],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("changes", "message"), BAD_ANSWERS)
def test_the_hook_stops_a_bad_answer(changes: dict[str, Any], message: str, tmp_path: Path) -> None:
    result = run_cookiecutter(tmp_path, changes)

    assert result.returncode != 0
    hook_lines = [line for line in result.stderr.splitlines() if line.startswith("ERROR: ") and message in line]
    assert len(hook_lines) == 1, result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"batch_style": "generator"}, "choices are ['decorator', 'context_manager']", id="unknown-style"),
        pytest.param({"tracing": "maybe"}, "could not be converted to a boolean", id="tracing-not-a-boolean"),
        pytest.param({"iac": "terraform"}, "choices are ['sam', 'cdk']", id="unknown-iac"),
        pytest.param({"scheduler": "cron"}, "choices are ['eventbridge', 'step_functions']", id="unknown-scheduler"),
    ],
)
def test_cookiecutter_stops_an_unknown_choice(changes: dict[str, Any], message: str, tmp_path: Path) -> None:
    """Cookiecutter itself rejects these before the hook runs; its last line says why."""
    result = run_cookiecutter(tmp_path, changes)

    assert result.returncode != 0
    assert message in result.stderr.strip().splitlines()[-1]
    assert list(tmp_path.iterdir()) == []


def test_the_default_answers_bake(tmp_path: Path) -> None:
    result = run_cookiecutter(tmp_path, {})

    assert result.returncode == 0, result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["order-events"]
