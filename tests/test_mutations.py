"""The generated tests catch the bugs that matter: each bug of the table is planted in a fresh bake
of the combination it concerns, and the project's own tests that concern it must then fail.

A plant names the exact text it replaces: when the template changes that code, the plant fails
loudly (its text is gone) rather than passing for the wrong reason.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .baking import bake

PACKAGE = "src/order_events"


@dataclass(frozen=True)
class Plant:
    """A bug: in `path` of a project baked with `answers`, `find` becomes `replace`."""

    name: str
    answers: dict[str, Any]
    path: str
    find: str
    replace: str
    # The project's tests that concern it (all of them must not pass).
    tests: tuple[str, ...]


PLANTS = [
    Plant(
        "the-record-handler-swallows-exceptions",
        {},
        f"{PACKAGE}/record_handler.py",
        "    return fulfil_order(order_from_record(record))\n",
        "    try:\n        return fulfil_order(order_from_record(record))\n"
        "    except Exception:\n        return 'swallowed'\n",
        ("tests/test_odd_inputs.py", "tests/test_handler.py"),
    ),
    Plant(
        "the-failure-hook-reports-nothing",
        {"batch_style": "context_manager"},
        f"{PACKAGE}/processor.py",
        "        return super().failure_handler(record, exception)\n",
        "        return ('fail', str(error), record)  # type: ignore[return-value]\n",
        ("tests/test_handler.py", "tests/test_processor.py"),
    ),
    Plant(
        "the-poller-deletes-failed-messages",
        {"invocation": "scheduled_poll", "batch_style": "context_manager"},
        f"{PACKAGE}/handler.py",
        "delete_messages(sqs, settings, succeeded)",
        "delete_messages(sqs, settings, succeeded + failed)",
        ("tests/test_poller.py",),
    ),
    Plant(
        "the-poller-skips-the-delete-retry",
        {"invocation": "scheduled_poll", "batch_style": "context_manager"},
        f"{PACKAGE}/poller.py",
        "for attempt in (1, 2):",
        "for attempt in (1,):",
        ("tests/test_poller.py",),
    ),
    Plant(
        "the-poller-backs-off-flat",
        {"invocation": "scheduled_poll", "batch_style": "context_manager"},
        f"{PACKAGE}/poller.py",
        " * 2 ** (receive_count - 1)",
        "",
        ("tests/test_poller.py",),
    ),
    Plant(
        "the-stream-circuit-breaker-is-removed",
        {"event_source": "kinesis", "on_first_failure": "stop"},
        f"{PACKAGE}/ordered_processor.py",
        "        if self.fail_messages:\n",
        "        if False:\n",
        ("tests/test_handler.py", "tests/test_processor.py", "tests/test_stream.py"),
    ),
    Plant(
        "the-kafka-partition-circuit-breaker-is-removed",
        {"event_source": "msk", "on_first_failure": "stop"},
        f"{PACKAGE}/ordered_processor.py",
        "        if partition in self.failed_partitions:\n",
        "        if False:\n",
        ("tests/test_handler.py", "tests/test_processor.py", "tests/test_odd_inputs.py"),
    ),
    Plant(
        "the-kafka-partition-circuit-breaker-stops-every-partition",
        {"event_source": "msk", "on_first_failure": "stop"},
        f"{PACKAGE}/ordered_processor.py",
        "        if partition in self.failed_partitions:\n",
        "        if self.failed_partitions:\n",
        ("tests/test_processor.py", "tests/test_odd_inputs.py"),
    ),
    Plant(
        "fifo-group-skipping-is-removed",
        {"event_source": "sqs_fifo", "on_first_failure": "continue"},
        f"{PACKAGE}/processor.py",
        "ObservedBatchProcessor(skip_group_on_error=True)",
        "ObservedBatchProcessor(skip_group_on_error=False)",
        ("tests/test_handler.py", "tests/test_processor.py"),
    ),
    Plant(
        "the-concurrent-processor-ignores-its-limit",
        {"concurrency": "async"},
        f"{PACKAGE}/concurrent_processor.py",
        "range(min(self.limit, len(self.records)))",
        "range(len(self.records))",
        ("tests/test_processor.py",),
    ),
    Plant(
        "the-concurrent-processor-runs-a-group-s-records-together",
        {"concurrency": "async", "event_source": "sqs_fifo", "on_first_failure": "continue"},
        f"{PACKAGE}/concurrent_processor.py",
        "        if self.group_of is None:\n",
        "        if True:\n",
        ("tests/test_processor.py",),
    ),
    Plant(
        "idempotency-is-bypassed",
        {"idempotency": True},
        f"{PACKAGE}/idempotency.py",
        "    return _fulfil_once()(order=order)\n",
        "    return _fulfil(order)\n",
        ("tests/test_idempotency.py",),
    ),
]


def run_tests(project: Path, env: Path, tests: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(env / "bin" / "python"),
            "-m",
            "pytest",
            "-q",
            "-x",
            "-m",
            "not slow",
            "-p",
            "no:cacheprovider",
            "--no-cov",
            *tests,
        ],
        cwd=project,
        env={key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "VIRTUAL_ENV"))},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("plant", PLANTS, ids=[plant.name for plant in PLANTS])
def test_the_project_tests_catch_the_planted_bug(
    plant: Plant, tmp_path: Path, environment_for: Callable[[str], Path]
) -> None:
    project = bake(tmp_path, lock=True, **plant.answers)
    env = environment_for("3.13")
    target = project / plant.path
    code = target.read_text()
    assert code.count(plant.find) == 1, f"{plant.name}: the text to replace is not in {plant.path} once"
    control = run_tests(project, env, plant.tests)
    assert control.returncode == 0, f"{plant.name}: the tests fail without the bug:\n{control.stdout[-3000:]}"

    target.write_text(code.replace(plant.find, plant.replace))
    planted = run_tests(project, env, plant.tests)

    # Exit 1: tests ran and some failed (not 2, 4 or 5: an error, a usage error, no test).
    assert planted.returncode == 1, f"planted bug {plant.name!r} survived: {planted.stdout.splitlines()[-1:]}"
