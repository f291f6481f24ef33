"""The hooks as modules: each check, and the variant table of the post-generation hook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import template_facts

from .answers import BAD_ANSWERS, VALID_ANSWERS
from .matrix import CHOICE_OPTIONS, REPO, all_combinations, load_hook

pre_gen = load_hook("pre_gen_project")
post_gen = load_hook("post_gen_project")


def test_valid_answers_pass_every_check() -> None:
    assert pre_gen.first_error(VALID_ANSWERS) is None


@pytest.mark.parametrize(("changes", "message"), BAD_ANSWERS)
def test_a_bad_answer_gets_its_message(changes: dict[str, Any], message: str) -> None:
    error = pre_gen.first_error({**VALID_ANSWERS, **changes})

    assert error is not None
    assert message in error
    assert "\n" not in error


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"batch_style": "generator"}, "batch_style 'generator' is not one of", id="style"),
        pytest.param({"event_source": "kafka"}, "event_source 'kafka' is not one of", id="source"),
        pytest.param({"on_first_failure": "retry"}, "on_first_failure 'retry' is not one of", id="on-failure"),
        pytest.param({"validation": "marshmallow"}, "validation 'marshmallow' is not one of", id="validation"),
        pytest.param({"python_runtime": "3.9"}, "python_runtime '3.9' is not one of", id="runtime"),
        pytest.param({"iac": "terraform"}, "iac 'terraform' is not one of: sam, cdk", id="iac"),
        pytest.param(
            {"scheduler": "cron"}, "scheduler 'cron' is not one of: eventbridge, step_functions", id="scheduler"
        ),
        pytest.param({"tracing": "maybe"}, "tracing must be yes or no", id="tracing"),
        pytest.param({"idempotency": "sometimes"}, "idempotency must be yes or no", id="idempotency"),
    ],
)
def test_an_unknown_choice_is_rejected(changes: dict[str, Any], message: str) -> None:
    """Cookiecutter rejects these first; the hook checks again for other callers."""
    assert message in pre_gen.first_error({**VALID_ANSWERS, **changes})


def test_the_hook_knows_every_choice_of_cookiecutter_json() -> None:
    choices = {name: list(values) for name, values in pre_gen.CHOICES.items()}
    expected = {name: values for name, values in CHOICE_OPTIONS.items() if name not in {"tracing", "idempotency"}}
    assert choices == expected


@pytest.mark.parametrize("batch_size", ["1", "10", "11", "10000", " 25 "])
def test_batch_sizes_sqs_accepts_pass(batch_size: str) -> None:
    assert pre_gen.check_batch_size({**VALID_ANSWERS, "batch_size": batch_size}) is None


def test_main_prints_one_line_and_fails(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pre_gen, "ANSWERS_JSON", '{"project_name": ""}')

    assert pre_gen.main() == 1
    assert capsys.readouterr().err == "ERROR: project_name must not be empty\n"


@pytest.mark.parametrize("expression", ["rate(1 minute)", "rate(5 minutes)", "rate(12 hours)", "cron(0/15 * * * ? *)"])
def test_schedule_expressions_eventbridge_accepts_pass(expression: str) -> None:
    assert pre_gen.check_schedule_expression({"schedule_expression": expression}) is None


PROJECT_TEMPLATE = REPO / "{{cookiecutter.project_slug}}"


def make_tree(root: Path) -> None:
    """The project template's files, each holding its own path, with the package renamed."""
    for template in PROJECT_TEMPLATE.rglob("*"):
        if template.is_file():
            path = str(template.relative_to(PROJECT_TEMPLATE)).replace("{{cookiecutter.package_name}}", "pkg")
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(path)


def select(root: Path, **changes: Any) -> None:
    post_gen.select_variant_files(root, template_facts.derive({**VALID_ANSWERS, **changes}).markers)


def test_keeps_the_chosen_variants_under_their_plain_names(tmp_path: Path) -> None:
    make_tree(tmp_path)

    select(
        tmp_path,
        event_source="kinesis",
        on_first_failure="stop",
        batch_style="context_manager",
        validation="jsonschema",
    )

    variants = sorted(
        str(path.relative_to(tmp_path))
        for path in tmp_path.rglob("*.*")
        if path.is_file() and path.read_text() != str(path.relative_to(tmp_path))
    )
    assert variants == [
        "local/cloudformation.py",
        "local/mapping.py",
        "local/requirements-iac.txt",
        "local/sam_translate.py",
        "local/shards.py",
        "ops/dead_letters.py",
        "ops/ranges.py",
        "ops/replay.py",
        "ops/streams.py",
        "samconfig.toml",
        "src/pkg/handler.py",
        "src/pkg/order.schema.json",
        "src/pkg/ordered_processor.py",
        "src/pkg/schema.py",
        "template.yaml",
        "tests/shard_poller.py",
        "tests/test_handler.py",
        "tests/test_ranges.py",
        "tests/test_replay.py",
        "tests/test_stream.py",
    ]
    assert (tmp_path / "src/pkg/handler.py").read_text() == "src/pkg/handler.context_manager.py"
    assert (tmp_path / "local/mapping.py").read_text() == "local/mapping.event_source_mapping.py"
    assert not list(tmp_path.rglob("*.decorator.*"))


def test_sam_keeps_the_template_and_drops_the_cdk_app(tmp_path: Path) -> None:
    make_tree(tmp_path)

    select(tmp_path, iac="sam")

    assert (tmp_path / "template.yaml").read_text() == "template.sam.yaml"
    assert (tmp_path / "local/cloudformation.py").read_text() == "local/cloudformation.sam.py"
    assert not (tmp_path / "cdk.json").exists()
    assert not (tmp_path / "infra").exists()  # every file of it was the CDK's: no empty folder


def test_cdk_keeps_the_app_and_drops_the_sam_template(tmp_path: Path) -> None:
    make_tree(tmp_path)

    select(tmp_path, iac="cdk")

    assert (tmp_path / "cdk.json").read_text() == "cdk.cdk.json"
    assert (tmp_path / "infra/app.py").read_text() == "infra/app.cdk.py"
    assert (tmp_path / "infra/stack.py").read_text() == "infra/stack.cdk.py"
    assert (tmp_path / "local/cloudformation.py").read_text() == "local/cloudformation.cdk.py"
    assert (tmp_path / "local/requirements-iac.txt").read_text() == "local/requirements-iac.cdk.txt"
    for gone in ("template.yaml", "samconfig.toml", "local/sam_translate.py"):
        assert not (tmp_path / gone).exists(), gone
    assert not list(tmp_path.rglob("*.sam.*"))
    assert not list(tmp_path.rglob("*.cdk.*"))


def test_the_poller_keeps_its_own_handler(tmp_path: Path) -> None:
    make_tree(tmp_path)

    select(tmp_path, invocation="scheduled_poll", batch_style="context_manager")

    assert (tmp_path / "src/pkg/handler.py").read_text() == "src/pkg/handler.scheduled_poll.py"
    assert (tmp_path / "local/mapping.py").read_text() == "local/mapping.scheduled_poll.py"
    assert (tmp_path / "src/pkg/poller.py").is_file()
    assert not (tmp_path / "tests/test_handler.py").exists()


@pytest.mark.parametrize(
    ("source", "on_first_failure", "ordered_processor"),
    [
        pytest.param("kinesis", "stop", True, id="stream-stop"),
        pytest.param("msk", "stop", True, id="kafka-stop"),
        pytest.param("self_managed_kafka", "continue", False, id="kafka-continue"),
        pytest.param("dynamodb", "continue", False, id="stream-continue"),
        pytest.param("sqs_fifo", "stop", False, id="fifo-stop-is-powertools-own"),
        pytest.param("sqs", "continue", False, id="continue-means-nothing-for-sqs"),
    ],
)
def test_only_the_template_s_own_processor_is_kept(
    tmp_path: Path, source: str, on_first_failure: str, ordered_processor: bool
) -> None:
    make_tree(tmp_path)

    select(tmp_path, event_source=source, on_first_failure=on_first_failure)

    assert (tmp_path / "src/pkg/ordered_processor.py").exists() == ordered_processor
    assert (tmp_path / "tests/test_stream.py").exists() == template_facts.SOURCES[source].stream


def test_every_marker_in_the_template_is_known() -> None:
    """A file named stem.<word>.ext whose word is no marker would be kept under its marked name:
    every such word is a marker of template_facts, and every marker marks a file."""
    used = set()
    for path in PROJECT_TEMPLATE.rglob("*"):
        parts = path.name.rsplit(".", 2)
        if path.is_file() and len(parts) == 3 and parts[0]:
            assert parts[1] in template_facts.MARKERS, path
            used.add(parts[1])
    assert used == set(template_facts.MARKERS)


def test_the_hook_reads_the_markers_of_template_facts() -> None:
    for answers in all_combinations():
        hook = load_hook("post_gen_project", {**VALID_ANSWERS, **answers})
        assert json.loads(hook.MARKERS_JSON) == template_facts.derive(answers).markers
        break


def test_no_kept_file_collides_with_another() -> None:
    """Two variant files kept in one project must not take the same name."""
    for answers in all_combinations():
        markers = template_facts.derive(answers).markers
        kept = [
            path.parent / path.name.replace(f".{marker}.", ".")
            for path in PROJECT_TEMPLATE.rglob("*")
            if (marker := post_gen.marker_of(path.name, markers)) and markers[marker]
        ]
        assert len(kept) == len(set(kept)), answers
