"""Rendered Markdown must read as if written by hand: checked with pymarkdown (pymarkdownlnt, a
GitHub Flavored Markdown linter) on the rules below, every other rule off."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from pymarkdown.api import PyMarkdownApi
from pymarkdown.tokens.markdown_token import MarkdownToken

# pymarkdown's rule ids, and what each asks of the file.
RULES = {
    "md001": "heading levels go down one at a time",
    "md009": "no trailing spaces",
    "md010": "no hard tabs",
    "md012": "no run of blank lines",
    "md013": "no line over LINE_LENGTH characters, outside code blocks and tables",
    "md022": "a blank line before and after every heading",
    "md025": "one title",
    "md031": "a blank line before and after every fenced code block",
    "md032": "a blank line before and after every list",
    "md040": "a language on every fenced code block",
    "md047": "one newline at the end of the file",
    "md051": "links to a heading of the file name one that exists",
    "md056": "every row of a table has the header's number of cells",
    "md058": "a blank line before and after every table",
}
# Prose is wrapped at 100 columns; a line that joins a long answer (a project name, a schedule)
# may run past that, not past this.
LINE_LENGTH = 120


@contextlib.contextmanager
def cheap_token_reprs() -> Iterator[None]:
    """pymarkdown writes its whole token list into a debug message for every line it parses, in
    an f-string built even with debug logging off: building those strings is most of a scan's
    time (a README took 1.1 s, 0.4 s without). Only those messages use a token's repr, so it is
    a constant meanwhile; the findings are the same (checked on 31 files, broken ones too)."""
    saved = MarkdownToken.__repr__
    MarkdownToken.__repr__ = lambda self: "token"
    try:
        yield
    finally:
        MarkdownToken.__repr__ = saved


def markdown_problems(text: str) -> list[str]:
    """What breaks the rules in this Markdown text, a line each (none: it reads well)."""
    with cheap_token_reprs():
        return scan(text)


def scan(text: str) -> list[str]:
    api = PyMarkdownApi()
    api.enable_extension_by_identifier("markdown-tables")  # GitHub's tables
    api.disable_rule_by_identifier("*")
    for rule in RULES:
        api.enable_rule_by_identifier(rule)
    api.set_integer_property("plugins.md013.line_length", LINE_LENGTH)
    api.set_integer_property("plugins.md013.heading_line_length", LINE_LENGTH)
    api.set_boolean_property("plugins.md013.code_blocks", False)
    api.set_boolean_property("plugins.md013.tables", False)
    api.set_integer_property("plugins.md009.br_spaces", 0)  # no trailing space, not even a <br>
    return [
        f"line {failure.line_number}: {failure.rule_id} {failure.rule_description}"
        f"{failure.extra_error_information or ''}"
        for failure in api.scan_string(text).scan_failures
    ]


def assert_markdown_reads_well(path: Path) -> None:
    problems = markdown_problems(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.name} does not read well:\n" + "\n".join(problems)
