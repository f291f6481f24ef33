{#- The demo's outcome: the poller's when the schedule starts the function, else the source's mapping's. -#}
{%- import "invocations/scheduled_poll/test_end_to_end.py" if facts.polled else source.part("test_end_to_end.py")
    as demo with context -%}
{%- import recovery.part("test_end_to_end.py") as ending -%}
"""`make local` as a test: moto holds the resources of {{ facts.stack }}, the handler runs under
awslambdaric behind a local Runtime API, and local/mapping.py plays {{ facts.trigger }}.
The demo mix ends exactly where the README says, and nothing is lost."""

import re
import socket
from pathlib import Path

import pytest

from local.demo import DEAD_LETTERED, MIX, PROCESSED, Fate, Trace
from local.end_to_end import run
from local.operations import after_the_demo
from local.runtime_api import FunctionInitError
from local.template import functions, load_template
{{- demo.constants() }}


def ended(fates: list[Fate], end: str) -> list[str]:
    return [fate.message.label for fate in fates if fate.ended == end]


def test_the_demo_mix_ends_where_the_readme_says(tmp_path: Path) -> None:
    lines: list[str] = []
    template = load_template()
{{- demo.before_run() }}

    after: list[Fate] = []
    fates = run(
        visibility_timeout=1,
        trace=Trace(lines.append),
        log=tmp_path / "function.log",
        template=template,
        then=lambda running: after.extend(after_the_demo(running)),
    )
{{ demo.outcome() }}
    assert all(fate.ended for fate in fates)  # none lost
    assert [fate.message.label for fate in fates] == [message.label for message in MIX]

    # Then, as an operator would: the failures listed with their reasons, the fix deployed and
    # {{ ending.done() }}; still nothing lost.
    listed = lines.index(next(line for line in lines if line.endswith("make failures:")))
{{- ending.listed() }}
    assert all(fate.ended for fate in after)
{{- ending.brought_back() }}


def test_a_wrong_handler_path_fails_at_init_and_everything_is_stopped(tmp_path: Path) -> None:
    template = load_template()
    (function,) = functions(template).values()
    function["Handler"] = "nowhere.handler.lambda_handler"
    lines: list[str] = []

    with pytest.raises(FunctionInitError, match=r"Runtime\.ImportModuleError.*'nowhere\.handler'"):
        run(trace=Trace(lines.append), log=tmp_path / "function.log", template=template)

    moto = re.search(r"moto on 127\.0\.0\.1:(\d+)", "\n".join(lines))
    assert moto is not None
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", int(moto.group(1))), timeout=1)
