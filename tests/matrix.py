"""The answers the template tests bake: every combination of the template's choices."""

from __future__ import annotations

import functools
import itertools
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cookiecutter.environment import StrictEnvironment

import template_facts

from .answers import VALID_ANSWERS

REPO = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON: dict[str, Any] = json.loads((REPO / "cookiecutter.json").read_text())

# Every option whose answer is a choice; booleans are a choice between false and true.
CHOICE_OPTIONS: dict[str, list[Any]] = {
    name: value if isinstance(value, list) else [value, not value]
    for name, value in COOKIECUTTER_JSON.items()
    if not name.startswith("_") and isinstance(value, (list, bool))
}


def load_hook(name: str, answers: dict[str, Any] = VALID_ANSWERS) -> ModuleType:
    """Import a hook as cookiecutter runs it: rendered with these answers and the template's
    extensions (the tables of template_facts arrive in it as JSON data)."""
    path = REPO / "hooks" / f"{name}.py"
    context = {"cookiecutter": {**answers, "_extensions": COOKIECUTTER_JSON["_extensions"]}}
    source = StrictEnvironment(context=context, keep_trailing_newline=True).from_string(path.read_text())
    module = ModuleType(name)
    module.__file__ = str(path)
    exec(compile(source.render(**context), str(path), "exec"), module.__dict__)
    return module


PRE_GEN = load_hook("pre_gen_project")

# Short labels for test ids: "sqs-decorator-pydantic-py3.13-arm64-tracing".
LABELS = {
    "invocation": lambda value: {"event_source_mapping": "mapping", "scheduled_poll": "poller"}[value],
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


def distinct(answers: dict[str, Any]) -> bool:
    """Not a duplicate: on_first_failure changes nothing for sources without an order, so only
    its default is baked for them."""
    return template_facts.SOURCES[answers["event_source"]].ordered or answers["on_first_failure"] == "stop"


def all_combinations() -> list[dict[str, Any]]:
    """Every supported, distinct combination of the choices."""
    names = list(CHOICE_OPTIONS)
    combinations = (dict(zip(names, values, strict=True)) for values in itertools.product(*CHOICE_OPTIONS.values()))
    return [answers for answers in combinations if supported(answers) and distinct(answers)]


# What decides which modules and tests a project gets: each layout, with each validation, is
# type-checked and tested.
LAYOUT_OPTIONS = ("event_source", "on_first_failure", "invocation", "batch_style")


@functools.cache
def layouts() -> list[tuple[Any, ...]]:
    """Every distinct layout, in a stable order (computed once: runs_all_checks asks per combination)."""
    seen = dict.fromkeys(tuple(answers[option] for option in LAYOUT_OPTIONS) for answers in all_combinations())
    return list(seen)


# The CDK projects of the covering set: few, as each locks its own environment (aws-cdk-lib is
# ~250 MB) and its tests synthesize the stack (~12 s). The application code is the SAM
# projects' (the covering set checks it there); these prove the CDK app, its guard and its tools
# type-check and pass on each kind of stack: a queue with every option, the poller (with its drain
# state machine, which adds the most to the stack), a stream, Kafka.
CDK_COVERING: list[dict[str, Any]] = [
    {"event_source": "sqs", "batch_style": "decorator", "idempotency": True, "tracing": True},
    {
        "invocation": "scheduled_poll",
        "batch_style": "context_manager",
        "validation": "jsonschema",
        "scheduler": "step_functions",
    },
    {"event_source": "kinesis", "on_first_failure": "stop", "batch_style": "context_manager", "python_runtime": "3.12"},
    {"event_source": "msk", "on_first_failure": "continue", "validation": "jsonschema"},
]


# The async projects of the covering set (concurrency=async, SAM): the concurrent processor, the
# async record handler and their tests on each kind of lane: a queue's records each alone (with
# idempotency, tracing and the decorator), FIFO's message groups, a stream's records (continue),
# Kafka's partitions (stop), and the poller. The pydantic ones run the slow no-loss tests too.
ASYNC_COVERING: list[dict[str, Any]] = [
    {"event_source": "sqs", "batch_style": "decorator", "idempotency": True, "tracing": True},
    {
        "event_source": "sqs_fifo",
        "on_first_failure": "continue",
        "batch_style": "context_manager",
        "validation": "jsonschema",
    },
    {"event_source": "kinesis", "on_first_failure": "continue", "batch_style": "context_manager", "idempotency": True},
    {"event_source": "msk", "on_first_failure": "stop", "validation": "jsonschema", "python_runtime": "3.12"},
    {"invocation": "scheduled_poll", "batch_style": "context_manager", "validation": "jsonschema"},
]


def first_choices() -> dict[str, Any]:
    """Each choice's first value (a boolean's: its default)."""
    return {name: values[0] for name, values in CHOICE_OPTIONS.items()}


@functools.cache
def sam_covering() -> list[dict[str, Any]]:
    """The SAM projects of the covering set: each layout once, pairwise with the other options.

    Validation changes only the schema module, which differs by source (not by failure mode,
    invocation or style), so each source meets both validations, and each style and failure mode
    meets both, rather than every layout with each. Within a source, its layouts take the
    validations pydantic, JSON Schema, JSON Schema, pydantic in turn, and idempotency on, off, on,
    off (off, on, off, on on every other source), so that each source meets both of each, each
    style and failure mode meets both of each, and each validation both idempotencies
    (test_bake.py checks every such pair). Tracing is on where idempotency is
    off; the runtime is 3.13 with pydantic and 3.12 with JSON Schema. Architecture changes only
    template.yaml's `Architectures` line (the IaC tests check every distinct template), so arm64
    stands for both. The poller is baked twice, once per scheduler: the pydantic one started by
    EventBridge, the JSON Schema one by the drain state machine."""
    rows = []
    for source_index, source in enumerate(template_facts.SOURCES):
        source_layouts = [layout for layout in layouts() if layout[0] == source]
        for position, layout in enumerate(source_layouts):
            answers = dict(zip(LAYOUT_OPTIONS, layout, strict=True))
            pydantic = position % 4 in (0, 3)
            idempotent = (position % 2 == 0) != (source_index % 2 == 1)
            rows.append(covering_row(answers, pydantic=pydantic, idempotent=idempotent))
            if answers["invocation"] == "scheduled_poll":
                rows.append(covering_row(answers, pydantic=not pydantic, idempotent=not idempotent))
    return rows


def covering_row(layout: dict[str, Any], *, pydantic: bool, idempotent: bool) -> dict[str, Any]:
    """A layout's answers in the SAM covering set, the options that follow from these two."""
    return {
        **first_choices(),
        **layout,
        "validation": "pydantic" if pydantic else "jsonschema",
        "idempotency": idempotent,
        "tracing": not idempotent,
        "python_runtime": "3.13" if pydantic else "3.12",
        "scheduler": "step_functions" if layout["invocation"] == "scheduled_poll" and not pydantic else "eventbridge",
    }


def runs_all_checks(answers: dict[str, Any]) -> bool:
    """The covering set that gets mypy and the project's own tests (every combination is
    rendered, linted and format-checked): the SAM projects of sam_covering, the few CDK projects
    of CDK_COVERING and the async ones of ASYNC_COVERING."""
    if answers["concurrency"] == "async":
        return any(answers == {**first_choices(), **chosen, "concurrency": "async"} for chosen in ASYNC_COVERING)
    if answers["iac"] == "cdk":
        return any(answers == {**first_choices(), **chosen, "iac": "cdk"} for chosen in CDK_COVERING)
    return answers in sam_covering()


def runs_slow_tests(answers: dict[str, Any]) -> bool:
    """Within the covering set, the slow no-loss tests (1,000 messages through moto) and the
    operations tooling's (the demo's failures listed, redriven, replayed) run once per layout, with
    SAM (the IaC tool changes none of the plumbing they prove): on each sequential layout (the
    poller's started by EventBridge; the drain adds no plumbing of its own), and on the async
    lanes with pydantic."""
    if answers["iac"] != "sam" or answers["scheduler"] != "eventbridge":
        return False
    return answers["concurrency"] == "sequential" or answers["validation"] == "pydantic"


def as_params(combinations: list[dict[str, Any]]) -> list[Any]:
    return [pytest.param(answers, id=combination_id(answers)) for answers in combinations]
