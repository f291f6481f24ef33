"""Run the handler on a sample event and print its response: `make invoke EVENT=events/x.json`.

The handler is found from its `Handler` path in {{ facts.stack }} and gets the environment
{{ facts.stack }} gives it, so a wrong path or a missing setting fails here as it would in AWS.
"""

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

from .context import REGION, LocalLambdaContext
from .template import code_root, functions, load_template, plain_environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("event", type=Path, help="a JSON event, e.g. events/mixed.json")
    parser.add_argument("--function", help="logical id in {{ facts.stack }} (default: the only one)")
    arguments = parser.parse_args(argv)

    template = load_template()
    name = arguments.function or next(iter(functions(template)))
    # What Lambda itself sets, then what {{ facts.stack }} gives the function.
    for variable, value in {"AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION}.items():
        os.environ.setdefault(variable, value)
    for variable, value in plain_environment(template, name).items():
        os.environ.setdefault(variable, value)
    sys.path.insert(0, str(code_root(template, name)))
    module_name, _, attribute = functions(template)[name]["Handler"].rpartition(".")
    handler = getattr(importlib.import_module(module_name), attribute)

    event = json.loads(arguments.event.read_text(encoding="utf-8"))
    try:
        response = handler(event, LocalLambdaContext())
    except Exception as error:  # the report of a local run, as Lambda would log it
        print(f"invocation failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(response, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
