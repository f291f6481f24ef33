"""`make local`: the whole path on this machine, with no Docker and no AWS account.

moto's server on 127.0.0.1 holds the resources {{ facts.stack }} declares (local/resources.py); the
function runs under awslambdaric, AWS's runtime interface client, behind a local Runtime API
(local/runtime_api.py), loaded from {{ facts.stack }}'s `Handler`; local/mapping.py plays
{{ facts.trigger }}. The demo mix of local/demo.py is sent, each step printed as it
happens, then where every message ended. Everything started is stopped on exit, Ctrl-C included.
"""

import argparse
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .context import FUNCTION_NAME, REGION
from .demo import DEAD_LETTERED, MIX, Fate, Trace, table
from .flaky_runtime import FIXED_RULE
from .logs import LogShipper
from .mapping import Mapping
from .operations import after_the_demo
from .resources import Resources, moto_server
from .runtime_api import FunctionInitError, FunctionSettings, LocalFunction
from .template import PROJECT, code_root, function_setting, functions, load_template

LOG = PROJECT / "{{ facts.build_dir }}" / "local-function.log"


def function_settings(
    template: dict[str, Any], name: str, resources: Resources
) -> FunctionSettings:
    """The function as {{ facts.stack }} declares it, with its environment resolved locally."""
    return FunctionSettings(
        name=FUNCTION_NAME,
        handler=str(function_setting(template, name, "Handler")),
        code_root=code_root(template, name),
        timeout_seconds=float(function_setting(template, name, "Timeout") or 3),
        memory_mb=int(function_setting(template, name, "MemorySize") or 128),
        region=REGION,
        environment=resources.function_environment(name),
    )


@dataclass
class Running:
    """The demo's pieces, while they run: moto's resources, the mapping, the function."""

    resources: Resources
    mapping: Mapping
    function: LocalFunction
    trace: Trace
    logs: LogShipper

    def play(self, deadline_seconds: float) -> list[Fate]:
        """Turn the mapping until every message has ended; each message's fate, as it is then."""
        gives_up = time.monotonic() + deadline_seconds
        while not self.mapping.settled():
            if time.monotonic() > gives_up:
                self.trace(f"stopped waiting after {deadline_seconds:g} s")
                break
            self.mapping.turn(self.function)
            self.logs.ship()
        return [replace(fate) for fate in self.mapping.fates.values()]

    def deploy_fix(self) -> None:
        """Restart the function with the demo's fix of the business rule, as a deploy would."""
        self.function.stop()
        settings = self.function.settings
        fixed = {**settings.environment, FIXED_RULE: "1"}
        self.function.settings = replace(settings, environment=fixed)
        self.function.start()


@contextmanager
def started(
    visibility_timeout: int = 2,
    trace: Trace | None = None,
    log: Path = LOG,
    template: dict[str, Any] | None = None,
) -> Iterator[Running]:
    """moto with {{ facts.stack }}'s resources, the mapping and the function, until the block
    ends; everything started is stopped then, in reverse: the function, its API, moto."""
    trace = trace or Trace()
    template = template or load_template()
    name = next(iter(functions(template)))
    log.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as running:
        endpoint = running.enter_context(moto_server())
        resources = Resources(template, endpoint, REGION)
        made = resources.create(visibility_timeout)
        trace(f"moto on {endpoint.removeprefix('http://')}: {', '.join(made)}")
        mapping = Mapping(resources, name, trace, visibility_timeout)
        for line in mapping.setup:
            trace.more(line)
        settings = function_settings(template, name, resources)
        log_file = running.enter_context(log.open("wb"))
        function = running.enter_context(LocalFunction(settings, log_file))
        api = function.api.address if function.api else "-"
        trace(f"{settings.handler} under awslambdaric, Runtime API on {api}; its logs: {log}")
        group = str(resources.values["ProcessorLogGroup"])
        trace.more(f"and moto's log group {group}, where `make failures` reads them")
        shipper = LogShipper(resources.client("logs"), group, log)
        yield Running(resources, mapping, function, trace, shipper)


def run(
    visibility_timeout: int = 2,
    trace: Trace | None = None,
    deadline_seconds: float = 50,
    log: Path = LOG,
    template: dict[str, Any] | None = None,
    then: Callable[[Running], object] | None = None,
) -> list[Fate]:
    """Send the demo mix through the function and follow it to its end; each message's fate.
    `then` goes on with what is still running (the operations after the demo)."""
    with started(visibility_timeout, trace, log, template) as running:
        running.mapping.send(list(MIX))
        fates = running.play(deadline_seconds)
        if then is not None:
            then(running)
        return fates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--visibility-timeout", type=int, default=2, help="seconds, locally (default 2)"
    )
    parser.add_argument(
        "--log", type=Path, default=LOG, help=f"the function's logs (default {LOG})"
    )
    arguments = parser.parse_args(argv)
    # A stop from outside cleans up as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(143))
    try:
        with started(arguments.visibility_timeout, log=arguments.log) as running:
            running.mapping.send(list(MIX))
            fates = running.play(deadline_seconds=50)
            print()
            for line in table(fates):
                print(line)
            if any(fate.ended == DEAD_LETTERED for fate in fates):
                print()
                fates = after_the_demo(running)
    except KeyboardInterrupt:
        print("interrupted: moto, the Runtime API and the function are stopped", file=sys.stderr)
        return 130
    except FunctionInitError as error:
        print(f"the function did not start: {error} (its logs: {arguments.log})", file=sys.stderr)
        return 1
    return 0 if all(fate.ended for fate in fates) else 1


if __name__ == "__main__":
    sys.exit(main())
