"""Render every supported combination from two versions of the template and compare the trees.

A redesign that must not change what users get proves it with this script:

    python3 scripts/compare_renders.py main            # main's renders against the work tree's
    python3 scripts/compare_renders.py main --diff 20  # and print up to 20 file diffs

The combinations are those of the work tree's tests/matrix.py; a combination the base rejects is
reported as such. A base commit's renders are kept in the git directory for the next run.
`.cruft.json` carries the template's path and commit, which differ by design
between two checkouts: they are compared with both blanked. Exit status 1 when anything differs.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

Tree = dict[str, str]  # relative path -> sha256 of its (normalised) content


def normalised(path: Path, data: bytes) -> bytes:
    if path.name != ".cruft.json":
        return data
    record = json.loads(data)
    record["commit"] = record["context"]["cookiecutter"]["_commit"] = None
    record["template"] = record["context"]["cookiecutter"]["_template"] = "<template>"
    return json.dumps(record, indent=2, sort_keys=True).encode()


def render(template: str, answers: dict[str, Any], blobs: Path) -> Tree | str:
    """The rendered tree of one combination (contents stored in blobs/), or the error it got."""
    from cookiecutter.exceptions import FailedHookException
    from cookiecutter.main import cookiecutter

    with tempfile.TemporaryDirectory() as scratch:
        try:
            project = Path(
                cookiecutter(template, no_input=True, extra_context=answers, output_dir=scratch, accept_hooks=True)
            )
        except FailedHookException as error:
            return f"rejected: {error}"
        except ValueError as error:  # an answer this version does not offer (a newer choice)
            return f"not offered: {error}"
        tree: Tree = {}
        for path in sorted(project.rglob("*")):
            relative = str(path.relative_to(project))
            if path.is_dir():
                if not any(path.iterdir()):
                    tree[relative + "/"] = "empty folder"
                continue
            data = normalised(path, path.read_bytes())
            digest = hashlib.sha256(data).hexdigest()
            blob = blobs / digest
            if not blob.exists():
                blob.write_bytes(data)
            tree[relative] = digest
        return tree


def _render_job(job: tuple[str, str, dict[str, Any], str]) -> tuple[str, Tree | str]:
    template, name, answers, blobs = job
    # This version's template_facts, not the work tree's that the parent's sys.path finds first.
    if sys.path[0] != template:
        sys.path.insert(0, template)
    return name, render(template, answers, Path(blobs))


def render_all(template: Path, combinations: dict[str, dict[str, Any]], blobs: Path, workers: int) -> dict[str, Any]:
    jobs = [(str(template), name, answers, str(blobs)) for name, answers in combinations.items()]
    # Fresh processes: each version of the template is imported (its local extension) on its own.
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        return dict(pool.imap_unordered(_render_job, jobs, chunksize=8))


def combinations() -> dict[str, dict[str, Any]]:
    sys.path.insert(0, str(REPO))
    from tests.matrix import all_combinations, combination_id

    return {combination_id(answers): answers for answers in all_combinations()}


def checkout(ref: str, into: Path) -> Path:
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(into), ref], check=True, capture_output=True
    )
    return into


def compare(base: dict[str, Any], head: dict[str, Any], blobs: Path, show: int) -> int:
    """Print every difference; the number of combinations that differ."""
    differing = 0
    changed_files: dict[str, int] = {}
    shown = 0
    for name in sorted(head):
        before, after = base.get(name), head[name]
        if before == after:
            continue
        differing += 1
        if isinstance(before, str) or isinstance(after, str):
            print(
                f"{name}: base {before if isinstance(before, str) else 'rendered'}, "
                f"head {after if isinstance(after, str) else 'rendered'}"
            )
            continue
        for path in sorted(set(before) | set(after)):
            if before.get(path) == after.get(path):
                continue
            changed_files[path] = changed_files.get(path, 0) + 1
            if shown < show:
                shown += 1
                old = (blobs / before[path]).read_text().splitlines() if path in before else []
                new = (blobs / after[path]).read_text().splitlines() if path in after else []
                print(f"--- {name}: {path}")
                print("\n".join(difflib.unified_diff(old, new, "base", "head", lineterm="", n=1)))
    for path, count in sorted(changed_files.items()):
        print(f"{count:4d} combinations differ in {path}")
    return differing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="git ref of the version to compare against (e.g. main)")
    parser.add_argument("--diff", type=int, default=5, help="print up to this many file diffs")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--only", help="compare only the combinations whose id contains this text")
    options = parser.parse_args()

    wanted = {name: answers for name, answers in combinations().items() if not options.only or options.only in name}
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", options.base], capture_output=True, text=True, check=True
    ).stdout.strip()
    # A commit renders the same every time: its renders are kept for the next comparison, in the
    # git directory that every worktree of the repository shares.
    common = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--path-format=absolute", "--git-common-dir"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    cache = Path(common) / "compare-renders"
    blobs = cache / "blobs"
    blobs.mkdir(parents=True, exist_ok=True)
    manifest = cache / f"{commit}.json"
    base = json.loads(manifest.read_text()) if manifest.exists() else {}
    missing = {name: answers for name, answers in wanted.items() if name not in base}
    if missing:
        with tempfile.TemporaryDirectory() as scratch:
            base_tree = checkout(commit, Path(scratch) / "base")
            try:
                base.update(render_all(base_tree, missing, blobs, options.workers))
            finally:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base_tree)], check=False)
        manifest.write_text(json.dumps(base))
    head = render_all(REPO, wanted, blobs, options.workers)
    differing = compare({name: base[name] for name in wanted}, head, blobs, options.diff)
    print(f"{len(wanted)} combinations rendered from {options.base} and the work tree: {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
