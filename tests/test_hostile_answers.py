"""Answers a user or a script might pass: each is refused with one clear line and no output, or
yields a project that still parses and passes its own tests. Never broken or injected code."""

from __future__ import annotations

import ast
import json
import tomllib
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .baking import bake, run_in
from .test_bad_answers import run_cookiecutter

QUOTES_AND_BACKSLASHES = 'Order "Events" \\ Co\'s """ \\n'

ACCEPTED = [
    pytest.param({"project_name": QUOTES_AND_BACKSLASHES}, id="name-quotes-backslashes"),
    pytest.param({"description": QUOTES_AND_BACKSLASHES + " $(rm -rf /) `id` ; --"}, id="description-quotes-shell"),
    pytest.param({"author_name": 'O\'Brien "Bob" \\ Ltd'}, id="author-quotes"),
    pytest.param({"project_name": "Café Ordres — été ✓", "author_name": "Zoë Ñandú"}, id="unicode"),
    pytest.param({"project_name": "x" * 200}, id="name-200-characters"),
    pytest.param({"description": "{% if true %}rendered{% endif %} {{ 6 * 7 }}"}, id="jinja-in-description"),
    pytest.param({"description": ""}, id="empty-description"),
]

REFUSED = [
    pytest.param({"project_name": "two\nlines"}, "single line", id="name-newline"),
    pytest.param({"description": "carriage\rreturn"}, "single line", id="description-carriage-return"),
    pytest.param({"project_name": ""}, "project_name must not be empty", id="name-empty"),
    pytest.param({"project_name": "{{ 7 * 7 }}"}, "project_slug '49' is not valid", id="jinja-in-name"),
    pytest.param({"project_name": "x" * 201}, "limit is 200", id="name-201-characters"),
    pytest.param({"package_name": "import"}, "is a Python keyword", id="package-keyword"),
    pytest.param({"package_name": "os"}, "shadow the standard library module 'os'", id="package-stdlib"),
    pytest.param({"package_name": "moto"}, "shadow the dependency 'moto'", id="package-dependency"),
    pytest.param({"project_slug": "42-orders"}, "project_slug '42-orders' is not valid", id="slug-leading-digits"),
    pytest.param({"package_name": "_"}, "is a Python keyword", id="package-underscore"),
    pytest.param({"batch_size": "1e3"}, "not a whole number", id="batch-size-exponent"),
    pytest.param({"batch_size": "99999999999999999999"}, "out of range", id="batch-size-huge"),
    pytest.param({"aws_region": "eu-west-1; rm -rf /"}, "is not an AWS region", id="region-injection"),
    pytest.param(
        {"schedule_expression": 'rate(5 minutes)"\n  Evil: true'}, "is not a schedule", id="schedule-yaml-injection"
    ),
]


# Cookiecutter renders every answer as Jinja before any hook runs: an expression it cannot
# evaluate stops it there, with its own error message (on stdout or stderr, with context).
REFUSED_BY_COOKIECUTTER = [
    pytest.param({"description": "uses ${{ github.token }}"}, "'github' is undefined", id="unknown-jinja-variable"),
    pytest.param({"validation": "marshmallow"}, "choices are ['pydantic', 'jsonschema']", id="unknown-choice"),
]


@pytest.mark.parametrize(("changes", "message"), REFUSED_BY_COOKIECUTTER)
def test_cookiecutter_refuses_what_it_cannot_render(changes: dict[str, Any], message: str, tmp_path: Path) -> None:
    result = run_cookiecutter(tmp_path, changes)

    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("changes", "message"), REFUSED)
def test_a_hostile_answer_is_refused_in_one_line(changes: dict[str, Any], message: str, tmp_path: Path) -> None:
    result = run_cookiecutter(tmp_path, changes)

    assert result.returncode != 0
    assert len([line for line in result.stderr.splitlines() if line.startswith("ERROR: ") and message in line]) == 1
    assert list(tmp_path.iterdir()) == []


class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags as plain values."""


CloudFormationLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@pytest.mark.parametrize("changes", ACCEPTED)
def test_a_hostile_answer_yields_a_project_that_parses_and_passes(
    changes: dict[str, Any], tmp_path: Path, environment_for: Callable[[str], Path]
) -> None:
    project = bake(tmp_path, lock=True, **changes)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an invalid escape in a string is a SyntaxWarning
        for path in project.rglob("*.py"):
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for path in project.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    declared = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    template = yaml.load((project / "template.yaml").read_text(encoding="utf-8"), Loader=CloudFormationLoader)
    yaml.safe_load((project / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    for answer in ("description", "author_name"):
        if answer in changes and "{" not in changes[answer]:
            assert changes[answer] in (declared["description"], declared["authors"][0]["name"])
    if "description" in changes and "{" not in changes["description"]:
        assert template["Description"] == changes["description"]
    env = environment_for("3.13")
    run_in(project, env, "ruff", "check", ".")
    run_in(project, env, "ruff", "format", "--check", ".")
    # The operations tests drive the demo's resources given by hand: no answer reaches them.
    run_in(project, env, "python", "-m", "pytest", "-q", "-m", "not slow and not operations")
