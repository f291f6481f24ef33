"""`make failures` and `make redrive` on moto: the DLQ the demo leaves is listed with each
message's reason, then brought back after the fix, and no message is lost on the way."""

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import boto3
import pytest
from botocore.stub import Stubber

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

from tests.in_process import InProcessFunction
from tests.support import expected_failures

from local.context import REGION
from local.demo import DEAD_LETTERED, MIX, PROCESSED, DemoOrder, Trace
from local.end_to_end import function_settings
from local.mapping import {% if source.grouped %}GROUPS, {% endif %}Mapping
from local.operations import follow
from local.resources import Resources
from local.template import functions, load_template
from ops.__main__ import main
{%- if source.family == "topic_to_queue" %}
from ops.dead_letters import payload
{%- endif %}
from ops.failures import list_failures
from ops.queues import QueueMessage, depth, look, release
from ops.redrive import Mover, move_on_server

# Where the business rule is looked up when a record is handled: the fix replaces it there.
RULE = "{{ cookiecutter.package_name }}.{{ facts.rule }}"
# The demo's messages no fix of the code brings back, and the one the fix does.
UNFIXABLE = {"corrupt", "invalid"}
FIXABLE = "rejected"
# The demo's messages that fail, each with what fails it.
FAILING = {"corrupt", "invalid", "rejected"}


def last_errors(dead: list[str]) -> dict[str, str]:
    """What each message of the DLQ last failed with: by the processor's rule, as they were in
    their last batch together, in the order they were sent."""
    kinds = [label if label in FAILING else "good" for label in dead]
{%- if source.grouped %}
    failures = expected_failures(kinds, [GROUPS[label] for label in dead])
{%- else %}
    failures = expected_failures(kinds)
{%- endif %}
    return {dead[position]: error_type for position, error_type in failures}


pytestmark = pytest.mark.operations


@dataclass
class Demo:
    """The demo's resources on moto, its mapping, and the function run in this process."""

    resources: Resources
    mapping: Mapping
    function: InProcessFunction
    sent: dict[str, DemoOrder] = field(default_factory=dict)  # by payload

    @property
    def dead_letter_queue(self) -> str:
        return str(self.resources.values["DeadLetterQueue"])

    @property
    def source_queue(self) -> str:
        return str(self.resources.values["SourceQueue"])

    @property
    def log_group(self) -> str:
        return str(self.resources.values["ProcessorLogGroup"])

    def drain(self, rounds: int = 200) -> None:
        """Play the mapping until every message sent has ended."""
        for _ in range(rounds):
            if self.mapping.settled():
                return
            self.mapping.turn(self.function)
        raise AssertionError("the demo did not settle")

    def send(self, mix: list[DemoOrder]) -> None:
        self.sent |= {message.as_text(): message for message in mix}
        self.mapping.send(mix)
        self.drain()

    def follow(self, *movers: Mover) -> None:
        """Play the mapping until what these movers sent back has ended."""
        follow(self.mapping, [copy for mover in movers for copy in mover.sent])
        self.drain()

    def ended(self, end: str, label: bool = False) -> list[str]:
        """The order ids (or labels, in the order sent) of the messages that ended so."""
        fates = [fate for fate in self.mapping.fates.values() if fate.ended == end]
        if label:
            return [fate.message.label for fate in fates]
        return sorted(fate.message.order_id for fate in fates)

    def cli(self, *arguments: str) -> tuple[int, list[str]]:
        """`python -m ops`, on this demo's resources; its exit status and lines."""
        lines: list[str] = []
        command, *options = arguments
        given = [f"--dead-letter-queue={self.dead_letter_queue}", f"--log-group={self.log_group}"]
        if command == "redrive":
            given.append(f"--source-queue={self.source_queue}")
        status = main([command, *given, *options], lines.append)  # the last one given wins
        return status, lines


class NoWait:
    """The mapping's SQS client, without long polling: with a visibility timeout of 0 nothing
    is on its way back, and a wait on an empty queue only slows the test down."""

    def __init__(self, sqs: "SQSClient") -> None:
        self.sqs = sqs

    def receive_message(self, **request: Any) -> Any:
        return self.sqs.receive_message(**{**request, "WaitTimeSeconds": 0})

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sqs, name)


@pytest.fixture
def demo(moto_endpoint: str) -> Demo:
    template = load_template()
    name = next(iter(functions(template)))
    resources = Resources(template, moto_endpoint, REGION)
    # A visibility timeout of 0: a failed message comes back at once, so the demo's failures
    # reach the DLQ after maxReceiveCount receives without waiting.
    resources.create(visibility_timeout=0)
    trace = Trace(write=lambda _line: None)
    mapping = Mapping(resources, name, trace, visibility_timeout=0)
    mapping.sqs = cast("SQSClient", NoWait(mapping.sqs))
    settings = function_settings(template, name, resources)
    function = InProcessFunction(
        settings, resources, str(resources.values["ProcessorLogGroup"]), io.BytesIO()
    )
    return Demo(resources, mapping, function)


def labels_in(demo: Demo, messages: list[QueueMessage]) -> set[str]:
    by_text = {message.as_text(): message.label for message in MIX}
    return {by_text.get(body_of(message), "?") for message in messages}


def body_of(message: QueueMessage) -> str:
{%- if source.family == "topic_to_queue" %}
    return payload(message.body)
{%- else %}
    return message.body
{%- endif %}


def test_failures_lists_every_dead_letter_with_its_reason(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.send(list(MIX))
    dead = {
        fate.message.label for fate in demo.mapping.fates.values() if fate.ended == DEAD_LETTERED
    }
    assert dead >= FAILING

    status, lines = demo.cli("failures")

    assert status == 0
    assert lines[0].startswith(f"{len(dead)} messages in ")
    reasons = [line.strip() for line in lines if line.startswith("    ") and "body:" not in line]
    errors = last_errors([message.label for message in MIX if message.label in dead])
    assert sorted(reason.split(":")[0] for reason in reasons) == sorted(errors.values())
    assert all("failed 5 times" in reason for reason in reasons)
    # A look consumes nothing.
    assert labels_in(demo, look(demo.resources.sqs(), demo.dead_letter_queue)) == dead
    # Many messages: one read of the logs instead of one per message, with the same reasons.
    monkeypatch.setattr("ops.failures.SCAN_ABOVE", 0)
    _status, scanned = demo.cli("failures")
    assert sorted(line for line in scanned if line.startswith("    ")) == sorted(
        line for line in lines if line.startswith("    ")
    )


def test_failures_without_logs_says_the_reason_is_unknown(demo: Demo) -> None:
    demo.send([message for message in MIX if message.label == FIXABLE])
    lines: list[str] = []

    messages = list_failures(demo.resources.sqs(), demo.dead_letter_queue, None, lines.append)

    assert len(messages) == 1
    assert "    reason: not in the logs (no log group)" in lines


def test_redrive_of_one_error_type_moves_it_and_leaves_the_rest(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.send(list(MIX))
    monkeypatch.setattr("ops.redrive.SCAN_ABOVE", 0)  # the reasons read in one scan of the logs
    dead = demo.ended(DEAD_LETTERED, label=True)
    errors = last_errors(dead)
    chosen = {label for label, error in errors.items() if error == errors[FIXABLE]}

    status, lines = demo.cli("redrive", "--error-type", errors[FIXABLE])

    assert status == 0
    assert lines[-1].startswith(f"redrive: moved {len(chosen)} of {len(dead)} ")
    assert f"{len(dead) - len(chosen)} left in the DLQ" in lines[-1]
    sqs = demo.resources.sqs()
    assert labels_in(demo, look(sqs, demo.dead_letter_queue)) == set(dead) - chosen
    assert labels_in(demo, look(sqs, demo.source_queue)) == chosen


def test_a_dry_run_and_a_maximum_move_what_they_say(demo: Demo) -> None:
    demo.send([message for message in MIX if message.label in UNFIXABLE])

    status, lines = demo.cli("redrive", "--dry-run")
    assert (status, lines[-1].split(" in ")[0]) == (0, "redrive: would move 2 of 2")
    assert len(look(demo.resources.sqs(), demo.dead_letter_queue)) == 2

    status, lines = demo.cli("redrive", "--max", "1")
    assert (status, lines[-1].split(" in ")[0]) == (0, "redrive: moved 1 of 2")
    assert len(look(demo.resources.sqs(), demo.dead_letter_queue)) == 1


def rejected(count: int) -> list[DemoOrder]:
    """Orders only the business rule rejects: the fix brings every one back."""
    template = next(message for message in MIX if message.label == FIXABLE)
    assert template.order is not None
{%- if source.grouped %}
    GROUPS.update({f"r{n}": f"R{n}" for n in range(count)})  # each in a group of its own
{%- endif %}
    return [
        DemoOrder(f"r{n}", template.kind, f"ord-r{n}", {**template.order, "order_id": f"ord-r{n}"})
        for n in range(count)
    ]


def test_without_sqs_move_task_the_redrive_moves_by_hand(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.send(rejected(12))
    sqs = demo.resources.sqs()
    monkeypatch.setattr("ops.redrive.PROGRESS_EVERY", 0)  # a progress line after each batch

    status, lines = demo.cli("redrive")

    assert status == 0
    assert lines[0].startswith("SQS's move task is not available here: moving by hand")
    progress = [line.split(" (")[0] for line in lines[1:-1]]
    assert progress[-1] == "moved 12/12"
    assert all(line.startswith("moved ") for line in progress)
    assert lines[-1].startswith("redrive: moved 12 of 12 ")
    assert depth(sqs, demo.dead_letter_queue) == 0
    assert len(look(sqs, demo.source_queue)) == 12


def test_redrive_after_the_fix_empties_the_dlq(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    demo.send(rejected(12))
    sqs = demo.resources.sqs()
    monkeypatch.setattr(RULE, lambda order: order.order_id)  # the fix: the rule relaxed

    mover = Mover(sqs, demo.dead_letter_queue, demo.source_queue)
    done = mover.run()
    demo.follow(mover)

    assert (done.moved, done.total) == (12, 12)
    assert depth(sqs, demo.dead_letter_queue) == 0
    assert demo.ended(PROCESSED) == sorted(f"ord-r{n}" for n in range(12))


class CrashError(Exception):
    """The redrive's process dies between a send and its delete."""


def test_a_crash_between_send_and_delete_loses_nothing(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.send(rejected(15))
    monkeypatch.setattr(RULE, lambda order: order.order_id)
    sqs = demo.resources.sqs()
    sent: list[list[QueueMessage]] = []

    def crash_after_the_first_send(batch: list[QueueMessage]) -> None:
        sent.append(batch)
        raise CrashError

    crashing = Mover(
        sqs, demo.dead_letter_queue, demo.source_queue, after_send=crash_after_the_first_send
    )
    with pytest.raises(CrashError):
        crashing.run()
    # The crashed batch is in both queues: in the DLQ, held by the dead run until its hold
    # expires (made to expire now); the run after the restart moves it again, and the rest.
    (crashed,) = sent
    release(sqs, demo.dead_letter_queue, crashed)
    restarted = Mover(sqs, demo.dead_letter_queue, demo.source_queue)
    restarted.run()
    demo.follow(crashing, restarted)

    assert depth(sqs, demo.dead_letter_queue) == 0
    assert set(demo.ended(PROCESSED)) == {f"ord-r{n}" for n in range(15)}
{%- if source.grouped %}
    # Sent twice, the crashed batch is processed once: SQS drops the second copy of each as a
    # repeat (the same deduplication id within 5 minutes). (A fate counts its successes.)
    processed = [fate for fate in demo.mapping.fates.values() if fate.ended == PROCESSED]
    assert sum(fate.successes or 1 for fate in processed) == 15
    assert crashed
{%- else %}
    # The crashed batch twice: duplicated, not lost. (A fate counts each successful delivery;
    # the poller's are not seen from outside, and each copy has a fate of its own.)
    processed = [fate for fate in demo.mapping.fates.values() if fate.ended == PROCESSED]
    assert sum(fate.successes or 1 for fate in processed) == 15 + len(crashed)
{%- endif %}


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        pytest.param(
            ["--dead-letter-queue=SOURCE"],
            "is not the DLQ of",
            id="the-source-queue-as-its-own-dlq",
        ),
        pytest.param(
            ["--source-queue=http://127.0.0.1:1/123456789012/nowhere"], "", id="an-unknown-queue"
        ),
    ],
)
def test_bad_targets_get_one_line_and_move_nothing(
    demo: Demo, arguments: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    demo.send([message for message in MIX if message.label == FIXABLE])
    given = [argument.replace("SOURCE", demo.source_queue) for argument in arguments]

    status, _lines = demo.cli("redrive", "--by-hand", *given)

    error = capsys.readouterr().err
    assert status == 1
    assert error.startswith("python -m ops redrive: ")
    assert error.count("\n") == 1
    assert problem in error
    assert len(look(demo.resources.sqs(), demo.dead_letter_queue)) == 1


def test_no_credentials_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance's role either

    status = main(["failures", "--stack", "nowhere"], lambda _line: None)

    assert status == 1
    assert (
        capsys.readouterr().err
        == "python -m ops failures: no AWS credentials: set AWS_PROFILE, or run `aws configure` / `aws sso login`\n"
    )


def test_an_unknown_stack_is_one_line(
    moto_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["failures", "--stack", "nowhere"], lambda _line: None)

    error = capsys.readouterr().err
    assert status == 1
    assert error.startswith("python -m ops failures: stack 'nowhere': ")
    assert error.count("\n") == 1


DLQ_ARN = f"arn:aws:sqs:{REGION}:123456789012:dead-letters"
SOURCE_ARN = f"arn:aws:sqs:{REGION}:123456789012:orders"


@pytest.mark.parametrize(
    ("ending", "last_line"),
    [
        pytest.param({"Status": "COMPLETED"}, None, id="completed"),
        pytest.param(
            {"Status": "FAILED", "FailureReason": "AccessDenied"},
            "SQS's move task ended FAILED: AccessDenied",
            id="failed",
        ),
    ],
)
def test_sqs_move_task_is_followed_to_its_end(
    ending: dict[str, Any], last_line: str | None
) -> None:
    """moto has no message move tasks: SQS's answers are stubbed, as its API reference shows them."""
    sqs = boto3.client("sqs", region_name=REGION)
    once = boto3.client("sqs", region_name=REGION)
    request = {"SourceArn": DLQ_ARN, "MaxResults": 1}
    lines: list[str] = []
    with Stubber(once) as starts, Stubber(sqs) as tasks:
        starts.add_response(
            "start_message_move_task",
            {"TaskHandle": "task-1"},
            {
                "SourceArn": DLQ_ARN,
                "DestinationArn": SOURCE_ARN,
                "MaxNumberOfMessagesPerSecond": 50,
            },
        )
        running = {"ApproximateNumberOfMessagesMoved": 4, "ApproximateNumberOfMessagesToMove": 10}
        tasks.add_response(
            "list_message_move_tasks", {"Results": [{**running, "Status": "RUNNING"}]}, request
        )
        done = {"ApproximateNumberOfMessagesMoved": 10, "ApproximateNumberOfMessagesToMove": 10}
        tasks.add_response("list_message_move_tasks", {"Results": [{**done, **ending}]}, request)

        moved = move_on_server(sqs, once, DLQ_ARN, SOURCE_ARN, 50, lines.append, poll_seconds=0)

    assert moved is not None
    assert (moved.moved, moved.total) == (10, 10)
    assert lines[0].startswith("moved 4/10 (")
    assert lines[0].endswith("), SQS's task RUNNING")
    assert lines[1:] == ([last_line] if last_line else [])
