{%- import source.part("test_packaging.py") as guard -%}
{#- The tests below that the source's piece replaces with its own, by name (a Kafka cluster is
    the stack's parameters, not its resources). -#}
{%- set replaced = guard.replaced().split() if guard.replaced is defined else [] -%}
"""What {% if facts.cdk %}the CDK app's bundling{% else %}`sam build`{% endif %} and AWS will read: the handler path, the runtime dependencies, the IaC guard.

{{ guard.summary() }}
"""

import importlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from local.template import (
    allows,
    arn_owner,
    as_list,
{{- guard.imports() }}
    event_source_mappings,
    functions,
    load_template,
    mapped_source,
    on_failure,
    reference,
    resource_name,
    role_of,
    role_statements,
    schedules,
    source_kind,
)

PROJECT = Path(__file__).parent.parent

QUEUE_EVENTS = {"SQS"}
STREAM_EVENTS = {"Kinesis", "DynamoDB"}
MAPPED_SOURCES = QUEUE_EVENTS | STREAM_EVENTS
# Actions AWS gives no resource-level permissions, "*" their only resource: X-Ray's (by prefix),
# and what a state machine's role calls to deliver its logs.
UNSCOPED_ACTION_PREFIXES = (
    "xray:",
{%- for action in facts.log_delivery_actions %}
    "{{ action }}",
{%- endfor %}
)
# What an event source mapping calls, with the function's role, to read each kind of source.
READ_ACTIONS = {
    "SQS": ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
    "Kinesis": (
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:ListShards",
        "kinesis:GetShardIterator",
        "kinesis:GetRecords",
    ),
    "DynamoDB": (
        "dynamodb:DescribeStream",
        "dynamodb:ListStreams",
        "dynamodb:GetShardIterator",
        "dynamodb:GetRecords",
    ),
}
# What a mapping calls to hand a skipped batch's metadata to its OnFailure destination.
SEND_ACTIONS = {
    "AWS::SQS::Queue": "sqs:SendMessage",
    "AWS::SNS::Topic": "sns:Publish",
    "AWS::S3::Bucket": "s3:PutObject",
}
{{- guard.constants() }}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def mappings(template: dict[str, Any], kinds: set[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(function, kind of source, mapping properties) of every event source mapping that reads
    a source of these kinds (named as SAM's events: SQS, Kinesis, ...)."""
    return [
        (function, kind, mapping)
        for function in functions(template)
        for mapping in event_source_mappings(template, function).values()
        if (kind := source_kind(template, mapping)) in kinds
    ]
{{- guard.helpers() }}


def consumed_queues(template: dict[str, Any]) -> dict[str, set[str]]:
    """Each SQS queue of the template a function consumes, through a mapping or by receiving
    from it itself, with the functions that consume it."""
    resources = template["Resources"]
    consumers: dict[str, set[str]] = {}
    for function, _kind, mapping in mappings(template, QUEUE_EVENTS):
        queue = resource_name(template, mapped_source(mapping))
        if queue is not None:
            consumers.setdefault(queue, set()).add(function)
    for function in functions(template):
        for name, resource in resources.items():
            if resource["Type"] == "AWS::SQS::Queue" and allows(
                template, function, "sqs:ReceiveMessage", name
            ):
                consumers.setdefault(name, set()).add(function)
    return consumers


def test_every_handler_path_names_a_function_in_the_package(template: dict[str, Any]) -> None:
    for properties in functions(template).values():
        module_name, _, attribute = properties["Handler"].rpartition(".")
        assert callable(getattr(importlib.import_module(module_name), attribute))


def test_requirements_txt_is_exported_from_the_lock() -> None:
    """The deployed function gets src/requirements.txt ({{ "the CDK app bundles it" if facts.cdk else "`sam build` installs it" }}): it must
    hold uv.lock's runtime dependencies exactly as `make lock` exports them. Run `make lock`
    after editing pyproject.toml."""
    uv = os.environ.get("UV") or shutil.which("uv")  # `uv run` names itself in UV
    if uv is None:
        pytest.skip("uv is not on PATH: run the tests with `make test`")
    assert (PROJECT / "uv.lock").exists(), "no uv.lock: run `make lock`"
    export = [uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--quiet"]
    exported = subprocess.run(export, cwd=PROJECT, capture_output=True, text=True, check=True)  # noqa: S603 (uv itself)
    written = (PROJECT / "src" / "requirements.txt").read_text(encoding="utf-8")
    assert without_header(written) == without_header(exported.stdout), "run `make lock`"
    assert "--hash=sha256:" in written


def without_header(requirements: str) -> list[str]:
    """The lines of an exported requirements file after uv's header, which names the command."""
    lines = requirements.splitlines()
    return lines[next(index for index, line in enumerate(lines) if not line.startswith("#")) :]


def test_every_mapping_reports_batch_item_failures(template: dict[str, Any]) -> None:
    """Without ReportBatchItemFailures, Lambda ignores the partial response; a poller has none."""
    for name in functions(template):
        mapped = event_source_mappings(template, name)
        scheduled = schedules(template, name)
        assert mapped or scheduled, f"{name} has no event source mapping and no schedule"
        for mapping_name, mapping in mapped.items():
            response_types = mapping.get("FunctionResponseTypes", [])
            assert "ReportBatchItemFailures" in response_types, f"{name}: {mapping_name}"
{%- if "test_every_mapping_reads_a_source_of_this_stack" not in replaced %}


def test_every_mapping_reads_a_source_of_this_stack(template: dict[str, Any]) -> None:
    """The guard can only check the queues and streams the template declares."""
    for function in functions(template):
        for name, mapping in event_source_mappings(template, function).items():
            source = mapped_source(mapping)
            assert resource_name(template, source), f"{function}: {name} source {source!r}"
{%- endif %}
{{- guard.tests() }}
{%- if "test_roles_allow_what_the_mappings_need" not in replaced %}


def test_roles_allow_what_the_mappings_need(template: dict[str, Any]) -> None:
    """The functions have roles of their own, so SAM adds no permission: each role must allow
    reading its sources, sending to the OnFailure destinations and decrypting queues with a key
    of the stack."""
    resources = template["Resources"]
    for function, kind, mapping in mappings(template, MAPPED_SOURCES):
        source = reference(mapped_source(mapping))
        assert source, f"{function}: {kind} mapping without a source"
        for action in READ_ACTIONS[kind]:
            assert allows(template, function, action, source), f"{function}: {action} on {source}"
        target = resource_name(template, on_failure(mapping))
        if target:
            action = SEND_ACTIONS[resources[target]["Type"]]
            assert allows(template, function, action, target), f"{function}: {action} on {target}"
    for queue, readers in consumed_queues(template).items():
        key = resource_name(template, resources[queue].get("Properties", {}).get("KmsMasterKeyId"))
        if key is None:
            continue  # no key of the stack: an AWS managed key lets the queue's readers decrypt
        for reader in readers:
            assert allows(template, reader, "kms:Decrypt", key), f"{reader}: {queue} key {key}"
{%- endif %}
{%- if "test_permissions_are_scoped_to_the_stack_resources" not in replaced %}


def test_permissions_are_scoped_to_the_stack_resources(template: dict[str, Any]) -> None:
    """Every function has its own role, whose statements name their actions (no wildcard) and
    resources of this stack, or their versions ("*" only for the actions AWS gives no
    resource-level permissions: X-Ray's, and a state machine's log delivery)."""
    resources = template["Resources"]
    for function in functions(template):
        role_name = role_of(template, function)
        assert role_name, "every function has a role of this template"
        assert resources[role_name]["Type"] == "AWS::IAM::Role"
    for name, resource in resources.items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for statement in role_statements(template, name):
            actions = as_list(statement["Action"])
            assert not any("*" in action for action in actions), f"{name}: {actions}"
            for item in as_list(statement["Resource"]):
                if item == "*":
                    assert all(action.startswith(UNSCOPED_ACTION_PREFIXES) for action in actions), (
                        f"{name}: {actions} on every resource"
                    )
                else:
                    assert arn_owner(template, item), f"{name}: {item!r} is not ours"
{%- endif %}
