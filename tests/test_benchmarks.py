"""The benchmark script works (smoke mode only: a test never asserts that anything is fast)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from benchmarks.bench import RESULTS_END, RESULTS_START, with_results

from .matrix import REPO


def test_the_benchmark_script_runs_in_quick_mode_and_rewrites_only_its_results(tmp_path: Path) -> None:
    """A run on a copy of docs/benchmarks.md replaces what stands between the results markers with
    the rows of every measurement, and keeps the rest of the document byte for byte."""
    output = tmp_path / "benchmarks.md"
    document = (REPO / "docs" / "benchmarks.md").read_text()
    output.write_text(document)

    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--quick", "--output", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    before, old_results, after = parts(document)
    new_before, report, new_after = parts(output.read_text())
    assert (new_before, new_after) == (before, after)
    assert report != old_results
    assert "with `python3 -m benchmarks.bench --quick`" in report  # this run's, not the committed one
    # Every measurement's row holds a figure of its own run: a number, not a heading the script
    # writes whatever happened.
    for row in (
        "floor",
        "docs_tracing",
        "jsonschema+tracing",
        "raw_batched",
        "naive",
        "async, limit 10",
        "async FIFO, limit 10",
        "unbounded AsyncBatchProcessor",
    ):
        assert re.search(rf"^\|(?:[^|\n]*\|)*? {re.escape(row)} \|[^|\n]*\d", report, re.MULTILINE), row
    assert (tmp_path / "concurrency.png").read_bytes().startswith(b"\x89PNG")  # the chart, beside the report


def parts(document: str) -> tuple[str, str, str]:
    """What stands before the results markers, between them, and after them."""
    before, start, rest = document.partition(RESULTS_START)
    results, end, after = rest.partition(RESULTS_END)
    assert start, "no start marker"
    assert end, "no end marker"
    return before, results, after


def test_a_report_without_markers_gets_them() -> None:
    assert with_results("# Notes\n", "rows\n") == f"# Notes\n{RESULTS_START}rows\n{RESULTS_END}"
