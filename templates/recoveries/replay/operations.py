{% extends "shared/operations.py" %}

{% block then %}`make replay` re-runs the failed ranges.{% endblock %}

{% block imports -%}
import os
from typing import TYPE_CHECKING, Any

from .demo import Fate
from ops.failures import list_failures
from ops.reasons import Reasons
from ops.replay import Answer, Replay
from ops.streams import StreamReader
{%- endblock %}

{% block definitions %}


class LocalInvoke:
    """`make replay`'s invocation of the function: the local one, under awslambdaric."""

    def __init__(self, running: "Running") -> None:
        self.running = running

    def __call__(self, event: dict[str, Any]) -> Answer:
        answer = self.running.function.invoke(event)
        self.running.logs.ship()
        error = answer.error
        if error is None:
            return Answer(answer.response)
        return Answer(None, f"{error.get('errorType')}: {error.get('errorMessage')}")
{%- endblock %}

{% block bring_back %}
    trace("make replay:")
    caller_endpoint = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = resources.endpoint  # the tooling's clients reach moto
    try:
        reader = StreamReader(resources.session())
        replay = Replay(sqs, dead_letter_queue, reader, LocalInvoke(running), trace.more)
        trace.more(replay.run().summary())
    finally:  # the caller's clients (a test session's) keep theirs
        if caller_endpoint is None:
            del os.environ["AWS_ENDPOINT_URL"]
        else:
            os.environ["AWS_ENDPOINT_URL"] = caller_endpoint
    return running.play(deadline_seconds)
{%- endblock %}
