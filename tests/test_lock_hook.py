"""The post-generation hook locks the project with uv when it can, never fails the bake when it
cannot, and ends with a few lines on what to run next."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from .answers import VALID_ANSWERS
from .baking import bake
from .matrix import load_hook

POST_GEN = load_hook("post_gen_project")
NEXT_COMMANDS = ("make install", "make test", "make local")


def summary_of(printed: str) -> list[str]:
    """The hook's lines: from "Generated ..." to the last of the next commands."""
    lines = printed.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("Generated "))
    return lines[start : start + next(i for i, line in enumerate(lines[start:]) if "make local" in line) + 1]


def test_a_bake_where_uv_is_missing_succeeds_and_says_what_to_run(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    project = bake(tmp_path)  # uv hidden from the hook's PATH

    summary = summary_of(capfd.readouterr().out)
    assert not (project / "uv.lock").exists()
    assert "--hash" not in (project / "src/requirements.txt").read_text()
    assert summary[0] == (
        "Generated order-events/: sqs source, event source mapping, decorator style, sequential records,"
        " pydantic validation, AWS SAM, Python 3.13."
    )
    assert "No uv.lock yet (uv is not on PATH): the first `make install` makes it; commit it." in summary
    assert any("python3 -m pip install --user uv" in line for line in summary)
    assert all(any(command in line for line in summary) for command in NEXT_COMMANDS)
    assert len(summary) <= 10
    readme = (project / "README.md").read_text()
    assert all(command in readme for command in NEXT_COMMANDS)


def test_a_bake_with_no_package_index_succeeds_and_leaves_no_lock(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens on port 9 of this machine; no cache to fall back on; no retries.
    monkeypatch.setenv("UV_DEFAULT_INDEX", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("UV_NO_CACHE", "1")
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")

    project = bake(tmp_path, lock=True)

    summary = summary_of(capfd.readouterr().out)
    assert not (project / "uv.lock").exists()
    assert "--hash" not in (project / "src/requirements.txt").read_text()
    (reason,) = [line for line in summary if line.startswith("No uv.lock yet")]
    assert reason.startswith("No uv.lock yet (`uv lock` failed: ")
    assert not any("install --user uv" in line for line in summary)  # uv is there: the index is not


def test_a_bake_where_uv_can_lock_exports_the_runtime_dependencies_with_hashes(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    project = bake(tmp_path, lock=True, validation="jsonschema")

    summary = summary_of(capfd.readouterr().out)
    assert "Dependencies locked in uv.lock (commit it); src/requirements.txt exported from it." in summary
    locked = {package["name"] for package in tomllib.loads((project / "uv.lock").read_text())["package"]}
    requirements = (project / "src/requirements.txt").read_text()
    pinned = {line.split("==")[0] for line in requirements.splitlines() if "==" in line}
    assert {"aws-lambda-powertools", "fastjsonschema"} <= pinned <= locked
    assert not pinned & {"pytest", "ruff", "mypy", "moto", "mutmut"}  # no dev tool is deployed
    lines = requirements.splitlines()
    assert all(
        lines[index + 1].strip().startswith("--hash=sha256:") for index, line in enumerate(lines) if "==" in line
    )


@pytest.mark.parametrize(
    ("not_locked", "install_hint"),
    [
        pytest.param(None, False, id="locked"),
        pytest.param("uv is not on PATH", True, id="no-uv"),
        pytest.param("`uv lock` failed: connection refused", False, id="no-index"),
    ],
)
def test_the_summary_is_a_few_lines(not_locked: str | None, install_hint: bool) -> None:
    lines = POST_GEN.next_steps(VALID_ANSWERS, not_locked).splitlines()

    assert len(lines) == 7 + install_hint
    assert lines[-4:-3] == [f"  cd {VALID_ANSWERS['project_slug']}"]
    assert any("install --user uv" in line for line in lines) == install_hint


def test_a_cdk_project_is_told_how_to_synthesize() -> None:
    sam = POST_GEN.next_steps(VALID_ANSWERS, None).splitlines()
    cdk = POST_GEN.next_steps({**VALID_ANSWERS, "iac": "cdk"}, None).splitlines()

    assert "AWS SAM" in sam[0]
    assert "AWS CDK" in cdk[0]
    assert cdk[1:] == [*sam[1:], cdk[-1]]
    assert cdk[-1].startswith("  make synth ")
