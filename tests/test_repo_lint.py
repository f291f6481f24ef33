"""The template's own Python (hooks, tests, benchmarks, scripts, the facts) is held to ruff like the projects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .baking import run_in
from .matrix import REPO

OWN_CODE = ("hooks", "tests", "benchmarks", "scripts", "template_facts.py")


def test_the_template_code_passes_ruff(environment_for: Callable[[str], Path]) -> None:
    env = environment_for("3.13")

    run_in(REPO, env, "ruff", "check", *OWN_CODE)
    run_in(REPO, env, "ruff", "format", "--check", *OWN_CODE)
