"""The promise of the README: a default bake's `make test` passes, with nothing set up first."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .baking import bake


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_default_project_make_test_passes(tmp_path: Path) -> None:
    project = bake(tmp_path)
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "VIRTUAL_ENV"))}

    result = subprocess.run(["make", "test"], cwd=project, env=environment, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert (project / ".venv" / "bin" / "python3.13").exists()
    assert re.search(r"\d+ passed", result.stdout)
