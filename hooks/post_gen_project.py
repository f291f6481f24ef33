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

# option -> value -> files that exist only for that value. Each file name carries the value
# as a marker ("handler.decorator.py"): the chosen value's files lose the marker
# ("handler.py"), every other value's files are removed.
VARIANT_FILES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "batch_style": {
        "decorator": (
            "src/{package_name}/handler.decorator.py",
            "src/{package_name}/partial_response.decorator.py",
        ),
        "context_manager": ("src/{package_name}/handler.context_manager.py",),
    },
    "validation": {
        "pydantic": ("src/{package_name}/schema.pydantic.py",),
        "jsonschema": (
            "src/{package_name}/schema.jsonschema.py",
            "src/{package_name}/order.schema.jsonschema.json",
        ),
    },
}


class VariantFileMissing(Exception):
    """A path listed in VARIANT_FILES is not in the rendered project: the table is stale."""


def unmarked(path: Path, value: str) -> Path:
    """The path a chosen variant file takes: its name without the ".<value>" marker."""
    marker = f".{value}."
    if marker not in path.name:
        raise VariantFileMissing(f"{path} does not carry the marker {marker!r}")
    return path.with_name(path.name.replace(marker, ".", 1))


def select_variant_files(project: Path, answers: Mapping[str, Any]) -> None:
    """Rename the chosen variants' files into place and delete the rest."""
    for option, files_by_value in VARIANT_FILES.items():
        chosen = answers[option]
        for value, templates in files_by_value.items():
            for template in templates:
                path = project / template.format(**answers)
                if not path.is_file():
                    raise VariantFileMissing(f"{path.relative_to(project)} is listed but missing")
                if value == chosen:
                    path.rename(unmarked(path, value))
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
