"""Fixtures of the template tests: shared environments per Python version, and bakes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .baking import bake, project_requirements, shared_environment

# Bakes whose requirements, together, cover every variant's dependencies and dev tools.
REQUIREMENT_SOURCES = [
    {"validation": "pydantic", "tracing": True},
    {"validation": "jsonschema", "tracing": True},
]


@pytest.fixture(scope="session")
def environment_for(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The shared venv of a Python version, made (or reused from .cache/) on first request."""
    made: dict[str, Path] = {}

    def get(version: str) -> Path:
        if version not in made:
            scratch = tmp_path_factory.mktemp(f"requirements-{version}")
            requirements = [
                requirement
                for index, answers in enumerate(REQUIREMENT_SOURCES)
                for requirement in project_requirements(bake(scratch / str(index), **answers))
            ]
            made[version] = shared_environment(version, requirements)
        return made[version]

    return get
