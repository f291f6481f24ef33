{% extends "shared/operations.py" %}

{% block then %}`make redrive --error-type
OrderRejectedError` brings back the failures the fix addresses. The messages no fix of the code
can process (a corrupt or invalid payload) stay in the DLQ, for a person to read.{% endblock %}

{% block imports -%}
from typing import TYPE_CHECKING

from .demo import Fate, table
from .mapping import Mapping
from ops.failures import list_failures
from ops.queues import QueueMessage
from ops.reasons import Reasons
from ops.redrive import Mover
{%- endblock %}

{% block definitions %}

# The failures the demo's fix addresses: the business rule's{% if facts.skipped_error %}, and those of the messages skipped
# behind a failure of their group, which the fix lets through once they are alone{% endif %}.
FIXED = ("OrderRejectedError",{% if facts.skipped_error %} "{{ facts.skipped_error }}"{% endif %})
{%- endblock %}

{% block bring_back %}
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
{%- endblock %}

{% block helpers %}


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
{%- endblock %}
