"""The Markdown check of the bake test catches each fault a rendered README has had."""

from __future__ import annotations

from pathlib import Path

import pytest

from .markdown import LINE_LENGTH, assert_markdown_reads_well, markdown_problems

GOOD = f"""# Title

A paragraph, wrapped
over two lines.

## Section

| file | what it holds |
| --- | --- |
| `events/mixed.json` | {"a long cell " * 20}|

```text
{"a long line in a code block" * 10}
```

- a list item
- another
"""


def test_a_well_written_file_passes(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text(GOOD)

    assert_markdown_reads_well(path)


# Each fault: what a sample of GOOD becomes, and the rule that must name it.
FAULTS = {
    "blank-lines": ("two lines.\n\n## Section", "two lines.\n\n\n\n## Section", "MD012"),
    "no-blank-after-heading": ("## Section\n\n| file", "## Section\n| file", "MD022"),
    "no-blank-before-heading": ("two lines.\n\n## Section", "two lines.\n## Section", "MD022"),
    "long-line": ("two lines.", "two lines. " + "and on " * 20 + "and on.", "MD013"),
    "sentences-joined-long": ("wrapped\nover", "wrapped " + "and on " * 17 + "over", "MD013"),
    "no-blank-after-table": ("|\n\n```text", "|\n```text", "MD058"),
    "no-blank-before-list": ("```\n\n- a list", "```\n- a list", "MD032"),
    "trailing-spaces": ("wrapped\nover", "wrapped  \nover", "MD009"),
    "code-block-without-language": ("```text", "```", "MD040"),
}


@pytest.mark.parametrize(("good", "bad", "rule"), list(FAULTS.values()), ids=list(FAULTS))
def test_each_fault_is_caught(tmp_path: Path, good: str, bad: str, rule: str) -> None:
    assert good in GOOD
    path = tmp_path / "README.md"
    path.write_text(GOOD.replace(good, bad, 1))

    with pytest.raises(AssertionError, match=rule):
        assert_markdown_reads_well(path)


def test_long_lines_are_allowed_only_in_code_blocks_and_tables() -> None:
    long_line = " ".join(["word"] * (LINE_LENGTH // 4))  # 1.25 x LINE_LENGTH

    assert markdown_problems(f"# Title\n\n```text\n{long_line}\n```\n") == []
    assert markdown_problems(f"# Title\n\n| a |\n| --- |\n| {long_line} |\n") == []
    assert [problem.split()[2] for problem in markdown_problems(f"# Title\n\n{long_line}\n")] == ["MD013"]
