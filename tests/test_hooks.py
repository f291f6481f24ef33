"""The hooks as modules: each check, and the variant table of the post-generation hook."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .answers import BAD_ANSWERS, VALID_ANSWERS
from .matrix import CHOICE_OPTIONS, REPO


def load_hook(name: str) -> ModuleType:
    """Import a hook file as it is in the repo (its Jinja sits inside a string)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "hooks" / f"{name}.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
        pytest.param({"validation": "marshmallow"}, "validation 'marshmallow' is not one of", id="validation"),
        pytest.param({"python_runtime": "3.9"}, "python_runtime '3.9' is not one of", id="runtime"),
        pytest.param({"tracing": "maybe"}, "tracing must be yes or no", id="tracing"),
    ],
)
def test_an_unknown_choice_is_rejected(changes: dict[str, Any], message: str) -> None:
    """Cookiecutter rejects these first; the hook checks again for other callers."""
    assert message in pre_gen.first_error({**VALID_ANSWERS, **changes})


def test_the_hook_knows_every_choice_of_cookiecutter_json() -> None:
    choices = {name: list(values) for name, values in pre_gen.CHOICES.items()}
    expected = {name: values for name, values in CHOICE_OPTIONS.items() if name != "tracing"}
    assert choices == expected


@pytest.mark.parametrize("batch_size", ["1", "10", "11", "10000", " 25 "])
def test_batch_sizes_sqs_accepts_pass(batch_size: str) -> None:
    assert pre_gen.check_batch_size({**VALID_ANSWERS, "batch_size": batch_size}) is None


def test_main_prints_one_line_and_fails(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pre_gen, "ANSWERS_JSON", '{"project_name": ""}')

    assert pre_gen.main() == 1
    assert capsys.readouterr().err == "ERROR: project_name must not be empty\n"


def make_tree(root: Path, paths: list[str]) -> None:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(path)


def every_variant_file() -> list[str]:
    return [
        template.format(package_name="pkg")
        for files_by_value in post_gen.VARIANT_FILES.values()
        for templates in files_by_value.values()
        for template in templates
    ]


def test_keeps_the_chosen_variants_under_their_plain_names(tmp_path: Path) -> None:
    make_tree(tmp_path, every_variant_file())
    answers = {"package_name": "pkg", "batch_style": "context_manager", "validation": "jsonschema"}

    post_gen.select_variant_files(tmp_path, answers)

    remaining = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.*"))
    assert remaining == [
        "src/pkg/handler.py",
        "src/pkg/order.schema.json",
        "src/pkg/schema.py",
    ]
    assert (tmp_path / "src/pkg/handler.py").read_text() == "src/pkg/handler.context_manager.py"


def test_fails_loudly_when_a_listed_file_is_missing(tmp_path: Path) -> None:
    make_tree(tmp_path, every_variant_file()[1:])
    answers = {"package_name": "pkg", "batch_style": "decorator", "validation": "pydantic"}

    with pytest.raises(post_gen.VariantFileMissing, match="listed but missing"):
        post_gen.select_variant_files(tmp_path, answers)


def test_every_listed_variant_file_is_in_the_template() -> None:
    template = REPO / "{{cookiecutter.project_slug}}"
    for path in every_variant_file():
        rendered_path = path.replace("pkg", "{{cookiecutter.package_name}}", 1)
        assert (template / rendered_path).is_file(), path


def test_the_table_covers_every_value_of_its_options() -> None:
    for option, files_by_value in post_gen.VARIANT_FILES.items():
        assert sorted(files_by_value) == sorted(CHOICE_OPTIONS[option])
