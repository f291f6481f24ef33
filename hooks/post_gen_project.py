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

PACKAGE = "src/{package_name}"

SOURCES = ("sqs", "sqs_fifo", "sns_sqs", "kinesis", "dynamodb")
SAMPLE_EVENTS = ("all_good", "mixed", "all_failed")
# Sources whose record is an SQS message carrying the order in its body.
SQS_BODY_SOURCES = ("sqs", "sqs_fifo")
STREAMS = ("kinesis", "dynamodb")
# Sources whose function reads an SQS queue.
SQS_QUEUES = ("sqs", "sqs_fifo", "sns_sqs")

# Files that exist only for some answers: (the answers that keep them, their paths). An answer
# given as a tuple matches any of its values. Each name carries a marker before its extension
# ("handler.decorator.py"): a kept file loses it ("handler.py"), the files of every other row are
# removed.
Condition = Mapping[str, object]
VARIANT_FILES: tuple[tuple[Condition, tuple[str, ...]], ...] = (
    (
        {"invocation": "event_source_mapping", "batch_style": "decorator"},
        (f"{PACKAGE}/handler.decorator.py", f"{PACKAGE}/partial_response.decorator.py"),
    ),
    (
        {"invocation": "event_source_mapping", "batch_style": "context_manager"},
        (f"{PACKAGE}/handler.context_manager.py",),
    ),
    (
        {"invocation": "event_source_mapping"},
        ("tests/test_handler.event_source_mapping.py",),
    ),
    (
        {"invocation": "scheduled_poll"},
        (
            f"{PACKAGE}/handler.scheduled_poll.py",
            f"{PACKAGE}/poller.scheduled_poll.py",
            "events/schedule.scheduled_poll.json",
            "tests/test_poller.scheduled_poll.py",
        ),
    ),
    *(
        ({"event_source": source}, tuple(f"events/{kind}.{source}.json" for kind in SAMPLE_EVENTS))
        for source in SOURCES
    ),
    ({"event_source": SQS_BODY_SOURCES}, (f"{PACKAGE}/records.sqs.py", "tests/test_records.sqs.py")),
    *(
        ({"event_source": source}, (f"{PACKAGE}/records.{source}.py", f"tests/test_records.{source}.py"))
        for source in ("sns_sqs", *STREAMS)
    ),
    *(({"event_source": source}, (f"tests/test_stream.{source}.py",)) for source in STREAMS),
    ({"event_source": STREAMS}, ("tests/shard_poller.stream.py",)),
    ({"event_source": STREAMS, "on_first_failure": "stop"}, (f"{PACKAGE}/ordered_processor.stop.py",)),
    # The local end to end (`make local`): how the source reaches the function.
    ({"invocation": "event_source_mapping", "event_source": SQS_QUEUES}, ("local/mapping.sqs.py",)),
    ({"invocation": "scheduled_poll"}, ("local/mapping.scheduled_poll.py",)),
    *(({"event_source": source}, (f"local/mapping.{source}.py",)) for source in STREAMS),
    ({"event_source": STREAMS}, ("local/shards.stream.py",)),
    ({"idempotency": True}, (f"{PACKAGE}/idempotency.enabled.py", "tests/test_idempotency.enabled.py")),
    ({"validation": "pydantic"}, (f"{PACKAGE}/schema.pydantic.py",)),
    (
        {"validation": "jsonschema"},
        (f"{PACKAGE}/schema.jsonschema.py", f"{PACKAGE}/order.schema.jsonschema.json"),
    ),
)


class VariantFileMissing(Exception):
    """A path listed in VARIANT_FILES is not in the rendered project: the table is stale."""


def unmarked(path: Path) -> Path:
    """The name a kept variant file takes: without the marker before its extension."""
    parts = path.name.rsplit(".", 2)
    if len(parts) != 3:
        raise VariantFileMissing(f"{path.name} has no marker before its extension")
    stem, _marker, extension = parts
    return path.with_name(f"{stem}.{extension}")


def chosen(condition: Condition, answers: Mapping[str, Any]) -> bool:
    return all(
        answers[option] in value if isinstance(value, tuple) else answers[option] == value
        for option, value in condition.items()
    )


def select_variant_files(project: Path, answers: Mapping[str, Any]) -> None:
    """Rename the chosen variants' files into place and delete the rest."""
    for condition, templates in VARIANT_FILES:
        keep = chosen(condition, answers)
        for template in templates:
            path = project / template.format(**answers)
            if not path.is_file():
                raise VariantFileMissing(f"{path.relative_to(project)} is listed but missing")
            if keep:
                path.rename(unmarked(path))
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
    try:
        select_variant_files(Path.cwd(), json.loads(ANSWERS_JSON))
        record_template_origin(Path.cwd(), json.loads(ANSWERS_JSON))
    except VariantFileMissing as error:
        print(f"ERROR: post-generation hook: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
