"""The answers the template tests bake: every combination of the template's choices."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON: dict[str, Any] = json.loads((REPO / "cookiecutter.json").read_text())

# Every option whose answer is a choice; booleans are a choice between false and true.
CHOICE_OPTIONS: dict[str, list[Any]] = {
    name: value if isinstance(value, list) else [value, not value]
    for name, value in COOKIECUTTER_JSON.items()
    if not name.startswith("_") and isinstance(value, (list, bool))
}

# Short labels for test ids: "decorator-pydantic-py3.13-arm64-tracing".
LABELS = {
    "python_runtime": lambda value: f"py{value}",
    "tracing": lambda value: "tracing" if value else "no-tracing",
}


def combination_id(answers: dict[str, Any]) -> str:
    return "-".join(LABELS.get(option, str)(value) for option, value in answers.items()).replace("_", "-")


def all_combinations() -> list[dict[str, Any]]:
    names = list(CHOICE_OPTIONS)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*CHOICE_OPTIONS.values())]


def as_params(combinations: list[dict[str, Any]]) -> list[Any]:
    return [pytest.param(answers, id=combination_id(answers)) for answers in combinations]
