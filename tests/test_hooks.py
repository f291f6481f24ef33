"""The hooks as modules: each check, and the variant table of the post-generation hook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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


def make_tree(root: Path, paths: list[str]) -> None:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(path)


def every_variant_file() -> list[str]:
    return [template.format(package_name="pkg") for _, templates in post_gen.VARIANT_FILES for template in templates]


def test_keeps_the_chosen_variants_under_their_plain_names(tmp_path: Path) -> None:
    make_tree(tmp_path, every_variant_file())
    answers = {
        "package_name": "pkg",
        "event_source": "kinesis",
        "on_first_failure": "stop",
        "idempotency": False,
        "invocation": "event_source_mapping",
        "batch_style": "context_manager",
        "validation": "jsonschema",
    }

    post_gen.select_variant_files(tmp_path, answers)

    remaining = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.*"))
    assert remaining == [
        "events/all_failed.json",
        "events/all_good.json",
        "events/mixed.json",
        "local/mapping.py",
        "local/shards.py",
        "src/pkg/handler.py",
        "src/pkg/order.schema.json",
        "src/pkg/ordered_processor.py",
        "src/pkg/records.py",
        "src/pkg/schema.py",
        "tests/shard_poller.py",
        "tests/test_handler.py",
        "tests/test_records.py",
        "tests/test_stream.py",
    ]
    assert (tmp_path / "events/mixed.json").read_text() == "events/mixed.kinesis.json"
    assert (tmp_path / "src/pkg/records.py").read_text() == "src/pkg/records.kinesis.py"
    assert (tmp_path / "src/pkg/handler.py").read_text() == "src/pkg/handler.context_manager.py"


def test_the_poller_keeps_its_own_handler(tmp_path: Path) -> None:
    make_tree(tmp_path, every_variant_file())
    answers = {
        "package_name": "pkg",
        "event_source": "sqs",
        "on_first_failure": "stop",
        "idempotency": False,
        "invocation": "scheduled_poll",
        "batch_style": "context_manager",
        "validation": "pydantic",
    }

    post_gen.select_variant_files(tmp_path, answers)

    assert (tmp_path / "src/pkg/handler.py").read_text() == "src/pkg/handler.scheduled_poll.py"
    assert (tmp_path / "src/pkg/poller.py").is_file()
    assert not (tmp_path / "tests/test_handler.py").exists()
    assert (tmp_path / "events/mixed.json").read_text() == "events/mixed.sqs.json"


@pytest.mark.parametrize(
    ("source", "on_first_failure", "records", "ordered_processor"),
    [
        pytest.param("sqs_fifo", "stop", "records.sqs.py", False, id="fifo-shares-the-sqs-reader"),
        pytest.param("dynamodb", "continue", "records.dynamodb.py", False, id="stream-continue"),
        pytest.param("sqs", "continue", "records.sqs.py", False, id="continue-means-nothing-for-sqs"),
    ],
)
def test_each_source_keeps_its_reader_and_only_ordered_streams_their_processor(
    tmp_path: Path, source: str, on_first_failure: str, records: str, ordered_processor: bool
) -> None:
    make_tree(tmp_path, every_variant_file())
    answers = {
        "package_name": "pkg",
        "event_source": source,
        "on_first_failure": on_first_failure,
        "idempotency": False,
        "invocation": "event_source_mapping",
        "batch_style": "decorator",
        "validation": "pydantic",
    }

    post_gen.select_variant_files(tmp_path, answers)

    assert (tmp_path / "src/pkg/records.py").read_text() == f"src/pkg/{records}"
    assert (tmp_path / "src/pkg/ordered_processor.py").exists() == ordered_processor


def test_fails_loudly_when_a_listed_file_is_missing(tmp_path: Path) -> None:
    make_tree(tmp_path, every_variant_file()[1:])
    answers = {
        "package_name": "pkg",
        "event_source": "sqs",
        "on_first_failure": "stop",
        "idempotency": False,
        "invocation": "event_source_mapping",
        "batch_style": "decorator",
        "validation": "pydantic",
    }

    with pytest.raises(post_gen.VariantFileMissing, match="listed but missing"):
        post_gen.select_variant_files(tmp_path, answers)


def test_every_listed_variant_file_is_in_the_template() -> None:
    template = REPO / "{{cookiecutter.project_slug}}"
    for path in every_variant_file():
        rendered_path = path.replace("pkg", "{{cookiecutter.package_name}}", 1)
        assert (template / rendered_path).is_file(), path


def test_no_kept_file_collides_with_another() -> None:
    """At most one row that a supported combination keeps may claim each final path."""
    for answers in all_combinations():
        kept = [
            str(post_gen.unmarked(Path(template)))
            for condition, templates in post_gen.VARIANT_FILES
            if post_gen.chosen(condition, answers)
            for template in templates
        ]
        assert len(kept) == len(set(kept)), answers
