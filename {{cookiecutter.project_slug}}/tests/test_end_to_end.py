{%- set source = cookiecutter.event_source -%}
{%- set streamed = source in ["kinesis", "dynamodb"] -%}
{%- set polled = cookiecutter.invocation == "scheduled_poll" -%}
"""`make local` as a test: moto holds the resources of template.yaml, the handler runs under
awslambdaric behind a local Runtime API, and {% if polled %}the schedule fires the poller{% else %}a local event source mapping feeds it{% endif %}.
The demo mix ends exactly where the README says, and nothing is lost."""

import re
import socket
from pathlib import Path

import pytest

from local.demo import DEAD_LETTERED, {% if source != "sqs_fifo" %}MIX, {% endif %}PROCESSED, Fate, Trace
from local.end_to_end import run
from local.runtime_api import FunctionInitError
from local.template import functions, load_template
{%- if not streamed and not polled %}

# Each failing message is received this often, then the redrive policy moves it.
MAX_RECEIVES = load_template()["Resources"]["SourceQueue"]["Properties"]["RedrivePolicy"][
    "maxReceiveCount"
]
{%- endif %}


def ended(fates: list[Fate], end: str) -> list[str]:
    return [fate.message.label for fate in fates if fate.ended == end]


def test_the_demo_mix_ends_where_the_readme_says(tmp_path: Path) -> None:
    lines: list[str] = []

    fates = run(visibility_timeout=1, trace=Trace(lines.append), log=tmp_path / "function.log")

{%- if source == "sqs_fifo" %}
    # moto's FIFO redelivery is wrong: the demo sends the good orders only.
    assert ended(fates, PROCESSED) == ["good-1", "good-2", "good-3"]
    assert ended(fates, DEAD_LETTERED) == []
    assert [fate.deliveries for fate in fates] == [1, 1, 1]
{%- elif streamed and cookiecutter.on_first_failure == "continue" %}
    # The corrupt record fails every retry; the records behind it run each time with it, and
    # its batch is given up whole: the OnFailure message's range names them all.
    assert ended(fates, PROCESSED) == ["good-1"]
    assert ended(fates, DEAD_LETTERED) == [
        "corrupt",
        "good-2",
        "invalid",
        "transient",
        "rejected",
        "good-3",
    ]
    assert [fate.message.label for fate in fates if fate.successes] == [
        "good-1",
        "good-2",
        "transient",
        "good-3",
    ]
    assert sum("gave up" in line for line in lines) == 1
{%- else %}
    assert ended(fates, PROCESSED) == ["good-1", "good-2", "transient", "good-3"]
    assert ended(fates, DEAD_LETTERED) == ["corrupt", "invalid", "rejected"]
{%- if streamed %}
    # Bisection isolates each bad record, which alone is given up; nothing good ran twice.
    assert sum("gave up" in line for line in lines) == 3
    assert [fate.successes for fate in fates] == [1, 0, 1, 0, 1, 0, 1]
{%- elif polled %}
    assert any("moved corrupt invalid rejected to the DLQ" in line for line in lines)
{%- else %}
    # Received once, or twice (the transient failure), or until the redrive policy moved it.
    bad = MAX_RECEIVES
    assert [fate.deliveries for fate in fates] == [1, bad, 1, bad, 2, bad, 1]
    assert any("moved corrupt invalid rejected to the DLQ" in line for line in lines)
{%- endif %}
{%- endif %}
    assert all(fate.ended for fate in fates)  # none lost
{%- if source != "sqs_fifo" %}
    assert [fate.message.label for fate in fates] == [message.label for message in MIX]
{%- endif %}


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
