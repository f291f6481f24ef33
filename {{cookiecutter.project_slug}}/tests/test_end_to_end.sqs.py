"""`make local` as a test: moto's SQS, the handler under awslambdaric behind a local Runtime API,
{%- if cookiecutter.invocation == "scheduled_poll" %} the schedule fired until the queue is empty.{% else %} a
local event source mapping that honours batchItemFailures.{% endif %} Every message ends processed or in the DLQ."""

import pytest

from local.end_to_end import DEMO_MESSAGES, report, run
from local.runtime_api import FunctionInitError, LocalFunction
from local.template import code_root, functions, load_template

# What becomes of each demo message: the transient failure succeeds on its retry.
EXPECTED_PROCESSED = ["good", "transient failure", "good"]
EXPECTED_DEAD_LETTERED = ["corrupt JSON", "invalid payload", "rejected order"]


def test_every_message_ends_processed_or_in_the_dlq_none_lost() -> None:
    lines: list[str] = []

    outcome = run(visibility_timeout=1, say=lines.append, deadline_seconds=45)

    labels = outcome.labels
    processed = [labels[message_id] for message_id in labels if message_id in outcome.processed]
    assert processed == EXPECTED_PROCESSED
    dead_lettered = sorted(labels[message_id] for message_id in outcome.dead_lettered)
    assert dead_lettered == EXPECTED_DEAD_LETTERED
    assert outcome.left_on_queue == 0
    assert len(labels) == len(DEMO_MESSAGES)
    assert "lost 0" in report(outcome)
    assert any("moved to the DLQ" in line for line in lines)


def test_a_wrong_handler_path_fails_as_it_would_in_aws() -> None:
    template = load_template()
    name = next(iter(functions(template)))

    root = code_root(template, name)
    function = LocalFunction("nowhere.handler", {}, code_root=root, timeout_seconds=3)

    with function, pytest.raises(FunctionInitError, match="nowhere"):
        function.invoke({"Records": []})
