"""Keep the files of the variants the user chose and remove the others.

Standard library only: this runs under the user's cookiecutter interpreter.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Cookiecutter renders this file; the answers arrive as JSON data, never as code.
ANSWERS_JSON = r"""
{{ cookiecutter | tojson }}
"""

PACKAGE = "src/{package_name}"

# Files that exist only for some answers: (the answers that keep them, their paths). Each name
# carries a marker before its extension ("handler.decorator.py"): a kept file loses it
# ("handler.py"), the files of every other row are removed.
VARIANT_FILES: tuple[tuple[Mapping[str, str], tuple[str, ...]], ...] = (
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


def chosen(condition: Mapping[str, str], answers: Mapping[str, Any]) -> bool:
    return all(answers[option] == value for option, value in condition.items())


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


def main() -> int:
    try:
        select_variant_files(Path.cwd(), json.loads(ANSWERS_JSON))
    except VariantFileMissing as error:
        print(f"ERROR: post-generation hook: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
