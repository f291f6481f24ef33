"""template_facts: the one table that the Jinja, the hooks and these tests read, and the layout
rules that keep every decision there."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import template_facts
from template_facts import SOURCES, derive

from .answers import VALID_ANSWERS
from .matrix import COOKIECUTTER_JSON, PRE_GEN, REPO, all_combinations

PROJECT_TEMPLATE = REPO / "{{cookiecutter.project_slug}}"
PIECES = REPO / "templates"
# Powertools 3's EventType members.
EVENT_TYPES = {"SQS", "KinesisDataStreams", "DynamoDBStreams", "Kafka"}


def rendered_files() -> list[Path]:
    """What cookiecutter renders: the project folder and the pieces it includes."""
    return [path for root in (PROJECT_TEMPLATE, PIECES) for path in sorted(root.rglob("*")) if path.is_file()]


def test_cookiecutter_json_offers_the_sources_of_the_table_in_its_order() -> None:
    assert COOKIECUTTER_JSON["event_source"] == list(SOURCES)
    assert set(COOKIECUTTER_JSON["__prompts__"]["event_source"]) == {"__prompt__", *SOURCES}


@pytest.mark.parametrize("source", SOURCES.values(), ids=list(SOURCES))
def test_each_row_is_consistent(source: template_facts.Source) -> None:
    low, high = source.batch_size
    assert 1 <= low <= high <= 10_000
    assert source.event_type in EVENT_TYPES
    assert (PIECES / "families" / source.family).is_dir()
    # Its records are a Records list whose id is a path, or Kafka's map with its composite id.
    assert (source.record_id is None) == source.records_by_partition
    # Its sample events are checked against SAM's sample, or against Powertools' event model.
    assert (source.aws_sample is None) == (source.event_model is not None)
    assert set(source.processors) == set(source.orderings) == set(COOKIECUTTER_JSON["on_first_failure"])
    assert set(source.orderings.values()) <= {"stop", "group", "continue"}
    # An unordered source has nothing to stop for: on_first_failure changes nothing.
    changes = {(source.processors[answer], source.orderings[answer]) for answer in source.processors}
    assert source.ordered == (len(changes) > 1)
    assert source.stream == (source.family == "stream")
    assert (PIECES / source.dir).is_dir()
    # A source with the group rule names its groups in prose; the rule is why it has them.
    assert (source.group_noun is not None) == ("group" in source.orderings.values())
    # Async is refused with stop exactly where stop is a rule of its own (not the group rule).
    assert (source.stop_not_concurrent is not None) == (source.orderings["stop"] == "stop")


@pytest.mark.parametrize(
    ("changes", "processor", "ordering"),
    [
        pytest.param({"event_source": "sqs"}, "BatchProcessor", "continue", id="sqs"),
        pytest.param(
            {"event_source": "sns_sqs", "on_first_failure": "continue"}, "BatchProcessor", "continue", id="sns"
        ),
        pytest.param({"event_source": "sqs_fifo"}, "SqsFifoPartialProcessor", "stop", id="fifo-stop"),
        pytest.param(
            {"event_source": "sqs_fifo", "on_first_failure": "continue"},
            "SqsFifoPartialProcessor",
            "group",
            id="fifo-continue",
        ),
        pytest.param({"event_source": "kinesis"}, "OrderedStreamProcessor", "stop", id="kinesis-stop"),
        pytest.param({"event_source": "msk"}, "OrderedPartitionProcessor", "group", id="msk-stop"),
        pytest.param(
            {"event_source": "self_managed_kafka", "on_first_failure": "continue"},
            "BatchProcessor",
            "continue",
            id="kafka-continue",
        ),
        pytest.param(
            {"event_source": "dynamodb", "on_first_failure": "continue"},
            "BatchProcessor",
            "continue",
            id="ddb-continue",
        ),
        pytest.param({"concurrency": "async"}, "ConcurrentBatchProcessor", "continue", id="sqs-async"),
        pytest.param(
            {"concurrency": "async", "event_source": "sqs_fifo", "on_first_failure": "continue"},
            "ConcurrentBatchProcessor",
            "group",
            id="fifo-continue-async",
        ),
        pytest.param(
            {"concurrency": "async", "event_source": "msk"}, "ConcurrentBatchProcessor", "group", id="msk-stop-async"
        ),
    ],
)
def test_the_processor_and_its_rule_follow_the_source_and_the_answer(
    changes: dict[str, Any], processor: str, ordering: str
) -> None:
    facts = derive({**VALID_ANSWERS, **changes})

    assert (facts.processor, facts.ordering) == (processor, ordering)
    assert facts.own_processor == (processor in {"OrderedStreamProcessor", "OrderedPartitionProcessor"})
    assert facts.concurrent_groups == (facts.concurrent and ordering == "group")
    assert (facts.skipped_error == "GroupCircuitBreakerError") == facts.concurrent_groups


def test_async_is_refused_exactly_where_stop_must_end_each_record_before_the_next() -> None:
    """The pairings the pre-generation hook refuses are the sources whose stop is their own rule."""
    refused = {
        pairing["event_source"]
        for pairing, _ in PRE_GEN.UNSUPPORTED_COMBINATIONS
        if pairing.get("concurrency") == "async"
    }
    assert refused == {name for name, source in SOURCES.items() if source.orderings["stop"] == "stop"}


@pytest.mark.parametrize(
    ("changes", "true"),
    [
        pytest.param({}, {"event_source_mapping", "decorator", "queued", "pydantic", "sam"}, id="defaults"),
        pytest.param(
            {"iac": "cdk", "event_source": "msk", "idempotency": True},
            {"event_source_mapping", "decorator", "own_processor", "ranges", "pydantic", "idempotent", "cdk"},
            id="cdk-msk",
        ),
        pytest.param(
            {"invocation": "scheduled_poll", "batch_style": "context_manager", "idempotency": True},
            {"scheduled_poll", "queued", "pydantic", "idempotent", "sam"},
            id="poller",
        ),
        pytest.param(
            {"invocation": "scheduled_poll", "batch_style": "context_manager", "scheduler": "step_functions"},
            {"scheduled_poll", "step_functions", "queued", "pydantic", "sam"},
            id="poller-step-functions",
        ),
        pytest.param(
            {"event_source": "kinesis", "batch_style": "context_manager", "validation": "jsonschema"},
            {"event_source_mapping", "context_manager", "stream", "ranges", "own_processor", "jsonschema", "sam"},
            id="kinesis",
        ),
        pytest.param(
            {"event_source": "dynamodb", "on_first_failure": "continue"},
            {"event_source_mapping", "decorator", "stream", "ranges", "pydantic", "sam"},
            id="dynamodb-continue",
        ),
        pytest.param(
            {"event_source": "sqs_fifo", "on_first_failure": "continue", "concurrency": "async"},
            {"event_source_mapping", "decorator", "queued", "concurrent", "pydantic", "sam"},
            id="fifo-async",
        ),
    ],
)
def test_the_markers_keep_the_variant_files_of_the_answers(changes: dict[str, Any], true: set[str]) -> None:
    markers = derive({**VALID_ANSWERS, **changes}).markers

    assert set(markers) == template_facts.MARKERS
    assert {marker for marker, kept in markers.items() if kept} == true


@pytest.mark.parametrize(
    ("changes", "drained", "seconds"),
    [
        pytest.param({"scheduler": "step_functions"}, True, 300, id="every-5-minutes"),
        pytest.param({"scheduler": "step_functions", "schedule_expression": "rate(1 minute)"}, True, 60, id="minute"),
        pytest.param({"scheduler": "step_functions", "schedule_expression": "rate(2 hours)"}, True, 600, id="2-hours"),
        pytest.param(
            {"scheduler": "step_functions", "schedule_expression": "cron(0/15 * * * ? *)"}, True, 600, id="cron"
        ),
        pytest.param({}, False, 300, id="eventbridge"),
    ],
)
def test_a_drain_ends_within_the_schedule_interval_and_ten_minutes(
    changes: dict[str, Any], drained: bool, seconds: int
) -> None:
    """A drain's TimeoutSeconds is the schedule's interval, so a tick's drain has ended when the
    next starts, but never more than DRAIN_MAX_SECONDS (a cron schedule's gaps vary: that bound)."""
    facts = derive({**VALID_ANSWERS, "invocation": "scheduled_poll", "batch_style": "context_manager", **changes})

    assert facts.drained == drained
    assert facts.drain_seconds == seconds


def test_only_the_poller_is_drained() -> None:
    assert not derive({**VALID_ANSWERS, "scheduler": "step_functions"}).drained


def test_every_supported_combination_has_its_facts() -> None:
    for answers in all_combinations():
        facts = derive(answers)
        assert facts.source.name == answers["event_source"]
        assert not (facts.polled and facts.source.not_pollable)


PART = re.compile(
    r"""\b(source|invocation|ordering|batch_style|iac|recovery|concurrency|scheduler)\.part\(["']([^"']+)["']\)([^%]*)%"""
)
# The folders each kind of piece has one of per value.
FOLDERS = {
    "source": {f"sources/{name}" for name in SOURCES},
    "invocation": {f"invocations/{name}" for name in COOKIECUTTER_JSON["invocation"]},
    "ordering": {f"orderings/{name}" for source in SOURCES.values() for name in source.orderings.values()},
    "batch_style": {f"batch_styles/{name}" for name in COOKIECUTTER_JSON["batch_style"]},
    "iac": {f"iacs/{name}" for name in COOKIECUTTER_JSON["iac"]},
    "recovery": {f"recoveries/{source.recovery}" for source in SOURCES.values()},
    "concurrency": {f"concurrencies/{name}" for name in COOKIECUTTER_JSON["concurrency"]},
    "scheduler": {f"schedulers/{name}" for name in COOKIECUTTER_JSON["scheduler"]},
}


def test_every_piece_a_template_pulls_is_in_every_folder_of_its_kind() -> None:
    """A new source's folder (or a new invocation's, ...) must hold the same pieces as the others:
    a missing one would fail its bakes."""
    pulled = {
        (kind, piece)
        for path in rendered_files()
        for kind, piece, rest in PART.findall(path.read_text(encoding="utf-8"))
        if "ignore missing" not in rest
    }
    assert {kind for kind, _ in pulled} == set(FOLDERS)
    missing = [
        f"{folder}/{piece}"
        for kind, piece in sorted(pulled)
        for folder in sorted(FOLDERS[kind])
        if not (PIECES / folder / piece).is_file()
    ]
    assert missing == []


# A tag that decides on these answers re-derives a fact that template_facts computes once.
DECIDED_BY_THE_FACTS = re.compile(
    r"\{%[^%]*cookiecutter\.(event_source|invocation|on_first_failure|scheduler)[^%]*%\}|\{%[^%]*\bsource\.name\b[^%]*==[^%]*%\}"
)


def test_no_template_decides_on_the_source_by_name() -> None:
    """Sources, the poller and the ordering rule are decided in template_facts alone: the
    Jinja reads `source` and `facts`, and a source's differences live in its folder."""
    offending = [
        f"{path.relative_to(REPO)}: {match.group(0)[:80]}"
        for path in rendered_files()
        for match in DECIDED_BY_THE_FACTS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offending == []


def test_a_new_source_is_a_row_a_choice_and_a_folder(tmp_path: Path) -> None:
    """The recipe of CONTRIBUTING.md, tried: a copy of the template gains a source by one row in
    template_facts.py, one choice in cookiecutter.json and one folder (a copy of sqs's, under a
    new name), and bakes a project the same as sqs's but for the name."""
    template = tmp_path / "template"
    shutil.copytree(REPO, template, ignore=shutil.ignore_patterns(".git", ".cache", "__pycache__"))
    with (template / "template_facts.py").open("a") as facts:
        facts.write('\nSOURCES["sqs_copy"] = dataclasses.replace(SOURCES["sqs"], name="sqs_copy")\n')
    questions = json.loads((template / "cookiecutter.json").read_text())
    questions["event_source"].append("sqs_copy")
    questions["__prompts__"]["event_source"]["sqs_copy"] = "sqs_copy: a copy of sqs"
    (template / "cookiecutter.json").write_text(json.dumps(questions))
    shutil.copytree(PIECES / "sources" / "sqs", template / "templates" / "sources" / "sqs_copy")

    projects = {}
    for source in ("sqs", "sqs_copy"):
        command = ["cookiecutter", "--no-input", "-o", str(tmp_path / source), str(template), f"event_source={source}"]
        baked = subprocess.run(
            [sys.executable, "-m", *command],
            cwd=tmp_path,  # not the repository's, whose template_facts would be found first
            capture_output=True,
            text=True,
            check=False,
        )
        assert baked.returncode == 0, baked.stderr[-3000:]
        projects[source] = tmp_path / source / "order-events"

    def files(project: Path) -> dict[str, str]:
        return {
            str(path.relative_to(project)): path.read_text().replace("sqs_copy", "sqs").replace("sqs copy", "sqs")
            for path in project.rglob("*")
            if path.is_file() and path.name != ".cruft.json"
        }

    assert files(projects["sqs_copy"]) == files(projects["sqs"])
