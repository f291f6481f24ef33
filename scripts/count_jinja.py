"""Count the Jinja tags of the template, per file: `{%` tags, and the branching ones (if, elif).

    python3 scripts/count_jinja.py            # totals, and the files with the most tags
    python3 scripts/count_jinja.py --all      # every file that has a tag

Counts the project folder and templates/ (what cookiecutter renders or includes); the hooks'
Jinja is data (`tojson`) and is not counted.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RENDERED = (REPO / "{{cookiecutter.project_slug}}", REPO / "templates")
TAG = re.compile(r"\{%-?\s*(\w+)")


def counts(path: Path) -> tuple[int, int]:
    tags = TAG.findall(path.read_text(encoding="utf-8"))
    return len(tags), sum(tag in ("if", "elif") for tag in tags)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list every file with a tag")
    options = parser.parse_args()
    rows = [
        (str(path.relative_to(REPO)), *counts(path))
        for root in RENDERED
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]
    files = len(rows)
    rows = sorted((row for row in rows if row[1]), key=lambda row: -row[1])
    for name, tags, branches in rows if options.all else rows[:10]:
        print(f"{tags:4d} tags {branches:4d} if/elif  {name}")
    total, branching = sum(row[1] for row in rows), sum(row[2] for row in rows)
    print(f"{total} tags ({branching} if/elif) in {len(rows)} of {files} files")


if __name__ == "__main__":
    main()
