"""Every combination of the template's choices renders cleanly and passes its own checks."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import template_facts

from .baking import bake, locked_environment, run_in, uv
from .markdown import assert_markdown_reads_well
from .matrix import (
    ASYNC_COVERING,
    CDK_COVERING,
    LAYOUT_OPTIONS,
    REPO,
    all_combinations,
    as_params,
    combination_id,
    layouts,
    load_hook,
    runs_all_checks,
    runs_slow_tests,
    sam_covering,
)

LEFTOVER_JINJA = re.compile(r"\{\{|\{%|\{#|%\}")
# GitHub Actions expressions are meant to survive rendering.
ACTIONS_EXPRESSION = re.compile(r"\$\{\{[^}]*\}\}")

PROJECT_TEMPLATE = REPO / "{{cookiecutter.project_slug}}"
POST_GEN = load_hook("post_gen_project")


class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags (!Ref, !GetAtt, !Sub) as plain values."""


CloudFormationLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def expected_files(answers: dict[str, Any], package_name: str = "order_events") -> set[str]:
    """The files a project must hold: every file of the project template, variant files kept (and
    unmarked) or dropped by the markers the post-generation hook prunes by, and .cruft.json."""
    markers = template_facts.derive(answers).markers
    files = {".cruft.json"}
    for path in PROJECT_TEMPLATE.rglob("*"):
        marker = POST_GEN.marker_of(path.name, markers)
        if path.is_file() and (marker is None or markers[marker]):
            name = path.name.replace(f".{marker}.", ".") if marker else path.name
            files.add(str(path.relative_to(PROJECT_TEMPLATE).with_name(name)))
    return {path.replace("{{cookiecutter.package_name}}", package_name) for path in files}


def project_files(project: Path) -> set[str]:
    return {str(path.relative_to(project)) for path in project.rglob("*") if path.is_file()}


def render_groups() -> list[Any]:
    """Every combination, grouped by layout and validation: one ruff run checks a whole group."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for answers in all_combinations():
        groups.setdefault(tuple(answers[option] for option in GROUP_OPTIONS), []).append(answers)
    return [
        pytest.param(combinations, id=combination_id({option: combinations[0][option] for option in GROUP_OPTIONS}))
        for combinations in groups.values()
    ]


GROUP_OPTIONS = (*LAYOUT_OPTIONS, "validation", "iac")


def assert_rendered_cleanly(project: Path, answers: dict[str, Any]) -> None:
    """Only the chosen variant's files, no empty folder, no leftover Jinja; JSON, TOML, YAML parse."""
    assert project_files(project) == expected_files(answers)
    assert not [path for path in project.rglob("*") if path.is_dir() and not any(path.iterdir())]
    for path in project.rglob("*"):
        if path.is_file():
            text = ACTIONS_EXPRESSION.sub("", path.read_text(encoding="utf-8"))
            assert not LEFTOVER_JINJA.search(text), f"unrendered Jinja in {path.name}"
    for path in project.rglob("*.json"):
        json.loads(path.read_text())
    for path in project.rglob("*.toml"):
        tomllib.loads(path.read_text())
    for path in [*project.rglob("*.yaml"), *project.rglob("*.yml")]:
        yaml.load(path.read_text(), Loader=CloudFormationLoader)
    assert_markdown_reads_well(project / "README.md")


@pytest.mark.parametrize("combinations", render_groups())
def test_every_combination_renders_only_its_variant_cleanly(
    combinations: list[dict[str, Any]], tmp_path: Path, environment_for: Callable[[str], Path]
) -> None:
    """Each combination of the group (idempotency, runtime, architecture, tracing) is baked; ruff
    checks and format-checks them all in one run, each project under its own configuration."""
    projects = {
        combination_id(answers): (bake(tmp_path / combination_id(answers), **answers), answers)
        for answers in combinations
    }
    env = environment_for("3.13")

    run_in(tmp_path, env, "ruff", "check", "--no-cache", ".")
    run_in(tmp_path, env, "ruff", "format", "--no-cache", "--check", ".")
    for name, (project, answers) in projects.items():
        try:
            assert_rendered_cleanly(project, answers)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error


def test_the_render_groups_hold_every_combination_once() -> None:
    grouped = [combination_id(answers) for param in render_groups() for answers in param.values[0]]

    assert sorted(grouped) == sorted(combination_id(answers) for answers in all_combinations())
    assert len(set(grouped)) == len(grouped)


def test_the_covering_set_holds_each_cdk_and_async_project_once() -> None:
    covered = covering_longest_first()

    sequential = [answers for answers in covered if answers["concurrency"] == "sequential"]
    # Each layout once, and the poller once more: once per scheduler.
    assert len([answers for answers in sequential if answers["iac"] == "sam"]) == len(layouts()) + 1
    assert len([answers for answers in sequential if answers["iac"] == "cdk"]) == len(CDK_COVERING)
    assert len([answers for answers in covered if answers["concurrency"] == "async"]) == len(ASYNC_COVERING)
    assert {tuple(answers[option] for option in LAYOUT_OPTIONS) for answers in sam_covering()} == set(layouts())


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("event_source", "validation"),
        ("event_source", "idempotency"),
        ("batch_style", "validation"),
        ("batch_style", "idempotency"),
        ("on_first_failure", "validation"),
        ("on_first_failure", "idempotency"),
        ("validation", "idempotency"),
        ("invocation", "validation"),
        ("invocation", "scheduler"),
    ],
)
def test_the_sam_covering_set_meets_each_pair_of_choices(first: str, second: str) -> None:
    """Pairwise: every pair of values that a supported layout allows is baked at least once."""
    covered = {(answers[first], answers[second]) for answers in sam_covering()}
    possible = {
        (answers[first], answers[second])
        for answers in all_combinations()
        if answers["iac"] == "sam" and answers["concurrency"] == "sequential"
    }

    assert covered == possible


def test_workflow_expressions_survive_rendering(tmp_path: Path) -> None:
    workflow = (bake(tmp_path) / ".github/workflows/ci.yml").read_text()

    assert "${{ github.workflow }}-${{ github.ref }}" in workflow
    jobs = yaml.safe_load(workflow)["jobs"]
    assert set(jobs) == {"pre-commit", "lint", "types", "tests", "validate"}
    assert all(job["steps"] for job in jobs.values())


def covering_longest_first() -> list[dict[str, Any]]:
    """The covering set, the longest bakes first (CDK's, whose first mypy reads aws-cdk-lib, then
    those with the slow tests), so that no worker is left with one of them at the end."""
    covered = [answers for answers in all_combinations() if runs_all_checks(answers)]
    return sorted(covered, key=lambda answers: (answers["iac"] != "cdk", not runs_slow_tests(answers)))


@pytest.mark.parametrize("answers", as_params(covering_longest_first()))
def test_baked_project_passes_lint_types_and_tests(answers: dict[str, Any], tmp_path: Path) -> None:
    """The covering set (matrix.runs_all_checks): every layout, pairwise, locked by the
    post-generation hook, installed with `uv sync --locked` and checked with `uv run`, as its CI
    does. Its first test run prints no warning."""
    project = bake(tmp_path, lock=True, **answers)
    env = locked_environment(project)  # uv sync --locked, into an environment bakes share

    exported = uv(project, env, "export", "--frozen", "--no-dev", "--no-emit-project").stdout
    assert without_header((project / "src/requirements.txt").read_text()) == without_header(exported)
    uv(project, env, "run", "--locked", "ruff", "check", ".")
    uv(project, env, "run", "--locked", "mypy")
    selection = [] if runs_slow_tests(answers) else ["-m", "not slow and not operations"]
    result = uv(
        project, env, "run", "--locked", "python", "-W", "error::DeprecationWarning", "-m", "pytest", "-q", *selection
    )
    assert re.search(r"\d+ passed", result.stdout)
    assert " failed" not in result.stdout
    assert "warning" not in result.stdout.lower()


def without_header(requirements: str) -> list[str]:
    """An exported requirements file's lines after uv's header, which names the command."""
    lines = requirements.splitlines()
    return lines[next(index for index, line in enumerate(lines) if not line.startswith("#")) :]


@pytest.mark.parametrize(
    ("invocation", "event_source", "idempotency"),
    [
        ("scheduled_poll", "sqs", True),
        *(("event_source_mapping", source, True) for source in template_facts.SOURCES),
    ],
)
def test_the_longest_names_keep_the_code_formatted(
    invocation: str, event_source: str, idempotency: bool, tmp_path: Path, environment_for: Callable[[str], Path]
) -> None:
    """40 characters, the hook's limit, in the slug and the package name: still ruff-clean."""
    project = bake(
        tmp_path,
        project_slug="a" * 38 + "-b",
        package_name="a" * 38 + "_b",
        invocation=invocation,
        event_source=event_source,
        idempotency=idempotency,
        batch_style="context_manager",
    )
    env = environment_for("3.13")

    run_in(project, env, "ruff", "format", "--check", ".")
    run_in(project, env, "ruff", "check", ".")
