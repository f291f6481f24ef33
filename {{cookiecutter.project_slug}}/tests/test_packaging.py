"""What `sam build` and AWS will read: the handler path, the runtime dependencies, the IaC guard."""

import importlib
import tomllib
from pathlib import Path
from typing import Any

import pytest

from local.template import functions, load_template

PROJECT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def test_every_handler_path_names_a_function_in_the_package(template: dict[str, Any]) -> None:
    for properties in functions(template).values():
        module_name, _, attribute = properties["Handler"].rpartition(".")
        assert callable(getattr(importlib.import_module(module_name), attribute))


def test_runtime_dependencies_match_pyproject() -> None:
    declared = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    lines = (PROJECT / "src" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    required = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert required == declared["project"]["dependencies"]


MAPPED_SOURCES = {"SQS", "Kinesis", "DynamoDB"}
SCHEDULES = {"Schedule", "ScheduleV2"}


def test_every_mapping_reports_batch_item_failures(template: dict[str, Any]) -> None:
    """Without ReportBatchItemFailures, Lambda ignores the partial response; a poller has none."""
    for name, properties in functions(template).items():
        events = list(properties.get("Events", {}).values())
        mapped = [event for event in events if event["Type"] in MAPPED_SOURCES]
        scheduled = [event for event in events if event["Type"] in SCHEDULES]
        assert mapped or scheduled, f"{name} has no event source mapping and no schedule"
        for event in mapped:
            assert "ReportBatchItemFailures" in event["Properties"]["FunctionResponseTypes"]


def test_source_queues_redrive_to_a_dlq_and_outlast_the_function(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    timeout = template["Globals"]["Function"]["Timeout"]
    queues = {
        name: resource["Properties"]
        for name, resource in resources.items()
        if resource["Type"] == "AWS::SQS::Queue"
    }
    dead_letter_queues = {
        properties["RedrivePolicy"]["deadLetterTargetArn"].split(".")[0]
        for properties in queues.values()
        if "RedrivePolicy" in properties
    }
    source_queues = {name: queues[name] for name in queues.keys() - dead_letter_queues}
    assert source_queues
    for queue in source_queues.values():
        assert queue["VisibilityTimeout"] >= 6 * timeout
        assert queue["RedrivePolicy"]["maxReceiveCount"] >= 1
        dlq = queues[queue["RedrivePolicy"]["deadLetterTargetArn"].split(".")[0]]
        assert dlq["MessageRetentionPeriod"] > queue["MessageRetentionPeriod"]


def test_permissions_are_scoped_to_the_stack_resources(template: dict[str, Any]) -> None:
    """Every function has its own role, whose statements name resources ("*" only for X-Ray,
    which has no resource-level permissions)."""
    resources = template["Resources"]
    for properties in functions(template).values():
        role_name = properties["Role"].split(".")[0]
        assert resources[role_name]["Type"] == "AWS::IAM::Role"
        assert "Policies" not in properties
    for resource in resources.values():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for policy in resource["Properties"]["Policies"]:
            for statement in policy["PolicyDocument"]["Statement"]:
                if statement["Resource"] == "*":
                    assert all(action.startswith("xray:") for action in statement["Action"])
