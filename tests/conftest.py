"""Fixtures of the template tests: shared environments per Python version, and bakes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .baking import environment_requirements, shared_environment


@pytest.fixture(scope="session")
def environment_for(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The shared venv of a Python version, made (or reused from .cache/) on first request."""
    made: dict[str, Path] = {}

    def get(version: str) -> Path:
        if version not in made:
            scratch = tmp_path_factory.mktemp(f"requirements-{version}")
            made[version] = shared_environment(version, environment_requirements(scratch))
        return made[version]

    return get
