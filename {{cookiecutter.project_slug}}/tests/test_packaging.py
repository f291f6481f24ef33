{%- import source.part("test_packaging.py") as guard -%}
{#- The tests below that the source's piece replaces with its own, by name (a Kafka cluster is
    the stack's parameters, not its resources). -#}
{%- set replaced = guard.replaced().split() if guard.replaced is defined else [] -%}
"""What `sam build` and AWS will read: the handler path, the runtime dependencies, the IaC guard.

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
    as_list,
{{- guard.imports() }}
    functions,
    load_template,
    reference,
    resource_name,
)

PROJECT = Path(__file__).parent.parent

QUEUE_EVENTS = {"SQS"}
STREAM_EVENTS = {"Kinesis", "DynamoDB"}
MAPPED_SOURCES = QUEUE_EVENTS | STREAM_EVENTS
SCHEDULES = {"Schedule", "ScheduleV2"}
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


def mappings(template: dict[str, Any], types: set[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(function, event type, event properties) of every event of these types."""
    return [
        (name, event["Type"], event.get("Properties", {}))
        for name, properties in functions(template).items()
        for event in properties.get("Events", {}).values()
        if event["Type"] in types
    ]


def mapped_source(event_type: str, event: dict[str, Any]) -> Any:
    return event.get("Queue") if event_type in QUEUE_EVENTS else event.get("Stream")
{{- guard.helpers() }}


def consumed_queues(template: dict[str, Any]) -> dict[str, set[str]]:
    """Each SQS queue of the template a function consumes, through a mapping or by receiving
    from it itself, with the functions that consume it."""
    resources = template["Resources"]
    consumers: dict[str, set[str]] = {}
    for function, event_type, event in mappings(template, QUEUE_EVENTS):
        queue = resource_name(template, mapped_source(event_type, event))
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
    """`sam build` installs src/requirements.txt: it must hold uv.lock's runtime dependencies
    exactly as `make lock` exports them. Run `make lock` after editing pyproject.toml."""
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
    for name, properties in functions(template).items():
        events = list(properties.get("Events", {}).values())
        mapped = [event for event in events if event["Type"] in MAPPED_SOURCES]
        scheduled = [event for event in events if event["Type"] in SCHEDULES]
        assert mapped or scheduled, f"{name} has no event source mapping and no schedule"
        for event in mapped:
            response_types = event["Properties"].get("FunctionResponseTypes", [])
            assert "ReportBatchItemFailures" in response_types, f"{name}: {event['Type']} event"
{%- if "test_every_mapping_reads_a_source_of_this_stack" not in replaced %}


def test_every_mapping_reads_a_source_of_this_stack(template: dict[str, Any]) -> None:
    """The guard can only check the queues and streams the template declares."""
    for function, event_type, event in mappings(template, MAPPED_SOURCES):
        source = mapped_source(event_type, event)
        assert resource_name(template, source), f"{function}: {event_type} source {source!r}"
{%- endif %}
{{- guard.tests() }}
{%- if "test_roles_allow_what_the_mappings_need" not in replaced %}


def test_roles_allow_what_the_mappings_need(template: dict[str, Any]) -> None:
    """The functions have roles of their own, so SAM adds no permission: each role must allow
    reading its sources, sending to the OnFailure destinations and decrypting queues with a key
    of the stack."""
    resources = template["Resources"]
    for function, event_type, event in mappings(template, MAPPED_SOURCES):
        source = reference(mapped_source(event_type, event))
        assert source, f"{function}: {event_type} event without a source"
        for action in READ_ACTIONS[event_type]:
            assert allows(template, function, action, source), f"{function}: {action} on {source}"
        destination = event.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        target = resource_name(template, destination)
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
    resources of this stack ("*" only for X-Ray, which has no resource-level permissions)."""
    resources = template["Resources"]
    for properties in functions(template).values():
        role_name = resource_name(template, properties.get("Role"))
        assert role_name, "every function has a role of this template"
        assert resources[role_name]["Type"] == "AWS::IAM::Role"
        assert "Policies" not in properties
    for name, resource in resources.items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for policy in resource["Properties"].get("Policies", []):
            for statement in as_list(policy["PolicyDocument"]["Statement"]):
                actions = as_list(statement["Action"])
                assert not any("*" in action for action in actions), f"{name}: {actions}"
                for item in as_list(statement["Resource"]):
                    if item == "*":
                        assert all(action.startswith("xray:") for action in actions), (
                            f"{name}: {actions} on every resource"
                        )
                    else:
                        assert resource_name(template, item), f"{name}: {item!r} is not ours"
{%- endif %}
