"""Check the answers before Cookiecutter renders the project.

Every check takes the answers and returns an error message, or None. The first error is
printed as one line on stderr and the hook exits 1, so Cookiecutter removes the output.
Standard library only: this runs under the user's cookiecutter interpreter.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

# Cookiecutter renders this file; the answers arrive as JSON data, never as code.
ANSWERS_JSON = r"""
{{ cookiecutter | tojson }}
"""

SLUG_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PACKAGE_PATTERN = re.compile(r"[a-z_][a-z0-9_]*")
# A dotted path of field names: order_id, customer.id
JMESPATH_FIELD_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
REGION_PATTERN = re.compile(r"[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-[0-9]")
MAX_NAME_LENGTH = 40  # keeps every generated line within ruff's 100 columns
MAX_TEXT_LENGTH = 200

# Importable names of what the generated project installs: a package with one of these
# names would shadow it.
DEPENDENCY_MODULES = frozenset(
    """
    aws_lambda_powertools aws_xray_sdk awslambdaric boto3 botocore cfnlint conftest coverage
    dateutil fastjsonschema flask hypothesis jmespath moto mypy mypy_boto3_sqs pydantic
    pydantic_core pytest requests ruff s3transfer samtranslator six src test tests
    typing_extensions urllib3 werkzeug wrapt yaml
    """.split()
)
# The running interpreter's list (3.10+), plus the names this project would most likely hit.
STDLIB_MODULES = frozenset(getattr(sys, "stdlib_module_names", ())) | {
    "dataclasses", "decimal", "importlib", "json", "logging", "os", "re", "sys", "typing",
}  # fmt: skip

# The event sources and what the template knows of each (template_facts.SOURCES), as data: a
# list, so that they keep their order (tojson sorts the keys of a mapping).
SOURCES_JSON = r"""
{{ as_data(sources.values()) | tojson }}
"""
SOURCES: dict[str, dict[str, Any]] = {source["name"]: source for source in json.loads(SOURCES_JSON)}

CHOICES = {
    "event_source": tuple(SOURCES),
    "invocation": ("event_source_mapping", "scheduled_poll"),
    "batch_style": ("decorator", "context_manager"),
    "on_first_failure": ("stop", "continue"),
    "concurrency": ("sequential", "async"),
    "validation": ("pydantic", "jsonschema"),
    "scheduler": ("eventbridge", "step_functions"),
    "iac": ("sam", "cdk"),
    "python_runtime": ("3.13", "3.12"),
    "architecture": ("arm64", "x86_64"),
}

# Pairings of answers the template does not generate, each with the reason the user sees.
UNSUPPORTED_COMBINATIONS: tuple[tuple[Mapping[str, str], str], ...] = (
    (
        {"invocation": "scheduled_poll", "batch_style": "decorator"},
        "the scheduled poller receives no records to decorate a handler over; "
        "it runs the batch with the context manager (choose batch_style=context_manager)",
    ),
    # A scheduler starts the poller; left at its default, the answer is ignored without it.
    (
        {"invocation": "event_source_mapping", "scheduler": "step_functions"},
        "the Step Functions scheduler drives the scheduled poller, and an event source mapping has no "
        "schedule (choose invocation=scheduled_poll, or scheduler=eventbridge)",
    ),
    # The poller receives from an SQS standard queue; each other source says why it cannot.
    *(
        (
            {"invocation": "scheduled_poll", "event_source": name},
            f"the scheduled poller pulls from an SQS standard queue; {source['not_pollable']} "
            "(choose event_source=sqs, or invocation=event_source_mapping)",
        )
        for name, source in SOURCES.items()
        if source["not_pollable"]
    ),
    # Records run concurrently only where a failure does not have to stop everything after it.
    *(
        (
            {"concurrency": "async", "event_source": name, "on_first_failure": "stop"},
            f"concurrency=async cannot keep on_first_failure=stop on {name}: {source['stop_not_concurrent']} "
            "(choose on_first_failure=continue, or concurrency=sequential)",
        )
        for name, source in SOURCES.items()
        if source["stop_not_concurrent"]
    ),
)

# EventBridge schedule expressions: rate(1 minute), rate(5 minutes), cron(0 12 * * ? *).
RATE_PATTERN = re.compile(r"rate\((?:1 (?:minute|hour|day)|(?:[2-9]|[1-9][0-9]+) (?:minutes|hours|days))\)")
CRON_PATTERN = re.compile(r"cron\([^\s()]+(?: [^\s()]+){5}\)")

Answers = Mapping[str, Any]


def check_text(field: str, value: object, *, required: bool = False) -> str | None:
    """A free-text answer is one printable line of reasonable length."""
    if not isinstance(value, str):
        return f"{field} must be text, got {value!r}"
    if required and not value.strip():
        return f"{field} must not be empty"
    if any(not char.isprintable() for char in value):
        return f"{field} must be a single line of printable characters, got {value!r}"
    if len(value) > MAX_TEXT_LENGTH:
        return f"{field} is {len(value)} characters long; the limit is {MAX_TEXT_LENGTH}"
    return None


def check_project_name(answers: Answers) -> str | None:
    return check_text("project_name", answers["project_name"], required=True)


def check_description(answers: Answers) -> str | None:
    return check_text("description", answers["description"])


def check_author_name(answers: Answers) -> str | None:
    return check_text("author_name", answers["author_name"])


def check_project_slug(answers: Answers) -> str | None:
    slug = answers["project_slug"]
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        return (
            f"project_slug {slug!r} is not valid: use lowercase letters, digits and single "
            "hyphens, starting with a letter (e.g. order-events)"
        )
    if len(slug) > MAX_NAME_LENGTH:
        return f"project_slug is {len(slug)} characters long; the limit is {MAX_NAME_LENGTH}"
    return None


def check_package_name(answers: Answers) -> str | None:
    name = answers["package_name"]
    if not isinstance(name, str) or not PACKAGE_PATTERN.fullmatch(name):
        return (
            f"package_name {name!r} is not a valid Python identifier: use lowercase letters, "
            "digits and underscores, not starting with a digit (e.g. order_events)"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"package_name {name!r} is a Python keyword; choose another name"
    if name in STDLIB_MODULES:
        return f"package_name {name!r} would shadow the standard library module {name!r}"
    if name in DEPENDENCY_MODULES:
        return f"package_name {name!r} would shadow the dependency {name!r}"
    if len(name) > MAX_NAME_LENGTH:
        return f"package_name is {len(name)} characters long; the limit is {MAX_NAME_LENGTH}"
    return None


def check_choices(answers: Answers) -> str | None:
    for option, allowed in CHOICES.items():
        if answers[option] not in allowed:
            return f"{option} {answers[option]!r} is not one of: {', '.join(allowed)}"
    return None


def check_booleans(answers: Answers) -> str | None:
    for option in ("tracing", "idempotency"):
        if not isinstance(answers[option], bool):
            return f"{option} must be yes or no, got {answers[option]!r}"
    return None


def check_idempotency_key(answers: Answers) -> str | None:
    key = answers["idempotency_key"]
    if not isinstance(key, str) or not JMESPATH_FIELD_PATTERN.fullmatch(key):
        return f"idempotency_key {key!r} is not a field path of the payload (e.g. order_id)"
    return None


def check_batch_size(answers: Answers) -> str | None:
    source = answers["event_source"]
    if source not in SOURCES:
        return None  # check_choices reports it
    low, high = SOURCES[source]["batch_size"]
    raw = answers["batch_size"]
    try:
        size = int(str(raw).strip())
    except ValueError:
        return f"batch_size {raw!r} is not a whole number"
    if not low <= size <= high:
        return f"batch_size {size} is out of range for {source}: allowed {low} to {high}"
    return None


def check_aws_region(answers: Answers) -> str | None:
    region = answers["aws_region"]
    if not isinstance(region, str) or not REGION_PATTERN.fullmatch(region):
        return f"aws_region {region!r} is not an AWS region name (e.g. eu-west-1)"
    return None


def check_schedule_expression(answers: Answers) -> str | None:
    expression = answers["schedule_expression"]
    if not isinstance(expression, str) or not (
        RATE_PATTERN.fullmatch(expression) or CRON_PATTERN.fullmatch(expression)
    ):
        return (
            f"schedule_expression {expression!r} is not a schedule: use rate(<n> <unit>), "
            "e.g. rate(5 minutes), or cron(<6 fields>), e.g. cron(0/15 * * * ? *)"
        )
    return None


def check_combination(answers: Answers) -> str | None:
    for pairing, reason in UNSUPPORTED_COMBINATIONS:
        if all(answers.get(option) == value for option, value in pairing.items()):
            chosen = ", ".join(f"{option}={value}" for option, value in pairing.items())
            return f"unsupported combination {chosen}: {reason}"
    return None


CHECKS: tuple[Callable[[Answers], str | None], ...] = (
    check_project_name,
    check_project_slug,
    check_package_name,
    check_description,
    check_author_name,
    check_choices,
    check_booleans,
    check_idempotency_key,
    check_batch_size,
    check_aws_region,
    check_schedule_expression,
    check_combination,
)


def first_error(answers: Answers) -> str | None:
    """The message of the first check that fails, or None when every answer is usable."""
    for check in CHECKS:
        error = check(answers)
        if error:
            return error
    return None


def main() -> int:
    error = first_error(json.loads(ANSWERS_JSON))
    if error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
