{%- import scheduler.part("mapping.py") as scheduled with context -%}
"""The poller's schedule, played on this machine: {{ facts.stack }}'s schedule fired again and
again, sooner than declared; the poller receives, processes and deletes by itself.
{{- scheduled.docstring() }}

From outside, a run shows only its summary (received, succeeded, failed, deleted), and the
queue's redrive policy (SQS's own, in moto) moves a message to the DLQ after maxReceiveCount
receives. Once the queue is empty, a message not in the DLQ is one the poller deleted after
it succeeded.
"""

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from .demo import DEAD_LETTERED, PROCESSED, DemoOrder, Fate, Trace, labels
{{- scheduled.imports() }}
from .resources import Resources, queue_messages
from .runtime_api import Invocation, LocalFunction
from .template import PROJECT, functions, resource_name, schedules{{ scheduled.template_imports() }}
from ops.queues import depth

SCHEDULE_EVENT = PROJECT / "events" / "schedule.json"
{{- scheduled.constants() }}


class Mapping:
    """The function's schedule, the queue it drains (QUEUE_URL), and the messages sent."""

    def __init__(
        self, resources: Resources, function: str, trace: Trace, visibility_timeout: int
    ) -> None:
        template = resources.template
        declared = functions(template)[function]
        schedule = next(iter(schedules(template, function).values()), None)
        if schedule is None:
            raise LookupError(f"no schedule of {{ facts.stack }} invokes {function}")
        queue = resource_name(template, declared["Environment"]["Variables"]["QUEUE_URL"])
        if queue is None:
            raise LookupError("QUEUE_URL names no queue of {{ facts.stack }}")
        redrive = resources.properties(queue)["RedrivePolicy"]
        dead_letter_queue = resource_name(template, redrive["deadLetterTargetArn"])
        if dead_letter_queue is None:
            raise LookupError("the redrive policy names no queue of {{ facts.stack }}")
        self.sqs = resources.sqs()
        self.trace = trace
        self.queue_url = resources.values[queue]
        self.dlq_url = resources.values[dead_letter_queue]
        self.max_receives = int(redrive["maxReceiveCount"])
        self.interval = visibility_timeout / 2
        self.event: dict[str, Any] = json.loads(SCHEDULE_EVENT.read_text(encoding="utf-8"))
        self.fates: dict[str, Fate] = {}  # by message id
        self.runs = 0
        self.last_run = 0.0
        self.setup = [
            f"{queue}: visibility timeout {resources.properties(queue)['VisibilityTimeout']} s -> "
            f"{visibility_timeout} s locally; maxReceiveCount {self.max_receives} -> "
            f"{dead_letter_queue}, as declared",
            f"schedule {schedule['ScheduleExpression']} -> every {self.interval:g} s locally",
        ]
{{- scheduled.setup() }}

    def send(self, mix: list[DemoOrder]) -> None:
        """Send each message to the queue, in order."""
        for message in mix:
            sent = self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=message.as_text())
            self.fates[sent["MessageId"]] = Fate(message, deliveries=None, successes=None)
        self.trace(f"sent {len(self.fates)}: {labels(list(self.fates.values()))}")

    def settled(self) -> bool:
        return all(fate.ended for fate in self.fates.values())

    def schedule_event(self) -> dict[str, Any]:
        """The event the scheduler sends, with this run's id and time."""
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {**self.event, "id": str(uuid.uuid4()), "time": now}

    def turn(self, function: LocalFunction) -> None:
        """Fire the schedule (no sooner than the interval after the last run) and report."""
        time.sleep(max(0.0, self.last_run + self.interval - time.monotonic()))
        self.last_run = time.monotonic()
        self.runs += 1
{{- scheduled.turn() }}
        self.watch_dead_letter_queue()
        if not depth(self.sqs, self.queue_url):
            for fate in self.fates.values():
                if not fate.ended:
                    fate.ended, fate.detail = PROCESSED, "deleted by the poller"

{{- scheduled.methods() }}

    def report(self, run: str, answer: Invocation) -> None:
        """Trace what one invocation of the function did (nothing, if it received nothing)."""
        if answer.error is not None:
            self.trace(
                f"{run}: function error {answer.error.get('errorType')}: "
                "what it received stays on the queue"
            )
        elif answer.response["received"]:
            summary = answer.response
            self.trace(
                f"{run}: received {summary['received']}: ok {summary['succeeded']} -> "
                f"deleted {summary['deleted']}; failed {summary['failed']} -> stay on the queue"
            )

    def fate(self, message: dict[str, Any]) -> Fate:
        return self.fates[message["MessageId"]]

    def watch_dead_letter_queue(self) -> None:
        """Report the messages the redrive policy has moved to the DLQ since the last look."""
        arrived = [
            fate
            for fate in map(self.fate, queue_messages(self.sqs, self.dlq_url))
            if fate.ended != DEAD_LETTERED
        ]
        for fate in arrived:
            fate.ended = DEAD_LETTERED
            fate.detail = f"moved by the redrive policy after {self.max_receives} receives"
        if arrived:
            self.trace(
                f"SQS moved {labels(arrived)} to the DLQ: {self.max_receives} receives, "
                "none succeeded"
            )
