"""The answers the template tests bake: every combination of the template's choices."""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path
from types import ModuleType
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


def load_hook(name: str) -> ModuleType:
    """Import a hook file as it is in the repo (its Jinja sits inside a string)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "hooks" / f"{name}.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PRE_GEN = load_hook("pre_gen_project")

# Short labels for test ids: "decorator-pydantic-py3.13-arm64-tracing".
LABELS = {
    "python_runtime": lambda value: f"py{value}",
    "tracing": lambda value: "tracing" if value else "no-tracing",
    "idempotency": lambda value: "idempotent" if value else "at-least-once",
}


def combination_id(answers: dict[str, Any]) -> str:
    return "-".join(LABELS.get(option, str)(value) for option, value in answers.items()).replace("_", "-")


def supported(answers: dict[str, Any]) -> bool:
    """Not one of the pairings the pre-generation hook rejects."""
    return not any(
        all(answers.get(option) == value for option, value in pairing.items())
        for pairing, _ in PRE_GEN.UNSUPPORTED_COMBINATIONS
    )


def all_combinations() -> list[dict[str, Any]]:
    """Every supported combination of the choices."""
    names = list(CHOICE_OPTIONS)
    combinations = (dict(zip(names, values, strict=True)) for values in itertools.product(*CHOICE_OPTIONS.values()))
    return [answers for answers in combinations if supported(answers)]


def runs_all_checks(answers: dict[str, Any]) -> bool:
    """The covering set that gets mypy and the project's own tests; every combination is
    rendered and linted. Architecture changes only template.yaml's `Architectures` line (the IaC
    tests check every distinct template), so arm64 stands for both; with idempotency, untraced
    combinations stand for traced ones (tracing changes no code idempotency touches)."""
    return answers["architecture"] == "arm64" and not (answers["idempotency"] and answers["tracing"])


def runs_slow_tests(answers: dict[str, Any]) -> bool:
    """The covering set that also runs the projects' slow tests (1,000 messages through moto):
    each validation and each runtime once, pydantic on 3.13 and JSON Schema on 3.12. Architecture
    and tracing do not change the code those tests exercise (tracing is disabled under test)."""
    pairing = (answers["validation"] == "pydantic") == (answers["python_runtime"] == "3.13")
    return pairing and answers["architecture"] == "arm64" and not answers["tracing"] and not answers["idempotency"]


def as_params(combinations: list[dict[str, Any]]) -> list[Any]:
    return [pytest.param(answers, id=combination_id(answers)) for answers in combinations]
