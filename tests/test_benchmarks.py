"""The benchmark script works (smoke mode only: a test never asserts that anything is fast)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .matrix import REPO


def test_the_benchmark_script_runs_in_quick_mode(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"

    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--quick", "--output", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = output.read_text()
    for section in ("### Cold import", "### Per-record cost", "### Poller drain", "### Deployment size"):
        assert section in report
    for row in ("| floor |", "| docs_tracing |", "| jsonschema+tracing |", "| raw_batched |", "| naive |"):
        assert row in report
