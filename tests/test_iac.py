"""The IaC of every rendered variant passes sam validate --lint, cfn-lint on the template as SAM
expands it, and checkov; the checks and the project's own guard catch what they must."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from cookiecutter.environment import StrictEnvironment
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config
from jinja2 import FileSystemLoader

from template_facts import SOURCES, Source, derive

from .baking import bake, run_in, shared_environment
from .matrix import CHOICE_OPTIONS, REPO, all_combinations, combination_id

IAC_ENV = {"AWS_DEFAULT_REGION": "eu-west-1", "SAM_CLI_TELEMETRY": "0", "BC_SKIP_MAPPING": "TRUE"}
EVENT_SOURCES: list[str] = CHOICE_OPTIONS["event_source"]


def sam_combinations() -> list[dict[str, Any]]:
    """The combinations with a SAM template (a CDK project's stack is tests/test_cdk.py's)."""
    return [answers for answers in all_combinations() if answers["iac"] == "sam"]


# Every supported (event_source, invocation): the variants are checked in these groups.
GROUPS = sorted({(answers["event_source"], answers["invocation"]) for answers in sam_combinations()})

# `sam validate --lint` on many templates in one process: the CLI's own command, run by click's
# runner; a process per template would cost ~2 s of start-up each.
SAM_VALIDATE_EACH = """
import json, sys
from click.testing import CliRunner
from samcli.cli.main import cli

outcomes = {}
for path in sys.argv[1:]:
    result = CliRunner().invoke(cli, ["validate", "--lint", "--template-file", path])
    outcomes[path] = [result.exit_code, result.output + repr(result.exception or "")]
print(json.dumps(outcomes))
"""

# local/sam_translate.py's translation of many templates in one process.
TRANSLATE_EACH = """
import sys

sys.path.insert(0, "local")
import sam_translate

for source, target in zip(sys.argv[1::2], sys.argv[2::2]):
    sam_translate.main(["sam_translate.py", source, target])
"""


@dataclass(frozen=True)
class Variant:
    answers: dict[str, Any]
    folder: Path  # template.yaml and the project's local/ tools

    @property
    def drained(self) -> bool:
        """The drain state machine starts the poller (template_facts says when)."""
        return derive(self.answers).drained


class TemplateRenderer:
    """template.yaml as Cookiecutter renders it, without baking a whole project per combination:
    the same context and Jinja environment, the template compiled once."""

    def __init__(self) -> None:
        context = generate_context(context_file=str(REPO / "cookiecutter.json"), default_context={}, extra_context={})
        self.defaults = prompt_for_config(context, no_input=True)
        environment = StrictEnvironment(context=context, keep_trailing_newline=True)
        # As cookiecutter's: the project folder, then the pieces under templates/.
        environment.loader = FileSystemLoader([str(REPO / "{{cookiecutter.project_slug}}"), str(REPO / "templates")])
        self.template = environment.get_template("template.sam.yaml")

    def render(self, answers: dict[str, Any]) -> str:
        # Only choices vary, and no other answer's default is derived from a choice: the
        # defaults stand (test_rendering_matches_a_real_bake checks it).
        return self.template.render(cookiecutter={**self.defaults, **answers})


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Variant]:
    """One folder per distinct template.yaml among every supported SAM combination, named after
    the first combination that renders it."""
    root = tmp_path_factory.mktemp("iac")
    tools = bake(root / "base") / "local"  # sam_translate.py depends on aws_region only
    # The drain's definition (statemachine/drain.asl.json), which the expansion inlines: it
    # depends on schedule_expression only.
    drain = bake(root / "drain", invocation="scheduled_poll", batch_style="context_manager", scheduler="step_functions")
    renderer = TemplateRenderer()
    distinct: dict[str, dict[str, Any]] = {}
    for answers in sam_combinations():
        distinct.setdefault(renderer.render(answers), answers)
    found = {}
    for text, answers in distinct.items():
        folder = root / "variants" / combination_id(answers)
        shutil.copytree(tools, folder / "local")
        if derive(answers).drained:
            shutil.copytree(drain / "statemachine", folder / "statemachine")
        (folder / "template.yaml").write_text(text)
        found[combination_id(answers)] = Variant(answers, folder)
    return found


def of_group(variants: dict[str, Variant], group: tuple[str, str]) -> dict[str, Variant]:
    """The variants of one (event_source, invocation): a share of the work for each xdist worker."""
    chosen = {
        name: variant
        for name, variant in variants.items()
        if (variant.answers["event_source"], variant.answers["invocation"]) == group
    }
    assert chosen, f"no variant with (event_source, invocation) = {group}"
    return chosen


def tool_environment(project: Path, requirements: str) -> Path:
    lines = (project / "local" / requirements).read_text().splitlines()
    return shared_environment("3.13", [line for line in lines if line and not line.startswith("#")])


def run_tool(env: Path, *command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(env / "bin" / command[0]), *command[1:]],
        cwd=cwd,
        env={**os.environ, **IAC_ENV},
        capture_output=True,
        text=True,
        check=False,
    )


def expand_and_lint(env: Path, project: Path) -> subprocess.CompletedProcess[str]:
    translated = project / ".aws-sam" / "translated.json"
    translate = run_tool(env, "python", "local/sam_translate.py", "template.yaml", str(translated), cwd=project)
    assert translate.returncode == 0, translate.stderr
    return run_tool(env, "cfn-lint", str(translated), cwd=project)


@pytest.mark.parametrize(
    "answers",
    [pytest.param({"event_source": source}, id=source) for source in EVENT_SOURCES]
    + [
        pytest.param(
            {"invocation": "scheduled_poll", "batch_style": "context_manager", "idempotency": True, "tracing": True},
            id="scheduled-poll-idempotent-tracing",
        )
    ],
)
def test_rendering_matches_a_real_bake(answers: dict[str, Any], tmp_path: Path) -> None:
    project = bake(tmp_path, **answers)

    assert TemplateRenderer().render(answers) == (project / "template.yaml").read_text()


@pytest.mark.parametrize("group", GROUPS, ids="-".join)
def test_sam_validate_lint_passes_on_every_variant(variants: dict[str, Variant], group: tuple[str, str]) -> None:
    chosen = of_group(variants, group)
    env = tool_environment(next(iter(chosen.values())).folder, "requirements-iac.txt")
    paths = {str(variant.folder / "template.yaml"): name for name, variant in chosen.items()}

    result = run_tool(env, "python", "-c", SAM_VALIDATE_EACH, *paths, cwd=next(iter(chosen.values())).folder)

    assert result.returncode == 0, result.stderr
    outcomes = json.loads(result.stdout.splitlines()[-1])
    assert len(outcomes) == len(paths)
    failed = {paths[path]: output for path, (code, output) in outcomes.items() if code != 0}
    assert failed == {}


@pytest.mark.parametrize("group", GROUPS, ids="-".join)
def test_cfn_lint_passes_on_every_expanded_variant(
    variants: dict[str, Variant], group: tuple[str, str], tmp_path: Path
) -> None:
    chosen = of_group(variants, group)
    tools = next(iter(chosen.values())).folder
    env = tool_environment(tools, "requirements-iac.txt")
    pairs = [
        (str(variant.folder / "template.yaml"), str(tmp_path / f"{name}.json")) for name, variant in chosen.items()
    ]

    translate = run_tool(env, "python", "-c", TRANSLATE_EACH, *[path for pair in pairs for path in pair], cwd=tools)
    assert translate.returncode == 0, translate.stderr
    result = run_tool(env, "cfn-lint", "--", *[target for _, target in pairs], cwd=tmp_path)

    assert result.returncode == 0, result.stdout
    assert len(list(tmp_path.glob("*.json"))) == len(chosen)


def test_checkov_fails_no_check_on_any_variant(variants: dict[str, Variant], tmp_path: Path) -> None:
    env = tool_environment(next(iter(variants.values())).folder, "requirements-checkov.txt")
    for name, variant in variants.items():
        (tmp_path / name).mkdir()
        shutil.copy(variant.folder / "template.yaml", tmp_path / name / "template.yaml")

    result = run_tool(env, "checkov", "--framework", "cloudformation", "-o", "json", "-d", ".", cwd=tmp_path)

    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    failed = [check for entry in reports for check in entry["results"]["failed_checks"]]
    summary = [entry["summary"] for entry in reports]
    assert failed == [], [(check["check_id"], check["file_path"], check["resource"]) for check in failed]
    # Every variant's template was scanned, and passed checks of its own.
    scanned = {
        check["file_path"].strip("/").split("/")[0] for entry in reports for check in entry["results"]["passed_checks"]
    }
    assert scanned == set(variants)
    assert sum(entry["parsing_errors"] for entry in summary) == 0


class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags as plain values."""


CloudFormationLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@pytest.mark.parametrize("source", SOURCES.values(), ids=list(SOURCES))
def test_each_source_declares_the_resources_of_its_row(source: Source) -> None:
    """template_facts' row says which resources a source brings (make local makes them on moto
    from it): template.yaml declares each, with that type."""
    rendered = yaml.load(TemplateRenderer().render({"event_source": source.name}), Loader=CloudFormationLoader)

    declared = {name: resource["Type"] for name, resource in rendered["Resources"].items()}
    assert {name: declared.get(name) for name in source.resources} == dict(source.resources)


def test_every_skipped_check_gives_its_reason(variants: dict[str, Variant]) -> None:
    for name, variant in variants.items():
        template = yaml.load((variant.folder / "template.yaml").read_text(), Loader=CloudFormationLoader)
        for resource_name, resource in template["Resources"].items():
            for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                assert len(skip.get("comment", "")) > 20, f"{name}: {resource_name} skips {skip['id']} without a reason"


def test_stateful_resources_are_retained(variants: dict[str, Variant]) -> None:
    """Deleting or replacing the stack must not delete messages, records, keys or logs."""
    stateful = {
        "AWS::SQS::Queue",
        "AWS::Kinesis::Stream",
        "AWS::DynamoDB::Table",
        "AWS::KMS::Key",
        "AWS::Logs::LogGroup",
    }
    for name, variant in variants.items():
        template = yaml.load((variant.folder / "template.yaml").read_text(), Loader=CloudFormationLoader)
        for resource_name, resource in template["Resources"].items():
            if resource["Type"] in stateful:
                policies = (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy"))
                assert policies == ("Retain", "Retain"), f"{name}: {resource_name}"


# (answers, how to break their template.yaml, what must catch it)
BREAKAGES = [
    pytest.param({}, "BatchSize: 10\n", "BatchSize: 20000\n", "E3034", id="batch-size-over-the-sqs-limit"),
    pytest.param({}, "- ReportBatchItemFailures\n", "- ReportBatchItemFailure\n", "E3030", id="misspelt-response-type"),
    pytest.param({}, "VisibilityTimeout: 180\n", "VisibilityTimeout: 10\n", "E3505", id="visibility-below-timeout"),
    pytest.param(
        {"event_source": "sqs_fifo"}, "BatchSize: 10\n", "BatchSize: 11\n", "E3705", id="batch-size-over-the-fifo-limit"
    ),
    pytest.param(
        {"event_source": "kinesis"},
        "BatchSize: 10\n",
        "BatchSize: 20000\n",
        "E3034",
        id="batch-size-over-the-kinesis-limit",
    ),
    pytest.param(
        {"event_source": "dynamodb"},
        "StartingPosition: TRIM_HORIZON\n",
        "StartingPosition: OLDEST\n",
        "E3031",
        id="unknown-dynamodb-starting-position",
    ),
    pytest.param(
        {"event_source": "msk"}, "BatchSize: 10\n", "BatchSize: 20000\n", "E3034", id="batch-size-over-the-kafka-limit"
    ),
    pytest.param(
        {"event_source": "self_managed_kafka"},
        "MinimumPollers: 1\n",
        "MinimumPollers: 0\n",
        "E3034",
        id="kafka-mapping-without-a-poller",
    ),
]


@pytest.mark.parametrize(("answers", "before", "after", "rule"), BREAKAGES)
def test_the_expanded_lint_catches_what_sam_validate_misses(
    answers: dict[str, Any], before: str, after: str, rule: str, tmp_path: Path
) -> None:
    project = bake(tmp_path, **answers)
    template = project / "template.yaml"
    assert before in template.read_text()
    template.write_text(template.read_text().replace(before, after, 1))
    env = tool_environment(project, "requirements-iac.txt")

    assert run_tool(env, "sam", "validate", "--lint", cwd=project).returncode == 0
    result = expand_and_lint(env, project)

    assert result.returncode != 0
    assert rule in result.stdout


# One project per event source and the poller: the guard passes on each as generated.
GUARDED = [pytest.param({"event_source": source}, id=source) for source in EVENT_SOURCES] + [
    pytest.param({"invocation": "scheduled_poll", "batch_style": "context_manager"}, id="scheduled-poll")
]

# (answers, how to break their template.yaml, the project's guard test that must fail)
GUARD_BREAKAGES = [
    pytest.param(
        {},
        "            FunctionResponseTypes:\n              - ReportBatchItemFailures\n",
        "",
        "test_every_mapping_reports_batch_item_failures",
        id="mapping-loses-report-batch-item-failures",
    ),
    pytest.param(
        {},
        "      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt DeadLetterQueue.Arn\n"
        "        # A failed record is retried this many times, then moved to the DLQ.\n"
        "        maxReceiveCount: 5\n",
        "",
        "test_source_queues_redrive_to_a_dlq_and_outlast_the_function",
        id="queue-loses-redrive-policy",
    ),
    pytest.param(
        {},
        "VisibilityTimeout: 180\n",
        "VisibilityTimeout: 150\n",
        "test_source_queues_redrive_to_a_dlq_and_outlast_the_function",
        id="visibility-below-6x-timeout",
    ),
    pytest.param(
        {"invocation": "scheduled_poll", "batch_style": "context_manager"},
        "MessageRetentionPeriod: 1209600",
        "MessageRetentionPeriod: 345600",
        "test_source_queues_redrive_to_a_dlq_and_outlast_the_function",
        id="polled-queue-dlq-keeps-no-longer",
    ),
    pytest.param(
        {"event_source": "sqs_fifo"},
        "      # A FIFO queue's dead-letter queue must be FIFO too.\n      FifoQueue: true\n",
        "",
        "test_source_queues_redrive_to_a_dlq_and_outlast_the_function",
        id="fifo-queue-with-a-standard-dlq",
    ),
    pytest.param(
        {"event_source": "sns_sqs"},
        "                Action: kms:Decrypt\n",
        "                Action: kms:DescribeKey\n",
        "test_roles_allow_what_the_mappings_need",
        id="role-cannot-decrypt-the-queue",
    ),
    pytest.param(
        {"event_source": "kinesis"},
        "            FunctionResponseTypes:\n              - ReportBatchItemFailures\n",
        "",
        "test_every_mapping_reports_batch_item_failures",
        id="stream-mapping-loses-report-batch-item-failures",
    ),
    pytest.param(
        {"event_source": "kinesis"},
        "            DestinationConfig:\n              OnFailure:\n                Type: SQS\n"
        "                Destination: !GetAtt DeadLetterQueue.Arn\n",
        "",
        "test_stream_mappings_retry_boundedly_and_keep_what_they_skip",
        id="stream-mapping-loses-on-failure-destination",
    ),
    pytest.param(
        {"event_source": "kinesis"},
        "MaximumRetryAttempts: 5\n",
        "MaximumRetryAttempts: -1\n",
        "test_stream_mappings_retry_boundedly_and_keep_what_they_skip",
        id="stream-mapping-retries-forever",
    ),
    pytest.param(
        {"event_source": "kinesis"},
        "                Resource: !GetAtt SourceStream.Arn\n",
        '                Resource: "*"\n',
        "test_permissions_are_scoped_to_the_stack_resources",
        id="role-reads-every-stream",
    ),
    pytest.param(
        {"event_source": "dynamodb"},
        "            BisectBatchOnFunctionError: true\n",
        "",
        "test_stream_mappings_retry_boundedly_and_keep_what_they_skip",
        id="stream-mapping-does-not-bisect",
    ),
    pytest.param(
        {"event_source": "dynamodb"},
        "                Resource: !GetAtt SourceTable.StreamArn\n",
        "                Resource: !GetAtt SourceTable.Arn\n",
        "test_roles_allow_what_the_mappings_need",
        id="role-reads-the-table-not-its-stream",
    ),
    pytest.param(
        {"event_source": "msk"},
        "            FunctionResponseTypes:\n              - ReportBatchItemFailures\n",
        "",
        "test_every_mapping_reports_batch_item_failures",
        id="kafka-mapping-loses-report-batch-item-failures",
    ),
    pytest.param(
        {"event_source": "msk"},
        "            DestinationConfig:\n              OnFailure:\n                Type: SQS\n"
        "                Destination: !GetAtt DeadLetterQueue.Arn\n",
        "",
        "test_kafka_mappings_retry_boundedly_and_keep_what_they_skip",
        id="kafka-mapping-loses-on-failure-destination",
    ),
    pytest.param(
        {"event_source": "self_managed_kafka"},
        "MaximumRetryAttempts: 5\n",
        "MaximumRetryAttempts: -1\n",
        "test_kafka_mappings_retry_boundedly_and_keep_what_they_skip",
        id="kafka-mapping-retries-forever",
    ),
    pytest.param(
        {"event_source": "msk"},
        "            ProvisionedPollerConfig:\n              MinimumPollers: 1\n              MaximumPollers: 3\n",
        "",
        "test_kafka_mappings_retry_boundedly_and_keep_what_they_skip",
        id="kafka-mapping-not-in-provisioned-mode",
    ),
    pytest.param(
        {"event_source": "self_managed_kafka"},
        "            BisectBatchOnFunctionError: true\n",
        "",
        "test_kafka_mappings_retry_boundedly_and_keep_what_they_skip",
        id="kafka-mapping-does-not-bisect",
    ),
    pytest.param(
        {"event_source": "msk"},
        '"${Prefix}:topic/${Cluster}/${KafkaTopic}"',
        '"${Prefix}:topic/${Cluster}/*"',
        "test_roles_allow_what_the_mappings_need",
        id="role-reads-every-topic-of-the-cluster",
    ),
    pytest.param(
        {"event_source": "self_managed_kafka"},
        "                Resource: !Ref KafkaSecretArn\n",
        '                Resource: "*"\n',
        "test_permissions_are_scoped_to_the_stack_resources",
        id="role-reads-every-secret",
    ),
]


# The guard's tests of template.yaml; not the one of the lock, which these bakes do not make.
GUARD_TESTS = ("--no-cov", "-q", "tests/test_packaging.py", "-k", "not exported_from_the_lock")


def run_the_guard(project: Path, env: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(env / "bin" / "python"), "-m", "pytest", *GUARD_TESTS],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("answers", GUARDED)
def test_the_guard_passes_on_the_unbroken_template(
    answers: dict[str, Any], tmp_path: Path, environment_for: Callable[[str], Path]
) -> None:
    project = bake(tmp_path, **answers)

    run_in(project, environment_for("3.13"), "python", "-m", "pytest", *GUARD_TESTS)


@pytest.mark.parametrize(("answers", "before", "after", "failing_test"), GUARD_BREAKAGES)
def test_the_guard_fails_on_a_broken_copy(
    answers: dict[str, Any],
    before: str,
    after: str,
    failing_test: str,
    tmp_path: Path,
    environment_for: Callable[[str], Path],
) -> None:
    project = bake(tmp_path, **answers)
    template = project / "template.yaml"
    assert before in template.read_text()
    template.write_text(template.read_text().replace(before, after, 1))

    result = run_the_guard(project, environment_for("3.13"))

    assert result.returncode == 1, result.stdout
    assert f"FAILED tests/test_packaging.py::{failing_test}" in result.stdout


class SubTextLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags as their scalar text (`!Sub text` as the text)."""


SubTextLoader.add_multi_constructor(
    "!", lambda loader, suffix, node: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None
)
SUB_NAME = re.compile(r"\$\{([^}!][^}]*)\}")


DRAIN_METRICS = ("ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut")


def test_the_dashboard_graphs_the_batches_the_backlog_and_the_function(variants: dict[str, Variant]) -> None:
    """OperationsDashboard's body is JSON once CloudFormation substitutes its ${...} names, and it
    names only the stack's resources: the EMF records metrics, the DLQ's depth, the source's lag
    (which SourceLagAlarm watches), the function's health and, where the poller is drained by the
    state machine, its executions."""
    for name, variant in variants.items():
        template = yaml.load((variant.folder / "template.yaml").read_text(), Loader=SubTextLoader)
        resources = template["Resources"]
        body = resources["OperationsDashboard"]["Properties"]["DashboardBody"]
        named = {match.split(".")[0] for match in SUB_NAME.findall(body)}
        assert named - {"AWS::Region"} <= set(resources), name
        widgets = json.loads(SUB_NAME.sub("x", body))["widgets"]
        graphed = {metric[1] for widget in widgets for metric in widget["properties"]["metrics"]}
        lag = SOURCES[variant.answers["event_source"]].lag
        assert graphed == {
            "RecordsSucceeded",
            "RecordsFailed",
            "ApproximateNumberOfMessagesVisible",
            lag.metric,
            "Errors",
            "Throttles",
            "Duration",
            "ConcurrentExecutions",
            *DRAIN_METRICS * variant.drained,
        }, name
        alarm = resources["SourceLagAlarm"]["Properties"]
        assert (alarm["Namespace"], alarm["MetricName"]) == (lag.namespace, lag.metric), name
        queries = [resource for resource in resources.values() if resource["Type"] == "AWS::Logs::QueryDefinition"]
        assert len(queries) == 2, name
        for query in queries:
            assert query["Properties"]["Name"].startswith("${AWS::StackName}/"), name
            assert query["Properties"]["LogGroupNames"] == ["ProcessorLogGroup"], name


def test_every_alarm_notifies_the_alarm_action_when_given(variants: dict[str, Variant]) -> None:
    for name, variant in variants.items():
        text = (variant.folder / "template.yaml").read_text()
        template = yaml.load(text, Loader=CloudFormationLoader)
        resources = template["Resources"]
        alarms = [key for key, resource in resources.items() if resource["Type"] == "AWS::CloudWatch::Alarm"]
        drain_alarms = ["DrainFailedAlarm", "DrainTimedOutAlarm"] * variant.drained
        expected = ["DeadLetterQueueAlarm", "ProcessorErrorsAlarm", "SourceLagAlarm", *drain_alarms]
        assert sorted(alarms) == sorted(expected), name
        pattern = "AlarmActions: !If [HasAlarmAction, [!Ref AlarmActionArn], !Ref AWS::NoValue]"
        assert text.count(pattern) == len(alarms), name
