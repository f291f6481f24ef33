"""After the demo, what an operator does next (see the README's "When records fail"), on moto:
`make failures` lists what the demo left in the DLQ and why; the fix of the business rule is
deployed (the function restarted with it); then {% if facts.queued %}`make redrive --error-type
OrderRejectedError` brings back the failures the fix addresses. The messages no fix of the code
can process (a corrupt or invalid payload) stay in the DLQ, for a person to read.{% elif facts.stream %}`make replay` re-runs the failed ranges.{% else %}the failed offsets are where a consumer would
start again: Kafka keeps the records, and nothing in this project replays them.{% endif %}
"""

{% if facts.stream -%}
import os
{% endif -%}
from typing import TYPE_CHECKING{% if facts.stream %}, Any{% endif %}

from .demo import Fate{% if facts.queued %}, table{% endif %}
{%- if facts.queued %}
from .mapping import Mapping
{%- endif %}
from ops.failures import list_failures
{%- if facts.queued %}
from ops.queues import QueueMessage
{%- endif %}
from ops.reasons import Reasons
{%- if facts.stream %}
from ops.replay import Answer, Replay
from ops.streams import StreamReader
{%- endif %}
{%- if facts.queued %}
from ops.redrive import Mover
{%- endif %}

if TYPE_CHECKING:
    from .end_to_end import Running
{%- if facts.stream %}


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
{%- endif %}
{%- if facts.queued %}

# The failures the demo's fix addresses: the business rule's{% if facts.skipped_error %}, and those of the messages skipped
# behind a failure of their group, which the fix lets through once they are alone{% endif %}.
FIXED = ("OrderRejectedError",{% if facts.skipped_error %} "{{ facts.skipped_error }}"{% endif %})
{%- endif %}


def after_the_demo(running: "Running", deadline_seconds: float = 30) -> list[Fate]:
    """List the failures, deploy the fix, bring back what it fixes; the messages' fates."""
    resources, trace = running.resources, running.trace
    running.logs.ship()
    sqs = resources.sqs()
    dead_letter_queue = str(resources.values["DeadLetterQueue"])
    reasons = Reasons(resources.client("logs"), str(resources.values["ProcessorLogGroup"]))
    trace("make failures:")
    list_failures(sqs, dead_letter_queue, reasons, trace.more)
    trace("the fix is deployed: the business rule takes the order whose amount was wrong")
    running.deploy_fix()
{%- if facts.stream %}
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
{%- elif facts.queued %}
    options = " ".join(f"--error-type {error_type}" for error_type in FIXED)
    trace(f'make redrive ARGS="{options}":')
    source_queue = str(resources.values["SourceQueue"])
    mover = Mover(sqs, dead_letter_queue, source_queue, trace.more)
    trace.more(mover.run(error_types=FIXED, reasons=reasons).summary())
    follow(running.mapping, mover.sent)
    fates = running.play(deadline_seconds)
    print()
    for line in table(fates):
        print(line)
    return fates
{%- else %}
    trace.more("Kafka keeps the records: a consumer starts again at the offsets listed above")
{%- endif %}
    return running.play(deadline_seconds)
{%- if facts.queued %}


def follow(mapping: Mapping, sent: list[tuple[QueueMessage, str]]) -> None:
    """Follow the messages a redrive sent back to the queue until they end again. A copy has a
    new message id (SNS's envelope keeps its own); a message sent twice (a crash between the
    send and the delete) is two copies, each followed, but on a FIFO queue, where SQS drops the
    second as a repeat of the first (the same deduplication id within 5 minutes)."""
    by_original: dict[str, Fate] = {}
    for original, copy_id in sent:
        if original.id in by_original and original.group:
            continue
        fate = by_original.get(original.id) or mapping.fate(original.message)
        if original.id in by_original:
            fate = Fate(fate.message)
        by_original.setdefault(original.id, fate)
        fate.ended = ""
        try:
            mapping.fate({**original.message, "MessageId": copy_id})
        except KeyError:  # followed by its new id, where the original was
            keys = {
                copy_id if value is fate else key: value for key, value in mapping.fates.items()
            }
            known = any(value is fate for value in keys.values())
            mapping.fates.clear()
            mapping.fates.update(keys if known else {**keys, copy_id: fate})
{%- endif %}
