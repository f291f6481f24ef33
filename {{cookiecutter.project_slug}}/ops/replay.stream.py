"""`make replay`: run the ranges the on-failure destination names through the function again.

The destination holds no records, only where they are (ops/ranges.py). For each of its messages
(up to `--max`), each range is read back from the stream (ops/streams.py), shaped as Lambda's
event, and handed to the function in batches, in order: on AWS a synchronous Invoke, whose
`FunctionError` fails the whole batch and whose `batchItemFailures` names the records that
failed. The message is deleted only when every record of its ranges succeeded. Otherwise it stays
in the destination, and the command says which records failed again; a range stops at its first
failed batch, as the shard's order wants (the records behind it are not run).

Records past the stream's retention cannot be replayed: each range that lost some is reported
in one line, its readable records are replayed all the same (they expire next), and its message
stays for you to delete once you have dealt with the lost ones.

`--dry-run` reads and counts, invokes nothing and deletes nothing.
"""

import argparse
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import boto3
from botocore.config import Config

from .dead_letters import describe_range
from .queues import HOLD_SECONDS, SQS_MAX_BATCH, QueueMessage, delete, receive, release
from .ranges import Range, parse_ranges
from .reasons import one_line
from .streams import Fetched, Record, StreamReader, sequence_number
from .targets import OperationError, Targets

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_sqs import SQSClient

BATCH_SIZE = 100  # records per invocation, unless --batch-size says otherwise
# Lambda takes a synchronous payload of 6 MB at most: a batch stays below this much JSON.
MAX_PAYLOAD_BYTES = 5 * 1024 * 1024
# A synchronous invocation may run for the function's timeout (15 minutes at most).
INVOKE_TIMEOUT = 15 * 60 + 5


@dataclass(frozen=True)
class Answer:
    """What an invocation gave: the function's response, or the error it raised."""

    response: Any
    error: str | None = None  # "ErrorType: message"; None: the function returned


class Invoke(Protocol):
    """Runs the function on one event (`{"Records": [...]}`)."""

    def __call__(self, event: dict[str, Any]) -> Answer: ...


class LambdaInvoke:
    """The deployed function, invoked synchronously (RequestResponse), never retried: a retry
    would run the batch twice."""

    def __init__(self, client: "LambdaClient", function_name: str) -> None:
        self.client = client
        self.function_name = function_name

    def __call__(self, event: dict[str, Any]) -> Answer:
        result = self.client.invoke(
            FunctionName=self.function_name,
            InvocationType="RequestResponse",
            Payload=json.dumps(event).encode(),
        )
        payload = json.loads(result["Payload"].read() or b"null")
        if "FunctionError" in result:
            details = payload if isinstance(payload, dict) else {}
            return Answer(
                None,
                f"{details.get('errorType', result['FunctionError'])}: "
                f"{details.get('errorMessage', payload)}",
            )
        return Answer(payload)


class HandlerInvoke:
    """The project's handler, called in this process (the tests, `make local`)."""

    def __init__(self, handler: Callable[[dict[str, Any], Any], Any], context: Any) -> None:
        self.handler = handler
        self.context = context

    def __call__(self, event: dict[str, Any]) -> Answer:
        try:
            return Answer(self.handler(event, self.context))
        except Exception as error:  # the runtime reports it as the invocation's FunctionError
            return Answer(None, f"{type(error).__name__}: {error}")


def failed_records(batch: list[Record], answer: Answer) -> list[str]:
    """The sequence numbers of the batch that failed, by Lambda's rules for streams: all of them
    when the function raised or named a record that is not in the batch; none when it returned
    no batchItemFailures."""
    numbers = [sequence_number(record) for record in batch]
    if answer.error is not None:
        return numbers
    response = answer.response
    if not response:
        return []
    if not isinstance(response, dict):
        return numbers
    items = response.get("batchItemFailures")
    if not items:
        return []
    if not isinstance(items, list):
        return numbers
    failed = set()
    for item in items:
        identifier = item.get("itemIdentifier") if isinstance(item, dict) else None
        if not isinstance(identifier, str) or identifier not in numbers:
            return numbers
        failed.add(identifier)
    return [number for number in numbers if number in failed]


def batches(records: list[Record], size: int) -> Iterator[list[Record]]:
    """The records in order, `size` at a time, each batch below MAX_PAYLOAD_BYTES of JSON."""
    batch: list[Record] = []
    payload = 0
    for record in records:
        weight = len(json.dumps(record)) + 2
        if batch and (len(batch) == size or payload + weight > MAX_PAYLOAD_BYTES):
            yield batch
            batch, payload = [], 0
        batch.append(record)
        payload += weight
    if batch:
        yield batch


@dataclass
class Replayed:
    """What a replay did, in counts."""

    replayed: int = 0  # messages whose every record succeeded: deleted
    kept: int = 0  # messages left in the destination
    ok: int = 0
    failed: int = 0
    not_run: int = 0  # behind a failed batch of their range
    past_retention: int = 0
    read: int = 0  # records read (a dry run's count)

    def summary(self, dry_run: bool = False) -> str:
        if dry_run:
            return (
                f"replay (dry run): {self.kept} {plural(self.kept, 'message')}, "
                f"{self.read} {plural(self.read, 'record')} to replay, "
                f"{self.past_retention} past retention; nothing invoked, nothing deleted"
            )
        not_run = f", {self.not_run} not run" if self.not_run else ""
        return (
            f"replay: {self.replayed} {plural(self.replayed, 'message')} replayed and deleted, "
            f"{self.kept} kept; records: {self.ok} ok, {self.failed} failed{not_run}, "
            f"{self.past_retention} past retention"
        )


def plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


@dataclass
class RangeOutcome:
    ok: int = 0
    failed: list[str] | None = None
    error: str | None = None  # the function's error, when it failed a whole batch
    not_run: int = 0


class Replay:
    """Replays the destination's messages, one at a time."""

    def __init__(
        self,
        sqs: "SQSClient",
        dead_letter_queue_url: str,
        reader: StreamReader,
        invoke: Invoke | None,
        write: Callable[[str], None] = print,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.sqs = sqs
        self.url = dead_letter_queue_url
        self.reader = reader
        self.invoke = invoke  # None: a dry run
        self.write = write
        self.batch_size = batch_size

    def run(self, limit: int | None = None) -> Replayed:
        """Replay up to `limit` messages; the kept ones are made visible again at the end."""
        done = Replayed()
        seen: set[str] = set()
        held: list[QueueMessage] = []
        try:
            while limit is None or len(seen) < limit:
                wanted = SQS_MAX_BATCH if limit is None else min(SQS_MAX_BATCH, limit - len(seen))
                received = receive(self.sqs, self.url, wanted)
                fresh = [message for message in received if message.id not in seen]
                held += [message for message in received if message.id in seen]
                if not fresh:
                    break
                for message in fresh:
                    seen.add(message.id)
                    if self.replay(message, done):
                        done.replayed += 1
                    else:
                        done.kept += 1
                        held.append(message)
        finally:
            release(self.sqs, self.url, held)
        return done

    def replay(self, message: QueueMessage, done: Replayed) -> bool:
        """Replay one message's ranges; whether it was deleted."""
        try:
            spans = parse_ranges(message.body)
        except OperationError as error:
            self.write(f"{message.id}: {error}; kept")
            return False
        self.write(f"{message.id}:")
        fetched = [self.reader.fetch(span) for span in spans]
        complete = True
        for got in fetched:
            self.write(f"    {describe_range(got.span)}")
            done.read += len(got.records)
            if got.problem:
                complete = False
                done.past_retention += got.lost
                self.write(f"    {self.lost_line(got)}")
        if self.invoke is None:
            return False
        for got in fetched:
            outcome = self.run_range(message, got.records, self.invoke)
            done.ok += outcome.ok
            done.failed += len(outcome.failed or [])
            done.not_run += outcome.not_run
            if outcome.failed:
                complete = False
                self.write(f"    {self.failed_line(got.span, outcome)}")
        if not complete:
            self.write(f"    kept {message.id} in the destination")
            return False
        if message.id not in delete(self.sqs, self.url, [message]):
            self.write(f"    replayed, but {message.id} could not be deleted (held too long?)")
            return False
        count = sum(len(got.records) for got in fetched)
        self.write(f"    replayed {count} {plural(count, 'record')}: deleted")
        return True

    def run_range(
        self, message: QueueMessage, records: list[Record], invoke: Invoke
    ) -> RangeOutcome:
        """Run a range's records in batches, in order, up to its first failed batch."""
        outcome = RangeOutcome()
        ran = 0
        for batch in batches(records, self.batch_size):
            self.hold(message)
            answer = invoke({"Records": batch})
            failed = failed_records(batch, answer)
            ran += len(batch)
            outcome.ok += len(batch) - len(failed)
            if failed:
                outcome.failed = failed
                outcome.error = answer.error
                outcome.not_run = len(records) - ran
                break
        return outcome

    def hold(self, message: QueueMessage) -> None:
        """Keep the message hidden from others while its range runs."""
        self.sqs.change_message_visibility(
            QueueUrl=self.url, ReceiptHandle=message.receipt_handle, VisibilityTimeout=HOLD_SECONDS
        )

    @staticmethod
    def lost_line(got: Fetched) -> str:
        span = got.span
        return (
            f"past retention: {got.lost} of the {span.count} records of {span.place} "
            f"{span.first}..{span.last} cannot be replayed ({got.problem})"
        )

    @staticmethod
    def failed_line(span: Range, outcome: RangeOutcome) -> str:
        failed = outcome.failed or []
        why = f" (the function raised {one_line(outcome.error)})" if outcome.error else ""
        behind = f"; {outcome.not_run} behind them not run" if outcome.not_run else ""
        return (
            f"failed again on {span.place}: {len(failed)} {plural(len(failed), 'record')} "
            f"{', '.join(failed)}{why}{behind}"
        )


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


# `python -m ops replay`'s name and help.
NAME = "replay"
HELP = "re-run the failed ranges of the stream"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="read each range from the stream and count; invoke nothing, delete nothing",
    )
    parser.add_argument("--max", type=positive, metavar="N", help="replay at most N messages")
    parser.add_argument(
        "--batch-size",
        type=positive,
        default=BATCH_SIZE,
        metavar="N",
        help=f"records per invocation (default {BATCH_SIZE})",
    )


def command(
    arguments: argparse.Namespace,
    session: boto3.Session,
    targets: Targets,
    write: Callable[[str], None] = print,
) -> int:
    """`python -m ops replay`: 0 when every message was replayed (or a dry run), 1 when some
    stay in the destination."""
    invoke: Invoke | None = None
    if not arguments.dry_run:
        if not targets.function_name:
            raise OperationError("no function to replay through: name it with --function")
        client: LambdaClient = session.client(
            "lambda",
            config=Config(read_timeout=INVOKE_TIMEOUT, retries={"total_max_attempts": 1}),
        )
        invoke = LambdaInvoke(client, targets.function_name)
    replay = Replay(
        session.client("sqs"),
        targets.dead_letter_queue_url,
        StreamReader(session),
        invoke,
        write,
        batch_size=arguments.batch_size,
    )
    done = replay.run(limit=arguments.max)
    write(done.summary(dry_run=arguments.dry_run))
    return 0 if arguments.dry_run or done.kept == 0 else 1
